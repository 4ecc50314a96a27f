from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import later_transaction, steps


@rule("MIG004", "add-not-null-column-without-default", severity="error")
def add_not_null_column_without_default(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A NOT NULL column added to an existing table without a default.

    ## Why is this bad?
    Every existing row would get NULL in the new column, which NOT NULL forbids: on any table with rows the
    migration fails with `column "..." contains null values`. It passes on an empty development database and
    fails in production. Identity and serial columns fill themselves and are not reported here (MIG005 says
    what they cost).

    ## Example
    ```sql
    ALTER TABLE orders ADD COLUMN currency text NOT NULL;
    ```

    Use instead: a constant default, which PostgreSQL 11 and later store without rewriting the table:
    ```sql
    ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
    ```
    Or add the column as nullable, backfill it in batches, and make it NOT NULL through a validated CHECK.

    ## References
    - Squawk `adding-required-field`; strong_migrations "Adding a column with a non-null constraint".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "add_column" or step.new_table or not change.option("not_null"):
            continue
        if change.option("default") is not None or change.option("identity"):
            continue
        table, column, type_ = change.table, change.column, change.option("type")
        safe = (
            f"ALTER TABLE {table} ADD COLUMN {column} {type_}; -- backfill it in batches, then {later_transaction(step.migration)}: "
            f"ALTER TABLE {table} ADD CONSTRAINT {column}_not_null CHECK ({column} IS NOT NULL) NOT VALID; "
            f"ALTER TABLE {table} VALIDATE CONSTRAINT {column}_not_null; ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL; "
            f"ALTER TABLE {table} DROP CONSTRAINT {column}_not_null;"
        )
        if postgres_version >= 11:
            safe = f"ALTER TABLE {table} ADD COLUMN {column} {type_} NOT NULL DEFAULT <value>; or, without a default: {safe}"
        yield Finding(
            change,
            f"{table}.{column} is added NOT NULL without a default: the migration fails if {table} has any row",
            fix=safe,
            key=step.key,
        )
