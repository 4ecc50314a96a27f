from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import bare, later_transaction, steps


@rule("MIG011", "foreign-key-without-not-valid", severity="error")
def foreign_key_without_not_valid(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A foreign key added to an existing table without NOT VALID.

    ## Why is this bad?
    Adding a foreign key checks every existing row while holding a SHARE ROW EXCLUSIVE lock on both tables:
    no INSERT, UPDATE or DELETE on either until the whole table is scanned. Added `NOT VALID`, the constraint
    applies to new writes at once and the check of old rows moves to `VALIDATE CONSTRAINT`, which takes only a
    SHARE UPDATE EXCLUSIVE lock (reads and writes go on). `ADD COLUMN ... REFERENCES` validates the same way.

    ## Example
    ```sql
    ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
    ```

    Use instead:
    ```sql
    ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
    -- in a later transaction:
    ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
    ```

    ## References
    - Squawk `adding-foreign-key-constraint`; strong_migrations "Adding a foreign key".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        table = change.table
        if step.new_table or not table:
            continue
        if change.kind == "add_constraint" and change.option("type") == "foreign_key" and not change.option("not_valid"):
            name, columns = change.name, change.option("columns")
            lead = ""
        elif change.kind == "add_column" and change.option("references"):
            name, columns = f"{table.rpartition('.')[2]}_{change.column}_fkey", change.column
            lead = f"ALTER TABLE {table} ADD COLUMN {change.column} {change.option('type')}; "
        else:
            continue
        references = change.option("references")
        both = table if bare(references or "") == bare(table) else f"{table} and {references}"
        ref_columns = f" ({change.option('ref_columns')})" if change.option("ref_columns") else ""
        yield Finding(
            change,
            f"the foreign key {name} on existing table {table} checks every row while blocking writes to {both}",
            fix=(
                f"{lead}ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns}) REFERENCES {references}{ref_columns} NOT VALID; "
                f"then, {later_transaction(step.migration)}: ALTER TABLE {table} VALIDATE CONSTRAINT {name};"
            ),
            key=step.key,
        )
