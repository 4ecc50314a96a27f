"""What the model ↔ migration drift rules share (no rule lives here): each ORM model table beside the table
its migrations build, the access paths compared between them, and the command that regenerates migrations.

Django models are compared with Django migrations; SQLAlchemy and SQLModel models with Alembic migrations or
SQL migration scripts. A model table is judged only when its set of tables is migrated at all: the Django app
has migrations, or another table of the same SQLAlchemy declarative base is built by the migrations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...model import Constraint, Index, SystemModel, Table

# Which migration tables may describe a model's table, by the model's framework (None: SQL scripts).
_MIGRATED_BY = {"django": ("django",), "sqlalchemy": ("alembic", None), "sqlmodel": ("alembic", None)}
_NOISE = re.compile(r"[\s\"'`()]")


@dataclass(frozen=True, slots=True)
class Pair:
    """A model's table and the same table as the migrations build it."""

    model: Table
    migrated: Table


def model_tables(model: SystemModel) -> Iterator[Table]:
    """ORM tables the ORM expects migrations to create (Django `managed = False` tables are not)."""
    for table in model.tables:
        if table.origin == "orm" and table.managed and table.framework in _MIGRATED_BY:
            yield table


def _migration_tables(model: SystemModel, framework: str | None) -> dict[str, Table]:
    allowed = _MIGRATED_BY.get(framework or "", ())
    found: dict[str, Table] = {}
    for table in model.tables:
        if table.origin == "migration" and table.framework in allowed:
            found.setdefault(table.qualified_name, table)
            found.setdefault(table.name, table)
    return found


def twin(model: SystemModel, table: Table) -> Table | None:
    built = _migration_tables(model, table.framework)
    return built.get(table.qualified_name) or built.get(table.name)


def pairs(model: SystemModel) -> Iterator[Pair]:
    for table in model_tables(model):
        migrated = twin(model, table)
        if migrated is not None:
            yield Pair(table, migrated)


def set_is_migrated(model: SystemModel, table: Table) -> bool:
    """Whether the migrations describe the model's set of tables: the Django app has migrations, or another
    table of the same declarative base is built by them."""
    if table.framework == "django":
        return any(m.framework == "django" and m.id.startswith(f"{table.registry}.") for m in model.migrations)
    if table.registry is None:
        return False
    return any(
        other.registry == table.registry and other is not table and twin(model, other) for other in model_tables(model)
    )


def model_name(table: Table) -> str:
    if table.model:
        return table.model.rpartition(".")[2]
    return f"the many-to-many table {table.name}"


def subject(table: Table) -> str:
    """`model Order (table shop_order)`, or `many-to-many table shop_order_tags` for one Django creates."""
    if table.model:
        return f"model {model_name(table)} (table {table.name})"
    return f"many-to-many table {table.name}"


def regenerate(table: Table) -> str:
    """The command that writes the migration the model is missing."""
    if table.framework == "django":
        return f"python manage.py makemigrations {table.registry or ''}".rstrip()
    return 'alembic revision --autogenerate -m "<what changed>"'


# --- access paths: indexes and key constraints, compared by what they cover -------------------------------

AccessKey = tuple[tuple[str, ...], bool, bool]


def access_paths(table: Table) -> dict[AccessKey, Index | Constraint]:
    """Indexes, unique constraints and the primary key by (columns, unique, partial): names differ between
    the ways an index is declared (`ix_orders_code`, `orders_code_key`), what it covers does not. Column
    expressions are compared without spaces, quotes and parentheses, which each reader spells its own way."""
    found: dict[AccessKey, Index | Constraint] = {}
    for constraint in table.constraints:
        if constraint.kind in ("primary", "unique"):
            found.setdefault((_normal(constraint.columns), True, False), constraint)
    for index in table.indexes:
        found.setdefault((_normal(index.columns), index.unique, index.where is not None), index)
    return found


def missing(source: Table, target: Table) -> list[tuple[AccessKey, Index | Constraint]]:
    """The access paths of `source` that `target` lacks, one per set of columns: a missing unique field is
    one finding, not one for its constraint and another for the pattern index Django adds beside it."""
    present = access_paths(target)
    reported: set[tuple[str, ...]] = set()
    found = []
    for key, element in access_paths(source).items():
        if key in present or key[0] in reported:
            continue
        reported.add(key[0])
        found.append((key, element))
    return found


def _normal(columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_NOISE.sub("", c).lower() for c in columns)


def describe(element: Index | Constraint) -> str:
    columns = ", ".join(element.columns)
    if isinstance(element, Constraint):
        kind = (
            "primary key"
            if element.kind == "primary"
            else f"unique constraint {element.name}"
            if element.name
            else "unique constraint"
        )
        return f"{kind} ({columns})"
    kind = "unique index" if element.unique else "index"
    partial = f" WHERE {element.where}" if element.where else ""
    return f"{kind} {element.name} ({columns}){partial}"
