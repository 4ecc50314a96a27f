from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import AccessPath, access_paths_of, same_order, tables
from .fixes import drop_index

# Which of two equal access paths to keep: the primary key, then a unique constraint, a unique index, the first declared.
_RANK = {"primary": 0, "unique": 1}


def signature(path: AccessPath) -> tuple:
    """What makes two indexes answer the same queries: method, key columns or expressions with their collation
    and operator class, the predicate and the included columns (sort order is compared separately)."""
    return (path.method, path.columns, path.collations, path.opclasses, path.where, frozenset(path.include))


def _keep_order(path: AccessPath) -> tuple:
    kind = getattr(path.element, "kind", None)
    return (_RANK.get(kind or "", 2 if path.unique else 3), path.element.location.path, path.element.location.line)


@rule("DB003", "duplicate-index", severity="warning")
def duplicate_index(model: SystemModel) -> Iterator[Finding]:
    """An index that repeats another index of the same table.

    ## Why is this bad?
    Two indexes on the same columns answer the same queries, so one of them only costs: every INSERT,
    UPDATE and DELETE maintains both, they take twice the disk and cache, and VACUUM and backups read
    both. Indexes are compared as PostgreSQL uses them: method, columns or expressions, collation,
    operator class, sort order (an index read backwards serves the reverse order) and predicate. A primary
    key or unique constraint is an index too. The one kept is the constraint, else the unique one, else
    the first declared.

    ## Example
    ```sql
    CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL);
    CREATE UNIQUE INDEX customer_email_key ON customer (email);
    CREATE INDEX customer_email_idx ON customer (email);
    ```

    Use instead:
    ```sql
    DROP INDEX CONCURRENTLY customer_email_idx;
    ```

    ## Known problems
    A unique index with NULLS NOT DISTINCT and one without are not told apart. A partition's index is not
    compared with its parent's: PostgreSQL attaches a matching index that exists when the parent's is
    created, so whether the two are one index depends on the order they were created in.

    ## References
    - PostgreSQL documentation, 11.2 Index Types; 11.9 Operator Classes and Operator Families.
    """
    for table in tables(model):
        if not table.managed:
            continue  # the ORM does not create this table: its real indexes are not in the model
        groups: dict[tuple, list[AccessPath]] = {}
        for path in access_paths_of(table):
            groups.setdefault(signature(path), []).append(path)
        for group in groups.values():
            kept: list[AccessPath] = []
            for path in sorted(group, key=_keep_order):
                twin = next((k for k in kept if same_order(k.orderings, path.orderings)), None)
                if twin is None:
                    kept.append(path)
                else:
                    yield Finding(
                        path.element,
                        f"{path.label} on {table.qualified_name}({', '.join(path.columns)}) duplicates {twin.label}",
                        fix=drop_index(table, path),
                        key=f"{table.key}/index:{path.name}",
                    )
