from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import PAGE_POSITION, PAGE_SIZE, documented, label, lists_resources, query_names

# Query parameters that shape the answer without selecting from the collection.
SHAPING = frozenset({"fields", "expand", "include", "embed", "select", "format", "lang", "locale", "pretty"})
CURSORS = PAGE_POSITION - {"since"}  # `since` is a cursor in some APIs and a filter (updated since) in more


@rule("API017", "collection-without-filtering", severity="info")
def collection_without_filtering(model: SystemModel) -> Iterator[Finding]:
    """A paginated collection that clients can neither filter nor sort.

    ## Why is this bad?
    Without a filter, a client looking for the open orders of one customer pages through every order and
    filters on its side: many requests, most of the data thrown away, and load on the service that a
    `WHERE` would have avoided. Without a sort the order of pages is whatever the database returns, which
    can change between pages and makes "the newest ten" impossible to ask for.

    Reported for a documented list (see collection-without-pagination) that is paginated and takes no
    query parameter besides the page ones and a few that shape the answer (`fields`, `expand`).

    ## Example
    ```yaml
    paths:
      /orders:
        get:
          parameters: [{name: limit, in: query, schema: {type: integer, maximum: 100}}]
    ```

    Use instead:
    ```yaml
    paths:
      /orders:
        get:
          parameters:
            - {name: limit, in: query, schema: {type: integer, maximum: 100}}
            - {name: status, in: query, schema: {type: string, enum: [open, shipped]}}
            - {name: sort, in: query, schema: {type: string, enum: [created_at, -created_at]}}
    ```

    ## Known problems
    A small sub-collection (the labels of one issue) needs no filter; the rule cannot tell its size and is
    informational for that reason.

    ## References
    - Google AIP-132 (standard List methods: `filter`, `order_by`); Zalando RESTful API guidelines (conventional
      query parameters).
    """
    for op in documented(model):
        names = query_names(op)
        if lists_resources(op) and names & (PAGE_SIZE | PAGE_POSITION) and not names - PAGE_SIZE - CURSORS - SHAPING:
            yield Finding(
                op,
                f"{label(op)} pages through its collection but takes no filter or sort parameter",
                fix="add query parameters for the fields clients select by (status, owner, created_after…) "
                "and a sort parameter with an allowed set of fields",
            )
