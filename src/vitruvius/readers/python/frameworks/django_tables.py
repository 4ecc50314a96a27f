"""A Django model described as fields and options (from a models.py class or a migration's CreateModel)
→ the table Django's PostgreSQL schema editor creates for it, with `Meta.indexes`, `constraints`,
`unique_together` and `index_together`."""

from __future__ import annotations

from abc import ABC, abstractmethod

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ....model import Constraint, Index, Location
from .django_fields import (
    FOREIGN_KEYS,
    FieldKinds,
    FieldReader,
    TableParts,
    Target,
    Targets,
    column_name,
    column_type,
    condition_sql,
    expression_columns,
    field_names,
    key_type,
    relation_target,
    together,
)
from .django_names import INDEX_SUFFIXES, index_name, model_index_name
from .django_project import CONTRIB_TABLES
from .values import Call, Value, text_of

_INDEX_METHODS = {
    "GinIndex": "gin",
    "GistIndex": "gist",
    "BrinIndex": "brin",
    "HashIndex": "hash",
    "SpGistIndex": "spgist",
    "BloomIndex": "bloom",
}


@dataclass(frozen=True)
class FieldDeclaration:
    name: str
    call: Call
    path: str


@dataclass
class ModelShape:
    """A model as Django's migration state sees it: fields in order and the options that touch the schema
    (each option value with the path of the file that declares it)."""

    app_label: str
    name: str
    table: str
    location: Location
    fields: list[FieldDeclaration] = field(default_factory=list)
    options: dict[str, tuple[Value, str]] = field(default_factory=dict)
    managed: bool = True
    proxy: bool = False
    auto_field: str = "AutoField"  # the app's default primary key class, for auto-created many-to-many tables

    @property
    def label(self) -> str:
        return f"{self.app_label}.{self.name.lower()}"

    def field(self, name: str) -> FieldDeclaration | None:
        return next((f for f in self.fields if f.name == name), None)

    def primary_key(self) -> FieldDeclaration | None:
        return next((f for f in self.fields if f.call.get("primary_key") is True), None)


def build_table(shape: ModelShape, kinds: FieldKinds, targets: Targets) -> TableParts:
    parts = TableParts(shape.table, shape.location)
    for declaration in shape.fields:
        kind = kinds.kind(declaration.call.name)
        if kind:
            FieldReader(kinds, targets, declaration.path, shape.auto_field).add(
                parts, declaration.name, declaration.call, kind, shape.app_label, shape.name
            )
    columns = field_columns(shape, kinds)
    for names in _together(shape, "unique_together"):
        cols = [columns.get(n, n) for n in names]
        parts.constraints.append(
            Constraint("unique", tuple(cols), shape.location, index_name(shape.table, cols, "_uniq"))
        )
    for names in _together(shape, "index_together"):
        cols = [columns.get(n, n) for n in names]
        parts.indexes.append(Index(index_name(shape.table, cols, "_idx"), tuple(cols), shape.location))
    indexes, path = shape.options.get("indexes", ((), ""))
    for call in indexes if isinstance(indexes, tuple) else ():
        if isinstance(call, Call) and (index := model_index(call, shape, columns, path)):
            parts.indexes.append(index)
    constraints, path = shape.options.get("constraints", ((), ""))
    for call in constraints if isinstance(constraints, tuple) else ():
        if isinstance(call, Call) and (element := model_constraint(call, shape, columns, path)):
            (parts.indexes if isinstance(element, Index) else parts.constraints).append(element)
    return parts


def _together(shape: ModelShape, option: str) -> Iterator[list[str]]:
    value, _path = shape.options.get(option, ((), ""))
    yield from together(value)


def field_columns(shape: ModelShape, kinds: FieldKinds) -> dict[str, str]:
    """Field name → column name (`customer` → `customer_id`), for options that name fields."""
    found = {}
    for declaration in shape.fields:
        kind = kinds.kind(declaration.call.name)
        column = column_name(declaration.name, declaration.call, kind) if kind else None
        if column:
            found[declaration.name] = column
    return found


def model_index(call: Call, shape: ModelShape, columns: dict[str, str], path: str) -> Index | None:
    """`models.Index(fields=["-created"], name=..., condition=Q(...), opclasses=[...], include=[...])`,
    `GinIndex(...)` and friends, or an index of expressions (`Index(Lower("email"), name=...)`)."""
    names = field_names(call.get("fields"))
    descending = [n.startswith("-") for n in names]
    cols = [columns.get(n.lstrip("-"), n.lstrip("-")) for n in names] or expression_columns(call.args)
    if not cols:
        return None
    suffix = INDEX_SUFFIXES.get(call.last, "idx")
    name = _interpolated(text_of(call.get("name")), shape) or model_index_name(
        shape.table, cols, descending or [False] * len(cols), suffix
    )
    opclasses = tuple(field_names(call.get("opclasses")))
    return Index(
        name,
        tuple(cols),
        call.location(path),
        unique=False,
        where=condition_sql(call.get("condition"), columns),
        method=_INDEX_METHODS.get(call.last, "btree"),
        opclasses=opclasses,
        include=tuple(columns.get(n, n) for n in field_names(call.get("include"))),
        orderings=tuple("desc" if d else None for d in descending) if any(descending) else (),
    )


