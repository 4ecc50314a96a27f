"""The fixes schema rules give: statements in the table's own dialect (PostgreSQL unless the table was read as
MySQL/MariaDB or SQLite), or what to declare on the model when the table is an ORM model.

Not a rule: it declares none.
"""

from __future__ import annotations

import re

from ...model import Column, Table
from .common import AccessPath, reserved_words

_PLAIN_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_$]*$")


def is_mysql(table: Table) -> bool:
    return table.dialect in ("mysql", "mariadb")


def is_sqlite(table: Table) -> bool:
    return table.dialect == "sqlite"


def ident(name: str, dialect: str | None = None) -> str:
    """An identifier as SQL must spell it: quoted (backticks in MySQL) when it is mixed-case, unusual or reserved."""
    if _PLAIN_IDENTIFIER.match(name) and name not in reserved_words(dialect):
        return name
    if dialect in ("mysql", "mariadb"):
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def table_ref(table: Table) -> str:
    return ".".join(ident(part, table.dialect) for part in filter(None, (table.schema, table.name)))


def column_list(columns: tuple[str, ...] | list[str], dialect: str | None = None) -> str:
    return ", ".join(ident(c, dialect) for c in columns)


def object_name(table: Table, words: tuple[str, ...] | list[str], suffix: str) -> str:
    """A new index or constraint name in PostgreSQL's style, within its 63-character limit."""
    name = "_".join([table.name, *words, suffix])
    return name if len(name) <= 63 else f"{name[: 63 - len(suffix) - 1]}_{suffix}"


def model_field(table: Table, column: str) -> str:
    """`Order.customer` for an ORM model's column: the class name, and Django's field name for a `_id` column."""
    field = column
    if table.framework == "django" and column.endswith("_id") and any(column in fk.columns for fk in table.foreign_keys):
        field = column.removesuffix("_id")
    return f"{(table.model or table.name).rpartition('.')[2]}.{field}"


def orm_choice(table: Table, sqlalchemy: str, django: str) -> str:
    """The spelling of the model's own framework, or both when the model does not say."""
    both = f"{sqlalchemy} (SQLAlchemy) or {django} (Django)"
    return {"django": django, "sqlalchemy": sqlalchemy, "sqlmodel": sqlalchemy}.get(table.framework or "", both)


def rebuild(table: Table, change: str) -> str:
    """SQLite alters little in place: the documented way is a new table, a copy, and a rename."""
    return f"rebuild {table.name} with {change} (SQLite cannot make this change in place: create, copy, drop, rename)"


def create_index(
    table: Table, columns: tuple[str, ...], *, where: str | None = None, unique: bool = False, suffix: str | None = None
) -> str:
    """The statement that adds an index (without blocking writes where the database can), or the ORM declaration."""
    name = object_name(table, [c for c in columns if c.isidentifier()] or ["expr"], suffix or ("key" if unique else "idx"))
    kind = "UNIQUE INDEX" if unique else "INDEX"
    if table.model:
        if len(columns) == 1 and where is None:
            flag = "unique=True" if unique else orm_choice(table, "index=True", "db_index=True")
            return f"declare {model_field(table, columns[0])} with {flag}"
        names = ", ".join(repr(c) for c in columns)
        condition = f", postgresql_where=text({where!r})" if where else ""
        sqlalchemy = f"Index({name!r}, {names}{', unique=True' if unique else ''}{condition}) in __table_args__"
        kind = "UniqueConstraint" if unique else "Index"
        django = f"models.{kind}(fields=[{names}], name={name!r}{', condition=Q(...)' if where else ''}) in Meta"
        return f"add {orm_choice(table, sqlalchemy, django)} to {table.model.rpartition('.')[2]}"
    predicate = f" WHERE {where}" if where else ""
    target = f"{ident(name, table.dialect)} ON {table_ref(table)} ({column_list(columns, table.dialect)}){predicate};"
    if is_mysql(table) or is_sqlite(table):
        return f"CREATE {kind} {target}"  # InnoDB builds indexes online (ALGORITHM=INPLACE) by default
    if table.partition_by:
        # A partitioned table cannot be indexed concurrently: index each partition concurrently, then attach.
        only = target.replace(" ON ", " ON ONLY ", 1)
        return f"CREATE {kind} {only} then CREATE {kind} CONCURRENTLY on each partition and ALTER INDEX ... ATTACH PARTITION it"
    return f"CREATE {kind} CONCURRENTLY {target}"


def drop_index(table: Table, path: AccessPath) -> str:
    """The statement that removes an index, or the constraint behind it."""
    if table.model:
        return f"remove the index {path.name} from {table.model.rpartition('.')[2]} (its index=/db_index= or Index entry)"
    name = ident(path.name, table.dialect)
    if is_mysql(table):
        return f"ALTER TABLE {table_ref(table)} DROP INDEX {name};"
    if path.constraint:
        return f"ALTER TABLE {table_ref(table)} DROP CONSTRAINT {name}; (first re-point foreign keys that use it)"
    qualified = ".".join(ident(part) for part in filter(None, (table.schema, path.name)))
    if is_sqlite(table) or table.partition_by:  # a partitioned table's index cannot be dropped concurrently
        return f"DROP INDEX {qualified};"
    return f"DROP INDEX CONCURRENTLY {qualified};"


def modify_column(table: Table, column: Column, sql_type: str, *, not_null: bool | None = None) -> str:
    """MySQL's MODIFY COLUMN restates the whole column: keep its nullability and default."""
    required = not column.nullable if not_null is None else not_null
    default = f" DEFAULT {column.default}" if column.default is not None else ""
    definition = f"{ident(column.name, table.dialect)} {sql_type}{' NOT NULL' if required else ' NULL'}{default}"
    return f"ALTER TABLE {table_ref(table)} MODIFY COLUMN {definition};"


def alter_type(table: Table, column: Column, sql_type: str, orm: tuple[str, str], using: str | None = None) -> str:
    """The statement that changes a column's type, or the ORM type to declare (`orm`: SQLAlchemy's, Django's)."""
    if table.model:
        return f"declare {model_field(table, column.name)} as {orm_choice(table, *orm)}"
    if is_mysql(table):
        return modify_column(table, column, sql_type)
    if is_sqlite(table):
        return rebuild(table, f"{column.name} {sql_type}")
    cast = f" USING {using}" if using else ""
    return f"ALTER TABLE {table_ref(table)} ALTER COLUMN {ident(column.name)} TYPE {sql_type}{cast};"
