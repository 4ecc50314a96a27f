from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import READS, short, subject
from .n_plus_one_fixes import at, eager_fix, loop_line, method, relation_fix, row_sources


@rule("PERF002", "n-plus-one-query", severity="warning")
def n_plus_one_query(model: SystemModel) -> Iterator[Finding]:
    """A query, or a lazily loaded relation, that runs once for every row of another query.

    ## Why is this bad?
    Iterating 500 orders and reading `order.customer` in the loop sends 501 queries: one for the orders and
    one per order for its customer. Each round trip costs a network hop and a parse, so a page that takes
    5 ms with 10 rows in development takes seconds with production data, and the database spends its
    connections on tiny identical queries. The loop is followed into the functions, model properties,
    DRF serializers (nested serializers, `source="a.b"`, SerializerMethodField) and Django admin columns it
    reaches. A relation loaded eagerly by the iterated queryset, a `lazy=` strategy that loads it with
    the rows, and a prefetched relation read through `.all()` are not flagged; the loop's own iterable
    runs once and is not flagged either.

    ## Example
    ```python
    def invoice_lines(request):
        return [f"{o.number}: {o.customer.name}" for o in Order.objects.filter(status="open")]
    ```

    Use instead:
    ```python
    def invoice_lines(request):
        orders = Order.objects.filter(status="open").select_related("customer")
        return [f"{o.number}: {o.customer.name}" for o in orders]
    ```
    Collections take `prefetch_related("items")` (Django) or `.options(selectinload(Order.items))`
    (SQLAlchemy); counts per row take `.annotate(Count("items"))`; a filtered collection per row takes
    `Prefetch("items", queryset=Item.objects.filter(...), to_attr="open_items")`.

    ## Known problems
    Rows are followed through calls whose target the reader resolves (functions, methods of `self`,
    model methods and properties) at most three calls deep. A loop over what an in-repo function or method
    returns (`rows = self.orders.list_open()`, `self.orders` set to `OrderRepository(...)`) iterates the rows
    of the query that function returns evaluated (`return session.scalars(q).all()`, `return list(qs)`), and
    the fix names that query; a returned unevaluated queryset or statement is not followed. A queryset
    built by an overridden `get_queryset` that loads relations in a helper is not followed (its view is
    skipped). Templates are not read: a relation first touched in a template is not seen.
    """
    for query in model.queries:
        if query.row_loop is None or not query.evaluated:
            continue
        rows = f"the {short(query.row_model)}" if query.row_model else "the"
        if query.kind == "lazy-load":
            relation = query.relation or "?"
            sources = row_sources(query, model.queries)
            line = loop_line(query, sources)
            if sources:  # the rows come back from a repository method: the eager load belongs on its query
                target = f"the query at {' and '.join(at(s) for s in sources)} in {method(query.via[0])}, whose rows are iterated at {loop_line(query, sources, plain=True)}"
            else:
                target = f"the query iterated at {line}"
            yield Finding(
                query,
                f"{short(query.model)}.{relation.rpartition('__')[2]} is loaded lazily once per row of {rows} rows iterated at {line}",
                fix=f"load it with the rows: add {eager_fix(query)} to {target}",
                related=(query.row_loop, *(s.location for s in sources)),
                key=f"{query.key}:{relation}",
            )
        elif query.kind in READS:
            if query.root == "relation" and query.relation:
                fix = relation_fix(query)
            else:
                fix = "fetch what every row needs with one query before the loop (filter(pk__in=...), in_bulk(), a join or a subquery annotation) and look rows up in a dict"
            owner = short(query.row_model) if query.row_model and "__" not in (query.relation or "") else "a row's"
            what = f"{owner}.{query.relation} is queried ({query.kind})" if query.root == "relation" and query.relation else f"a {subject(query)} {query.kind} query runs"
            yield Finding(
                query,
                f"{what} once per row of {rows} rows iterated at {loop_line(query)}",
                fix=fix,
                related=(query.row_loop,),
            )
