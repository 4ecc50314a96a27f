"""SQLAlchemy declarative models (1.4 `Column`, 2.0 `Mapped[]`/`mapped_column`), Flask-SQLAlchemy's
`db.Model`, SQLModel `table=True` classes and `Table(...)` objects → `Table`s of origin "orm".

Per file, the extractor freezes every class body and the module-level `Table(...)`, declarative base and
TypeDecorator bindings; linking then follows inheritance across files (mixins and abstract bases give
their columns, a mapped subclass without a table of its own adds its columns to its parent's: single-table
inheritance), resolves `ForeignKey(User.id)`, relationship targets and custom types, and types a column
declared only by its foreign key like the column it references.

Left out: `registry.map_imperatively`, metadata naming conventions (unnamed constraints get PostgreSQL's
default names), `column_property`/`composite`/`hybrid_property` (no column of their own), and types
computed at run time.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ....model import Location, Module, Relationship, Table
from . import Contribution, Extractor, Names
from .classes import Attribute, ClassFacts, ClassIndex, module_classes
from .sqlalchemy_schema import (
    ColumnSpec,
    TableParts,
    is_column_call,
    is_sqlmodel_field,
    read_column,
    read_sqlmodel_field,
)
from .sqlalchemy_types import TypeDecorators, annotation_type, unwrap_optional
from .values import Call, Code, Dict, Freezer, Lambda, Ref, Subscript, Value, module_scope, text_of

_IMPORTS = ("sqlalchemy", "sqlmodel", "flask_sqlalchemy")
_DECLARATIVE_BASES = frozenset(
    {
        "sqlalchemy.orm.DeclarativeBase",
        "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlalchemy.orm.decl_api.DeclarativeBase",
    }
)
_SQLMODEL = frozenset({"sqlmodel.SQLModel", "sqlmodel.main.SQLModel"})
_BASE_CLASSES = _DECLARATIVE_BASES | _SQLMODEL
_BASE_FACTORIES = frozenset({"declarative_base", "generate_base"})
# Bases that bring no columns: a model deriving from anything else outside the repository may have more.
_COLUMNLESS_PREFIXES = ("sqlalchemy.", "sqlmodel.", "pydantic.", "typing.", "abc.", "enum.", "flask_sqlalchemy.")
_COLLECTIONS = frozenset(
    {
        "list",
        "List",
        "set",
        "Set",
        "Sequence",
        "Collection",
        "Iterable",
        "AppenderQuery",
        "WriteOnlyCollection",
        "DynamicMapped",
        "WriteOnlyMapped",
    }
)
_RELATIONSHIP_CALLS = frozenset({"relationship", "Relationship", "relation"})


@dataclass(frozen=True)
class SqlAlchemyFile:
    classes: tuple[ClassFacts, ...]
    tables: tuple[Call, ...]  # module-level Table(...) objects
    bindings: tuple[tuple[str, Value], ...]  # module-level names bound to declarative bases / Flask databases


def _wants(module: Module) -> bool:
    if module.kind in ("test", "migration"):
        return False
    if any(i.target.split(".")[0] in _IMPORTS for i in module.imports):
        return True
    return any(c.name.rpartition(".")[2] in ("Column", "mapped_column") for c in module.calls if c.function is None)


def _extract(tree: ast.Module, module: Module, names: Names) -> SqlAlchemyFile | None:
    freezer = Freezer(names)
    scope = module_scope(tree, freezer)
    tables = tuple(
        v for v in scope.values() if isinstance(v, Call) and v.last == "Table" and v.args and isinstance(v.args[0], str)
    )
    bindings = tuple((f"{module.name}.{k}", v) for k, v in scope.items() if isinstance(v, Call) and _binds_base(v))
    classes = module_classes(tree, module.name, freezer)
    if not (tables or bindings or classes):
        return None
    return SqlAlchemyFile(classes, tables, bindings)


def _binds_base(call: Call) -> bool:
    return call.last in _BASE_FACTORIES or call.name in (
        "flask_sqlalchemy.SQLAlchemy",
        "flask_sqlalchemy.extension.SQLAlchemy",
    )


def _link(facts: Sequence[tuple[Module, object]], modules: Sequence[Module]) -> Contribution:
    files = [(module, f) for module, f in facts if isinstance(f, SqlAlchemyFile)]
    linker = _Linker(files, modules)
    return Contribution(tables=linker.tables())


EXTRACTOR = Extractor("sqlalchemy", _wants, _extract, _link, markers=("from sqlalchemy", "import sqlalchemy", "from sqlmodel", "import sqlmodel", "from flask_sqlalchemy", "import flask_sqlalchemy"))


def snake_case(name: str) -> str:
    """Flask-SQLAlchemy's automatic table name: `OrderLine` → `order_line`."""
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


