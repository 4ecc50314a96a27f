from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import PAGE_POSITION, PAGE_SIZE, documented, label, lists_resources, place_key, query_names, squash


@rule("API016", "page-size-without-maximum", severity="warning")
def page_size_without_maximum(model: SystemModel) -> Iterator[Finding]:
    """A page-size parameter (`limit`, `per_page`, `page_size`…) whose schema sets no `maximum`.

    ## Why is this bad?
    Pagination protects the service only if a page is bounded: `?limit=1000000` turns a paginated list back
    into a full table scan, and whether the server clamps, rejects or obeys is invisible to clients. A
    declared `maximum` (and a `default`) makes the bound part of the contract, so clients can rely on it and
    the server can reject what exceeds it with a 400. A limit written only in the description ("max 100")
    is not enforced by any validator or generated client.

    A parameter shared by many operations (a component) is reported once, where it is declared, with
    the number of operations that use it.

    ## Example
    ```yaml
    components:
      parameters:
        limit: {name: limit, in: query, schema: {type: integer, default: 20}}
    ```

    Use instead:
    ```yaml
    components:
      parameters:
        limit: {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
    ```

    ## References
    - Google AIP-158 (`page_size`: a documented maximum, larger values coerced to it).
    """
    found: dict[str, list] = {}
    for op in documented(model):
        paging = lists_resources(op) or bool(query_names(op) & PAGE_POSITION)
        for parameter in op.parameters:
            schema = parameter.schema
            if not paging or parameter.where != "query" or squash(parameter.name) not in PAGE_SIZE or parameter.location is None:
                continue
            if schema is not None and schema.type in ("integer", "number") and schema.maximum is None and not schema.enum:
                found.setdefault(place_key(parameter.location), []).append((op, parameter))
    for uses in found.values():
        op, parameter = uses[0]
        others = f" (shared by {len(uses)} operations)" if len(uses) > 1 else ""
        yield Finding(
            parameter,
            f"{label(op)}: the page size '{parameter.name}' has no maximum{others}",
            fix=f"declare the bound the server enforces in the schema of '{parameter.name}': minimum: 1, maximum: 100 (say)",
            key=place_key(parameter.location),
        )
