from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import steps


@rule("MIG015", "missing-lock-timeout", severity="warning")
def missing_lock_timeout(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A migration that locks an existing table without setting a lock_timeout first.

    ## Why is this bad?
    Even an instant `ALTER TABLE` needs its lock, and waits for it behind any long-running query or open
    transaction on the table. While it waits, every later query on the table (reads included) queues behind
    it: a one-millisecond migration becomes an outage as long as the slowest transaction. A `lock_timeout`
    makes the migration give up (and be retried) instead. Reported once per migration, at its first
    statement that takes such a lock on a table that is not new.

    ## Example
    ```sql
    ALTER TABLE orders ADD COLUMN note text;
    ```

    Use instead:
    ```sql
    SET lock_timeout = '2s';
    ALTER TABLE orders ADD COLUMN note text;
    ```

    ## Known problems
    A lock_timeout set outside the migration (the role's settings, Django's `OPTIONS`, Alembic's `env.py`)
    is not seen: set it in the migration, or ignore this rule for those files.

    ## References
    - Squawk `require-lock-timeout`; strong_migrations' `lock_timeout` setting.
    """
    reported: set[str] = set()
    for step in steps(model, released_before, unreleased_paths):
        migration = step.migration
        if migration.path in reported or step.lock_timeout or not step.takes_lock:
            continue
        reported.add(migration.path)
        change = step.change
        target = change.table or change.name
        yield Finding(
            change,
            f"{migration.id} locks {target} ({change.kind.replace('_', ' ')}) without a lock_timeout: it can queue every query on {target} behind it",
            fix="SET lock_timeout = '2s'; at the top of the migration (SET LOCAL inside its transaction), and retry the migration if it times out",
            key=f"migration:{migration.id}/lock_timeout",
        )