@dataclass
class _Mapped:
    """A class mapped to a table of its own (or, with `parent`, a single-table subclass)."""

    facts: ClassFacts
    path: str
    table: str | None
    parent: str | None = None
    schema: str | None = None
    framework: str = "sqlalchemy"


class _Linker:
    def __init__(self, files: list[tuple[Module, SqlAlchemyFile]], modules: Sequence[Module]) -> None:
        self.files = files
        classes = [(m.path, c) for m, f in files for c in f.classes]
        self.index = ClassIndex(classes, {m.name: m for m in modules})
        self.roots = set(_BASE_CLASSES)
        self.flask = False
        for _module, file in files:
            for name, call in file.bindings:
                if call.last in _BASE_FACTORIES:
                    self.roots.add(name)
                else:
                    self.roots.add(f"{name}.Model")
                    self.flask = True
        for _path, facts in classes:
            # The application's declarative base: `class Base(DeclarativeBase)` or `@as_declarative()`.
            direct = any(self._resolve(b) in _DECLARATIVE_BASES for b in facts.bases)
            if direct or any(d.rpartition(".")[2] == "as_declarative" for d in facts.decorators):
                self.roots.add(facts.qualname)
        self.types = TypeDecorators(self.index)
        self._family: dict[str, bool] = {}
        self.mapped: dict[str, _Mapped] = {}
        self.parts: dict[str, TableParts] = {}

    # --- which classes are mapped, to which table ---------------------------------------------------------

    def _is_root(self, name: str) -> bool:
        return name in self.roots or self._resolve(name) in self.roots

    def _resolve(self, name: str) -> str:
        """A name through re-exports, also when only a prefix of it is re-exported (`app.db.Model`)."""
        resolved = self.index.resolve(name)
        if resolved != name or "." not in name:
            return resolved
        head, _, tail = name.rpartition(".")
        resolved_head = self._resolve(head)
        return f"{resolved_head}.{tail}" if resolved_head != head else name

    def in_family(self, qualname: str) -> bool:
        """Whether the class derives from a declarative base (or is decorated as mapped)."""
        if qualname not in self._family:
            self._family[qualname] = False  # a cycle of bases stops here
            facts = self.index.facts.get(qualname)
            found = facts is not None and (
                any(d.endswith(".mapped") for d in facts.decorators)
                or any(self._is_root(b) or self.in_family(self.index.resolve(b)) for b in facts.bases)
            )
            self._family[qualname] = found
        return self._family[qualname]

    def _classify(self) -> None:
        # Ancestors first: whether a class shares its parent's table depends on how the parent is mapped.
        for _depth, path, qualname in sorted(
            (len(self.index.ancestors(q)), self.index.path(q), q) for q in self.index.facts
        ):
            facts = self.index.facts[qualname]
            if qualname in self.roots or not self.in_family(qualname) or facts.value("__abstract__") is True:
                continue
            if self._is_sqlmodel(facts) and facts.keyword("table") is not True:
                continue
            mapped = self._mapping(facts, path)
            if mapped:
                self.mapped[qualname] = mapped

    def _is_sqlmodel(self, facts: ClassFacts) -> bool:
        names = [facts.qualname, *self.index.ancestors(facts.qualname)]
        return any(self._resolve(n) in _SQLMODEL for n in names)

    def _mapping(self, facts: ClassFacts, path: str) -> _Mapped | None:
        framework = "sqlmodel" if self._is_sqlmodel(facts) else "sqlalchemy"
        table_call = facts.value("__table__")
        if isinstance(table_call, Call) and table_call.args and isinstance(table_call.args[0], str):
            return _Mapped(facts, path, table_call.args[0], framework=framework)
        own = facts.attribute("__tablename__")
        parent = self._mapped_parent(facts)
        if own is not None and own.value is None and parent is not None:
            return _Mapped(facts, path, None, parent=parent, framework=framework)  # `__tablename__ = None`
        if own is not None:
            return _Mapped(
                facts, path, _table_name(own.value, facts.name), schema=self._schema(facts), framework=framework
            )
        inherited = self._inherited_table_name(facts)
        if parent is not None and (inherited is None or inherited[1]) and not self._declares_primary_key(facts):
            return _Mapped(facts, path, None, parent=parent, framework=framework)
        if inherited is not None:
            return _Mapped(
                facts, path, _table_name(inherited[0], facts.name), schema=self._schema(facts), framework=framework
            )
        if framework == "sqlmodel":
            return _Mapped(facts, path, facts.name.lower(), schema=self._schema(facts), framework=framework)
        if self.flask:
            return _Mapped(facts, path, snake_case(facts.name), schema=self._schema(facts), framework=framework)
        return None

    def _inherited_table_name(self, facts: ClassFacts) -> tuple[Value, bool] | None:
        """The nearest inherited `__tablename__`, and whether it is a fixed name on a mapped ancestor (then
        this class shares that table) rather than a `declared_attr` computing one per class."""
        for name in self.index.ancestors(facts.qualname):
            ancestor = self.index.facts.get(name)
            attribute = ancestor.attribute("__tablename__") if ancestor else None
            if attribute is not None:
                return attribute.value, isinstance(attribute.value, str)
        return None

    def _mapped_parent(self, facts: ClassFacts) -> str | None:
        for name in self.index.ancestors(facts.qualname):
            if name in self.mapped:
                return name
        return None

    def _declares_primary_key(self, facts: ClassFacts) -> bool:
        return any(isinstance(a.value, Call) and a.value.get("primary_key") is True for a in facts.attributes)

    def _schema(self, facts: ClassFacts) -> str | None:
        for name in [facts.qualname, *self.index.ancestors(facts.qualname)]:
            ancestor = self.index.facts.get(name)
            arguments = ancestor.value("__table_args__") if ancestor else None
            options = (
                arguments
                if isinstance(arguments, Dict)
                else next((v for v in arguments if isinstance(v, Dict)), None)
                if isinstance(arguments, tuple)
                else None
            )
            if options is not None and isinstance(options.get("schema"), str):
                return options.get("schema")
        return None

    # --- tables --------------------------------------------------------------------------------------------

    def tables(self) -> list[Table]:
        self._classify()
        for qualname, mapped in self.mapped.items():
            if mapped.table is not None:
                self.parts[qualname] = TableParts(mapped.table, mapped.facts.location(mapped.path), mapped.schema)
        for qualname, mapped in self.mapped.items():
            self._fill(qualname, mapped)
        plain = [self._plain_table(module.path, call) for module, file in self.files for call in file.tables]
        for parts in [*self.parts.values(), *plain]:
            parts.finish(self._reference, lambda spec: spec.nullable is not False)
        self._type_foreign_keys([*self.parts.values(), *plain])
        relationships = self._relationships()
        tables = [self._table(q, p, relationships.get(q, ())) for q, p in self.parts.items()]
        return tables + [
            replace(_frozen(p, None, "sqlalchemy"), registry=r)
            for p, r in zip(plain, self._plain_registries(), strict=True)
        ]

    def _plain_registries(self) -> list[str | None]:
        """`Table("t", Base.metadata, ...)` belongs to Base's registry; another MetaData to none we know."""
        found = []
        for _module, file in self.files:
            for call in file.tables:
                metadata = call.args[1] if len(call.args) > 1 else None
                owner = (
                    metadata.name.removesuffix(".metadata")
                    if isinstance(metadata, Ref) and metadata.name.endswith(".metadata")
                    else None
                )
                found.append(self._resolve(owner) if owner else None)
        return found

    def _fill(self, qualname: str, mapped: _Mapped) -> None:
        owner = mapped.parent or qualname
        while owner in self.mapped and self.mapped[owner].parent:
            owner = self.mapped[owner].parent  # type: ignore[assignment]
        parts = self.parts.get(owner)
        if parts is None:
            return
        table_call = mapped.facts.value("__table__")
        if isinstance(table_call, Call):
            self._fill_from_table_call(parts, mapped.path, table_call)
            return
        sqlmodel = mapped.framework == "sqlmodel"
        for path, attribute in self._attributes(qualname):
            spec = self._column(attribute, path, sqlmodel)
            if spec is not None:
                if mapped.parent:
                    spec.nullable = True  # a single-table subclass's columns are empty on its siblings' rows
                parts.add(spec)
        for path, item in self._table_arguments(qualname):
            parts.add_item(item, path, self._reference)

    def _fill_from_table_call(self, parts: TableParts, path: str, call: Call) -> None:
        for value in call.args[2:]:
            if is_column_call(value):
                parts.add(read_column(value, path, None, self.types))
            else:
                parts.add_item(value, path, self._reference)
        if isinstance(call.get("schema"), str):
            parts.schema = call.get("schema")

    def _plain_table(self, path: str, call: Call) -> TableParts:
        parts = TableParts(
            call.args[0], call.location(path), call.get("schema") if isinstance(call.get("schema"), str) else None
        )
        self._fill_from_table_call(parts, path, call)
        return parts

    def _lineage(self, qualname: str) -> list[str]:
        """The classes whose attributes the mapped class's table gets: its unmapped ancestors (mixins,
        abstract bases), farthest first, then itself. A mapped ancestor keeps its columns in its own table."""
        own = [a for a in self.index.ancestors(qualname) if a in self.index.facts and a not in self.mapped]
        return [*reversed(own), qualname]

    def _attributes(self, qualname: str) -> list[tuple[str, Attribute]]:
        found: dict[str, tuple[str, Attribute]] = {}
        for name in self._lineage(qualname):
            for attribute in self.index.facts[name].attributes:
                found[attribute.name] = (self.index.path(name), attribute)
        return list(found.values())

    def _table_arguments(self, qualname: str) -> list[tuple[str, Value]]:
        for name in reversed(self._lineage(qualname)):
            arguments = self.index.facts[name].value("__table_args__")
            if isinstance(arguments, tuple):
                return [(self.index.path(name), item) for item in arguments if not isinstance(item, Dict)]
        return []

    def _column(self, attribute: Attribute, path: str, sqlmodel: bool) -> ColumnSpec | None:
        value = attribute.value
        if (
            isinstance(value, Call)
            and value.last in ("deferred", "column_property")
            and value.args
            and is_column_call(value.args[0])
        ):
            value = value.args[0]
        if is_column_call(value):
            spec = read_column(value, path, attribute.name, self.types)
            if value.last == "mapped_column":
                self._from_annotation(spec, attribute.annotation)
            return spec
        if attribute.name.startswith("__") or attribute.annotation is None:
            return None
        if sqlmodel:
            return self._sqlmodel_column(attribute, path)
        if (
            value is None
            and _is_mapped(attribute.annotation)
            and not _relationship_annotation(attribute.annotation, self)
        ):
            spec = ColumnSpec(attribute.name, None, attribute.location(path))
            self._from_annotation(spec, attribute.annotation)
            return spec
        return None

    def _sqlmodel_column(self, attribute: Attribute, path: str) -> ColumnSpec | None:
        value, annotation = attribute.value, attribute.annotation
        if attribute.name.startswith("_") or attribute.name == "model_config":
            return None
        if isinstance(annotation, Subscript) and annotation.name.rpartition(".")[2] == "ClassVar":
            return None
        if isinstance(value, Call) and value.last in _RELATIONSHIP_CALLS:
            return None
        call = value if is_sqlmodel_field(value) else None
        return read_sqlmodel_field(call, path, attribute.name, annotation, attribute.location(path), self.types)

    def _from_annotation(self, spec: ColumnSpec, annotation: Value) -> None:
        """SQLAlchemy 2.0: `Mapped[int]` types the column and makes it NOT NULL, `Mapped[int | None]`
        makes it nullable; an explicit `nullable=` or type in `mapped_column()` wins."""
        if annotation is None:
            return
        inner, optional = unwrap_optional(annotation)
        if spec.nullable is None and not spec.primary_key:
            spec.nullable = optional
        if spec.type is None:
            spec.type = annotation_type(annotation) or (self.types(inner.name) if isinstance(inner, Ref) else None)
            if (
                spec.type is None
                and isinstance(inner, Ref)
                and inner.name not in ("int", "str")
                and not spec.foreign_keys
            ):
                spec.type = inner.last.lower()  # an Enum subclass: PostgreSQL gets an enum type of that name

    def _reference(self, value: Value) -> tuple[str, str] | None:
        """`ForeignKey(User.id)` → ("users", "id"), through the class's mapped table."""
        if isinstance(value, Lambda):
            value = value.body
        if not isinstance(value, Ref) or "." not in value.name:
            return None
        owner, _, attribute = value.name.rpartition(".")
        qualname = self.index.resolve(owner)
        parts = self.parts.get(qualname)
        if parts is None and qualname in self.mapped and self.mapped[qualname].parent:
            parts = self.parts.get(self.mapped[qualname].parent or "")
        if parts is None:
            return None
        declared = next((s for s in parts.specs if s.name == attribute), None)
        return (
            parts.name if not parts.schema else f"{parts.schema}.{parts.name}",
            declared.name if declared else attribute,
        )

    def _type_foreign_keys(self, all_parts: list[TableParts]) -> None:
        by_name = {p.name: p for p in all_parts} | {f"{p.schema}.{p.name}": p for p in all_parts if p.schema}

        def type_of(table: str, column: str) -> str | None:
            parts = by_name.get(table)
            found = next((c for c in parts.columns if c.name == column), None) if parts else None
            return found.type if found and found.type != "unknown" else None

        for parts in all_parts:
            parts.infer_foreign_key_types(type_of)

    # --- relationships ---------------------------------------------------------------------------------

    def _relationships(self) -> dict[str, list[Relationship]]:
        """Each mapped class's relationships, with the reverse side a `backref=` adds to its target."""
        by_owner: dict[str, list[Relationship]] = {}
        simple_names: dict[str, list[str]] = {}
        for qualname in self.mapped:
            simple_names.setdefault(qualname.rpartition(".")[2], []).append(qualname)
        for qualname in self.mapped:
            owner = self._table_owner(qualname)
            for path, attribute in self._attributes(qualname):
                value = attribute.value
                if not (isinstance(value, Call) and value.last in _RELATIONSHIP_CALLS):
                    continue
                target = self._target(value, attribute.annotation, qualname, simple_names)
                if target is None:
                    continue
                relationship = self._relationship(attribute, value, path, target, owner)
                by_owner.setdefault(owner, []).append(relationship)
                if backref := self._backref(value, qualname, relationship, path):
                    by_owner.setdefault(self._table_owner(target), []).append(backref)
        return by_owner

    def _table_owner(self, qualname: str) -> str:
        while qualname in self.mapped and self.mapped[qualname].parent:
            qualname = self.mapped[qualname].parent  # type: ignore[assignment]
        return qualname

    def _target(self, call: Call, annotation: Value, owner: str, simple_names: dict[str, list[str]]) -> str | None:
        argument = call.get("argument", 0)
        if isinstance(argument, Lambda):
            argument = argument.body
        if argument is None and annotation is not None:
            inner = _collection_item(unwrap_optional(annotation)[0])
            argument = inner
        if isinstance(argument, Ref):
            return self.index.resolve(argument.name)
        if isinstance(argument, str):
            if argument in self.index.facts:
                return argument
            candidates = simple_names.get(argument.rpartition(".")[2], [])
            same_module = [c for c in candidates if c.rpartition(".")[0] == owner.rpartition(".")[0]]
            return (same_module or candidates or [None])[0]
        return None

    def _relationship(self, attribute: Attribute, call: Call, path: str, target: str, owner: str) -> Relationship:
        uselist = call.get("uselist") if isinstance(call.get("uselist"), bool) else None
        secondary = call.get("secondary")
        secondary_name = secondary.args[0] if isinstance(secondary, Call) and secondary.args else text_of(secondary)
        collection = _is_collection(attribute.annotation)
        if secondary is not None:
            kind = "many_to_many"
        elif self._references(owner, target) and uselist is not True:
            kind = "many_to_one"
        elif uselist is False:
            kind = "one_to_one"
        elif uselist is True or collection or attribute.annotation is None:
            kind = "one_to_many"
        else:
            kind = "many_to_one"
        lazy = call.get("lazy")
        if isinstance(call.get("sa_relationship_kwargs"), Dict):  # SQLModel passes SQLAlchemy's options here
            lazy = call.get("sa_relationship_kwargs").get("lazy", lazy)
        return Relationship(
            attribute.name,
            target,
            attribute.location(path),
            kind,
            lazy if isinstance(lazy, str) else "select",
            uselist,
            text_of(call.get("back_populates")),
            secondary_name if isinstance(secondary_name, str) else None,
        )

    def _references(self, owner: str, target: str) -> bool:
        """Whether the owner's table has a foreign key to the target's table (then the owner is the many side)."""
        parts, target_parts = self.parts.get(owner), self.parts.get(self._table_owner(target))
        return bool(parts and target_parts) and any(
            fk.ref_table in (target_parts.name, f"{target_parts.schema}.{target_parts.name}")
            for fk in parts.foreign_keys
        )  # type: ignore[union-attr]

    def _backref(self, call: Call, source: str, forward: Relationship, path: str) -> Relationship | None:
        backref = call.get("backref")
        name = text_of(backref) if not isinstance(backref, Call) else text_of(backref.get("name", 0))
        if not name:
            return None
        lazy = backref.get("lazy") if isinstance(backref, Call) else None
        reverse = {"many_to_one": "one_to_many", "one_to_many": "many_to_one"}.get(forward.kind or "", forward.kind)
        location = Location(path, forward.location.line, forward.location.column, forward.location.end_line)
        return Relationship(
            name,
            source,
            location,
            reverse,
            lazy if isinstance(lazy, str) else "select",
            None,
            forward.name,
            forward.secondary,
        )

    def _table(self, qualname: str, parts: TableParts, relationships: Sequence[Relationship]) -> Table:
        mapped = self.mapped[qualname]
        table = _frozen(parts, qualname, mapped.framework, tuple(relationships), self._complete(qualname))
        return replace(table, registry=self._registry(qualname))

    def _registry(self, qualname: str) -> str | None:
        """The declarative base (or SQLModel, or the Flask database's Model) the class is mapped through."""
        for name in [qualname, *self.index.ancestors(qualname)]:
            resolved = self._resolve(name)
            if resolved in self.roots:
                return resolved
        return None

    def _complete(self, qualname: str) -> bool:
        """False when an ancestor outside the repository may bring columns."""
        for name in self.index.ancestors(qualname):
            resolved = self._resolve(name)
            if resolved in self.index.facts or self._is_root(resolved) or resolved in ("object", "Generic"):
                continue
            if not resolved.startswith(_COLUMNLESS_PREFIXES):
                return False
        return True


