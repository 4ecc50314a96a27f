from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .drift_pairs import model_tables, regenerate, set_is_migrated, subject, twin


@rule("DB104", "model-table-not-migrated", severity="warning")
def model_table_not_migrated(model: SystemModel) -> Iterator[Finding]:
    """An ORM model whose table no migration creates, while the other tables of its set are migrated.

    ## Why is this bad?
    A database built by the migrations has no table for the model: every query on it fails with `relation
    ... does not exist`. The model was added (or renamed, or moved to another table name) without its
    migration. Reported only when the migrations describe the model's set of tables at all: the Django app
    has migrations, or other tables of the same SQLAlchemy declarative base are built by them; a base
    created with `create_all()` and no migrations is left alone, and so are Django models with
    `managed = False`.

    ## Example
    ```python
    # shop/models.py, in an app with migrations
    class Refund(models.Model):  # no migration has CreateModel("Refund")
        order = models.ForeignKey(Order, on_delete=models.CASCADE)
    ```

    Use instead: generate and commit the migration that creates it (`python manage.py makemigrations shop`,
    `alembic revision --autogenerate`).
    """
    for table in model_tables(model):
        if twin(model, table) is not None or not set_is_migrated(model, table):
            continue
        yield Finding(
            table,
            f"{subject(table)} has no migration that creates it",
            fix=f"generate the missing migration: {regenerate(table)}",
            key=f"{table.key}/drift",
        )
