from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .code_contract import contract, describe, document_names


@rule("API100", "route-missing-from-openapi", severity="warning")
def route_missing_from_openapi(model: SystemModel) -> Iterator[Finding]:
    """A route the code serves that the repository's OpenAPI document does not describe.

    ## Why is this bad?
    The OpenAPI document is the contract clients, SDK generators, gateways and reviewers rely on. A route
    missing from it is invisible to them: nobody generates a client for it, the gateway may block it, and a
    security review of the document misses it. Usually the document was not updated when the route was added.

    Reported only when the repository has both code routes and an OpenAPI document that describes them (at
    least one path in common); paths are compared modulo parameter names, trailing slashes and base paths.
    Routes hidden from documentation (`include_in_schema=False`) are left out. When the code serves a path
    the document has with other methods, API102 reports it instead.

    ## Example
    ```python
    @router.get("/orders/{order_id}/invoice")   # not in openapi.yaml
    def get_invoice(order_id: int): ...
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{order_id}/invoice:
        get: {operationId: getInvoice, responses: {"200": {description: The invoice.}}}
    ```
    Or remove the route if it should not exist, or mark it `include_in_schema=False` if it is internal.

    ## Known problems
    A route registered in a way the reader cannot follow (paths built at run time, routers mounted through
    data) is not in the model, so it is neither reported nor matched.
    """
    found = contract(model)
    if not found.exists:
        return
    names = document_names(found)
    for shape, operations in found.code.items():
        if shape in found.documented:
            continue
        for operation in operations:
            yield Finding(
                operation,
                f"{describe(operation)} is served by the code but not described in {names}",
                fix=f"add `{operation.path}` ({operation.method.lower()}) to {names}, or hide the route from the schema if it is internal",
                key=f"drift:code:{operation.method} {shape}",
            )
