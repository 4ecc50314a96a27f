from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import own_columns, tables, words
from .fixes import alter_type, ident

ORM_ZONED = ("DateTime(timezone=True)", "DateTimeField() with USE_TZ = True")
# Columns that say they hold a wall-clock time on purpose: a local time of an event, a floating schedule.
LOCAL_WORDS = frozenset({"local", "wall", "floating", "naive"})


@rule("DB006", "timestamp-without-time-zone", severity="warning")
def timestamp_without_time_zone(model: SystemModel) -> Iterator[Finding]:
    """A PostgreSQL `timestamp` column, which stores a date and time without a time zone.

    ## Why is this bad?
    `timestamp without time zone` records a wall-clock reading, not an instant: the same value means
    different moments for a server in UTC, a developer in Berlin and a job running after a daylight-saving
    change. Arithmetic across DST changes is off by an hour, and comparing it with `now()` (a
    `timestamptz`) silently converts through the session's TimeZone. `timestamptz` stores the instant
    (as UTC) and costs the same eight bytes.

    Columns whose name says they hold a local wall-clock time on purpose (`local`, `wall`, `floating`,
    `naive`) are left alone, and so is `time`, a time of day.

    ## Example
    ```sql
    CREATE TABLE login_event (id bigint PRIMARY KEY, happened_at timestamp NOT NULL DEFAULT now());
    ```

    Use instead:
    ```sql
    CREATE TABLE login_event (id bigint PRIMARY KEY, happened_at timestamptz NOT NULL DEFAULT now());
    ```
    (In SQLAlchemy `DateTime(timezone=True)`; Django uses `timestamptz` when `USE_TZ = True`.) For an existing
    column, `ALTER TABLE ... TYPE timestamptz USING col AT TIME ZONE 'UTC'` (naming the zone the values were
    written in) rewrites the table.

    ## References
    - PostgreSQL wiki, Don't Do This: "Don't use timestamp (without time zone)".
    """
    for table in tables(model):
        for column in own_columns(model, table):
            if not (column.type.startswith("timestamp") and column.type.endswith("without time zone")):
                continue
            if LOCAL_WORDS & set(words(column.name)):
                continue
            yield Finding(
                column,
                f"{table.qualified_name}.{column.name} is {column.type}: its values are not instants",
                fix=alter_type(
                    table, column, column.type.replace("without", "with"), ORM_ZONED, f"{ident(column.name)} AT TIME ZONE 'UTC'"
                ),
                key=f"{table.key}/column:{column.name}",
            )
