from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import steps


@rule("MIG008", "rename-table", severity="warning")
def rename_table(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """An existing table renamed while the running code still uses the old name.

    ## Why is this bad?
    Every query of the application servers still running the previous release names the old table and
    fails with `relation "..." does not exist` until the rollout is complete. A table created in the same
    migration, or in an unreleased one, has no readers yet and is not reported.

    ## Example
    ```sql
    ALTER TABLE customers RENAME TO clients;
    ```

    Use instead: rename it and leave a view under the old name (a simple view is updatable), in one
    transaction; drop the view once no code uses the old name:
    ```sql
    BEGIN;
    ALTER TABLE customers RENAME TO clients;
    CREATE VIEW customers AS SELECT * FROM clients;
    COMMIT;
    ```

    ## References
    - Squawk `renaming-table`; strong_migrations "Renaming a table".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "rename_table" or step.new_table:
            continue
        old, new = change.table, change.name
        schema = f"{old.rpartition('.')[0]}." if old and "." in old else ""
        yield Finding(
            change,
            f"renaming table {old} to {new} breaks every running query that still uses {old}",
            fix=(
                f"in one transaction: ALTER TABLE {old} RENAME TO {new}; CREATE VIEW {old} AS SELECT * FROM {schema}{new}; "
                f"drop the view once no deployed code uses {old}"
            ),
            key=step.key,
        )
