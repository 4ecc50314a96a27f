from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import own_columns, tables, text_like, words

# Plural last words of a character column that name a list of things; `csv` says it outright.
LIST_WORDS = frozenset({"ids", "tags", "emails", "phones", "recipients", "roles", "categories", "csv"})


@rule("DB011", "comma-separated-list-column", severity="warning")
def comma_separated_list_column(model: SystemModel) -> Iterator[Finding]:
    """A text column whose name says it holds a list: `tag_ids`, `tags`, `cc_emails`.

    ## Why is this bad?
    A list packed into a string ("3,17,42") is invisible to the database: it cannot reference the rows it
    names (no foreign key, so ids of deleted rows stay), cannot be indexed (`LIKE '%,17,%'` scans), cannot
    be counted or joined without splitting, and two writers appending at once lose an item. It is the
    "jaywalking" antipattern: store one value per row of a child table, or, in PostgreSQL, an array or
    JSON column when the values really have no life of their own.

    Reported for character columns (not arrays, not JSON) whose name ends in `ids`, `tags`, `emails`,
    `phones`, `recipients`, `roles`, `categories` or `csv`.

    ## Example
    ```sql
    CREATE TABLE article (id bigint PRIMARY KEY, title text NOT NULL, tag_ids varchar(255));
    ```

    Use instead:
    ```sql
    CREATE TABLE article_tag (
        article_id bigint NOT NULL REFERENCES article (id) ON DELETE CASCADE,
        tag_id bigint NOT NULL REFERENCES tag (id),
        PRIMARY KEY (article_id, tag_id)
    );
    ```

    ## References
    - Bill Karwin, SQL Antipatterns, chapter 2 "Jaywalking".
    """
    for table in tables(model):
        for column in own_columns(model, table):
            named = words(column.name)
            if not named or not text_like(column.type):
                continue
            if named[-1] in LIST_WORDS:
                item = "_".join(named[:-1]) if named[-1] in ("ids", "csv") and len(named) > 1 else named[-1].removesuffix("s")
                item = item.removesuffix("ie") + "y" if item.endswith("ie") else item
                yield Finding(
                    column,
                    f"{table.qualified_name}.{column.name} ({column.type}) looks like a list packed into one string",
                    fix=f"store one {item} per row in a child table {table.name}_{item} ({table.name}_id, {item}), "
                    "or use an array or JSON column",
                    key=f"{table.key}/column:{column.name}",
                )
