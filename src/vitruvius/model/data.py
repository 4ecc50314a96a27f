"""Data facts: tables from DDL, migrations, ORM models and live databases; migrations; queries in code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .location import Location

DataOrigin = Literal["sql", "migration", "orm", "database"]


@dataclass(frozen=True, slots=True)
class Column:
    """A column; `type` is the normalised lower-case SQL type (`varchar(255)`, `timestamp with time zone`)."""

    name: str
    type: str
    location: Location
    nullable: bool = True
    default: str | None = None
    identity: bool = False
    primary_key: bool = False
    unique: bool = False


@dataclass(frozen=True, slots=True)
class Index:
    """An index. `columns` are column names or expression texts, in order; `where` is the predicate of a
    partial index; `collations` and `opclasses` line up with `columns` (None where default)."""

    name: str
    columns: tuple[str, ...]
    location: Location
    unique: bool = False
    where: str | None = None
    method: str = "btree"
    collations: tuple[str | None, ...] = ()
    opclasses: tuple[str | None, ...] = ()
    include: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForeignKey:
    name: str | None
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    location: Location
    on_delete: str | None = None
    on_update: str | None = None


@dataclass(frozen=True, slots=True)
class Constraint:
    """A table constraint other than a foreign key: kind is primary, unique, check or exclude."""

    kind: str
    columns: tuple[str, ...]
    location: Location
    name: str | None = None
    expression: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    location: Location
    origin: DataOrigin
    schema: str | None = None
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    model: str | None = None
    partition_of: str | None = None
    partition_by: str | None = None

    @property
    def key(self) -> str:
        return f"table:{self.qualified_name}"

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def primary_key(self) -> tuple[str, ...]:
        for constraint in self.constraints:
            if constraint.kind == "primary":
                return constraint.columns
        return tuple(c.name for c in self.columns if c.primary_key)

    def has_index_starting_with(self, columns: tuple[str, ...]) -> bool:
        """True when an index (or the primary key / a unique constraint, which PostgreSQL backs with one)
        has exactly these columns as its leading columns, in this order."""
        n = len(columns)
        leading = [i.columns[:n] for i in self.indexes]
        leading += [c.columns[:n] for c in self.constraints if c.kind in ("primary", "unique")]
        return tuple(columns) in leading


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """One operation of a migration, normalised across SQL, Alembic and Django: `kind` is e.g.
    create_table, add_column, alter_column_type, create_index, drop_column, run_python; `options` holds
    the facts migration-safety rules judge (("concurrently", "true"), ("default", "now()"), ...)."""

    kind: str
    location: Location
    table: str | None = None
    column: str | None = None
    name: str | None = None
    sql: str | None = None
    options: tuple[tuple[str, str], ...] = ()

    def option(self, name: str) -> str | None:
        return next((v for k, v in self.options if k == name), None)


@dataclass(frozen=True, slots=True)
class Migration:
    """A migration: its identifier, what it follows, whether it runs in one transaction, its changes."""

    id: str
    path: str
    location: Location
    framework: str
    order: int = 0
    parents: tuple[str, ...] = ()
    atomic: bool = True
    changes: tuple[SchemaChange, ...] = ()

    @property
    def key(self) -> str:
        return f"migration:{self.id}"


@dataclass(frozen=True, slots=True)
class Query:
    """A database query in code and the context it runs in."""

    table: str | None
    location: Location
    kind: str = "select"
    model: str | None = None
    function: str | None = None
    filters: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ()
    joins: tuple[str, ...] = ()
    eager_loads: tuple[str, ...] = ()
    limited: bool = False
    in_loop: bool = False
    in_handler: bool = False
    in_async: bool = False
    raw_sql: str | None = None

    @property
    def key(self) -> str:
        return f"query:{self.function or self.location.path}:{self.table}:{self.kind}"
