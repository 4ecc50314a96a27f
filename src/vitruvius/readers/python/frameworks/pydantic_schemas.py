"""Pydantic models and enums as OpenAPI schemas, read from class bodies: the fields' annotations, `Field(...)`
constraints and defaults, and an enum's member values. Used by the route extractors for request bodies,
response models and parameters; nothing is imported, so a model's validators and computed fields are unseen."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ....model import Module, Schema
from .qualify import Names, keyword, literal
from .routing import ANY, References, TypeRef, annotated_metadata, bases_chain, scalar_schema, short_name, type_ref

_MODEL_ROOTS = ("pydantic.BaseModel", "pydantic.main.BaseModel", "pydantic.RootModel", "sqlmodel.SQLModel", "pydantic.dataclasses.dataclass")
_ENUM_ROOTS = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})
# Constraint keywords of `Field(...)`, `Query(...)`, `Path(...)` and what they set on a Schema.
_CONSTRAINTS = {"max_length": "max_length", "ge": "minimum", "gt": "minimum", "le": "maximum", "lt": "maximum", "pattern": "pattern", "regex": "pattern"}


@dataclass(frozen=True)
class Field:
    name: str
    type: TypeRef
    required: bool
    constraints: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class ClassShape:
    """A class body's annotated fields, and its plainly assigned literal values (the members, if it is an enum)."""

    qualname: str
    fields: tuple[Field, ...]
    members: tuple[str, ...]


def class_shapes(tree: ast.Module, module: Module, names: Names) -> tuple[ClassShape, ...]:
    """The shape of every module-level class (and class nested in one) that has fields or members."""
    shapes = []
    stack = [(node, f"{module.name}.{node.name}") for node in tree.body if isinstance(node, ast.ClassDef)]
    while stack:
        node, qualname = stack.pop()
        shape = _shape(node, qualname, names)
        if shape.fields or shape.members:
            shapes.append(shape)
        stack += [(inner, f"{qualname}.{inner.name}") for inner in node.body if isinstance(inner, ast.ClassDef)]
    return tuple(sorted(shapes, key=lambda s: s.qualname))


def _shape(node: ast.ClassDef, qualname: str, names: Names) -> ClassShape:
    fields, members = [], []
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            field = _field(statement, names)
            if field is not None:
                fields.append(field)
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            value = literal(statement.value)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and not statement.targets[0].id.startswith("_"):
                members.append(str(value))
    return ClassShape(qualname, tuple(fields), tuple(members))


def _field(statement: ast.AnnAssign, names: Names) -> Field | None:
    name = statement.target.id
    annotation = statement.annotation
    head = short_name(names.qualify(annotation.value if isinstance(annotation, ast.Subscript) else annotation))
    if head == "ClassVar" or name.startswith("_") or name == "model_config":
        return None
    markers = [m for m in annotated_metadata(annotation, names) if isinstance(m, ast.Call)]
    value = statement.value
    if isinstance(value, ast.Call) and short_name(names.qualify(value.func)) == "Field":
        markers.append(value)
        required = _field_call_required(value)
    else:
        required = value is None and all(_field_call_required(m) for m in markers)
    constraints = tuple(pair for marker in markers for pair in call_constraints(marker))
    return Field(name, type_ref(annotation, names), required, constraints)


def _field_call_required(call: ast.Call) -> bool:
    """`Field(...)` and `Field(gt=0)` are required; `Field(None)`, `Field(default=…)`, `Field(default_factory=…)` are not."""
    default = call.args[0] if call.args else keyword(call, "default")
    if keyword(call, "default_factory") is not None:
        return False
    return default is None or (isinstance(default, ast.Constant) and default.value is Ellipsis)


def call_constraints(call: ast.Call) -> tuple[tuple[str, object], ...]:
    """The literal constraint keywords of `Field(...)` / `Query(...)`: (schema attribute, value) pairs."""
    found = []
    for item in call.keywords:
        attribute = _CONSTRAINTS.get(item.arg or "")
        value = literal(item.value)
        if attribute and isinstance(value, (int, float, str)) and not isinstance(value, bool):
            found.append((attribute, value))
    return tuple(found)


