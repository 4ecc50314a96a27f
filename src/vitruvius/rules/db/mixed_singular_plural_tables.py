from collections import Counter
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel, Table
from .common import PG_RESERVED, TOOL_TABLES, tables
from .fixes import ident, table_ref
from .naming import number, renamed


def _is_link_table(table: Table) -> bool:
    """A many-to-many table (`auth_user_groups`): frameworks name it after a field, often plural."""
    in_fk = {c for fk in table.foreign_keys for c in fk.columns}
    return len(table.foreign_keys) >= 2 and all(c.name in in_fk or c.primary_key for c in table.columns)


def _fix(table: Table, new: str) -> str:
    if table.model:
        return f"name the table of {table.model.rpartition('.')[2]} {new}"
    if new in PG_RESERVED:
        return f"rename it to a name in the usual number; {new} is a reserved word, so qualify it (e.g. {new}_entry)"
    return f"ALTER TABLE {table_ref(table)} RENAME TO {ident(new, table.dialect)};"


@rule("DB015", "mixed-singular-plural-tables", severity="info")
def mixed_singular_plural_tables(model: SystemModel, *, minimum: int = 5, share: float = 0.8) -> Iterator[Finding]:
    """A table named in the plural among singular table names, or the other way round.

    ## Why is this bad?
    Whether tables are called `order` or `orders` matters less than that they all follow one rule: with
    `customer`, `orders` and `invoice_lines` side by side, every join is a guess and every ORM mapping
    needs a look at the schema. Pick the convention most tables follow and rename the others.

    The convention is what at least `share` (80 %) of a schema's table names follow, given at least
    `minimum` (5) names whose last word clearly is singular or plural; words that do not say (`data`,
    `series`, `statistics`), link tables of many-to-many relations and tables of migration tools are
    left alone.

    ## Example
    ```sql
    CREATE TABLE customer (id bigint PRIMARY KEY);
    CREATE TABLE product (id bigint PRIMARY KEY);
    CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer (id));
    ```

    Use instead:
    ```sql
    CREATE TABLE customer_order (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer (id));
    ```
    (`order` is a reserved word, hence `customer_order`.)
    """
    schemas: dict[str | None, list[tuple[Table, str]]] = {}
    for table in tables(model):
        kind = number(table.name)
        if kind and not TOOL_TABLES.match(table.name) and not _is_link_table(table) and not table.partition_of:
            schemas.setdefault(table.schema, []).append((table, kind))
    for members in schemas.values():
        counts = Counter(kind for _, kind in members)
        usual, count = counts.most_common(1)[0]
        if len(members) < minimum or count < share * len(members):
            continue
        for table, kind in members:
            if kind != usual:
                yield Finding(
                    table,
                    f"table {table.qualified_name} is named in the {kind}, the other tables of its schema in the {usual}",
                    fix=_fix(table, renamed(table.name, usual)),
                )
