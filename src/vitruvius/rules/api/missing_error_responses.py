from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Operation, SystemModel
from .common import documented, label, statuses

ALTERNATIVES = {"400": {"400", "422"}, "401": {"401"}, "404": {"404", "410"}}
SHOWN = {"400": "400/422", "401": "401", "404": "404"}


@rule("API012", "missing-error-responses", severity="warning")
def missing_error_responses(model: SystemModel, *, check: tuple[str, ...] = ("400", "401", "404")) -> Iterator[Finding]:
    """A documented operation that leaves out the client errors that apply to it: 400/422, 401, 404.

    ## Why is this bad?
    Client errors are part of the contract: a client generated from the document has no type for an
    undeclared error body, its authors never hear that an id can be unknown or a body refused, and the
    error path ends up handled by catching everything. Which errors apply follows from the operation:

    - `400` (or `422`) when it takes a request body, which a client can get wrong;
    - `401` when it requires authentication (it names a security scheme);
    - `404` when its path has a parameter, which can name nothing.

    `check` chooses among "400", "401" and "404". A `4XX` or `default` response covers them all. 403 and
    409 are not required: whether they can happen depends on the authorization model and the domain, which
    a document does not say. Code routes are not judged: their error responses are rarely declared.

    ## Example
    ```yaml
    paths:
      /orders/{id}:
        put:
          requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}
          responses: {"200": {description: The order}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{id}:
        put:
          requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}
          responses:
            "200": {description: The order}
            "404": {$ref: "#/components/responses/NotFound"}
            "422": {$ref: "#/components/responses/Invalid"}
    ```

    ## References
    - Redocly `operation-4xx-response` (asks for any 4xx); Zalando RESTful API guidelines (specify success and
      error responses).
    """
    for op in documented(model):
        declared = statuses(op)
        if declared & {"4XX", "DEFAULT"}:
            continue
        missing = [(status, why) for status, why in _applicable(op) if status in check and not declared & ALTERNATIVES[status]]
        if missing:
            codes = " and ".join(SHOWN[status] for status, _ in missing)
            yield Finding(
                op,
                f"{label(op)} declares " + " and ".join(f"no {SHOWN[status]} ({why})" for status, why in missing),
                fix=f"declare {codes} with the API's error schema (shared component responses keep each to one line)",
            )


def _applicable(op: Operation) -> list[tuple[str, str]]:
    found = []
    if op.request_body is not None:
        found.append(("400", "it takes a body a client can get wrong"))
    if op.security:
        found.append(("401", f"it requires {', '.join(op.security)}"))
    if "{" in op.path:
        found.append(("404", "its path parameters can name nothing"))
    return found