def constrained(schema: Schema, constraints: Sequence[tuple[str, object]]) -> Schema:
    """`schema` with the constraints applied; a length limit on an array limits its items."""
    changes: dict[str, object] = {}
    for name, value in constraints:
        # pydantic's `max_length` on a list limits its items
        attribute = "max_items" if name == "max_length" and schema.type == "array" else name
        if attribute == "pattern" and isinstance(value, str):
            changes[attribute] = value
        elif attribute in ("minimum", "maximum") and isinstance(value, (int, float)):
            changes[attribute] = float(value)
        elif attribute in ("max_length", "max_items") and isinstance(value, int):
            changes[attribute] = value
    return replace(schema, **changes) if changes else schema


class SchemaBook:
    """Schemas for annotations, with in-repo pydantic models and enums as components named by class.

    A model's schema holds its fields' schemas, nested models included (each built once and shared); a model
    met again inside itself stays a bare `Schema(ref=name)`. Component names are class names, qualified when
    two classes share one.
    """

    def __init__(self, shapes: Sequence[ClassShape], modules: Sequence[Module], references: References) -> None:
        self.references = references
        self.shapes = {s.qualname: s for s in shapes}
        bases = {c.qualname: c.bases for m in modules for c in m.classes}
        self.kinds = {name: kind for name in bases if (kind := _kind(name, bases, references))}
        counts: dict[str, int] = {}
        for name in self.kinds:
            counts[short_name(name)] = counts.get(short_name(name), 0) + 1
        self.component_names = {name: short_name(name) if counts[short_name(name)] == 1 else name for name in self.kinds}
        self.chains = {name: bases_chain(name, bases, references) for name in self.kinds}
        self._built: dict[str, Schema] = {}
        self._building: set[str] = set()

    def resolve(self, name: str) -> str | None:
        return self.references.resolve(name, self.kinds)

    def is_model(self, name: str) -> bool:
        resolved = self.resolve(name)
        return resolved is not None and self.kinds[resolved] == "model"

    def is_enum(self, name: str) -> bool:
        resolved = self.resolve(name)
        return resolved is not None and self.kinds[resolved] == "enum"

    def schema(self, ref: TypeRef) -> Schema:
        if ref.kind == "name":
            return self._named(ref.name)
        if ref.kind == "optional":
            return replace(self.schema(ref.args[0]), nullable=True)
        if ref.kind == "list":
            return Schema(type="array", items=self.schema(ref.args[0]) if ref.args else None)
        if ref.kind == "dict":
            return Schema(type="object")
        if ref.kind == "literal":
            return Schema(type="string", enum=ref.values)
        return Schema()

    def _named(self, name: str) -> Schema:
        scalar = scalar_schema(name)
        if scalar is not None:
            return scalar
        resolved = self.resolve(name)
        if resolved is None:
            # A class from another package (or not a class at all): named, but its fields are unknown.
            return Schema(ref=short_name(name)) if short_name(name)[:1].isupper() else Schema()
        if resolved in self._built:
            return self._built[resolved]
        if resolved in self._building:
            return Schema(ref=self.component_names[resolved])
        self._building.add(resolved)
        try:
            built = self._model(resolved) if self.kinds[resolved] == "model" else self._enum(resolved)
        finally:
            self._building.discard(resolved)
        self._built[resolved] = built
        return built

    def _model(self, qualname: str) -> Schema:
        fields: dict[str, Field] = {}
        # Ancestors first, so a subclass's field replaces the one it overrides.
        for ancestor in reversed(self.chains[qualname]):
            shape = self.shapes.get(ancestor)
            if shape is not None and self.kinds.get(ancestor) == "model":
                fields.update((f.name, f) for f in shape.fields)
        properties = tuple((f.name, constrained(self.schema(f.type), f.constraints)) for f in fields.values())
        required = tuple(f.name for f in fields.values() if f.required)
        return Schema(type="object", ref=self.component_names[qualname], properties=properties, required=required)

    def _enum(self, qualname: str) -> Schema:
        shape = self.shapes.get(qualname)
        members = shape.members if shape else ()
        integer = bool(members) and all(m.lstrip("-").isdigit() for m in members) and "enum.StrEnum" not in self.chains[qualname]
        return Schema(type="integer" if integer else "string", ref=self.component_names[qualname], enum=members)


def _kind(name: str, bases: Mapping[str, tuple[str, ...]], references: References) -> str | None:
    chain = bases_chain(name, bases, references)
    if any(a.startswith(_MODEL_ROOTS) for a in chain[1:]):
        return "model"
    if any(a in _ENUM_ROOTS for a in chain[1:]):
        return "enum"
    return None


__all__ = ["ANY", "ClassShape", "Field", "SchemaBook", "call_constraints", "class_shapes", "constrained"]
