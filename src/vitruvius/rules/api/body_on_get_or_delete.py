from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import api_operations, label

FIXES = {
    "GET": "send the criteria as query parameters; when they do not fit in a URL, POST them to a search resource (…/searches)",
    "DELETE": "delete the member itself (DELETE …/{id}); for a bulk removal, POST a removal request (…/removals) instead",
}

@rule("API006", "body-on-get-or-delete", severity="warning")
def body_on_get_or_delete(model: SystemModel, *, methods: tuple[str, ...] = ("GET", "HEAD", "DELETE")) -> Iterator[Finding]:
    """A GET, HEAD or DELETE that takes a request body.

    ## Why is this bad?
    RFC 9110 gives content in these requests no defined semantics: proxies, caches, CDNs, load balancers and
    HTTP client libraries may drop it, reject the request or ignore it when they build a cache key, so the
    operation works in tests and fails behind infrastructure. A GET keyed by a body cannot be cached or
    bookmarked at all. `methods` chooses the methods judged.

    ## Example
    ```yaml
    paths:
      /orders/{id}/labels:
        delete:
          requestBody:
            content: {application/json: {schema: {type: array, items: {type: string}}}}
          responses: {"204": {description: Removed}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{id}/labels/{name}:
        delete:
          responses: {"204": {description: Removed}}
    ```
    For a search whose criteria do not fit in a URL, `POST /orders/searches` (a search resource) or the
    QUERY method (an IETF draft) says what is meant.

    ## References
    - RFC 9110 §9.3.1 (GET), §9.3.2 (HEAD), §9.3.5 (DELETE).
    """
    chosen = {m.upper() for m in methods}
    for op in api_operations(model):
        method = op.method.upper()
        if method in chosen and op.request_body is not None:
            yield Finding(
                op,
                f"{label(op)} takes a request body, which {method} gives no defined meaning (RFC 9110)",
                fix=FIXES.get(method, FIXES["GET"]),
            )
