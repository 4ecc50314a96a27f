from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import outside_transaction, steps


@rule("MIG002", "concurrently-in-transaction", severity="error")
def concurrently_in_transaction(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """CREATE or DROP INDEX CONCURRENTLY inside a transaction block, where PostgreSQL refuses to run it.

    ## Why is this bad?
    A concurrent index build commits several times internally, so PostgreSQL rejects it inside a transaction:
    `ERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction block`. The migration fails on
    deploy. The transaction is either the script's own `BEGIN` or the one the framework opens: Django runs
    each migration in one unless it says `atomic = False`, Alembic unless the statement sits in an
    `autocommit_block()`. (Flyway notices CONCURRENTLY and runs such a script outside a transaction; a plain
    SQL file counts only its own BEGIN.)

    ## Example
    ```sql
    BEGIN;
    CREATE INDEX CONCURRENTLY artist_idx_area ON artist (area);
    COMMIT;
    ```

    Use instead:
    ```sql
    CREATE INDEX CONCURRENTLY artist_idx_area ON artist (area);
    ```
    In Django, put `AddIndexConcurrently` in a migration with `atomic = False`; in Alembic, wrap it in
    `with op.get_context().autocommit_block():`.

    ## References
    - Squawk `ban-concurrent-index-creation-in-transaction`; strong_migrations' `disable_ddl_transaction!`.
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind in ("create_index", "drop_index") and change.option("concurrently") and step.in_transaction:
            verb = "CREATE" if change.kind == "create_index" else "DROP"
            where = "BEGIN ... COMMIT block" if step.explicit_transaction else f"transaction {step.migration.framework} wraps the migration in"
            target = f" on {change.table}" if change.table else ""
            yield Finding(
                change,
                f"{verb} INDEX CONCURRENTLY {change.name}{target} runs inside a {where}; PostgreSQL refuses it there",
                fix=f"run the {verb} INDEX CONCURRENTLY {outside_transaction(step.migration)}",
                key=step.key,
            )
