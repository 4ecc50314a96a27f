"""SQL written inside a Python migration (`op.execute("...")`, `migrations.RunSQL("...")`) → the same
effects and notes the SQL reader gives for a script, located at the lines of the Python file."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ....model import Column, Location, Note, SchemaChange
from ...sql import detect_dialect, read_script
from ...sql.changes import options
from ...sql.schema import Effect
from .values import Call


def sql_effects(
    path: str, sql: str, first_line: int, last_line: int, parameters: str | None = None
) -> tuple[list[Effect], list[Note]]:
    """Read `sql` (a string literal starting at `first_line` of `path`) as a script of its dialect
    (PostgreSQL unless its syntax shows another); every location is moved onto the Python file's lines.

    `parameters` says how the code binds values into it: "colon" (`:name`, SQLAlchemy's `text()`) or
    "percent" (`%s`, `%(name)s`, a DB-API driver given parameters); they become `$n`, which PostgreSQL's
    grammar reads as parameters, instead of failing to parse.
    """
    if parameters is not None:
        sql = _PLACEHOLDERS[parameters].sub(lambda m: m.group(0) if m.group(0)[0] in "'\"" else "$1", sql)
    dialect = detect_dialect(sql) or "postgres"
    parsed = read_script(path, sql, dialect)
    offset = first_line - 1
    effects = [_moved(effect, offset, last_line) for effect in parsed.effects]
    notes = [_moved_note(note, offset, last_line) for note in parsed.notes]
    return effects, notes


# A placeholder outside string literals and quoted identifiers (which the first alternatives consume whole).
_PLACEHOLDERS = {
    "colon": re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|(?<![:\w]):[A-Za-z_]\w*"),
    "percent": re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|%(?:\([A-Za-z_]\w*\))?s"),
}


def _moved(value: Any, offset: int, last_line: int) -> Any:
    """A copy of a reader's value with every `Location` moved down by `offset` lines (never past the
    string's last line: an escaped newline inside a one-line literal would count as a line of its own)."""
    if isinstance(value, Location):
        line = min(value.line + offset, last_line)
        end = min(value.end_line + offset, last_line) if value.end_line is not None else None
        return dataclasses.replace(value, line=line, end_line=end)
    if isinstance(value, tuple):
        return tuple(_moved(v, offset, last_line) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _moved(getattr(value, f.name), offset, last_line) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def _moved_note(note: Note, offset: int, last_line: int) -> Note:
    location = _moved(note.location, offset, last_line)
    # The SQL reader's message starts with "path:line:"; keep it true for the Python file.
    prefix = f"{note.location.path}:{note.location.line}:"
    message = (
        note.message.replace(prefix, f"{location.path}:{location.line}:", 1)
        if note.message.startswith(prefix)
        else note.message
    )
    return Note(note.kind, location, message)


def operation_effect(
    path: str,
    kind: str,
    call: Call,
    table: str | None,
    *actions: Any,
    column: str | None = None,
    name: str | None = None,
    created: tuple[Column, ...] = (),
    **facts: object,
) -> Effect:
    """The effect of one migration operation written in Python (Alembic `op.*`, a Django operation): the
    SchemaChange the rules judge, located at the call, and the actions that apply it to the schema."""
    change = SchemaChange(kind, call.location(path), table, column, name, None, options(**facts), created)
    return Effect(change, actions)
