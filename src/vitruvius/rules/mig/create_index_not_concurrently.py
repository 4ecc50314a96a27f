from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import outside_transaction, steps


@rule("MIG001", "create-index-not-concurrently", severity="error")
def create_index_not_concurrently(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """CREATE INDEX without CONCURRENTLY on a table that already exists.

    ## Why is this bad?
    A plain `CREATE INDEX` takes a SHARE lock on the table for the whole build: every INSERT, UPDATE and
    DELETE waits until the index is built, which on a large table means minutes of failed writes.
    `CREATE INDEX CONCURRENTLY` builds it while writes go on (it must run outside a transaction block).

    A table created earlier in the same migration, or in an unreleased one (see the `released_before` and
    `unreleased_paths` options), is new and empty: indexing it the simple way is right and not reported.
    Django migrations are left to MIG003, which names Django's own operation.

    ## Example
    ```sql
    CREATE INDEX orders_customer_id_idx ON orders (customer_id);
    ```

    Use instead:
    ```sql
    CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
    ```
    With Alembic: `op.create_index(..., postgresql_concurrently=True)` inside
    `with op.get_context().autocommit_block():`.

    ## Known problems
    A partitioned table cannot be indexed concurrently: create the index `ON ONLY` the parent, build each
    partition's index concurrently and `ALTER INDEX ... ATTACH PARTITION` them.

    ## References
    - Squawk `require-concurrent-index-creation`; strong_migrations "Adding an index non-concurrently".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "create_index" or change.option("concurrently") or step.new_table:
            continue
        if step.migration.framework == "django":
            continue
        unique = "UNIQUE " if change.option("unique") else ""
        method = change.option("method") or "btree"
        using = f" USING {method}" if method != "btree" else ""
        where = f" WHERE {change.option('where')}" if change.option("where") else ""
        exists = "IF NOT EXISTS " if change.option("if_not_exists") else ""
        statement = f"CREATE {unique}INDEX CONCURRENTLY {exists}{change.name} ON {change.table}{using} ({change.option('columns')}){where};"
        yield Finding(
            change,
            f"CREATE INDEX {change.name} on existing table {change.table} blocks writes to it while the index builds",
            fix=f"{statement} — run it {outside_transaction(step.migration)}",
            key=step.key,
        )
