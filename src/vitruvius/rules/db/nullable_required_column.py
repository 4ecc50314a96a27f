import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Column, SystemModel, Table
from .common import own_columns, tables
from .fixes import ident, is_mysql, is_sqlite, model_field, modify_column, orm_choice, rebuild, table_ref

# A constant default: a boolean, a number or a string literal (with a cast). Defaults computed at insert time
# (now(), nextval()) are not taken as a sign: a column added later often leaves NULL for the rows it predates.
CONSTANT = re.compile(r"^\(?(true|false|-?\d+(\.\d+)?|'(?:[^']|'')*')\)?(::[\w \[\]]+)?$", re.IGNORECASE)


def _fix(table: Table, column: Column) -> str:
    if table.model:
        return f"declare {model_field(table, column.name)} with {orm_choice(table, 'nullable=False', 'null=False')}"
    name, ref = ident(column.name, table.dialect), table_ref(table)
    backfill = f"UPDATE {ref} SET {name} = {column.default} WHERE {name} IS NULL;"
    if is_sqlite(table):
        return f"{backfill} then " + rebuild(table, f"{column.name} NOT NULL")
    if is_mysql(table):
        return f"{backfill} {modify_column(table, column, column.type, not_null=True)}"
    return f"{backfill} ALTER TABLE {ref} ALTER COLUMN {name} SET NOT NULL;"


@rule("DB008", "nullable-required-column", severity="info")
def nullable_required_column(model: SystemModel) -> Iterator[Finding]:
    """A column that every row is meant to have but that allows NULL.

    ## Why is this bad?
    A column with a constant default is meant to have a value in every row; allowing NULL lets an
    explicit `NULL` (an ORM that sends every attribute, a bulk import) in anyway, and then every reader
    must handle a case that should not exist: a boolean with a default becomes three-valued and
    `WHERE NOT archived` skips the NULL rows, a `count DEFAULT 0` makes `count + 1` NULL. Say NOT NULL.

    Only a constant default (a boolean, a number, a string) is taken as the sign: a default computed at
    insert time (`now()`) is not, since a column added to an existing table often keeps NULL for the rows
    it predates, on purpose.

    ## Example
    ```sql
    CREATE TABLE subscription (id bigint PRIMARY KEY, active boolean DEFAULT true);
    ```

    Use instead:
    ```sql
    CREATE TABLE subscription (id bigint PRIMARY KEY, active boolean NOT NULL DEFAULT true);
    ```
    On a large existing table, `ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID`, then `VALIDATE
    CONSTRAINT`, then `SET NOT NULL` avoids holding the exclusive lock during the scan (PostgreSQL 12+).

    ## References
    - PostgreSQL wiki, Don't Do This; SQLAlchemy's `Column(nullable=...)` defaults to True.
    """
    for table in tables(model):
        for column in own_columns(model, table):
            if not column.nullable or column.primary_key or column.identity:
                continue
            if column.default is not None and CONSTANT.match(column.default):
                yield Finding(
                    column,
                    f"{table.qualified_name}.{column.name} allows NULL, yet its default ({column.default}) gives every row "
                    "a value",
                    fix=_fix(table, column),
                    key=f"{table.key}/column:{column.name}",
                )
