from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import outside_transaction, steps


@rule("MIG017", "drop-index-not-concurrently", severity="warning")
def drop_index_not_concurrently(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """DROP INDEX without CONCURRENTLY on an index that already exists in production.

    ## Why is this bad?
    A plain `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index's table. The drop itself is quick, but
    the lock waits behind every running query on the table and every later query waits behind it.
    `DROP INDEX CONCURRENTLY` waits for those queries without blocking anyone. An index created earlier in
    the same migration, or in an unreleased one, is not reported.

    ## Example
    ```sql
    DROP INDEX orders_status_idx;
    ```

    Use instead: drop it concurrently, outside a transaction block:
    ```sql
    DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
    ```

    ## References
    - Squawk `require-concurrent-index-deletion`; strong_migrations' `remove_index ... algorithm: :concurrently`.
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "drop_index" or change.option("concurrently") or step.new_index:
            continue
        yield Finding(
            change,
            f"DROP INDEX {change.name} locks its table against reads and writes while it waits for running queries",
            fix=f"DROP INDEX CONCURRENTLY IF EXISTS {change.name}; — run it {outside_transaction(step.migration)}",
            key=step.key,
        )
