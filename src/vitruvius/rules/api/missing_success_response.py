from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import documented, label


@rule("API033", "missing-success-response", severity="warning")
def missing_success_response(model: SystemModel) -> Iterator[Finding]:
    """A documented operation that declares no success (2xx) or redirect (3xx) response.

    ## Why is this bad?
    The document then says only how the operation fails. Generated clients have no return type, mock
    servers have nothing to answer, and readers cannot tell what a successful call returns: 200 with the
    order, 201 with a Location, or 204. A `default` response does not say which status success uses.

    ## Example
    ```yaml
    paths:
      /orders:
        post:
          responses:
            "422": {description: Invalid order}
    ```

    Use instead:
    ```yaml
    paths:
      /orders:
        post:
          responses:
            "201": {description: The order}
            "422": {description: Invalid order}
    ```

    ## References
    - Spectral `operation-success-response`; Redocly `operation-2xx-response`.
    """
    for op in documented(model):
        if not any(r.status[:1] in "23" for r in op.responses):
            declared = ", ".join(r.status for r in op.responses) or "none"
            yield Finding(
                op,
                f"{label(op)} declares no success response (declared: {declared})",
                fix="declare the status a successful call answers (200, 201 with Location, 202 or 204) and its content",
            )
