"""SQL files → tables, migrations and notes.

Schema files are applied in path order to one schema; migration files become `Migration`s in version order.
The tables come from the schema files when there are any, else from the migrations applied in order: a
repository that keeps both (a dump plus the migrations that led to it) is described by its dump.

Each file is read in its own dialect: the `dialect` argument, else what the file shows (backticks, ENGINE=,
AUTO_INCREMENT for MySQL; AUTOINCREMENT, PRAGMA for SQLite), else what most files of the repository show,
else PostgreSQL. PostgreSQL goes through
libpg_query (postgres.py), the others through sqlglot (mysql.py, imported only when needed). With much
PostgreSQL, a second process runs the parser ahead of the walk (`_parsed_ahead`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Generator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ...model import FileKind, Location, Migration, Note, Table
from ...model.data import DataOrigin
from ..processes import may_start_processes
from .migrations import (
    build_migration,
    is_down,
    migration_order,
    natural_key,
    with_releases,
)
from .schema import ParsedScript, Schema

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

DIALECTS = ("postgres", "mysql", "mariadb", "sqlite")
_DIALECT_ALIASES = {"postgresql": "postgres", "pg": "postgres", "sqlite3": "sqlite"}
# Comments, string literals and dollar-quoted bodies, blanked before looking for dialect markers: a
# PostgreSQL comment may well quote an identifier in backticks.
_NOT_CODE = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|\$(\w*)\$.*?\$\1\$", re.DOTALL)
# (dialect, a word the marker cannot be without, the marker), SQLite's first.
_MARKERS = tuple((dialect, hint, re.compile(pattern, re.IGNORECASE | re.MULTILINE)) for dialect, hint, pattern in (
    ("sqlite", "autoincrement", r"\bAUTOINCREMENT\b"), ("sqlite", "pragma", r"^\s*PRAGMA\b"),
    ("sqlite", "rowid", r"\bWITHOUT\s+ROWID\b"), ("mysql", "`", r"`[^`\n]+`"), ("mysql", "engine", r"\bENGINE\s*="),
    ("mysql", "auto_increment", r"\bAUTO_INCREMENT\b"),
))
# From this much PostgreSQL on, a second process parses while this one walks: starting it costs ~10 ms (the
# multiprocessing import, a fork, the first round trip), and 256 KiB take ~40 ms to parse.
PARALLEL_PARSE_CHARACTERS = 256 * 1024


@dataclass(frozen=True, slots=True)
class SqlResult:
    tables: list[Table]
    migrations: list[Migration]
    notes: list[Note]


def read_sql_sources(sources: list[tuple[str, str, FileKind]], *, dialect: str | None = None) -> SqlResult:
    """Read SQL files given as (path, text, kind); kind "migration" makes a migration, any other a schema file."""
    notes: list[Note] = []
    requested = _requested_dialect(dialect, sources, notes)
    schema_files = sorted(((p, t) for p, t, k in sources if k != "migration"), key=lambda f: natural_key(f[0]))
    texts = {p: t for p, t, k in sources if k == "migration"}
    migration_paths = migration_order(list(texts))

    ordered = [*schema_files, *((p, texts[p]) for p in migration_paths)]
    shown = {path: detect_dialect(text) for path, text in ordered} if requested is None else {}
    fallback = requested or _most_shown(shown)
    dialects = {path: shown.get(path) or fallback for path, _ in ordered}
    parsed = _read_scripts([(path, text, dialects[path]) for path, text in ordered])
    for path, _ in ordered:
        notes.extend(parsed[path].notes)

    migrations = with_releases([
        build_migration(path, order, [e.change for e in parsed[path].effects]) for order, path in enumerate(migration_paths)
    ])
    if schema_files:
        tables = _build([p for p, _ in schema_files], parsed, "sql")
    else:
        tables = _build([p for p in migration_paths if not is_down(p)], parsed, "migration")
    # A table is in the dialect of the script that created it.
    tables = [replace(t, dialect=dialects.get(t.location.path)) for t in tables]
    return SqlResult(tables, migrations, notes)


def read_script(path: str, text: str, dialect: str, parsed: object = None) -> ParsedScript:
    """One script's effects and notes, in the given dialect (one of DIALECTS). `parsed` is a PostgreSQL
    script's `postgres.parse(text)`, when that was done ahead."""
    if dialect == "postgres":
        from .postgres import read_postgres

        return read_postgres(path, text, parsed)  # type: ignore[arg-type]
    from .mysql import read_sqlglot  # sqlglot is imported only for the dialects that need it

    return read_sqlglot(path, text, dialect)


