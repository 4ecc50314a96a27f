from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import ForeignKey, SystemModel
from .common import AccessPath, access_paths, related_table, tables
from .fixes import create_index, ident


def serves(path: AccessPath, fk: ForeignKey) -> bool:
    """Whether an index finds a foreign key's rows by equality on its columns: its leading columns are the
    key's (in any order), with their own collation, in a B-tree (or a hash index for one column), and it
    is not partial, unless its predicate only asks the key's columns to be NOT NULL, which `col = $1` implies."""
    n = len(fk.columns)
    if not (path.method == "btree" or (path.method == "hash" and n == 1)) or any(path.collations[:n]):
        return False
    if path.where is not None:
        conditions = set(path.where.split(" AND "))
        if not conditions <= {f"{name} IS NOT NULL" for c in fk.columns for name in (c, ident(c))}:
            return False
    return len(path.columns) >= n and sorted(path.columns[:n]) == sorted(fk.columns)


@rule("DB002", "foreign-key-without-index", severity="warning")
def foreign_key_without_index(model: SystemModel) -> Iterator[Finding]:
    """A foreign key whose columns no index starts with.

    ## Why is this bad?
    PostgreSQL indexes the referenced side of a foreign key (its primary or unique key) but not the
    referencing side. Every DELETE of a parent row, and every UPDATE of its key, must find the child rows
    that point at it: without an index on the child's foreign key columns that is a sequential scan of the
    child table, under a lock, once per parent row. Joins from parent to children, the most common join
    of a schema, pay the same scan.

    An index serves the key when its leading columns are the key's columns (in any order) in a B-tree with
    the columns' own collation, and it is not partial (a predicate asking only that those columns be NOT
    NULL is fine). A partition counts the indexes it inherits; the key is reported on the table that
    declares it, not on the copies PostgreSQL gives each partition. MySQL's InnoDB creates the index
    itself when none exists (the model has it); SQLite and PostgreSQL do not.

    ## Example
    ```sql
    CREATE TABLE order_line (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id bigint NOT NULL REFERENCES orders (id),
        sku text NOT NULL
    );
    ```

    Use instead:
    ```sql
    CREATE INDEX CONCURRENTLY order_line_order_id_idx ON order_line (order_id);
    ```

    ## Known problems
    A table that is only ever appended to, and whose parents are never deleted, does not need the index;
    suppress the finding there and say why.

    ## References
    - PostgreSQL documentation, 5.4.5 Foreign Keys ("declaring an index on the referencing columns").
    """
    for table in tables(model):
        if not table.managed:
            continue  # the ORM does not create this table: its real indexes are not in the model
        paths = access_paths(model, table)
        for fk in table.foreign_keys:
            if any(serves(path, fk) for path in paths):
                continue
            columns = ", ".join(fk.columns)
            referenced = related_table(model, table, fk.ref_table)
            yield Finding(
                fk,
                f"foreign key {table.qualified_name}({columns}) → {fk.ref_table} has no index starting with its columns: "
                f"each delete or key update in {fk.ref_table} scans {table.qualified_name}",
                fix=create_index(table, fk.columns),
                related=(referenced.location,) if referenced else (),
                key=f"{table.key}/fk:{','.join(fk.columns)}",
            )
