"""Data facts: tables from DDL, migrations, ORM models and live databases; migrations; queries in code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .location import Location

DataOrigin = Literal["sql", "migration", "orm", "database"]


@dataclass(frozen=True)
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
    # The values an ORM model restricts the column to in code only (Django `choices=`): no CHECK enforces them.
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Index:
    """An index. `columns` are column names or expression texts, in order; `where` is the predicate of a
    partial index; `collations`, `opclasses` and `orderings` line up with `columns` (None where default;
    an ordering is `desc`, `nulls first` or `desc nulls last`, the spellings that differ from the default)."""

    name: str
    columns: tuple[str, ...]
    location: Location
    unique: bool = False
    where: str | None = None
    method: str = "btree"
    collations: tuple[str | None, ...] = ()
    opclasses: tuple[str | None, ...] = ()
    include: tuple[str, ...] = ()
    orderings: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    name: str | None
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    location: Location
    on_delete: str | None = None
    on_update: str | None = None


@dataclass(frozen=True)
class Constraint:
    """A table constraint other than a foreign key: kind is primary, unique, check or exclude."""

    kind: str
    columns: tuple[str, ...]
    location: Location
    name: str | None = None
    expression: str | None = None


@dataclass(frozen=True)
class Relationship:
    """An ORM relationship attribute of a model: `Order.customer`, `Customer.orders`.

    `target` is the related model's class qualname; `kind` is many_to_one, one_to_many, one_to_one or
    many_to_many; `lazy` is the loading strategy (`select`, the lazy default of SQLAlchemy and Django, or
    `joined`, `selectin`, `subquery`, `raise`, `dynamic`, ...); `uselist` is SQLAlchemy's explicit
    `uselist=` (None when left to the ORM); `back_populates` names the relationship on the other side
    (Django: the reverse accessor, `related_name` or `<model>_set`); `secondary` is the association table
    of a many-to-many relationship.
    """

    name: str
    target: str
    location: Location
    kind: str | None = None
    lazy: str = "select"
    uselist: bool | None = None
    back_populates: str | None = None
    secondary: str | None = None

    @property
    def key(self) -> str:
        return f"relationship:{self.location.path}:{self.name}"


@dataclass(frozen=True)
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
    # The SQL dialect the table was read in (postgres, mysql, mariadb, sqlite), None when unknown (ORM models):
    # what a type means depends on it (SQLite and MySQL have no boolean type of their own).
    dialect: str | None = None
    # ORM models: the relationship attributes the model declares (and the reverse ones other models give it).
    relationships: tuple[Relationship, ...] = ()
    # What declared the table: sqlalchemy, sqlmodel, django (models); alembic, django (migrations); None for SQL.
    framework: str | None = None
    # False when the ORM declares the table but leaves creating it to someone else (Django `managed = False`).
    managed: bool = True
    # False when an ORM model inherits fields from a class the reader cannot see (a third-party base), so
    # columns may exist that the table does not list.
    columns_complete: bool = True
    # The set of tables created together: an ORM model's registry (SQLAlchemy: the declarative base whose
    # metadata holds it; Django: the app label) and, for a table Django migrations build, the app whose
    # migration created it. Models and migrations are compared only within a set both of them describe.
    registry: str | None = None

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


@dataclass(frozen=True)
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
    # create_table: the columns the new table is created with (their types, nullability, defaults), so
    # migration-safety rules can tell what a later ALTER COLUMN ... TYPE changes from.
    columns: tuple[Column, ...] = ()

    def option(self, name: str) -> str | None:
        for key, value in self.options:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
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
    # A script that undoes another (`0002_x.down.sql`, Flyway `U2__x.sql`, a downgrade): it runs only on rollback.
    down: bool = False
    # The release the migration ships in, when its sources say (SQL scripts that share a version number, like
    # MusicBrainz's `27.all.sql` and `27.master_and_standalone.sql`): such migrations are deployed together.
    release: str | None = None

    @property
    def key(self) -> str:
        return f"migration:{self.id}"


@dataclass(frozen=True)
class Query:
    """A database query in code and the context it runs in.

    `kind` is select, get, count, exists, aggregate, insert, update, delete, or lazy-load (an attribute
    access that loads a relation). `filters` and `order_by` name fields of the query's own model as Django
    spells lookups (`status`, `created__gte`, `name__icontains`; a path through a relation keeps its `__`);
    `eager_loads` are relation paths (`customer`, `items__product`) loaded with the rows.

    The fields from `orm` on describe where and how the query runs (the PERF pack reads them):
    `root` is `table` for a query on a whole table (`Order.objects`, `session.query(Order)`, `select(Order)`,
    SQL), `relation` for one through a row's relation (`order.items.filter(...)`), `variable` when it
    continues a queryset held in a variable; `evaluated` is false for a query only built here (returned or
    passed on, run elsewhere); `returned` says its rows flow into the function's return value; `custom`
    says a method the reader does not know (a custom manager or queryset method) takes part, so filters or
    limits may be missing from what it sees. `row_loop` is the loop over another query's rows that runs
    this one once per row, `row_model` the model of those rows, `via` the in-repository functions called
    between that loop (or the request handler) and this query; `handler` the request handler it runs
    under. `relation`/`many` name the relation a lazy load reads and whether it is a collection.
    `row_effects` lists the writes and outbound calls made once per row of this query's result. `columns`
    are the selected columns of SQL (`*` for `SELECT *`).
    """

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
    orm: str | None = None
    root: str = "table"
    evaluated: bool = True
    returned: bool = False
    custom: bool = False
    offset: bool = False
    awaited: bool = False
    columns: tuple[str, ...] = ()
    relation: str | None = None
    many: bool = False
    row_loop: Location | None = None
    row_model: str | None = None
    via: tuple[str, ...] = ()
    handler: str | None = None
    row_effects: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"query:{self.function or self.location.path}:{self.table}:{self.kind}"
