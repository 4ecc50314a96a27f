from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import AccessPath, access_paths, same_order, tables
from .fixes import drop_index


def covers(wider: AccessPath, path: AccessPath) -> bool:
    """Whether a B-tree index answers every query another answers: it starts with the other's columns (same
    collations, operator classes and order), has the same predicate, and holds every column the other includes."""
    n = len(path.columns)
    return (
        wider.element is not path.element
        and wider.method == path.method == "btree"
        and wider.where == path.where
        and wider.columns[:n] == path.columns
        and wider.collations[:n] == path.collations
        and wider.opclasses[:n] == path.opclasses
        and (n == 1 or same_order(wider.orderings[:n], path.orderings))
        and set(path.include) <= set(wider.columns[n:]) | set(wider.include)
        and (len(wider.columns) > n or set(path.include) < set(wider.include))
    )


@rule("DB004", "redundant-index", severity="warning")
def redundant_index(model: SystemModel) -> Iterator[Finding]:
    """An index whose columns are the leading columns of another index of the same table.

    ## Why is this bad?
    A B-tree on `(a, b)` answers every query an index on `(a)` answers: equality and ranges on `a`,
    ordering by `a`. The narrower index only costs: it is maintained on every write, takes disk and
    cache, and gives the planner one more choice to get wrong. Indexes are compared with their
    collation, operator class, sort order and predicate; a unique index is never redundant, since it
    enforces something, and neither is a primary key or unique constraint.

    ## Example
    ```sql
    CREATE TABLE order_line (order_id bigint NOT NULL, line_no int NOT NULL, PRIMARY KEY (order_id, line_no));
    CREATE INDEX order_line_order_id_idx ON order_line (order_id);
    ```

    Use instead:
    ```sql
    DROP INDEX CONCURRENTLY order_line_order_id_idx;  -- the primary key starts with order_id
    ```

    ## Known problems
    A much narrower index can still win for index-only scans of a very wide table; measure before
    dropping one whose wider twin is several times larger.

    ## References
    - PostgreSQL documentation, 11.3 Multicolumn Indexes.
    """
    for table in tables(model):
        if not table.managed:
            continue  # the ORM does not create this table: its real indexes are not in the model
        paths = access_paths(model, table)
        for path in paths:
            if path.table is not table or path.unique:
                continue
            wider = next((w for w in paths if covers(w, path)), None)
            if wider is not None:
                yield Finding(
                    path.element,
                    f"{path.label} on {table.qualified_name}({', '.join(path.columns)}) is covered by "
                    f"{wider.label}({', '.join(wider.columns)})",
                    fix=drop_index(table, path),
                    key=f"{table.key}/index:{path.name}",
                )