def _frozen(
    parts: TableParts,
    model: str | None,
    framework: str,
    relationships: tuple[Relationship, ...] = (),
    complete: bool = True,
) -> Table:
    return Table(
        name=parts.name,
        location=parts.location,
        origin="orm",
        schema=parts.schema,
        columns=tuple(parts.columns),
        indexes=tuple(parts.indexes),
        foreign_keys=tuple(parts.foreign_keys),
        constraints=tuple(parts.constraints),
        model=model,
        relationships=relationships,
        framework=framework,
        columns_complete=complete,
    )


def _table_name(value: Value, class_name: str) -> str:
    """A `__tablename__`: a string, or a `declared_attr` computing it from the class name. The usual
    computations are followed (`cls.__name__.lower()`, `+ "s"`, f-strings, a snake_case helper); any other
    gives the class name lower-cased."""
    if isinstance(value, str):
        return value
    text = value.text if isinstance(value, Code) else ""
    try:
        computed = _name_expression(ast.parse(text, mode="eval").body, class_name)
    except SyntaxError:
        computed = None
    if computed is not None:
        return computed
    # prefect: `CAMEL_TO_SNAKE.sub("_", cls.__name__).lower()`, so the test ignores case.
    if any(word in text.lower() for word in ("snake", "underscore", "camel")):
        return snake_case(class_name)
    return class_name.lower()


