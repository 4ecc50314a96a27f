from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import later_transaction, steps


@rule("MIG012", "check-constraint-without-not-valid", severity="error")
def check_constraint_without_not_valid(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A CHECK constraint added to an existing table without NOT VALID.

    ## Why is this bad?
    `ADD CONSTRAINT ... CHECK` scans every row to prove it while holding an ACCESS EXCLUSIVE lock: nothing
    reads or writes the table until the scan ends. Added `NOT VALID`, it applies to new writes at once, and
    `VALIDATE CONSTRAINT` checks the old rows later under a SHARE UPDATE EXCLUSIVE lock that lets reads and
    writes go on.

    ## Example
    ```sql
    ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
    ```

    Use instead:
    ```sql
    ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
    -- in a later transaction:
    ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
    ```

    ## Known problems
    A CHECK written inside `ADD COLUMN` is not reported: it is checked together with the new column, whose
    values are all NULL or its default.

    ## References
    - Squawk `constraint-missing-not-valid`; strong_migrations "Adding a check constraint".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "add_constraint" or change.option("type") != "check" or step.new_table:
            continue
        if change.option("not_valid"):
            continue
        table, name = change.table, change.name
        yield Finding(
            change,
            f"the CHECK {name} on existing table {table} scans every row under an ACCESS EXCLUSIVE lock",
            fix=(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({change.option('expression')}) NOT VALID; "
                f"then, {later_transaction(step.migration)}: ALTER TABLE {table} VALIDATE CONSTRAINT {name};"
            ),
            key=step.key,
        )
