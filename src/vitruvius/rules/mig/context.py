"""The release context every migration-safety rule shares (no rule lives here).

A locking change only hurts a table that holds data and serves traffic. A table created earlier in the same
migration, in another migration of the same release (`Migration.release`: scripts deployed together), or in a
migration that is itself unreleased, is new: nothing reads it yet, so creating its indexes
or constraints the simple way is right. `steps` walks the migrations in order once per set of options and
says, for each change, whether its table, column or index is new, whether it runs inside a transaction,
whether a lock_timeout was set before it, and what the migrations show of the column it alters.

The options every MIG rule takes, with the same names and defaults:
- `postgres_version` (15): what locks depends on it (a constant default is cheap since 11, a validated
  CHECK spares SET NOT NULL its scan since 12);
- `released_before` (""): the id, file name (with or without its suffix) or path of the newest released
  migration; those after it are unreleased. Empty, or naming no migration: every migration is released;
- `unreleased_paths` (()): folders (or glob patterns) whose migrations are unreleased.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

from ...model import Location, Migration, SchemaChange, SystemModel

# Statements that take a lock conflicting with reads or writes on an existing table (and so queue behind a
# long transaction, with every later query queueing behind them).
_ALTER_KINDS = frozenset({
    "add_column", "drop_column", "alter_column_type", "set_not_null", "drop_not_null", "set_default",
    "drop_default", "add_constraint", "drop_constraint", "rename_column", "rename_table", "drop_table", "other",
})
_RUNS_WRAPPED = frozenset({"alembic", "django"})
_NO_TIMEOUT = frozenset({"0", "0s", "0ms", "default"})


@dataclass(frozen=True, slots=True)
class Step:
    """One change of one migration, with what was true just before it ran."""

    migration: Migration
    change: SchemaChange
    new_table: bool = False  # created earlier in this migration, its release, or an unreleased migration
    new_column: bool = False  # the same, for the column (true for every column of a new table)
    new_index: bool = False  # drop_index: the index was created here or in an unreleased migration
    in_transaction: bool = False  # inside a transaction block: the framework's or an explicit BEGIN
    explicit_transaction: bool = False  # inside a BEGIN of the migration's own
    lock_timeout: bool = False  # a non-zero lock_timeout was set earlier in this migration
    old_type: str | None = None  # alter_column_type: the column's type before, when the migrations show it
    not_null_checked: bool = False  # set_not_null: a validated CHECK (column IS NOT NULL) exists
    added_not_valid_here: bool = False  # validate_constraint: added NOT VALID earlier in this transaction
    locked_by: Location | None = None  # an ALTER of this table earlier in the same transaction

    @property
    def key(self) -> str:
        c = self.change
        return f"migration:{self.migration.id}/{c.kind}:{'.'.join(filter(None, (c.table, c.column or c.name)))}"

    @property
    def takes_lock(self) -> bool:
        """Whether this change locks an existing table against reads or writes."""
        kind = self.change.kind
        if kind in ("create_index", "drop_index"):
            return self.change.option("concurrently") is None and not (self.new_table or self.new_index)
        return kind in _ALTER_KINDS and self.change.table is not None and not self.new_table


@lru_cache(maxsize=4096)
def bare(name: str) -> str:
    """A table or index name without its schema, lower-cased."""
    return name.rpartition(".")[2].strip('"').lower()


class _Names:
    """Table (or index) names, matched the way PostgreSQL's search_path would: `artist` and
    `musicbrainz.artist` are the same table unless both carry different schemas."""

    def __init__(self) -> None:
        self._schemas: dict[str, set[str | None]] = {}

    def add(self, name: str) -> None:
        schema = name.rpartition(".")[0].lower() or None
        self._schemas.setdefault(bare(name), set()).add(schema)

    def discard(self, name: str) -> None:
        self._schemas.pop(bare(name), None)

    def __contains__(self, name: object) -> bool:
        schemas = self._schemas.get(bare(str(name)))
        if not schemas:
            return False
        schema = str(name).rpartition(".")[0].lower() or None
        return schema is None or None in schemas or schema in schemas


@dataclass
class _New:
    tables: _Names = field(default_factory=_Names)
    columns: set[tuple[str, str]] = field(default_factory=set)
    indexes: _Names = field(default_factory=_Names)


def unreleased(model: SystemModel, released_before: str = "", unreleased_paths: Iterable[str] = ()) -> set[str]:
    """Paths of the migrations that are not released yet."""
    paths = [m.path for m in model.migrations]
    found: set[str] = set()
    if released_before:
        names = [(m.id, m.path, PurePosixPath(m.path).name, PurePosixPath(m.path).stem) for m in model.migrations]
        last = next((i for i, ids in enumerate(names) if released_before in ids), None)
        if last is not None:
            found.update(paths[last + 1 :])
    for pattern in unreleased_paths:
        prefix = pattern.rstrip("/") + "/"
        found.update(p for p in paths if p.startswith(prefix) or fnmatch.fnmatch(p, pattern))
    return found


def runs_wrapped(migration: Migration) -> bool:
    """Whether the runner wraps the whole migration in one transaction. Alembic and Django do unless told not
    to (Migration.atomic; a change run outside it, in Alembic's `autocommit_block()`, says `in_transaction`
    "false"). Flyway does, except for a script with CONCURRENTLY, which it runs outside one (and
    a script with its own BEGIN/COMMIT is judged by those). A plain SQL file's runner is unknown (psql
    autocommits each statement): only its own BEGIN counts."""
    if migration.framework == "flyway":
        own = ("begin", "commit", "rollback")
        return not any(c.option("concurrently") or c.kind in own for c in migration.changes)
    return migration.framework in _RUNS_WRAPPED and migration.atomic


def is_postgres(change: SchemaChange) -> bool:
    return change.option("dialect") in (None, "postgres")


_cache: list = []


def steps(model: SystemModel, released_before: str = "", unreleased_paths: Iterable[str] = ()) -> list[Step]:
    """Every PostgreSQL change of every migration, in order, with its release context."""
    options = (released_before, tuple(unreleased_paths))
    if _cache and _cache[0] is model.migrations and _cache[1] == options:
        return _cache[2]
    result = list(_walk(model, unreleased(model, *options)))
    _cache[:] = [model.migrations, options, result]
    return result


def _walk(model: SystemModel, pending_paths: set[str]) -> Iterator[Step]:
    """One pass over every change, keeping what is new, the transaction, the lock_timeout and column types."""
    history = _History(model)
    for migration in model.migrations:
        run = _Run(migration, history, migration.path in pending_paths)
        for change in migration.changes:
            step = run.step(change)
            if is_postgres(change):
                yield step
            run.apply(step)


class _History:
    """What the migrations so far have done: tables created by unreleased ones, column types, NOT NULL checks."""

    def __init__(self, model: SystemModel) -> None:
        self.pending = _New()
        self.releases: dict[str, _New] = {}
        self.types: dict[tuple[str, str], str] = {}
        self.checks: dict[str, dict[str, tuple[str, bool]]] = {}  # table → constraint → (column, validated)
        # Scripts of one release are deployed together, whatever their order by name (MusicBrainz's
        # `20210419-mbs-11456-fks.sql` sorts before the `20210419-mbs-11456.sql` that creates its table).
        self.release_tables: dict[str, _Names] = {}
        for migration in model.migrations:
            for change in migration.changes:
                if migration.release and change.kind == "create_table" and change.table:
                    self.release_tables.setdefault(migration.release, _Names()).add(change.table)


class _Run:
    """One migration being walked."""

    def __init__(self, migration: Migration, history: _History, pending: bool) -> None:
        self.migration, self.history = migration, history
        if pending:
            self.here = history.pending
        else:
            self.here = history.releases.setdefault(migration.release, _New()) if migration.release else _New()
        self.known = (self.here,) if pending else (self.here, history.pending)
        self.in_release = history.release_tables.get(migration.release or "", _Names())
        self.wrapped = runs_wrapped(migration)
        self.explicit = self.timeout = False
        self.locked: dict[str, Location] = {}
        self.not_valid_here: set[str] = set()

    def step(self, change: SchemaChange) -> Step:
        kind, table, column = change.kind, change.table or "", change.column or ""
        known, base = self.known, bare(table)
        key = (base, column)
        new_table = bool(table) and (any(table in n.tables for n in known) or table in self.in_release)
        return Step(
            self.migration, change, new_table=new_table,
            new_column=new_table or (bool(column) and any(key in n.columns for n in known)),
            new_index=kind == "drop_index" and any((change.name or "") in n.indexes for n in known),
            in_transaction=(self.wrapped and change.option("in_transaction") != "false") or self.explicit,
            explicit_transaction=self.explicit, lock_timeout=self.timeout,
            old_type=self.history.types.get(key) if kind == "alter_column_type" else None,
            not_null_checked=kind == "set_not_null" and (column, True) in self.history.checks.get(base, {}).values(),
            added_not_valid_here=kind == "validate_constraint" and (change.name or "") in self.not_valid_here,
            locked_by=self.locked.get(base) if table else None,
        )

    def apply(self, step: Step) -> None:
        change, history = step.change, self.history
        kind, table, column = change.kind, change.table or "", change.column or ""
        key, types = (bare(table), column), history.types
        if kind in ("begin", "commit", "rollback"):
            self.explicit = kind == "begin"
            if not self.wrapped:
                self.locked.clear()
                self.not_valid_here.clear()
        elif kind == "set_lock_timeout":
            self.timeout = change.option("value") not in _NO_TIMEOUT
        elif kind == "create_table":
            self.here.tables.add(table)
            types.update({(bare(table), c.name): c.type for c in change.columns})
        elif kind == "rename_table" and change.name:
            for names in self.known:
                if table in names.tables:
                    names.tables.discard(table)
                    names.tables.add(change.name)
            for t, c in [k for k in types if k[0] == bare(table)]:
                types[(bare(change.name), c)] = types.pop((t, c))
        elif kind == "drop_table":
            for names in self.known:
                names.tables.discard(table)
        elif kind in ("add_column", "alter_column_type"):
            types[key] = change.option("type") or ""
            if kind == "add_column":
                self.here.columns.add(key)
        elif kind == "rename_column" and change.name:
            if key in types:
                types[(bare(table), change.name)] = types.pop(key)
            if any(key in n.columns for n in self.known):
                self.here.columns.add((bare(table), change.name))
        elif kind == "drop_column":
            types.pop(key, None)
        elif kind == "create_index":
            self.here.indexes.add(change.name or "")
        elif kind == "add_constraint" and change.option("type") == "check":
            for name, col in _not_null_check(change):
                history.checks.setdefault(bare(table), {})[name] = (col, change.option("not_valid") is None)
        elif kind == "validate_constraint" and change.name in history.checks.get(bare(table), {}):
            history.checks[bare(table)][change.name] = (history.checks[bare(table)][change.name][0], True)
        elif kind == "drop_constraint":
            history.checks.get(bare(table), {}).pop(change.name or "", None)
        if step.in_transaction and kind == "add_constraint" and change.option("not_valid") and change.name:
            self.not_valid_here.add(change.name)
        if step.in_transaction and step.takes_lock and table:
            self.locked.setdefault(bare(table), change.location)


def _not_null_check(change: SchemaChange) -> list[tuple[str, str]]:
    """(constraint name, column) when the CHECK is exactly `column IS NOT NULL`."""
    columns = (change.option("columns") or "").split(",")
    expression = change.option("expression") or ""
    if change.name and len(columns) == 1 and expression.replace('"', "") == f"{columns[0]} IS NOT NULL":
        return [(change.name, columns[0])]
    return []


def outside_transaction(migration: Migration) -> str:
    """How to run a statement outside a transaction, in the migration's own framework."""
    if migration.framework == "django":
        return "in a migration of its own with `atomic = False`"
    if migration.framework == "alembic":
        return "inside `with op.get_context().autocommit_block():`"
    return "outside any BEGIN ... COMMIT block"


def later_transaction(migration: Migration) -> str:
    if migration.framework in _RUNS_WRAPPED or migration.framework == "flyway":
        return "in the next migration"
    return "after COMMIT, in a transaction of its own"
