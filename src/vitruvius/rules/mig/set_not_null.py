from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import later_transaction, steps


@rule("MIG013", "set-not-null", severity="error")
def set_not_null(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """SET NOT NULL on a column of an existing table, without a validated CHECK that proves it first.

    ## Why is this bad?
    `ALTER COLUMN ... SET NOT NULL` scans the whole table to prove no row is NULL, under an ACCESS EXCLUSIVE
    lock: no reads, no writes until the scan ends. Since PostgreSQL 12 the scan is skipped when a valid
    `CHECK (column IS NOT NULL)` constraint already proves it, and that CHECK can be added `NOT VALID` and
    validated without blocking anyone. Before 12 (the `postgres_version` option) there is no way around the
    scan.

    ## Example
    ```sql
    ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;
    ```

    Use instead: prove it with a CHECK first (PostgreSQL 12 and later):
    ```sql
    ALTER TABLE orders ADD CONSTRAINT orders_currency_not_null CHECK (currency IS NOT NULL) NOT VALID;
    -- in a later transaction:
    ALTER TABLE orders VALIDATE CONSTRAINT orders_currency_not_null;
    ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;
    ALTER TABLE orders DROP CONSTRAINT orders_currency_not_null;
    ```

    ## References
    - Squawk `adding-not-nullable-field`; strong_migrations "Setting NOT NULL on an existing column".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "set_not_null" or step.new_table:
            continue
        if postgres_version >= 12 and step.not_null_checked:
            continue
        table, column = change.table, change.column
        check = f"{(table or '').rpartition('.')[2]}_{column}_not_null"
        if postgres_version >= 12:
            fix = (
                f"ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({column} IS NOT NULL) NOT VALID; then, {later_transaction(step.migration)}: "
                f"ALTER TABLE {table} VALIDATE CONSTRAINT {check}; ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL; "
                f"ALTER TABLE {table} DROP CONSTRAINT {check};"
            )
        else:
            fix = (
                f"PostgreSQL {postgres_version} always scans: run it in a maintenance window, or keep "
                f"CHECK ({column} IS NOT NULL) NOT VALID + VALIDATE CONSTRAINT instead of the NOT NULL"
            )
        yield Finding(
            change,
            f"SET NOT NULL on {table}.{column} scans all of {table} under an ACCESS EXCLUSIVE lock",
            fix=fix,
            key=step.key,
        )
