"""SQL migration files → `Migration`s, ordered by the version their names carry."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import replace

from ...model import Location, Migration, SchemaChange

# Flyway: V1__init.sql, V1_2__x.sql, V1.2__x.sql; U1__x.sql undoes V1; R__x.sql is repeatable (no version).
_FLYWAY = re.compile(r"^([VUR])(\d+(?:[._]\d+)*)?__", re.IGNORECASE)
# Numbered or dated scripts: 0001_create.sql, 20120220-merge.sql, 20.all.sql.
_LEADING_NUMBER = re.compile(r"^(\d+)")
_DOWN_SUFFIX = re.compile(r"[._-]down\.sql$", re.IGNORECASE)
_SESSION_KINDS = frozenset({"set_lock_timeout", "set_statement_timeout"})


def natural_key(path: str) -> tuple[object, ...]:
    """Sort key that puts `2-x.sql` before `10-x.sql`: digit runs compare as numbers."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path))


def version(path: str) -> tuple[int, ...] | None:
    """The version a migration's file name carries, or None (a Flyway repeatable script, an unnumbered file)."""
    name = posixpath.basename(path)
    if flyway := _FLYWAY.match(name):
        return tuple(int(n) for n in re.split(r"[._]", flyway.group(2))) if flyway.group(2) else None
    if number := _LEADING_NUMBER.match(name):
        return (int(number.group(1)),)
    return None


def migration_order(paths: list[str]) -> list[str]:
    """Versioned migrations by version, then the unversioned ones; ties by path."""
    def key(path: str) -> tuple[bool, tuple[int, ...], tuple[object, ...]]:
        found = version(path)
        return (found is None, found or (), natural_key(path))

    return sorted(paths, key=key)


def is_down(path: str) -> bool:
    """A script that undoes a migration (`0002_x.down.sql`, Flyway `U2__x.sql`): it is not applied to build
    the schema, though it is still a migration the rules may judge."""
    name = posixpath.basename(path)
    return bool(_DOWN_SUFFIX.search(name)) or name[:1] in "Uu" and bool(_FLYWAY.match(name))


def build_migration(path: str, order: int, changes: list[SchemaChange]) -> Migration:
    name = posixpath.basename(path)
    return Migration(
        id=posixpath.splitext(name)[0],
        path=path,
        location=Location(path, 1),
        framework="flyway" if _FLYWAY.match(name) else "sql",
        order=order,
        atomic=_runs_in_one_transaction(changes),
        changes=tuple(changes),
        down=is_down(path),
    )


def with_releases(migrations: list[Migration]) -> list[Migration]:
    """Mark the scripts that share a version number as one release: they are deployed together (MusicBrainz's
    `27.all.sql`, `27.master_only.sql`, ...; a dated script and its `-fks` companion). Rollback scripts are left out."""
    shared = Counter(version(m.path) for m in migrations if not m.down)
    return [
        replace(m, release=".".join(map(str, found))) if not m.down and (found := version(m.path)) and shared[found] > 1 else m
        for m in migrations
    ]


def _runs_in_one_transaction(changes: list[SchemaChange]) -> bool:
    """Without transaction control, migration runners (Flyway, golang-migrate's multi-statement query, sqitch)
    wrap a file in one transaction. With it, the file is atomic only when one BEGIN opens it and COMMIT ends it."""
    kinds = [c.kind for c in changes if c.kind not in _SESSION_KINDS and c.option("statement") != "set"]
    if "begin" not in kinds and "commit" not in kinds:
        return True
    return kinds[0] == "begin" and kinds[-1] == "commit" and kinds.count("begin") == 1
