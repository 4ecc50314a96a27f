from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .drift_pairs import describe, missing, pairs, regenerate, subject


@rule("DB102", "model-index-not-migrated", severity="warning")
def model_index_not_migrated(model: SystemModel) -> Iterator[Finding]:
    """An index, unique constraint or primary key an ORM model declares that no migration creates.

    ## Why is this bad?
    The model promises an index the database built by the migrations does not have: the queries written
    against it scan the table, and a missing unique constraint lets duplicates in that the code assumes
    impossible. Typical causes: `index=True` / `db_index=True` or a `Meta.indexes` entry added without
    generating its migration, or a migration edited by hand. Indexes are compared by the columns they cover,
    uniqueness and whether they are partial, not by name.

    ## Example
    ```python
    class Chat(Base):
        __tablename__ = "chat"
        user_id = Column(String, index=True)  # no migration creates ix_chat_user_id
    ```

    Use instead: generate the migration (`alembic revision --autogenerate`, `python manage.py
    makemigrations`) and, on a large table, build the index concurrently.
    """
    for pair in pairs(model):
        for key, element in missing(pair.model, pair.migrated):
            yield Finding(
                element,
                f"{describe(element)} of {subject(pair.model)} is created by no migration",
                fix=f"generate the missing migration: {regenerate(pair.model)}",
                key=f"{pair.model.key}/access:{','.join(key[0])}:{key[1]}:{key[2]}/drift",
            )
