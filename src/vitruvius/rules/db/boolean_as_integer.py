from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Column, SystemModel, Table
from .common import integer_like, own_columns, tables, words
from .fixes import ident, model_field, orm_choice, table_ref

FLAG_PREFIXES = frozenset({"is", "has", "can", "should", "allow", "allows", "must", "was", "needs"})
# `has_children_count`, `is_visible_until_day`: a number after all.
NUMBER_WORDS = frozenset({
    "count", "counts", "number", "num", "total", "id", "ids", "level", "score", "version", "position", "index", "size",
    "limit", "max", "min", "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "until", "since", "time", "epoch", "ms", "timestamp",
})


def _fix(table: Table, column: Column) -> str:
    if table.model:
        return f"declare {model_field(table, column.name)} as {orm_choice(table, 'Boolean()', 'BooleanField()')}"
    name = ident(column.name)
    steps = [f"ALTER COLUMN {name} TYPE boolean USING {name} <> 0"]
    if column.default is not None:
        default = {"0": "false", "'0'": "false"}.get(column.default, "true")
        steps = [f"ALTER COLUMN {name} DROP DEFAULT", *steps, f"ALTER COLUMN {name} SET DEFAULT {default}"]
    return f"ALTER TABLE {table_ref(table)} {', '.join(steps)};"


@rule("DB018", "boolean-as-integer", severity="warning")
def boolean_as_integer(model: SystemModel) -> Iterator[Finding]:
    """A yes/no column (`is_active`, `has_paid`, `deleted_flag`) stored as an integer.

    ## Why is this bad?
    An integer flag accepts 2, -1 and 7 as well as 0 and 1, so every reader has to decide what they mean,
    and `WHERE is_active` does not type-check in PostgreSQL (`WHERE is_active = 1` everywhere instead).
    PostgreSQL has a real `boolean` type, one byte, with `true`/`false`/NULL and indexes that work on it.

    Columns named `is_*`, `has_*`, `can_*`, `should_*`, `allow_*` or `*_flag` of an integer type are
    reported. MySQL/MariaDB (whose BOOLEAN is TINYINT(1)) and SQLite (which has no boolean type) are left
    alone.

    ## Example
    ```sql
    CREATE TABLE account (id bigint PRIMARY KEY, is_active smallint NOT NULL DEFAULT 1);
    ```

    Use instead:
    ```sql
    CREATE TABLE account (id bigint PRIMARY KEY, is_active boolean NOT NULL DEFAULT true);
    ```
    """
    for table in tables(model):
        if table.dialect in ("mysql", "mariadb", "sqlite"):
            continue
        for column in own_columns(model, table):
            named = words(column.name)
            if len(named) < 2 or not integer_like(column.type) or NUMBER_WORDS & set(named[1:]):
                continue
            if named[0] in FLAG_PREFIXES or named[-1] == "flag":
                yield Finding(
                    column,
                    f"{table.qualified_name}.{column.name} is a yes/no flag stored as {column.type}",
                    fix=_fix(table, column),
                    key=f"{table.key}/column:{column.name}",
                )
