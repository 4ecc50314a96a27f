from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import apis, by_path, path_key, path_location


@rule("API038", "query-string-in-path", severity="error")
def query_string_in_path(model: SystemModel) -> Iterator[Finding]:
    """A path that contains a query string or a fragment: `/orders?status=open`.

    ## Why is this bad?
    Paths are matched without their query: `/orders?status=open` and `/orders` are one path to every
    router, gateway and client generator, so the operation collides with (or silently replaces) the plain
    one, and the query is fixed instead of being a parameter clients can vary. Filters are query
    parameters of the collection.

    ## Example
    ```yaml
    paths:
      /orders?status=open: {get: {responses: {"200": {description: Open orders}}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders:
        get:
          parameters: [{name: status, in: query, schema: {type: string, enum: [open, shipped]}}]
          responses: {"200": {description: The orders}}
    ```

    ## References
    - The OpenAPI Specification, Paths Object (query strings are not part of paths); Spectral `path-not-include-query`;
      Redocly `path-not-include-query`.
    """
    for api in apis(model):
        for path, operations in by_path(api).items():
            if "?" in path or "#" in path:
                op, base = operations[0], path.split("?")[0].split("#")[0]
                yield Finding(
                    op,
                    f"{op.method} {path}: the path contains a {'query string' if '?' in path else 'fragment'}",
                    fix=f"declare the path as {base} and each query item as an in: query parameter",
                    location=path_location(op),
                    key=path_key(op, path),
                )
