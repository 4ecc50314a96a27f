from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Query, SystemModel, Table
from .common import scoped, subject, tables_named
from .indexes import column_of

WILDCARD = frozenset({"contains", "icontains", "endswith", "iendswith"})


def served(query: Query, tables: list[Table]) -> bool:
    """Another condition of the query is served by an index (`calendar_id IN (...)` next to `title ILIKE '%x%'`)."""
    for item in query.filters:
        field, _, lookup = item.partition("__")
        if lookup in ("", "in", "range", "gt", "gte", "lt", "lte") and any(t.has_index_starting_with((field,)) for t in tables):
            return True
    return False


def has_trigram_index(tables: list[Table], column: str) -> bool:
    return any(
        i.method in ("gin", "gist") and i.columns[:1] == (column,) and any(o and "trgm" in o for o in i.opclasses)
        for t in tables for i in t.indexes
    )


@rule("PERF009", "leading-wildcard-like", severity="info")
def leading_wildcard_like(model: SystemModel) -> Iterator[Finding]:
    """A filter that matches text with a leading wildcard (`LIKE '%x'`, `icontains`, `endswith`).

    ## Why is this bad?
    A B-tree index orders text from its first character, so it cannot find `'%gmail.com'`: the database
    reads every row and tests the pattern on each. Django's `contains`, `icontains`, `endswith` and
    `iendswith` lookups, SQLAlchemy's `contains()`/`like("%...")` and SQL `LIKE '%...'` all do this. A
    column with a trigram index (PostgreSQL `pg_trgm`, GIN or GiST) is not flagged.

    ## Example
    ```python
    Customer.objects.filter(email__icontains=term)
    ```

    Use instead:
    ```python
    # CREATE EXTENSION IF NOT EXISTS pg_trgm;
    # CREATE INDEX CONCURRENTLY customer_email_trgm ON shop_customer USING gin (email gin_trgm_ops);
    Customer.objects.filter(email__icontains=term)
    ```
    or search a prefix (`istartswith`, served by a `varchar_pattern_ops` index) or a full-text index.

    ## Known problems
    Fine on a table that stays small; tables whose indexes the repository does not declare are judged
    without them.
    """
    routes = any(op.origin == "code" for op in model.operations)
    for query in model.queries:
        if query.kind == "lazy-load" or query.root != "table" or (routes and not (query.in_handler or query.in_loop)):
            continue  # off the request path (where routes are known): an occasional scan costs little
        tables = tables_named(model, query)
        if scoped(query, tables) or served(query, tables) or (query.joins and query.orm == "sqlalchemy"):
            continue  # the rows are found by an index first (one parent's rows, an indexed column); the pattern filters those
        for item in query.filters:
            field, _, lookup = item.partition("__")
            if lookup not in WILDCARD:
                continue
            column = (column_of(tables[0], field) if tables else None) or field
            if has_trigram_index(tables, column):
                continue
            yield Finding(
                query,
                f"{subject(query)}.{field} is matched with a leading wildcard ({lookup}): no B-tree index serves it, every row is read",
                fix=f"add a trigram index: CREATE INDEX CONCURRENTLY ON {tables[0].qualified_name if tables else query.table or 'the_table'} USING gin ({column} gin_trgm_ops); or match a prefix",
                key=f"{query.key}:{field}",
            )
