from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .code_contract import contract


@rule("API101", "openapi-operation-without-route", severity="warning")
def openapi_operation_without_route(model: SystemModel) -> Iterator[Finding]:
    """An operation of the OpenAPI document that no route in the code serves.

    ## Why is this bad?
    Clients generated from the document call an endpoint that answers 404: the document promises what the
    service does not do. Usually a route was renamed or removed and the document kept the old path.

    Reported only when the repository has code routes and the document describes them (at least one path in
    common); paths are compared modulo parameter names, trailing slashes and base paths. When the code serves
    the path with other methods, API102 reports it instead.

    ## Example
    ```yaml
    paths:
      /orders/{id}/refund:          # no route in the code
        post: {responses: {"202": {description: Accepted.}}}
    ```

    Use instead: implement the route, or remove the operation from the document.

    ## Known problems
    Routes the reader cannot follow (paths built at run time, routers mounted through data, a proxy in front
    of the service that serves some paths itself) make their documented operations look unserved.
    """
    found = contract(model)
    if not found.exists:
        return
    for shape, operations in found.documented.items():
        if shape in found.code:
            continue
        for operation in operations:
            yield Finding(
                operation,
                f"{operation.document} describes {operation.method} {operation.path}, but no route in the code serves it",
                fix="implement the route, or remove the operation from the document if it is gone",
                key=f"drift:openapi:{operation.document}:{operation.method} {shape}",
            )
