from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import READS, short, subject, tables_named
from .indexes import candidates, leads_an_index


@rule("PERF003", "query-without-index", severity="warning")
def query_without_index(model: SystemModel) -> Iterator[Finding]:
    """A query that filters (or sorts) a whole table on columns no index starts with.

    ## Why is this bad?
    Without an index led by a filtered column, the database reads every row of the table to answer
    `Order.objects.filter(code=...)`: a sequential scan whose cost grows with the table, on every call.
    Queries are judged against the indexes, primary keys and unique constraints of their table as the ORM
    models, migrations and SQL of the repository declare them. A query through a row's relation
    (`order.items.filter(...)`) is served by the foreign key's index and is not judged; a query that
    filters on any indexed column is not flagged, nor are columns with few distinct values (booleans, and
    by their name states, statuses, types, providers). Without filters, a limited
    query sorted on unindexed columns (`order_by("-created")[:10]`) sorts the whole table.

    ## Example
    ```python
    class Order(models.Model):
        code = models.CharField(max_length=16)

    def find(code):
        return Order.objects.get(code=code)
    ```

    Use instead:
    ```python
    class Order(models.Model):
        code = models.CharField(max_length=16, db_index=True)
    ```
    or `CREATE INDEX CONCURRENTLY order_code_idx ON shop_order (code);` in a migration.

    ## Known problems
    Table sizes are unknown: a table that stays small (a few hundred settings rows) needs no index.
    Filters added by custom manager or queryset methods are not seen. Lookups by `name` are not judged: a
    name identifies rows of a small reference table (groups, add-ons) far more often than of a large one. Where the API reader finds routes,
    only queries on the request path (reached from a handler) or inside a loop are judged: a full scan in
    a nightly cleanup task costs little, and such queries are left alone.
    """
    # `CREATE INDEX` that the application runs itself (a vector store creating its own tables, say).
    created = frozenset((q.table, q.columns[0]) for q in model.queries if q.kind == "create-index" and q.table and q.columns)
    routes = any(op.origin == "code" for op in model.operations)
    for query in model.queries:
        if query.root != "table" or query.kind not in READS | {"update", "delete"}:
            continue
        if query.joins and query.orm == "sqlalchemy":
            continue  # joined from another table: the planner can enter this one through the join key's index
        if routes and not (query.in_handler or query.in_loop):
            continue  # off the request path (a nightly cleanup): an occasional full scan costs little
        tables = tables_named(model, query)
        if not tables or not all(t.columns_complete for t in tables if t.origin == "orm"):
            continue
        table = tables[0]
        columns = candidates(query, table, tables, created)
        if not columns or any(leads_an_index(tables, c, created) for c in columns):
            continue
        column = columns[0]
        if query.orm == "django" and query.model and table.origin == "orm":
            field = column.removesuffix("_id") if table.column(column) and column.endswith("_id") else column
            fix = f"declare the index on {short(query.model)}: {field} = models.<Field>(..., db_index=True), or Meta.indexes = [models.Index(fields=[\"{field}\"])]"
        else:
            fix = f"CREATE INDEX CONCURRENTLY {table.name}_{column}_idx ON {table.qualified_name} ({column});"
        verb = "filters" if query.filters else "sorts"
        yield Finding(
            query,
            f"a {subject(query)} query {verb} {table.qualified_name} on {', '.join(columns)}, which no index starts with: every row is read",
            fix=fix,
            related=(table.location,),
            key=f"{query.key}:{column}",
        )