def model_constraint(call: Call, shape: ModelShape, columns: dict[str, str], path: str) -> Constraint | Index | None:
    """`UniqueConstraint` (a partial, expression or covering one is a unique index in PostgreSQL),
    `CheckConstraint`, and `ExclusionConstraint`."""
    name = _interpolated(text_of(call.get("name")), shape)
    location = call.location(path)
    if call.last == "UniqueConstraint":
        cols = [columns.get(n, n) for n in field_names(call.get("fields"))] or expression_columns(call.args)
        if call.get("condition") is not None or call.args or call.get("include") or call.get("opclasses"):
            return Index(
                name or index_name(shape.table, cols, "_uniq"),
                tuple(cols),
                location,
                unique=True,
                where=condition_sql(call.get("condition"), columns),
                include=tuple(columns.get(n, n) for n in field_names(call.get("include"))),
            )
        return Constraint("unique", tuple(cols), location, name)
    if call.last == "CheckConstraint":
        check = call.get("condition") if call.has("condition") else call.get("check")
        expression = condition_sql(check, columns)
        referenced = tuple(c for c in columns.values() if expression and c in expression)
        return Constraint("check", referenced, location, name, expression)
    if call.last == "ExclusionConstraint":
        expressions = call.get("expressions") or ()
        cols = (
            [
                e[0] if isinstance(e, str) else e[0] if isinstance(e, tuple) and e and isinstance(e[0], str) else "expr"
                for e in expressions
            ]
            if isinstance(expressions, tuple)
            else []
        )
        return Constraint("exclude", tuple(columns.get(c, c) for c in cols), location, name)
    return None


def _interpolated(name: str | None, shape: ModelShape) -> str | None:
    """Names in an abstract model's Meta may use `%(app_label)s` and `%(class)s`."""
    if name is None:
        return None
    return name.replace("%(app_label)s", shape.app_label.lower()).replace("%(class)s", shape.name.lower())


def label_of(reference: str, app_label: str, model: str) -> str:
    """A relation written as a string ("self", "Order", "shop.Order") as Django's lower-case model label."""
    if reference == "self":
        return f"{app_label}.{model}".lower()
    return reference.lower() if "." in reference else f"{app_label}.{reference.lower()}"


class KeyTargets(ABC):
    """What a relation references: the table, key column and key type of the model it names. Shared by the
    models reader and the migration state, which say what a reference means (`label`) and which model a
    label is (`shape`)."""

    def __init__(self, kinds: FieldKinds) -> None:
        self.kinds = kinds
        self._resolving: set[str] = set()

    @abstractmethod
    def label(self, reference: Value, app_label: str, model: str) -> str | None:
        """The `app_label.model` a reference (`"shop.Order"`, `"self"`, a settings name) means."""

    @abstractmethod
    def shape(self, label: str) -> tuple[ModelShape, str | None] | None:
        """The model a label names, with the qualname of its class when the repository defines it."""

    def target(self, reference: Value, app_label: str, model: str) -> Target | None:
        label = self.label(reference, app_label, model)
        if label is None:
            return None
        found = self.shape(label)
        if found is None or label in self._resolving:
            # A model of Django's own apps or of a package outside the repository: the conventional table
            # and an integer `id` (Django's apps use AutoField).
            return Target(label, CONTRIB_TABLES.get(label, label.replace(".", "_")), "id", "integer")
        shape, qualname = found
        self._resolving.add(label)  # a key that is a relation is resolved through the model it points to
        try:
            return replace(self._key(label, shape), model=qualname)
        finally:
            self._resolving.discard(label)

    def _key(self, label: str, shape: ModelShape) -> Target:
        primary = shape.primary_key()
        if primary is None:
            return Target(label, shape.table, "id", "integer")
        kind = self.kinds.kind(primary.call.name) or ""
        column = column_name(primary.name, primary.call, kind) or primary.name
        if kind in FOREIGN_KEYS:  # multi-table inheritance: the key is the parent's
            inner = self.target(relation_target(primary.call), shape.app_label, shape.name)
            return Target(label, shape.table, column, key_type(inner.pk_type) if inner else "integer")
        return Target(label, shape.table, column, column_type(primary.call, kind, self.kinds))
