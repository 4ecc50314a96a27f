from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import own_columns, reserved_words, tables
from .fixes import ident, model_field, table_ref

# Better names for the reserved words columns are most often named after.
BETTER = {
    "desc": "description", "order": "sort_order", "user": "username", "group": "group_name", "default": "is_default",
    "limit": "max_count", "offset": "start_offset", "end": "ends_at", "from": "sender", "to": "recipient",
    "key": "key_name", "index": "position", "range": "value_range", "rank": "ranking", "column": "column_name",
    "table": "table_name", "primary": "is_primary", "unique": "is_unique", "check": "check_name", "when": "happened_at",
}


@rule("DB016", "reserved-word-name", severity="warning")
def reserved_word_name(model: SystemModel) -> Iterator[Finding]:
    """A table or column named after a word the database reserves: `user`, `order`, `group`, `desc`.

    ## Why is this bad?
    A reserved word can be a name only when quoted, so every hand-written query, report, migration and
    psql session must remember the quotes, and forgetting them gives a syntax error or, worse, something
    else: in PostgreSQL `SELECT * FROM user` returns the current role name, not the table. ORMs quote
    names for you, which is how such names get in; the people and tools around the ORM do not.

    Words are those the table's dialect reserves (PostgreSQL's reserved key words for PostgreSQL and
    for ORM models, MySQL's for MySQL and MariaDB, SQLite's for SQLite); non-reserved key words such
    as `name`, `type` or `key` (in PostgreSQL) are fine.

    ## Example
    ```sql
    CREATE TABLE "user" (id bigint PRIMARY KEY, "order" int NOT NULL);
    ```

    Use instead:
    ```sql
    CREATE TABLE app_user (id bigint PRIMARY KEY, sort_order int NOT NULL);
    ```

    ## References
    - PostgreSQL documentation, Appendix C. SQL Key Words; MySQL 8.0 Reference Manual, 11.3 Keywords and Reserved Words.
    """
    for table in tables(model):
        words = reserved_words(table.dialect)
        if table.name.lower() in words and not table.partition_of:
            yield Finding(
                table,
                f"table {table.qualified_name} is named after the reserved word {table.name.upper()}",
                fix=f"ALTER TABLE {table_ref(table)} RENAME TO app_{table.name.lower()};" if not table.model
                else f"name the table of {table.model.rpartition('.')[2]} after what a row is, not {table.name}",
            )
        for column in own_columns(model, table):
            if column.name.lower() in words:
                better = BETTER.get(column.name.lower(), f"{column.name.lower()}_value")
                yield Finding(
                    column,
                    f"column {table.qualified_name}.{column.name} is named after the reserved word {column.name.upper()}",
                    fix=f"ALTER TABLE {table_ref(table)} RENAME COLUMN {ident(column.name, table.dialect)} TO {better};"
                    if not table.model else f"rename the column of {model_field(table, column.name)} (e.g. {better})",
                    key=f"{table.key}/column:{column.name}",
                )
