"""SQLAlchemy schema constructs → model elements, shared by the ORM models and Alembic migrations:
`Column(...)` / `mapped_column(...)` / SQLModel `Field(...)`, and the table-level `Index`,
`UniqueConstraint`, `CheckConstraint`, `ForeignKeyConstraint` and `PrimaryKeyConstraint`.

Names follow what the database ends up with when no naming convention is configured: SQLAlchemy's own
`ix_<table>_<column>` for `index=True`, PostgreSQL's defaults (`<table>_pkey`, `<table>_<column>_key`,
`<table>_<column>_fkey`, `<table>_<column>_check`) for unnamed constraints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ....model import Column, Constraint, ForeignKey, Index, Location
from .sqlalchemy_types import annotation_type, is_type, type_text, unwrap_optional
from .values import Call, Dict, Lambda, Ref, Starred, Value, expand, render, text_of

_SERIAL = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}
_COLUMN_CALLS = frozenset({"Column", "mapped_column"})
# A reference given as an attribute (`User.id`) → (table, column); the ORM resolves classes, Alembic cannot.
ReferenceResolver = Callable[[Value], tuple[str, str] | None]
TypeResolver = Callable[[str], str | None]


@dataclass(frozen=True)
class ForeignKeySpec:
    target: str  # "table.column" or "schema.table.column", or "" until resolved
    reference: Value
    on_delete: str | None
    on_update: str | None
    name: str | None


@dataclass
class ColumnSpec:
    """A column as declared; `nullable` None means "the ORM's default", decided with the table."""

    name: str
    type: str | None
    location: Location
    nullable: bool | None = None
    primary_key: bool = False
    unique: bool = False
    index: bool = False
    default: str | None = None
    identity: bool = False
    autoincrement: Value = "auto"
    foreign_keys: list[ForeignKeySpec] = field(default_factory=list)


def is_column_call(value: Value) -> bool:
    return isinstance(value, Call) and value.last in _COLUMN_CALLS


def is_sqlmodel_field(value: Value) -> bool:
    return isinstance(value, Call) and value.name in ("sqlmodel.Field", "sqlmodel.main.Field")


def read_column(call: Call, path: str, attribute: str | None, types: TypeResolver) -> ColumnSpec:
    """A `Column(...)` or `mapped_column(...)` call; `attribute` names it when the call does not."""
    positional = list(expand(call.args))
    name = (
        positional.pop(0)
        if positional and isinstance(positional[0], str)
        else text_of(call.get("name")) or attribute or "?"
    )
    spec = ColumnSpec(name, None, call.location(path))
    for value in positional:
        if isinstance(value, Call) and value.last == "ForeignKey":
            spec.foreign_keys.append(foreign_key_spec(value))
        elif isinstance(value, Call) and value.last == "Identity":
            spec.identity = True
        elif is_type(value) or _is_custom_type(value, types):
            spec.type = type_text(value, types)
    if (declared := call.get("type_")) is not None:
        spec.type = type_text(declared, types)
    _read_flags(spec, call)
    spec.default = server_default(call.get("server_default"))
    return spec


def read_sqlmodel_field(
    call: Call | None, path: str, attribute: str, annotation: Value, location: Location, types: TypeResolver
) -> ColumnSpec:
    """A SQLModel `Field(...)` (or a bare annotated attribute): the type comes from the annotation."""
    inner, optional = unwrap_optional(annotation)
    sa_column = call.get("sa_column") if call else None
    if is_column_call(sa_column):
        return read_column(sa_column, path, attribute, types)
    spec = ColumnSpec(attribute, annotation_type(annotation) or _class_type(inner, types), location)
    if call is None:
        spec.nullable = optional
        return spec
    sa_type = call.get("sa_type")
    if sa_type is not None:
        spec.type = type_text(sa_type, types)
    elif spec.type == "character varying" and isinstance(call.get("max_length"), int):
        spec.type = f"character varying({call.get('max_length')})"
    elif spec.type == "numeric" and isinstance(call.get("max_digits"), int):
        spec.type = f"numeric({call.get('max_digits')},{call.get('decimal_places', 0)})"
    _read_flags(spec, call)
    if spec.nullable is None and not spec.primary_key:
        spec.nullable = optional
    target = text_of(call.get("foreign_key"))
    if target:
        spec.foreign_keys.append(ForeignKeySpec(target, target, _action(call.get("ondelete")), None, None))
    extra = call.get("sa_column_kwargs")
    if isinstance(extra, Dict):
        spec.default = server_default(extra.get("server_default"))
    return spec


def _read_flags(spec: ColumnSpec, call: Call) -> None:
    for flag in ("primary_key", "unique", "index"):
        if call.get(flag) is True:
            setattr(spec, flag, True)
    if isinstance(call.get("nullable"), bool):
        spec.nullable = call.get("nullable")
    if call.has("autoincrement"):
        spec.autoincrement = call.get("autoincrement")
    if isinstance(call.get("foreign_key"), Call):  # SQLModel passes a ForeignKey object here too
        spec.foreign_keys.append(foreign_key_spec(call.get("foreign_key")))


def _is_custom_type(value: Value, types: TypeResolver) -> bool:
    name = value.name if isinstance(value, (Call, Ref)) else None
    return name is not None and types(name) is not None


def _class_type(inner: Value, types: TypeResolver) -> str | None:
    """An annotation naming an enum class or a TypeDecorator: SQLAlchemy maps an Enum subclass to a
    PostgreSQL enum type named after it."""
    if isinstance(inner, Ref):
        return types(inner.name) or inner.last.lower()
    return None


def foreign_key_spec(call: Call) -> ForeignKeySpec:
    reference = call.get("column", 0)
    target = text_of(reference) or ""
    name = text_of(call.get("name"))
    return ForeignKeySpec(target, reference, _action(call.get("ondelete")), _action(call.get("onupdate")), name)


def _action(value: Value) -> str | None:
    text = text_of(value)
    return text.lower() if text and text.upper() != "NO ACTION" else None


def server_default(value: Value) -> str | None:
    """The SQL text of a `server_default`: a plain string is a quoted literal, `text(...)` is SQL as is,
    `func.now()` is the call it renders."""
    if value is None:
        return None
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if (raw := text_of(value)) is not None:
        return raw
    if isinstance(value, Call) and ".func." in f".{value.name}":
        return f"{value.last}({', '.join(server_default(a) or render(a) for a in value.args)})"
    if isinstance(value, Call) and value.last in ("true", "false", "null"):
        return value.last
    return render(value)


def called_functions(sql: str | None) -> list[str]:
    """Function names a default's SQL text calls (`now()`, `gen_random_uuid()`), for volatility facts."""
    return re.findall(r"([A-Za-z_][\w.]*)\s*\(", sql or "")


