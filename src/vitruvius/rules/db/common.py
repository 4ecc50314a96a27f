"""What the schema rules share: a table's access paths (its indexes and key constraints, a partition's
inherited ones too), the columns it declares itself, reserved words, and how names and types read.

Not a rule: it declares none, so the pack loads it like any other module and registers nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from ...model import Column, Constraint, Index, SystemModel, Table

# Words PostgreSQL reserves (as column names too); an identifier spelled like one must be quoted.
PG_RESERVED = frozenset("""
    all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation
    column concurrently constraint create cross current_catalog current_date current_role current_schema
    current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch
    for foreign freeze from full grant group having ilike in initially inner intersect into is isnull join lateral
    leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer
    overlaps placing primary references returning right select session_user similar some symmetric system_user
    table tablesample then to trailing true union unique user using variadic verbose when where window with
""".split())
# Words MySQL and MariaDB reserve that tables and columns are often named after.
MYSQL_RESERVED = frozenset("""
    accessible add all alter analyze and as asc before between both by call cascade case change check collate column
    condition constraint convert create cross cube cume_dist current_date current_time current_timestamp current_user
    database databases default delayed delete dense_rank desc describe distinct div drop dual each else elseif empty
    except exists explain false fetch first_value for force foreign from fulltext generated get grant group
    grouping groups having high_priority if ignore in index infile inner insert interval into is iterate join json_table
    key keys kill lag last_value lateral lead leading leave left like limit linear lines load localtime localtimestamp
    lock long loop match maxvalue mod modifies natural not null nth_value ntile of on optimize option optionally or
    order out outer outfile over partition percent_rank primary procedure purge range rank read reads recursive
    references regexp release rename repeat replace require resignal restrict return revoke right rlike row row_number
    rows schema schemas select separator set show signal spatial sql sqlexception sqlstate sqlwarning ssl starting
    stored straight_join system table terminated then to trailing trigger true undo union unique unlock unsigned update
    usage use using values varying virtual when where while window with write xor zerofill
""".split())
# SQLite accepts most keywords as names; these it does not.
SQLITE_RESERVED = frozenset("""
    add all alter and as autoincrement between case check collate commit constraint create default deferrable delete
    distinct drop else escape except exists foreign from group having if in index insert intersect into is isnull join
    limit not notnull null on or order primary references select set table then to transaction union unique update using
    values when where
""".split())
# Tables that migration tools and frameworks create for themselves: their names follow the tool, not the schema.
TOOL_TABLES = re.compile(
    r"^(alembic_version|django_migrations|schema_migrations|ar_internal_metadata|flyway_schema_history|"
    r"knex_migrations(_lock)?|goose_db_version|__efmigrationshistory|databasechangelog(lock)?|migrations)$",
    re.IGNORECASE,
)


class AccessPath(NamedTuple):
    """An index as the planner sees it, whether declared as an index or behind a primary/unique constraint."""

    name: str
    columns: tuple[str, ...]
    unique: bool
    method: str
    collations: tuple[str | None, ...]
    opclasses: tuple[str | None, ...]
    orderings: tuple[str | None, ...]
    where: str | None
    include: tuple[str, ...]
    element: Index | Constraint
    table: Table

    @property
    def constraint(self) -> bool:
        return isinstance(self.element, Constraint)

    @property
    def label(self) -> str:
        """`index x`, `unique constraint x` or `primary key x`, as a message names it."""
        kind = getattr(self.element, "kind", "index")
        return {"primary": "primary key", "unique": "unique constraint"}.get(kind, "index") + f" {self.name}"


def _padded(values: tuple[str | None, ...], n: int) -> tuple[str | None, ...]:
    return tuple(values[:n]) + (None,) * (n - len(values))


# When several sources describe one table, the one closest to what the database holds is judged: the live
# database, then DDL (a dump or schema scripts), then the migrations that build it, then the ORM model, which
# may leave out indexes and constraints its migrations create.
ORIGIN_RANK = {"database": 0, "sql": 1, "migration": 2, "orm": 3}


def tables(model: SystemModel) -> list[Table]:
    """Each table of the model once: the same table read from DDL, migrations and ORM models is one table."""
    chosen: dict[tuple[str | None, str], Table] = {}
    for table in model.tables:
        key = (None if table.schema in (None, "public") else table.schema, table.name)
        if key not in chosen or ORIGIN_RANK.get(table.origin, 9) < ORIGIN_RANK.get(chosen[key].origin, 9):
            chosen[key] = table
    return list(chosen.values())


def access_paths_of(table: Table) -> list[AccessPath]:
    """The table's own indexes and the indexes behind its primary and unique constraints."""
    paths: list[AccessPath] = []
    for index in table.indexes:
        n = len(index.columns)
        paths.append(AccessPath(
            index.name, index.columns, index.unique, index.method, _padded(index.collations, n),
            _padded(index.opclasses, n), _padded(index.orderings, n), index.where, index.include, index, table,
        ))
    for constraint in table.constraints:
        if constraint.kind in ("primary", "unique"):
            n = len(constraint.columns)
            paths.append(AccessPath(
                constraint.name or f"{table.name}_{constraint.kind}", constraint.columns, True, "btree",
                (None,) * n, (None,) * n, (None,) * n, None, (), constraint, table,
            ))
    return paths


