from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Operation, SystemModel
from .common import documented, label, suggested_operation_id


@rule("API029", "duplicate-operation-id", severity="error")
def duplicate_operation_id(model: SystemModel) -> Iterator[Finding]:
    """Two operations of one document with the same `operationId`.

    ## Why is this bad?
    OpenAPI requires operationIds to be unique, because tools use them as keys: a code generator emits two
    methods of one name (a compile error, or one silently overwriting the other), links and gateways route
    to whichever they meet first, and documentation anchors collide. Every operation of the group is
    reported, pointing at the others.

    ## Example
    ```yaml
    paths:
      /orders: {get: {operationId: listOrders, responses: {"200": {description: OK}}}}
      /customers/{id}/orders: {get: {operationId: listOrders, responses: {"200": {description: OK}}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders: {get: {operationId: listOrders, responses: {"200": {description: OK}}}}
      /customers/{id}/orders: {get: {operationId: listCustomerOrders, responses: {"200": {description: OK}}}}
    ```

    ## References
    - The OpenAPI Specification, Operation Object (operationId: unique among all operations).
    - Spectral `operation-operationId-unique`; Redocly `operation-operationId-unique`.
    """
    sharing: dict[tuple[str | None, str], list[Operation]] = {}
    for op in documented(model):
        if op.operation_id:
            sharing.setdefault((op.document, op.operation_id), []).append(op)
    for (_, name), operations in sharing.items():
        for op in operations if len(operations) > 1 else ():
            others = [o for o in operations if o is not op]
            yield Finding(
                op,
                f"{label(op)} shares the operationId '{name}' with {', '.join(label(o) for o in others)}",
                fix=f"give each its own operationId (unique in the document), e.g. '{suggested_operation_id(op)}' here",
                related=tuple(o.location for o in others),
            )