@dataclass
class TableParts:
    """The columns and elements of one table as SQLAlchemy would create it."""

    name: str
    location: Location
    schema: str | None = None
    columns: list[Column] = field(default_factory=list)
    specs: list[ColumnSpec] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)

    def add(self, spec: ColumnSpec) -> None:
        self.specs = [s for s in self.specs if s.name != spec.name] + [spec]

    def finish(self, resolve: ReferenceResolver, default_nullable: Callable[[ColumnSpec], bool]) -> None:
        """Turn the column specs into columns and their elements, once every column is known (a single
        integer primary key becomes SERIAL, which needs the whole primary key)."""
        declared_primary = next((c.columns for c in self.constraints if c.kind == "primary"), ())
        primary = declared_primary or tuple(s.name for s in self.specs if s.primary_key)
        for spec in self.specs:
            spec.primary_key = spec.primary_key or spec.name in primary
            self.columns.append(self._column(spec, len(primary) == 1, default_nullable))
            self._column_elements(spec, resolve)
        if primary and not declared_primary:
            self.constraints.insert(0, Constraint("primary", primary, self.specs[0].location, f"{self.name}_pkey"))

    def _column(
        self, spec: ColumnSpec, single_primary_key: bool, default_nullable: Callable[[ColumnSpec], bool]
    ) -> Column:
        type_ = spec.type or "unknown"
        identity = spec.identity
        autoincrement = spec.autoincrement is True or (spec.autoincrement == "auto" and not spec.foreign_keys)
        if spec.primary_key and single_primary_key and type_ in _SERIAL and autoincrement and not identity:
            type_, identity = _SERIAL[type_], True
        nullable = False if spec.primary_key else spec.nullable if spec.nullable is not None else default_nullable(spec)
        return Column(
            spec.name,
            type_,
            spec.location,
            nullable,
            spec.default,
            identity,
            spec.primary_key,
            spec.unique and not spec.index,
        )

    def _column_elements(self, spec: ColumnSpec, resolve: ReferenceResolver) -> None:
        if spec.index:
            self.indexes.append(Index(f"ix_{self.name}_{spec.name}", (spec.name,), spec.location, unique=spec.unique))
        elif spec.unique:
            self.constraints.append(Constraint("unique", (spec.name,), spec.location, f"{self.name}_{spec.name}_key"))
        for fk in spec.foreign_keys:
            if target := _target(fk, resolve):
                table, column = target
                name = fk.name or f"{self.name}_{spec.name}_fkey"
                self.foreign_keys.append(
                    ForeignKey(name, (spec.name,), table, (column,), spec.location, fk.on_delete, fk.on_update)
                )

    def add_item(self, value: Value, path: str, resolve: ReferenceResolver) -> None:
        """A table-level construct of `__table_args__`, `Table(...)` or `op.create_table(...)`."""
        if not isinstance(value, Call):
            return
        location = value.location(path)
        kind = value.last
        if kind == "Index":
            if index := index_of(value, path, self.name):
                self.indexes.append(index)
        elif kind in ("UniqueConstraint", "PrimaryKeyConstraint"):
            columns = column_names(value.args)
            primary = kind == "PrimaryKeyConstraint"
            default = f"{self.name}_pkey" if primary else "_".join([self.name, *columns, "key"])
            self.constraints.append(
                Constraint("primary" if primary else "unique", columns, location, text_of(value.get("name")) or default)
            )
        elif kind == "CheckConstraint":
            self.constraints.append(self._check(value, location))
        elif kind == "ForeignKeyConstraint":
            self._foreign_key_constraint(value, location, resolve)

    def _check(self, call: Call, location: Location) -> Constraint:
        expression = text_of(call.get("sqltext", 0)) or render(call.get("sqltext", 0))
        known = {s.name for s in self.specs}
        columns = tuple(dict.fromkeys(w for w in re.findall(r"[A-Za-z_]\w*", expression) if w in known))
        default = "_".join([self.name, *(columns if len(columns) == 1 else ()), "check"])
        return Constraint("check", columns, location, text_of(call.get("name")) or default, expression)

    def _foreign_key_constraint(self, call: Call, location: Location, resolve: ReferenceResolver) -> None:
        columns = column_names(call.get("columns", 0) or ())
        references = call.get("refcolumns", 1) or ()
        targets = (
            [_target(ForeignKeySpec(text_of(r) or "", r, None, None, None), resolve) for r in references]
            if isinstance(references, tuple)
            else []
        )
        if not targets or None in targets:
            return
        table = targets[0][0]  # type: ignore[index]
        name = text_of(call.get("name")) or "_".join([self.name, *columns, "fkey"])
        ref_columns = tuple(t[1] for t in targets if t)
        self.foreign_keys.append(
            ForeignKey(
                name,
                columns,
                table,
                ref_columns,
                location,
                _action(call.get("ondelete")),
                _action(call.get("onupdate")),
            )
        )

    def infer_foreign_key_types(self, type_of: Callable[[str, str], str | None]) -> None:
        """A column declared only by its ForeignKey takes the referenced column's type, as SQLAlchemy does."""
        for position, column in enumerate(self.columns):
            if column.type != "unknown":
                continue
            fk = next((f for f in self.foreign_keys if f.columns == (column.name,)), None)
            found = type_of(fk.ref_table, fk.ref_columns[0]) if fk else None
            if found:
                self.columns[position] = replace(column, type={v: k for k, v in _SERIAL.items()}.get(found, found))


