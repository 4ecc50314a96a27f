from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import steps


@rule("MIG005", "add-column-rewrites-table", severity="error")
def add_column_rewrites_table(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A column added to an existing table in a way that rewrites every row: a volatile default, an identity.

    ## Why is this bad?
    Since PostgreSQL 11, `ADD COLUMN ... DEFAULT <constant or stable expression>` only records the default in
    the catalog. A volatile default (`gen_random_uuid()`, `clock_timestamp()`, `random()`, `nextval()`, any
    function not declared STABLE or IMMUTABLE), an identity or a serial column needs a value computed per row,
    so PostgreSQL rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock: no reads, no
    writes, for as long as the rewrite takes. Before PostgreSQL 11 (the `postgres_version` option) any
    non-null default does so.

    ## Example
    ```sql
    ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
    ```

    Use instead:
    ```sql
    ALTER TABLE orders ADD COLUMN public_id uuid;
    ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();  -- new rows only
    -- then backfill existing rows in batches: UPDATE orders SET public_id = gen_random_uuid() WHERE id BETWEEN ...
    ```

    ## Known problems
    A function the migrations do not show as STABLE or IMMUTABLE counts as volatile (PostgreSQL's default for
    CREATE FUNCTION), so a default calling a user function declared IMMUTABLE elsewhere is reported.

    ## References
    - Squawk `adding-field-with-default`; strong_migrations "Adding a column with a volatile default value".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "add_column" or step.new_table:
            continue
        default = change.option("default")
        if change.option("identity"):
            why = "an identity/serial column is filled row by row"
        elif change.option("volatile_default"):
            why = f"its default {default} is volatile ({change.option('default_calls')}) and is computed per row"
        elif postgres_version < 11 and default is not None and default.upper() != "NULL":
            why = f"before PostgreSQL 11 any default ({default}) is written into every row"
        else:
            continue
        table, column, type_ = change.table, change.column, change.option("type")
        fill = f"SET DEFAULT {default}" if default is not None else "SET DEFAULT nextval('<its sequence>')"
        yield Finding(
            change,
            f"adding {table}.{column} rewrites all of {table} under an ACCESS EXCLUSIVE lock: {why}",
            fix=(
                f"ALTER TABLE {table} ADD COLUMN {column} {type_}; ALTER TABLE {table} ALTER COLUMN {column} {fill}; "
                f"then backfill existing rows in batches (UPDATE {table} SET {column} = ... WHERE <key range>)"
            ),
            key=step.key,
        )