def _read_scripts(scripts: list[tuple[str, str, str]]) -> dict[str, ParsedScript]:
    """Read (path, text, dialect) scripts, in order; with much PostgreSQL, parsed ahead in another process."""
    texts = [text for _, text, dialect in scripts if dialect == "postgres"]
    if sum(map(len, texts)) < PARALLEL_PARSE_CHARACTERS or not may_start_processes():
        return {path: read_script(path, text, dialect) for path, text, dialect in scripts}
    trees = _parsed_ahead(texts)
    try:
        return {
            path: read_script(path, text, dialect, next(trees) if dialect == "postgres" else None)
            for path, text, dialect in scripts
        }
    finally:
        trees.close()


def _parsed_ahead(texts: list[str]) -> Generator[object, None, None]:
    """Each text's `postgres.parse`, in order, from a second process that parses while this one walks.

    The parser is a third of the reading time, and parse trees cross a pipe as bytes, cheaply. A thread
    gained nothing (each return from the parser waits for the GIL the walk holds), and a process pool, tried
    next, was slower than this plain pipe (its result thread also wants the GIL). Should the process die
    (killed, out of memory), the texts it did not send are parsed here.
    """
    import multiprocessing

    from .postgres import parse

    receiving, sending = multiprocessing.Pipe(duplex=False)
    _widen(sending)
    parser = multiprocessing.Process(target=_parse_into, args=(texts, sending), name="vitruvius-sql-parser", daemon=True)
    parser.start()
    sending.close()
    sent = 0
    try:
        while sent < len(texts):
            yield receiving.recv()
            sent += 1
    except (EOFError, OSError):
        yield from map(parse, texts[sent:])
    finally:
        if parser.is_alive():  # the walk stopped early: the parser may be blocked on a full pipe
            parser.terminate()
        parser.join()
        receiving.close()


def _widen(pipe: Connection) -> None:
    """Let the parser run up to 1 MiB of trees ahead (Linux; a pipe holds 64 KiB by default, less than one
    large script's tree, which would make it wait for the walk after every script)."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1024 * 1024)
    except (ImportError, AttributeError, OSError):
        pass


def _parse_into(texts: list[str], sending: Connection) -> None:
    import signal

    from .postgres import parse

    # Ctrl-C is the main process's to handle; it ends this one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for text in texts:
            sending.send(parse(text, serialized=True))
    except OSError:  # the main process stopped reading
        pass
    finally:
        sending.close()


def detect_dialect(text: str) -> str | None:
    """The dialect a script's own syntax shows, or None when it shows none. SQLite is asked first
    because it accepts MySQL's backticks too."""
    lowered = text.lower()
    # Most scripts lack every marker's word: decided without the cost of blanking comments and strings.
    candidates = [(dialect, marker) for dialect, hint, marker in _MARKERS if hint in lowered]
    code = _NOT_CODE.sub(" ", text) if candidates else ""
    return next((dialect for dialect, marker in candidates if marker.search(code)), None)


def _most_shown(shown: dict[str, str | None]) -> str:
    """The dialect for scripts that show none: the one most other scripts of the repository show (a MySQL
    project's `ALTER TABLE t ADD COLUMN c int` has no backticks), else PostgreSQL."""
    counts = Counter(d for d in shown.values() if d)
    return counts.most_common(1)[0][0] if counts else "postgres"


def _requested_dialect(dialect: str | None, sources: Sequence[tuple[str, str, FileKind]], notes: list[Note]) -> str | None:
    if dialect is None:
        return None
    name = _DIALECT_ALIASES.get(dialect.lower(), dialect.lower())
    if name in DIALECTS:
        return name
    where = Location(sources[0][0], 1) if sources else Location("", 0)
    notes.append(Note("configuration", where, f"unknown SQL dialect {dialect!r} (known: {', '.join(DIALECTS)}); each file's dialect is detected instead"))
    return None


def _build(paths: list[str], parsed: dict[str, ParsedScript], origin: DataOrigin) -> list[Table]:
    schema = Schema()
    for path in paths:
        schema.apply_all(parsed[path].effects)
    return schema.tables(origin)
