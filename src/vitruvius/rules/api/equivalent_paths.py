import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Operation, SystemModel
from .common import apis, by_path, label, path_location


@rule("API034", "equivalent-paths", severity="error")
def equivalent_paths(model: SystemModel) -> Iterator[Finding]:
    """Two paths that differ only in the names of their parameters: `/orders/{id}` and `/orders/{order_id}`.

    ## Why is this bad?
    A router sees the same template twice and sends every request to whichever it registered first, so
    one of the two never runs; OpenAPI calls such documents invalid, and code generators emit one of them
    or fail. It usually means one endpoint was added under a second spelling instead of extending the
    first. In a document any two such paths are reported; among code routes, those sharing a method.

    ## Example
    ```yaml
    paths:
      /orders/{id}: {get: {responses: {"200": {description: The order}}}}
      /orders/{order_id}: {delete: {responses: {"204": {description: Deleted}}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{order_id}:
        get: {responses: {"200": {description: The order}}}
        delete: {responses: {"204": {description: Deleted}}}
    ```

    ## References
    - The OpenAPI Specification, Paths Object (templated paths with the same hierarchy are identical and invalid); Spectral
      `path-params`; Redocly `no-identical-paths`.
    """
    for api in apis(model):
        first: dict[str, tuple[str, list[Operation]]] = {}
        for path, operations in by_path(api).items():
            shape = re.sub(r"\{[^}]*\}", "{}", path)
            if shape not in first:
                first[shape] = (path, operations)
                continue
            other, earlier = first[shape]
            shared = {o.method.upper() for o in earlier} & {o.method.upper() for o in operations}
            if operations[0].origin == "openapi" or shared:
                op = next((o for o in operations if o.method.upper() in shared), operations[0])
                yield Finding(
                    op,
                    f"{label(op)}: the path is the same template as {other}, with other parameter names",
                    fix=f"merge the operations of {path} into {other} (one spelling of the parameter)",
                    location=path_location(op),
                    related=(path_location(earlier[0]),),
                )
