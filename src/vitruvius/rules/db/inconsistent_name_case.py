from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Column, SystemModel, Table
from .common import TOOL_TABLES, own_columns, tables
from .fixes import ident, table_ref
from .naming import STYLE_NAMES, convention, restyle, styles


def _rename_table(table: Table, style: str) -> str:
    new = restyle(table.name, style)
    if table.model:
        return f"name the table of {table.model.rpartition('.')[2]} {new}"
    return f"ALTER TABLE {table_ref(table)} RENAME TO {ident(new, table.dialect)};"


def _rename_columns(table: Table, columns: list[Column], style: str) -> str:
    if table.model:
        return "rename " + ", ".join(f"{c.name} → {restyle(c.name, style)}" for c in columns)
    ref, dialect = table_ref(table), table.dialect
    return " ".join(
        f"ALTER TABLE {ref} RENAME COLUMN {ident(c.name, dialect)} TO {ident(restyle(c.name, style), dialect)};" for c in columns
    )


@rule("DB014", "inconsistent-name-case", severity="info")
def inconsistent_name_case(model: SystemModel, *, minimum: int = 5, share: float = 0.8) -> Iterator[Finding]:
    """A table or column named in a different case style than the rest of its schema.

    ## Why is this bad?
    PostgreSQL folds unquoted names to lower case, so a `CustomerOrder` table exists only as
    `"CustomerOrder"`, quoted, in every query forever; a schema that mixes `customer_order`,
    `OrderItem` and `paymentMethod` makes every name a lookup. One convention (snake_case is the
    PostgreSQL and MySQL norm) lets people and tools guess names right.

    The convention is what at least `share` (80 %) of the schema's table names, or of its column names,
    follow, given at least `minimum` (5) names; tables of migration tools (`__EFMigrationsHistory`) are
    left alone. Each odd table is reported, and each table once for its odd columns.

    ## Example
    ```sql
    CREATE TABLE customer (id bigint PRIMARY KEY, full_name text NOT NULL);
    CREATE TABLE "OrderItem" (id bigint PRIMARY KEY, "orderId" bigint NOT NULL);
    ```

    Use instead:
    ```sql
    CREATE TABLE customer (id bigint PRIMARY KEY, full_name text NOT NULL);
    CREATE TABLE order_item (id bigint PRIMARY KEY, order_id bigint NOT NULL);
    ```
    """
    schemas: dict[str | None, list[Table]] = {}
    for table in tables(model):
        if not TOOL_TABLES.match(table.name):
            schemas.setdefault(table.schema, []).append(table)
    for members in schemas.values():
        table_style = convention([t.name for t in members], minimum=minimum, share=share)
        column_names = [c.name for t in members for c in own_columns(model, t)]
        column_style = convention(column_names, minimum=minimum, share=share)
        for table in members:
            if table_style and table_style not in styles(table.name):
                yield Finding(
                    table,
                    f"table {table.qualified_name} is not {STYLE_NAMES[table_style]} like the other tables of its schema",
                    fix=_rename_table(table, table_style),
                )
            odd = [c for c in own_columns(model, table) if column_style and column_style not in styles(c.name)]
            if odd and column_style:
                yield Finding(
                    odd[0],
                    f"{table.qualified_name} has columns that are not {STYLE_NAMES[column_style]} like the rest of the "
                    f"schema: {', '.join(c.name for c in odd)}",
                    fix=_rename_columns(table, odd, column_style),
                    key=f"{table.key}/column-case",
                )