def access_paths(model: SystemModel, table: Table) -> list[AccessPath]:
    """The table's own access paths, then those a partition inherits from the tables it is a partition of."""
    paths: list[AccessPath] = []
    seen: set[str] = set()
    current: Table | None = table
    while current is not None and current.qualified_name not in seen:
        seen.add(current.qualified_name)
        paths += access_paths_of(current)
        current = parent(model, current)
    return paths


def related_table(model: SystemModel, table: Table, name: str) -> Table | None:
    """The table a name in `table` means (a foreign key's target, a partition's parent), read from the same
    source as `table` when that source has it: an ORM model's neighbour is another ORM model."""
    found = model.tables_named(name)
    return next((t for t in found if t.origin == table.origin), found[0] if found else None)


def parent(model: SystemModel, table: Table) -> Table | None:
    """The partitioned table a partition belongs to, when the model has it."""
    return related_table(model, table, table.partition_of) if table.partition_of else None


def own_columns(model: SystemModel, table: Table) -> Iterator[Column]:
    """The columns a table declares itself: a partition's columns that its parent has are the parent's."""
    above = parent(model, table)
    for column in table.columns:
        if above is None or above.column(column.name) is None:
            yield column


_REVERSED = {None: "desc", "desc": None, "nulls first": "desc nulls last", "desc nulls last": "nulls first"}


def same_order(a: tuple[str | None, ...], b: tuple[str | None, ...]) -> bool:
    """Whether two B-tree column orders give the same sequence, reading one of the indexes backwards if need be."""
    return a == b or a == tuple(_REVERSED.get(o) for o in b)


def reserved_words(dialect: str | None) -> frozenset[str]:
    """The words a table's dialect reserves: PostgreSQL's when it is unknown (ORM models)."""
    if dialect in ("mysql", "mariadb"):
        return MYSQL_RESERVED
    return SQLITE_RESERVED if dialect == "sqlite" else PG_RESERVED


def words(name: str) -> list[str]:
    """The lower-case words of a snake_case, camelCase or PascalCase name."""
    return list(_words(name))


@lru_cache(maxsize=8192)  # every rule asks it of the same column names
def _words(name: str) -> tuple[str, ...]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return tuple(w for w in re.split(r"[_\W]+", spaced.lower()) if w)


def text_like(type_: str) -> bool:
    """A character string type of any dialect (not an array, not JSON)."""
    return not type_.endswith("]") and re.match(
        r"^(text|character varying|varchar|nvarchar|character|char|nchar|string|tinytext|mediumtext|longtext|clob|citext)\b",
        type_,
    ) is not None


def integer_like(type_: str) -> bool:
    """An integer type of any dialect: `integer`, `int8`, MySQL's `int(10) unsigned`."""
    pattern = r"^(smallint|integer|int|bigint|tinyint|mediumint|int2|int4|int8)(\(\d+\))?( unsigned)?( zerofill)?$"
    return re.match(pattern, type_) is not None


def mentions(text: str | None, column: str) -> bool:
    """Whether an expression or predicate text of the model names the column."""
    return bool(text) and re.search(rf'(?<![\w$"])"?{re.escape(column)}"?(?![\w$"])', text or "") is not None
