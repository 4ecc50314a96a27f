from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Query, SystemModel
from .common import short, subject


def level(query: Query, classes: set[str]) -> str | None:
    """`function` for a query in a function handler, `method` in a method of a class-based view, `class` in its
    `queryset` attribute, None for a query in a helper the handler calls."""
    handler, function = query.handler or "", query.function or ""
    owner = handler.rpartition(".")[0]
    if owner in classes and function.rpartition(".")[0] == owner:
        return "method"
    if function == handler:
        return "function"
    return "class" if function == owner and owner in classes else None


@rule("PERF004", "unbounded-query-in-handler", severity="info")
def unbounded_query_in_handler(model: SystemModel) -> Iterator[Finding]:
    """A request handler that returns every row of a table, with no filter, limit or pagination.

    ## Why is this bad?
    `return Order.objects.all()` is fast on the developer's ten rows and answers with the whole table in
    production: the database reads it all, the application server holds every row in memory to
    serialize it, and the client waits for a response that grows without bound. One such endpoint
    called by a crawler can exhaust memory. A list view whose route the API reader knows to be
    paginated (DRF `pagination_class` or `DEFAULT_PAGINATION_CLASS`) is not flagged.

    ## Example
    ```python
    @app.get("/orders")
    def list_orders(db: Session = Depends(get_db)):
        return db.query(Order).all()
    ```

    Use instead:
    ```python
    @app.get("/orders")
    def list_orders(db: Session = Depends(get_db), limit: int = Query(50, le=200), after_id: int = 0):
        return db.query(Order).filter(Order.id > after_id).order_by(Order.id).limit(limit).all()
    ```

    ## Known problems
    Table sizes are unknown: a lookup table that stays small (countries, currencies) can be returned
    whole. Only queries in the handler itself are judged, not those in helpers it calls; Django list
    views rendered through templates are judged only when the queryset reaches the returned context.
    """
    paginated = {op.handler: op.paginated for op in model.operations if op.origin == "code" and op.handler}
    classes = {c.qualname for m in model.modules for c in m.classes}
    unpaginated = {handler.rpartition(".")[0] for handler, value in paginated.items() if value is False}
    for query in model.queries:
        if not (query.in_handler and query.returned and query.kind == "select" and query.root == "table"):
            continue
        if query.filters or query.limited or query.offset or query.custom or (query.raw_sql and query.table is None):
            continue
        found = level(query, classes)
        if found is None or paginated.get(query.handler) is True:
            continue
        view = query.function if found == "class" else (query.function or "").rpartition(".")[0]
        if found != "function" and view not in unpaginated:
            continue  # a class-based view pages through settings and mixins: unbounded only where its route says so
        yield Finding(
            query,
            f"{short(query.handler)} returns every {subject(query)} row, with no filter, limit or pagination",
            fix="paginate the response: a page size with keyset pagination (WHERE id > :after ORDER BY id LIMIT :n), "
            "a DRF pagination_class, or an explicit limit the client cannot raise past a maximum",
        )
