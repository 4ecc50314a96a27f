from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import later_transaction, steps


@rule("MIG018", "validate-in-same-transaction", severity="warning")
def validate_in_same_transaction(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """VALIDATE CONSTRAINT in the same transaction that added the constraint NOT VALID.

    ## Why is this bad?
    `NOT VALID` exists to split the work: the `ADD CONSTRAINT` takes its strong lock only for an instant, and
    `VALIDATE CONSTRAINT` scans the rows under a weak one. In one transaction the ADD's lock (ACCESS
    EXCLUSIVE for a CHECK, SHARE ROW EXCLUSIVE on both tables for a foreign key) is held until COMMIT, so
    through the whole validation scan: exactly what NOT VALID was meant to avoid. Django and Alembic run a
    migration in one transaction, so the VALIDATE belongs in the next migration.

    ## Example
    ```sql
    BEGIN;
    ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
    ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
    COMMIT;
    ```

    Use instead:
    ```sql
    ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
    -- then, in a transaction of its own (or the next migration):
    ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
    ```

    ## References
    - strong_migrations "Adding a foreign key" and "Adding a check constraint" (validate in a separate migration).
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "validate_constraint" or not (step.in_transaction and step.added_not_valid_here):
            continue
        if step.new_table:
            continue
        yield Finding(
            change,
            f"{change.name} is validated in the transaction that added it NOT VALID: {change.table} stays locked through the scan",
            fix=f"ALTER TABLE {change.table} VALIDATE CONSTRAINT {change.name}; {later_transaction(step.migration)}",
            key=step.key,
        )