def _target(fk: ForeignKeySpec, resolve: ReferenceResolver) -> tuple[str, str] | None:
    if fk.target:
        table, _, column = fk.target.rpartition(".")
        return (table, column) if table else None
    return resolve(fk.reference)


def index_of(call: Call, path: str, table: str) -> Index | None:
    """`Index("name", "col", text("lower(email)"), unique=True, postgresql_where=..., postgresql_using=...)`."""
    values = list(expand(call.args))
    name = text_of(values.pop(0)) if values else None
    elements = [_ordered(v) for v in values]
    columns = column_names(tuple(v for v, _ in elements))
    orderings = tuple(o for _, o in elements) if len(columns) == len(elements) and any(o for _, o in elements) else ()
    if not columns:
        return None
    where = call.get("postgresql_where") or call.get("sqlite_where")
    include = call.get("postgresql_include") or ()
    operators = call.get("postgresql_ops")
    opclasses = tuple(text_of(operators.get(c)) if isinstance(operators, Dict) else None for c in columns)
    return Index(
        name or "_".join(["ix", table, *columns]),
        columns,
        call.location(path),
        unique=call.get("unique") is True,
        where=(text_of(where) or render(where)) if where is not None else None,
        method=(text_of(call.get("postgresql_using")) or "btree").lower(),
        opclasses=opclasses if any(opclasses) else (),
        include=column_names(include) if isinstance(include, tuple) else (),
        orderings=orderings,
    )


