from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import steps


@rule("MIG016", "update-all-rows", severity="warning")
def update_all_rows(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A data migration that updates every row of an existing table in one statement, without batching.

    ## Why is this bad?
    One `UPDATE` of the whole table writes a new version of every row in one transaction: it holds a row lock
    on each until it commits (blocking every concurrent write to those rows), doubles the table's size until
    vacuum catches up, and floods replication. Inside the transaction of a migration that also altered the
    table, the ALTER's ACCESS EXCLUSIVE lock is held for the whole backfill. The same goes for a Django
    `RunPython` function that calls `.update()` on an unfiltered queryset.

    ## Example
    ```sql
    ALTER TABLE orders ADD COLUMN currency text;
    UPDATE orders SET currency = 'EUR';
    ```

    Use instead: backfill in batches of a few thousand rows, each in its own transaction, outside the
    migration that changes the schema:
    ```sql
    UPDATE orders SET currency = 'EUR' WHERE id >= 1 AND id < 10001 AND currency IS NULL;  -- and so on
    ```

    ## Known problems
    The size of the table is not known: a whole-table update of a ten-row lookup table is harmless (MusicBrainz
    backfills the `gid` of its `*_type` tables this way). Mark such a statement `-- vitruvius: ignore[MIG016]`.

    ## References
    - strong_migrations "Backfilling data"; GitLab's batched background migrations.
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind == "update" and not change.option("where") and change.table and not step.new_table:
            held = f", holding the lock taken at line {step.locked_by.line}" if step.locked_by else ""
            yield Finding(
                change,
                f"UPDATE of every row of {change.table} in one statement{held}",
                fix=(
                    f"backfill {change.table} in batches outside this migration's transaction: "
                    f"UPDATE {change.table} SET ... WHERE <key> >= :start AND <key> < :start + 10000; one transaction per batch"
                ),
                key=step.key,
            )
        elif change.kind == "run_python" and change.option("updates_all_rows") and not change.option("batched"):
            if step.new_table:
                continue
            function, table = change.option("function") or change.name, change.table or change.option("models")
            yield Finding(
                change,
                f"RunPython {function} updates every row of {table} "
                + ("row by row in one transaction" if change.option("updates_in_loop") else "in one statement"),
                fix=(
                    f"update {table} in batches of primary keys (e.g. 10,000 ids at a time: .filter(pk__in=batch).update(...)), "
                    "in a migration with atomic = False so that each batch commits"
                ),
                key=step.key,
            )
