from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import steps


@rule("MIG020", "transaction-nesting", severity="warning")
def transaction_nesting(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """BEGIN inside a transaction already open, or COMMIT of the transaction the framework opened.

    ## Why is this bad?
    PostgreSQL has no nested transactions: a second `BEGIN` only warns, and the next `COMMIT` commits
    everything so far, so the statements after it run outside any transaction and a failure leaves the
    migration half applied. In a Django or Alembic migration (one transaction unless told otherwise) a
    `COMMIT` or `BEGIN` in raw SQL ends or confuses the framework's own transaction the same way.

    ## Example
    ```sql
    BEGIN;
    ALTER TABLE orders ADD COLUMN note text;
    BEGIN;
    UPDATE orders SET note = '' WHERE note IS NULL;
    COMMIT;
    ```

    Use instead: one BEGIN ... COMMIT per unit of work, none inside a framework-managed migration (use
    `atomic = False` in Django, `autocommit_block()` in Alembic, when a statement must run outside it).

    ## References
    - Squawk `transaction-nesting`.
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind == "begin" and step.in_transaction:
            where = "a BEGIN already open" if step.explicit_transaction else f"the transaction {step.migration.framework} opens"
            message = f"BEGIN inside {where}: the next COMMIT ends both"
        elif change.kind in ("commit", "rollback") and step.in_transaction and not step.explicit_transaction:
            message = f"{change.kind.upper()} ends the transaction {step.migration.framework} opened for this migration"
        else:
            continue
        yield Finding(
            change,
            message,
            fix="remove it; run what must be outside the transaction in a migration of its own (atomic = False / autocommit_block())",
            key=step.key,
        )
