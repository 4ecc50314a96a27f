from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import scoped, short, subject, tables_named

PAGINATORS = frozenset({"django.core.paginator.Paginator", "django.core.paginator.Paginator.page",
                        "django.core.paginator.Paginator.get_page"})


@rule("PERF010", "count-for-pagination", severity="info")
def count_for_pagination(model: SystemModel) -> Iterator[Finding]:
    """A request handler that counts every row to show page numbers, next to an OFFSET-paged query.

    ## Why is this bad?
    `COUNT(*)` reads every matching row (PostgreSQL keeps no row count), and `OFFSET 10000` reads and
    throws away ten thousand rows before the page it returns. Both grow with the table: on a table of
    millions the count alone takes seconds, on every page view. Django's `Paginator` and Flask-SQLAlchemy's
    `paginate()` run the same count.

    ## Example
    ```python
    def orders(request):
        page = int(request.GET.get("page", 1))
        total = Order.objects.count()
        rows = Order.objects.order_by("-id")[(page - 1) * 50 : page * 50]
        return render(request, "orders.html", {"rows": rows, "pages": total // 50 + 1})
    ```

    Use instead:
    ```python
    def orders(request):
        after = int(request.GET.get("after", 0))
        rows = Order.objects.filter(id__gt=after).order_by("id")[:50]  # keyset: an index seek per page
        return render(request, "orders.html", {"rows": rows, "next": rows[len(rows) - 1].id if rows else None})
    ```
    (or cap the count: an estimate from pg_class.reltuples, or "more than 1000").

    ## Known problems
    Table sizes are unknown: counting a table that stays small costs nothing. A count and a page of one
    parent's rows (`filter(customer_id=...)`) are not flagged, nor are queries whose conditions the reader
    cannot see; Django's `Paginator` and DRF's page-number pagination are not yet recognised.
    """
    paged: dict[tuple[str | None, str | None], bool] = {}
    for query in model.queries:
        if query.in_handler and query.offset:
            paged[(query.function, query.model or query.table)] = True
    for query in model.queries:
        if query.in_handler and query.kind == "count" and query.evaluated and paged.get((query.function, query.model or query.table)):
            if "?" in query.filters or scoped(query, tables_named(model, query)):
                continue  # counting one parent's rows (an event's items) is served by its key's index
            yield Finding(
                query,
                f"{short(query.function)} counts every {subject(query)} row with COUNT(*) to page through them with OFFSET",
                fix="use keyset pagination (WHERE id > :last ORDER BY id LIMIT :n) and drop the total, or show an estimate",
            )
