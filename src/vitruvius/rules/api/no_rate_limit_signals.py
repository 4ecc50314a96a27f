from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import headers

RATE_HEADERS = ("ratelimit", "x-ratelimit", "x-rate-limit", "retry-after")


@rule("API024", "no-rate-limit-signals", severity="info")
def no_rate_limit_signals(model: SystemModel) -> Iterator[Finding]:
    """An API document with no 429 response and no rate-limit header anywhere.

    ## Why is this bad?
    Every public API is rate limited somewhere (a gateway, a WAF, the database's patience). If the contract
    does not say how, clients learn it in production: they see 429s nobody told them to handle, retry at
    once and make it worse. A declared `429 Too Many Requests` with `Retry-After`, and the `RateLimit`
    headers on normal responses, let clients slow down before they are cut off.

    Reported once per document when no operation declares a 429 (or a 4XX range) and no response declares
    a `RateLimit-*`, `X-RateLimit-*` or `Retry-After` header.

    ## Example
    ```yaml
    paths:
      /orders: {get: {responses: {"200": {description: The orders}}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders:
        get:
          responses:
            "200": {description: The orders, headers: {RateLimit: {$ref: "#/components/headers/RateLimit"}}}
            "429": {$ref: "#/components/responses/TooManyRequests"}
    ```

    ## References
    - RFC 6585 §4 (429); RFC 9110 §10.2.3 (Retry-After); IETF draft-ietf-httpapi-ratelimit-headers.
    - Zalando RESTful API guidelines, rule 153 (429 with headers); OWASP API Security Top 10, API4:2023
      (unrestricted resource consumption).
    """
    for document in model.api_documents:
        operations = [op for op in model.operations if op.document == document.path]
        responses = [r for op in operations for r in op.responses]
        limited = any(r.status.upper() in ("429", "4XX") for r in responses)
        announced = any(h.startswith(RATE_HEADERS) for r in responses for h in headers(r))
        if operations and not limited and not announced:
            yield Finding(
                document,
                f"{document.path}: none of its {len(operations)} operations declares a 429 response or a rate-limit header",
                fix="declare a shared 429 response (with Retry-After) on the operations, and RateLimit headers on their responses",
            )