def _name_expression(node: ast.expr, class_name: str) -> str | None:
    """The value of a small string expression over `cls.__name__`, read without running it."""
    if isinstance(node, ast.Attribute) and node.attr == "__name__":
        return class_name
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("lower", "upper")
        and not node.args
    ):
        inner = _name_expression(node.func.value, class_name)
        return getattr(inner, node.func.attr)() if inner is not None else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _name_expression(node.left, class_name), _name_expression(node.right, class_name)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = [_name_expression(v.value if isinstance(v, ast.FormattedValue) else v, class_name) for v in node.values]
        return "".join(parts) if all(p is not None for p in parts) else None  # type: ignore[arg-type]
    return None


def _is_mapped(annotation: Value) -> bool:
    return isinstance(annotation, Subscript) and annotation.name.rpartition(".")[2] in (
        "Mapped",
        "WriteOnlyMapped",
        "DynamicMapped",
    )


def _collection_item(value: Value) -> Value:
    if isinstance(value, Subscript) and value.name.rpartition(".")[2] in _COLLECTIONS and value.items:
        return value.items[0]
    return value


def _is_collection(annotation: Value) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, Subscript) and annotation.name.rpartition(".")[2] in ("WriteOnlyMapped", "DynamicMapped"):
        return True
    inner = unwrap_optional(annotation)[0]
    return isinstance(inner, Subscript) and inner.name.rpartition(".")[2] in _COLLECTIONS


def _relationship_annotation(annotation: Value, linker: _Linker) -> bool:
    """`Mapped["Address"]` or `Mapped[List[Address]]` without a value: a relationship SQLAlchemy would
    refuse without `relationship()`, never a column; a mapped class or a quoted name is not a column type."""
    inner = _collection_item(unwrap_optional(annotation)[0])
    if isinstance(inner, str):
        return True
    return isinstance(inner, Ref) and linker.in_family(linker.index.resolve(inner.name))
