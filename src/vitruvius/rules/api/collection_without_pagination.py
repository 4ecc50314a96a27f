from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Operation, SystemModel
from .common import api_operations, PAGE_POSITION, PAGE_SIZE, label, lists_resources, query_names


@rule("API015", "collection-without-pagination", severity="warning")
def collection_without_pagination(model: SystemModel) -> Iterator[Finding]:
    """A GET that lists a collection of resources with no way to ask for one page of it.

    ## Why is this bad?
    A collection grows with the business: the response that carries 50 orders in the demo carries 500,000
    in year three, and then every call loads, serializes and sends all of them, times out at the gateway,
    and cannot be fixed without breaking clients that expect everything in one answer. Pagination is cheap
    to add on day one and expensive afterwards.

    A documented GET counts as a list when its 200 response is an array of objects, or an envelope with
    one such array (`items`, `data`, `results`, or beside a `total_count`); it is paginated when it takes
    a page-size or position parameter (`limit`, `per_page`, `page_size`, `offset`, `page`, `cursor`,
    `after`, `page_token`…) or its array declares `maxItems`. A code route is judged only when its reader
    knows that the list is not paginated (DRF without a pagination class).

    ## Example
    ```yaml
    paths:
      /orders:
        get:
          responses:
            "200":
              description: The orders
              content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Order"}}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders:
        get:
          parameters:
            - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
            - {name: cursor, in: query, schema: {type: string, maxLength: 200}}
    ```

    ## Known problems
    A list that is small by nature (the 52 weeks of a yearly statistic, the platforms a runner supports) is
    reported all the same; declare its `maxItems`, which also documents the bound.

    ## References
    - Google AIP-158 (pagination); Zalando RESTful API guidelines (support pagination, prefer cursors); Microsoft
      REST API guidelines (server-driven paging).
    """
    for op in api_operations(model):
        if op.origin == "code":
            if op.paginated is False:
                yield _finding(op)
        elif lists_resources(op) and not (query_names(op) & (PAGE_SIZE | PAGE_POSITION)) and not _bounded(op):
            yield _finding(op)


def _bounded(op: Operation) -> bool:
    schema = op.response("200").schema
    arrays = [schema] if schema.type == "array" else [p for _, p in schema.properties if p.type == "array"]
    return any(a.max_items is not None for a in arrays)


def _finding(op: Operation) -> Finding:
    return Finding(
        op,
        f"{label(op)} returns a whole collection: no page size or position parameter",
        fix="add a bounded page size (limit, maximum 100) and a cursor (or offset) parameter; return the next page's cursor or link",
    )