_SORT_TEXT = re.compile(
    r"^(?P<expression>.*?)\s+(?P<direction>asc|desc)(?:\s+nulls\s+(?P<nulls>first|last))?$", re.IGNORECASE | re.DOTALL
)


def _ordered(value: Value) -> tuple[Value, str | None]:
    """An index element and its sort order where it differs from the default, spelled as the SQL reader
    spells it: `desc(x)`, `x.desc()` and `text("x DESC")` are all ("x", "desc")."""
    if isinstance(value, Call) and value.last in ("desc", "asc"):
        inner = value.args[0] if value.args else Ref(value.name.rpartition(".")[0], value.name.rpartition(".")[0])
        return inner, "desc" if value.last == "desc" else None
    text = text_of(value)
    match = _SORT_TEXT.match(text) if text else None
    if match is None:
        return value, None
    descending = match["direction"].lower() == "desc"
    nulls = (match["nulls"] or "").lower()
    if descending:
        return match["expression"], "desc nulls last" if nulls == "last" else "desc"
    return match["expression"], "nulls first" if nulls == "first" else None


def column_names(values: Value) -> tuple[str, ...]:
    """Column names given as strings, attribute references (`User.email`, a class-body `email`),
    `Column` objects, `text(...)` expressions or `desc(...)`."""
    if not isinstance(values, tuple):
        values = (values,)
    names = (_column_name(_unwrapped(value)) for value in expand(values) if not isinstance(value, Starred))
    return tuple(name for name in names if name is not None)


def _unwrapped(value: Value) -> Value:
    """`lambda: x`, `desc(x)`, `nulls_last(x)` → `x`."""
    if isinstance(value, Lambda):
        value = value.body
    if isinstance(value, Call) and value.last in ("desc", "asc", "nulls_first", "nulls_last") and value.args:
        return value.args[0]
    return value


def _column_name(value: Value) -> str | None:
    text = text_of(value)
    if text is not None:
        return text
    if isinstance(value, Ref):
        return value.last
    if is_column_call(value) and value.args and isinstance(value.args[0], str):
        return value.args[0]
    return render(value) if isinstance(value, Call) else None
