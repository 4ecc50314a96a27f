from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .drift_pairs import pairs, regenerate, subject


@rule("DB100", "model-column-not-migrated", severity="warning")
def model_column_not_migrated(model: SystemModel) -> Iterator[Finding]:
    """A column an ORM model declares that no migration creates.

    ## Why is this bad?
    The model and the migrations describe the same table, and they disagree: a database built by the
    migrations (every fresh environment, every test database made with `migrate` or `alembic upgrade`) has
    no such column, so the first query that selects the model fails with `column ... does not exist`. It
    usually means a model change was committed without its migration. Compared only for tables that both
    the models and the migrations describe.

    ## Example
    ```python
    # shop/models.py
    class Order(models.Model):
        total = models.DecimalField(max_digits=10, decimal_places=2)
        currency = models.CharField(max_length=3)  # no migration adds it
    ```

    Use instead: generate the migration that adds it (`python manage.py makemigrations shop`, or
    `alembic revision --autogenerate`), review it, and commit it with the model change.

    ## Known problems
    Columns of a type or default the migrations spell differently are the same column: only names are
    compared. A model whose fields come from a base class outside the repository is compared on the fields
    the repository shows.
    """
    for pair in pairs(model):
        built = {c.name for c in pair.migrated.columns}
        for column in pair.model.columns:
            if column.name in built:
                continue
            yield Finding(
                column,
                f"column {column.name} of {subject(pair.model)} is created by no migration: a database built by the "
                "migrations has no such column",
                fix=f"generate the missing migration: {regenerate(pair.model)}",
                key=f"{pair.model.key}/column:{column.name}/drift",
            )
