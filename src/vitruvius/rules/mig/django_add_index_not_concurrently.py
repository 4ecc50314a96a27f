from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import steps


@rule("MIG003", "django-add-index-not-concurrently", severity="error")
def django_add_index_not_concurrently(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """Django `AddIndex` on a table that already exists, where `AddIndexConcurrently` is needed.

    ## Why is this bad?
    `AddIndex` runs a plain `CREATE INDEX`, which holds a SHARE lock on the table until the index is built:
    every write to the model's table waits, for minutes on a large table. PostgreSQL builds an index without
    blocking writes with `CREATE INDEX CONCURRENTLY`, which Django offers as `AddIndexConcurrently`
    (`django.contrib.postgres.operations`); it cannot run in a transaction, so its migration says
    `atomic = False`.

    An index on a model created earlier in the same migration, or in an unreleased one, is not reported: that
    table is empty.

    ## Example
    ```python
    class Migration(migrations.Migration):
        operations = [
            migrations.AddIndex(model_name="order", index=models.Index(fields=["customer"], name="order_customer_idx")),
        ]
    ```

    Use instead:
    ```python
    from django.contrib.postgres.operations import AddIndexConcurrently

    class Migration(migrations.Migration):
        atomic = False
        operations = [
            AddIndexConcurrently(model_name="order", index=models.Index(fields=["customer"], name="order_customer_idx")),
        ]
    ```

    ## References
    - Django: `AddIndexConcurrently`; Squawk `require-concurrent-index-creation`; django-pg-zero-downtime-migrations.
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if step.migration.framework != "django" or change.kind != "create_index":
            continue
        if change.option("concurrently") or step.new_table:
            continue
        yield Finding(
            change,
            f"creating index {change.name} on existing table {change.table} (AddIndex, or a field with db_index/unique) "
            "blocks writes to it while the index builds",
            fix=(
                f"replace it with django.contrib.postgres.operations.AddIndexConcurrently (same model_name and index "
                f"{change.name}) in a migration that sets `atomic = False`"
            ),
            key=step.key,
        )
