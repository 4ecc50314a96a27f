from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import bare, steps


@rule("MIG009", "drop-column-still-referenced", severity="error")
def drop_column_still_referenced(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A migration drops a column that the ORM models or the queries in the code still use.

    ## Why is this bad?
    An ORM selects every column its model declares: once the column is gone, every load of that model fails
    with `column "..." does not exist`, not only the code that used the field. A query that filters or sorts
    on it fails the same way. The code must stop using the column, and be deployed, before the migration
    that drops it runs. A column that a later migration adds back is not reported; nor is a rollback
    (down) script.

    ## Example
    ```python
    class Customer(Base):
        __tablename__ = "customers"
        id = Column(BigInteger, primary_key=True)
        fax = Column(String)  # still declared
    ```
    ```sql
    ALTER TABLE customers DROP COLUMN fax;
    ```

    Use instead: remove `fax` from the model (Django: `SeparateDatabaseAndState`, or a first release
    without the field) and deploy; drop the column in a later release.

    ## References
    - strong_migrations "Removing a column" (`ignored_columns`); Squawk `ban-drop-column`, which flags every drop.
    """
    orm = {}
    for table in model.tables:
        if table.origin == "orm":
            orm.setdefault(bare(table.name), table)
    if not orm and not model.queries:
        return
    all_steps = steps(model, released_before, unreleased_paths)
    restored = {}  # (table, column) → the last change that adds it (back)
    for index, step in enumerate(all_steps):
        change = step.change
        if change.table and change.kind in ("add_column", "rename_column"):
            restored[(bare(change.table), change.column if change.kind == "add_column" else change.name)] = index
    for index, step in enumerate(all_steps):
        change = step.change
        if change.kind != "drop_column" or step.migration.down or not change.table:
            continue
        table, column = bare(change.table), change.column or ""
        if restored.get((table, column), -1) > index:
            continue
        related = []
        if (declared := orm.get(table)) and (col := declared.column(column)):
            related.append(col.location)
        related += [
            q.location for q in model.queries
            if q.table and bare(q.table) == table and column in {c.rpartition(".")[2] for c in (*q.filters, *q.order_by)}
        ]
        if not related:
            continue
        model_name = declared.model if declared and declared.model else f"the model of {table}"
        yield Finding(
            change,
            f"{change.table}.{column} is dropped but the code still uses it ({len(related)} place(s), first {related[0].path}:{related[0].line})",
            fix=f"remove {column} from {model_name} and every query that uses it, deploy that, then drop the column in a later release",
            related=tuple(related),
            key=step.key,
        )

