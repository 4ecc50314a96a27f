from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .code_contract import contract, describe


@rule("API102", "method-mismatch-with-openapi", severity="warning")
def method_mismatch_with_openapi(model: SystemModel) -> Iterator[Finding]:
    """A path that the code and the OpenAPI document both have, with a method only one of them has.

    ## Why is this bad?
    A client following the document sends a method the service answers with 405, or the service accepts a
    method nobody documented (often a write: `DELETE`, `PUT`), which escapes review and client generation.

    Each method of the path that is only in the code is reported at the route; each that is only in the
    document, at the document's operation.

    ## Example
    ```python
    @router.put("/orders/{order_id}")      # the document has only PATCH /orders/{order_id}
    def update_order(order_id: int, body: OrderUpdate): ...
    ```

    Use instead: make both say the same method (`@router.patch(...)`, or `put:` in the document).
    """
    found = contract(model)
    if not found.exists:
        return
    for shape, operations in found.code.items():
        documented = found.documented.get(shape, [])
        if not documented:
            continue
        code_methods = {o.method for o in operations}
        doc_methods = {o.method for o in documented}
        document = documented[0].document
        for operation in operations:
            if operation.method not in doc_methods:
                yield Finding(
                    operation,
                    f"{describe(operation)}: the code serves {operation.method}, but {document} has only {', '.join(sorted(doc_methods))} for this path",
                    fix=f"document {operation.method} {documented[0].path}, or change the route's method to the documented one",
                    key=f"drift:method:code:{operation.method} {shape}",
                )
        for operation in documented:
            if operation.method not in code_methods:
                yield Finding(
                    operation,
                    f"{operation.document} describes {operation.method} {operation.path},"
                    f" but the code serves only {', '.join(sorted(code_methods))} for this path",
                    fix=f"implement {operation.method} on the route, or remove it from the document",
                    key=f"drift:method:openapi:{operation.document}:{operation.method} {shape}",
                )
