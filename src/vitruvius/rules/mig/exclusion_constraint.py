from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import steps


@rule("MIG019", "exclusion-constraint-on-existing-table", severity="error")
def exclusion_constraint_on_existing_table(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """An EXCLUDE constraint added to an existing table.

    ## Why is this bad?
    An exclusion constraint builds its index and checks every row inside the `ALTER TABLE`, under an ACCESS
    EXCLUSIVE lock: no reads, no writes until it is done. Unlike UNIQUE it cannot be added `NOT VALID` nor
    from an index built concurrently: PostgreSQL has no online way to add one.

    ## Example
    ```sql
    ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);
    ```

    Use instead: create the constraint with the table (a new table, filled and swapped in by rename), or add
    it in a maintenance window; until then, enforce it with a trigger or in the application.

    ## References
    - strong_migrations "Adding an exclusion constraint".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "add_constraint" or change.option("type") != "exclude" or step.new_table:
            continue
        yield Finding(
            change,
            f"the EXCLUDE constraint {change.name} on existing table {change.table} builds and checks under an ACCESS EXCLUSIVE lock",
            fix=(
                f"there is no online way: add {change.name} in a maintenance window, or create a new {change.table} with the "
                "constraint, copy the rows and swap the tables by rename"
            ),
            key=step.key,
        )
