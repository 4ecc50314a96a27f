from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import bare, steps


@rule("MIG010", "drop-table-still-referenced", severity="error")
def drop_table_still_referenced(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A migration drops a table that an ORM model or a query in the code still uses.

    ## Why is this bad?
    Every query of the model, and every query naming the table, fails with `relation "..." does not exist`
    once the migration has run, and the running release breaks before the next one is deployed. The code
    must stop using the table, and be deployed, first. A table that a later migration creates again is not
    reported; nor is a rollback (down) script.

    ## Example
    ```python
    class LegacyInvoice(models.Model):
        class Meta:
            db_table = "legacy_invoices"
    ```
    ```sql
    DROP TABLE legacy_invoices;
    ```

    Use instead: delete the model and the code that queries it, deploy, then drop the table in a later
    release.

    ## References
    - strong_migrations "Removing a table"; Squawk `ban-drop-table`, which flags every drop.
    """
    if not model.queries and not any(t.origin == "orm" for t in model.tables):
        return
    all_steps = steps(model, released_before, unreleased_paths)
    created = {}  # table → the last change that creates it (again)
    for index, step in enumerate(all_steps):
        change = step.change
        if change.kind == "create_table" and change.table:
            created[bare(change.table)] = index
        elif change.kind == "rename_table" and change.name:
            created[bare(change.name)] = index
    for index, step in enumerate(all_steps):
        change = step.change
        if change.kind != "drop_table" or step.migration.down or not change.table:
            continue
        table = bare(change.table)
        if created.get(table, -1) > index:
            continue
        users = [t.location for t in model.tables if t.origin == "orm" and bare(t.name) == table]
        users += [q.location for q in model.queries if q.table and bare(q.table) == table]
        if not users:
            continue
        models = sorted({t.model for t in model.tables if t.origin == "orm" and bare(t.name) == table and t.model})
        what = f"the model {', '.join(models)}" if models else "the code"
        yield Finding(
            change,
            f"table {change.table} is dropped but {what} still uses it ({len(users)} place(s), first {users[0].path}:{users[0].line})",
            fix=f"delete {what} and every query of {table}, deploy that, then drop the table in a later release",
            related=tuple(users),
            key=step.key,
        )
