from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Column, SystemModel, Table
from .common import AccessPath, access_paths, mentions, own_columns, tables
from .fixes import create_index, drop_index, ident, is_mysql

SOFT_DELETE = frozenset({"deleted_at", "deleted_on", "deleted_date", "deletion_date", "is_deleted", "deleted", "removed_at"})


def live_rows(table: Table, column: Column) -> str:
    """The predicate of the rows that are not deleted."""
    name = ident(column.name, table.dialect)
    return f"NOT {name}" if column.type == "boolean" else f"{name} IS NULL"


def _fix(table: Table, paths: list[AccessPath], column: Column) -> str:
    """Make the table's first unique key, else its first index, partial; index its primary key when it has neither."""
    chosen = next((p for p in paths if p.table is table and p.where is None and p.method == "btree"
                   and getattr(p.element, "kind", None) != "primary"), None)
    columns = chosen.columns if chosen else table.primary_key or (table.columns[0].name,)
    unique = bool(chosen and chosen.unique)
    fix = create_index(table, columns, where=live_rows(table, column), unique=unique, suffix="live_key" if unique else "live_idx")
    return f"{fix} then {drop_index(table, chosen)}" if chosen and not table.model else fix


@rule("DB021", "soft-delete-without-partial-index", severity="info")
def soft_delete_without_partial_index(model: SystemModel) -> Iterator[Finding]:
    """A soft-delete column (`deleted_at`, `is_deleted`) that no partial index leaves out.

    ## Why is this bad?
    With soft deletion nearly every query adds `WHERE deleted_at IS NULL`. Indexes that include the
    deleted rows grow with the history and make those queries read past dead entries, and a plain UNIQUE
    constraint counts deleted rows too, so a user who deleted their account cannot sign up again with the
    same email. Partial indexes `WHERE deleted_at IS NULL` index only the live rows and make uniqueness
    apply to them alone.

    ## Example
    ```sql
    CREATE TABLE customer (
        id bigint PRIMARY KEY,
        email text NOT NULL UNIQUE,
        deleted_at timestamptz
    );
    ```

    Use instead:
    ```sql
    CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL, deleted_at timestamptz);
    CREATE UNIQUE INDEX customer_email_live_key ON customer (email) WHERE deleted_at IS NULL;
    ```

    ## Known problems
    A table whose deleted rows are few (purged soon after) does not need the index.
    """
    for table in tables(model):
        if not table.managed:
            continue  # the ORM does not create this table: its real indexes are not in the model
        if is_mysql(table):
            continue  # MySQL has no partial indexes
        paths = access_paths(model, table)
        for column in own_columns(model, table):
            timestamp = column.type.startswith(("timestamp", "date")) and column.nullable
            if column.name.lower() not in SOFT_DELETE or not (column.type == "boolean" or timestamp):
                continue
            if any(mentions(path.where, column.name) for path in paths):
                continue
            yield Finding(
                column,
                f"{table.qualified_name}.{column.name} marks deleted rows, but no partial index leaves them out",
                fix=_fix(table, paths, column),
                key=f"{table.key}/column:{column.name}",
            )
