from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Column, SystemModel, Table
from .common import integer_like, own_columns, tables, text_like


def _pairs(table: Table) -> Iterator[tuple[Column, Column]]:
    """(type column, id column) pairs: Rails' `commentable_type`/`commentable_id`, Django's
    `content_type_id`/`object_id`."""
    for column in table.columns:
        if column.name.endswith("_type") and text_like(column.type):
            target = table.column(column.name.removesuffix("_type") + "_id")
            if target is not None and (integer_like(target.type) or target.type == "uuid"):
                yield column, target
    content_type, object_id = table.column("content_type_id"), table.column("object_id")
    if content_type is not None and object_id is not None:
        yield content_type, object_id


@rule("DB020", "polymorphic-association", severity="warning")
def polymorphic_association(model: SystemModel) -> Iterator[Finding]:
    """A reference whose target table is named in another column (`commentable_type` + `commentable_id`).

    ## Why is this bad?
    A polymorphic association stores "which table" as data and "which row" as a bare number. The
    database cannot check either: ids of deleted rows stay (there is no ON DELETE), a typo in the type
    points nowhere, and every join needs a CASE on the type, so queries cannot use the planner's usual
    join paths. Give each target its own nullable foreign key column (with a CHECK that exactly one is
    set), or a shared parent table that every target references.

    Reported for a `<name>_type` text column beside a `<name>_id` integer or uuid column, and for Django's
    `content_type_id` + `object_id` (GenericForeignKey), when the id column is in no foreign key.

    ## Example
    ```sql
    CREATE TABLE comment (
        id bigint PRIMARY KEY,
        commentable_type text NOT NULL,
        commentable_id bigint NOT NULL,
        body text NOT NULL
    );
    ```

    Use instead:
    ```sql
    CREATE TABLE comment (
        id bigint PRIMARY KEY,
        article_id bigint REFERENCES article (id) ON DELETE CASCADE,
        photo_id bigint REFERENCES photo (id) ON DELETE CASCADE,
        body text NOT NULL,
        CHECK (num_nonnulls(article_id, photo_id) = 1)
    );
    ```

    ## References
    - Bill Karwin, SQL Antipatterns, chapter 7 "Polymorphic Associations".
    """
    for table in tables(model):
        in_foreign_keys = {c for fk in table.foreign_keys for c in fk.columns}
        own = {c.name for c in own_columns(model, table)}
        for kind, target in _pairs(table):
            if target.name in in_foreign_keys or target.name not in own:
                continue
            yield Finding(
                target,
                f"{table.qualified_name}.{target.name} refers to a row of the table named in {kind.name}; "
                "no foreign key checks it",
                fix=f"replace {kind.name}/{target.name} with one nullable foreign key column per target table of "
                f"{table.name}, and CHECK (num_nonnulls(...) = 1)",
                key=f"{table.key}/column:{target.name}",
            )
