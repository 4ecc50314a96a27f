from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import steps


@rule("MIG007", "rename-column", severity="warning")
def rename_column(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A column of an existing table renamed while the running code still uses the old name.

    ## Why is this bad?
    The rename is instant, but the application servers that are running while the migration runs (and until
    every one is redeployed) still read and write the old name: their queries fail with `column "..." does
    not exist` until the rollout finishes, and a rollback of the code breaks again. A column added in the same
    migration, or in an unreleased one, has no readers yet and is not reported.

    ## Example
    ```sql
    ALTER TABLE users RENAME COLUMN mail TO email;
    ```

    Use instead: expand, migrate, contract:
    ```sql
    ALTER TABLE users ADD COLUMN email text;
    -- deploy code writing both; backfill email in batches; deploy code reading email
    ALTER TABLE users DROP COLUMN mail;  -- in a later release
    ```

    ## References
    - Squawk `renaming-column`; strong_migrations "Renaming a column".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "rename_column" or step.new_column:
            continue
        table, old, new = change.table, change.column, change.name
        yield Finding(
            change,
            f"renaming {table}.{old} to {new} breaks every running query that still uses {old}",
            fix=(
                f"ALTER TABLE {table} ADD COLUMN {new} <type of {old}>; deploy code that writes both and backfill {new} in "
                f"batches; deploy code that reads {new}; then, in a later release, ALTER TABLE {table} DROP COLUMN {old};"
            ),
            key=step.key,
        )
