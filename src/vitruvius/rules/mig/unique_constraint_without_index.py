from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import outside_transaction, steps


@rule("MIG014", "unique-constraint-without-index", severity="error")
def unique_constraint_without_index(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A UNIQUE or PRIMARY KEY constraint added to an existing table without an index built first.

    ## Why is this bad?
    Without `USING INDEX`, PostgreSQL builds the constraint's unique index inside the `ALTER TABLE`, under an
    ACCESS EXCLUSIVE lock: no reads and no writes for the whole build. Built first with
    `CREATE UNIQUE INDEX CONCURRENTLY`, the index becomes the constraint in an instant. `ADD COLUMN ...
    UNIQUE` or `PRIMARY KEY` builds the index the same way.

    ## Example
    ```sql
    ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
    ```

    Use instead:
    ```sql
    CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
    ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
    ```

    ## Known problems
    A PRIMARY KEY over nullable columns still makes them NOT NULL, which scans the table (see MIG013).

    ## References
    - Squawk `disallowed-unique-constraint` and `adding-serial-primary-key-field`; strong_migrations "Adding a unique constraint".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        table = change.table
        if step.new_table or not table:
            continue
        if change.kind == "add_constraint" and change.option("type") in ("unique", "primary"):
            if change.option("using_index"):
                continue
            kind, name, columns = change.option("type"), change.name, change.option("columns")
        elif change.kind == "add_column" and (change.option("unique") or change.option("primary")):
            kind = "primary" if change.option("primary") else "unique"
            name, columns = f"{table.rpartition('.')[2]}_{change.column}_{'pkey' if kind == 'primary' else 'key'}", change.column
        else:
            continue
        words = "PRIMARY KEY" if kind == "primary" else "UNIQUE"
        yield Finding(
            change,
            f"the {words} constraint {name} on existing table {table} builds its index under an ACCESS EXCLUSIVE lock",
            fix=(
                f"CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table} ({(columns or '').replace(',', ', ')}); ({outside_transaction(step.migration)}) "
                f"then ALTER TABLE {table} ADD CONSTRAINT {name} {words} USING INDEX {name};"
            ),
            key=step.key,
        )
