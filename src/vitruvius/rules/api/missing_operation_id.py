from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import documented, label, suggested_operation_id


@rule("API028", "missing-operation-id", severity="warning")
def missing_operation_id(model: SystemModel) -> Iterator[Finding]:
    """A documented operation without an `operationId`.

    ## Why is this bad?
    The operationId is the operation's stable name: generated SDKs turn it into the method name, API
    consoles and gateways link to it, and links and changelogs refer to it. Without one every generator
    invents a name from the method and path (`getOrdersOrderIdItems`), which changes whenever the path does
    and breaks every client that called it.

    ## Example
    ```yaml
    paths:
      /orders/{id}:
        get: {responses: {"200": {description: The order}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{id}:
        get: {operationId: getOrder, responses: {"200": {description: The order}}}
    ```

    ## References
    - Spectral `operation-operationId`; Redocly `operation-operationId`.
    """
    for op in documented(model):
        if not op.operation_id:
            fix = f"name it: operationId: {suggested_operation_id(op)} (unique in the document, stable across releases)"
            yield Finding(op, f"{label(op)} has no operationId", fix=fix)
