"""Django models (`models.Model` subclasses) → `Table`s of origin "orm", as Django's PostgreSQL schema
editor would create them: the implicit `id` primary key, `<field>_id` foreign key columns with the index
Django adds for each, `unique`/`db_index` (and the `_like` pattern index PostgreSQL gets for indexed text),
the auto-created many-to-many tables, `Meta.indexes`, `constraints`, `unique_together`, `index_together`,
abstract bases, multi-table inheritance (the `<parent>_ptr` key), proxies (no table of their own),
Django's own abstract user models, and relationships both ways (`related_name`, `<model>_set`).

Table names follow the app label (`AppConfig.label`, else the package holding `models`) unless
`Meta.db_table` says otherwise. Left out: fields whose class the repository does not show (typed by their
class name), `db_tablespace`, database functions in `db_default`, and models built at run time.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from ....model import Module, Relationship, Table
from . import Contribution, Extractor, Names
from .classes import Attribute, ClassFacts, ClassIndex, module_classes
from .django_fields import FieldKinds, TableParts, Target, relation_kind, relation_target
from .django_project import DjangoProject
from .django_tables import FieldDeclaration, KeyTargets, ModelShape, build_table, label_of
from .values import Call, Freezer, Ref, Value, module_scope, text_of

_MODEL_BASES = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
_OPTIONS = ("indexes", "constraints", "unique_together", "index_together")


def _field(kind: str, **keywords: Value) -> tuple[str, tuple[tuple[str, Value], ...]]:
    return f"django.db.models.{kind}", tuple(keywords.items())


_BASE_USER = [("password", _field("CharField", max_length=128)), ("last_login", _field("DateTimeField", null=True))]
_PERMISSIONS = [
    ("is_superuser", _field("BooleanField")),
    ("groups", _field("ManyToManyField", to="auth.Group")),
    ("user_permissions", _field("ManyToManyField", to="auth.Permission")),
]
_USER = [
    ("username", _field("CharField", max_length=150, unique=True)),
    ("first_name", _field("CharField", max_length=150)),
    ("last_name", _field("CharField", max_length=150)),
    ("email", _field("EmailField")),
    ("is_staff", _field("BooleanField")),
    ("is_active", _field("BooleanField")),
    ("date_joined", _field("DateTimeField")),
]
# Django's own abstract models: their fields, since their source is not in the repository.
CONTRIB_BASES = {
    "django.contrib.auth.base_user.AbstractBaseUser": _BASE_USER,
    "django.contrib.auth.models.AbstractBaseUser": _BASE_USER,
    "django.contrib.auth.models.PermissionsMixin": _PERMISSIONS,
    "django.contrib.auth.models.AbstractUser": _BASE_USER + _PERMISSIONS + _USER,
}


@dataclass(frozen=True)
class DjangoModelsFile:
    classes: tuple[ClassFacts, ...]


def _wants(module: Module) -> bool:
    return module.kind not in ("test", "migration") and any(i.target.startswith("django") for i in module.imports)


def _extract(tree: ast.Module, module: Module, names: Names) -> DjangoModelsFile | None:
    if not any(isinstance(node, ast.ClassDef) for node in tree.body):
        return None
    freezer = Freezer(names)
    module_scope(tree, freezer)
    return DjangoModelsFile(module_classes(tree, module.name, freezer))


def _link(facts: Sequence[tuple[Module, object]], modules: Sequence[Module]) -> Contribution:
    files = [(m, f) for m, f in facts if isinstance(f, DjangoModelsFile)]
    return Contribution(tables=_Linker(files, modules).tables())


EXTRACTOR = Extractor("django-models", _wants, _extract, _link, markers=("from django", "import django"))


@dataclass
class _Model:
    facts: ClassFacts
    path: str
    module: str
    shape: ModelShape
    abstract: bool
    complete: bool
    concrete_parent: str | None = None


class _Linker(KeyTargets):
    def __init__(self, files: list[tuple[Module, DjangoModelsFile]], modules: Sequence[Module]) -> None:
        super().__init__(FieldKinds(modules))
        self.project = DjangoProject(modules)
        self.modules = {m.path: m for m, _ in files}
        self.index = ClassIndex([(m.path, c) for m, f in files for c in f.classes], {m.name: m for m in modules})
        self.models: dict[str, _Model] = {}
        self.by_label: dict[str, str] = {}

    # --- which classes are models -------------------------------------------------------------------------

    def _is_model(self, qualname: str) -> bool:
        ancestors = self.index.ancestors(qualname)
        if any(a in _MODEL_BASES or a in CONTRIB_BASES for a in ancestors):
            return True
        if any(a in self.models for a in ancestors):
            return True
        # A third-party model base (MPTTModel, oauth2_provider's AbstractApplication): a model when the class
        # declares Django model fields; its columns are then incomplete.
        external = [
            a
            for a in ancestors
            if a not in self.index.facts and not a.startswith(("typing.", "abc.")) and a != "object"
        ]
        return bool(external) and self._declares_fields(qualname)

    def _declares_fields(self, qualname: str) -> bool:
        facts = self.index.facts[qualname]
        return any(
            isinstance(a.value, Call) and a.value.name.startswith("django.db.models") and self.kinds.kind(a.value.name)
            for a in facts.attributes
        )

    def _complete(self, qualname: str) -> bool:
        for ancestor in self.index.ancestors(qualname):
            if ancestor in self.index.facts or ancestor in _MODEL_BASES or ancestor in CONTRIB_BASES:
                continue
            if ancestor.startswith(("django.", "typing.", "abc.")) or ancestor == "object":
                continue
            return False
        return True

    def _collect(self) -> None:
        ordered = sorted(self.index.facts, key=lambda q: (len(self.index.ancestors(q)), self.index.path(q), q))
        for qualname in ordered:
            if not self._is_model(qualname):
                continue
            facts = self.index.facts[qualname]
            path = self.index.path(qualname)
            module = qualname.rpartition(".")[0]
            meta = facts.inner_class("Meta")
            abstract = meta is not None and meta.value("abstract") is True
            label = text_of(meta.value("app_label")) if meta else None
            app_label = label or self.project.label(module)
            table = (text_of(meta.value("db_table")) if meta else None) or f"{app_label}_{facts.name.lower()}"
            shape = ModelShape(app_label, facts.name, table, facts.location(path))
            shape.managed = not (meta is not None and meta.value("managed") is False)
            shape.proxy = meta is not None and meta.value("proxy") is True
            shape.auto_field = self.project.auto_field(module)
            model = _Model(facts, path, module, shape, abstract, self._complete(qualname))
            self.models[qualname] = model
            if not abstract:
                self.by_label.setdefault(shape.label, qualname)
        for qualname, model in self.models.items():
            model.concrete_parent = self._concrete_parent(qualname)
            self._fill(qualname, model)

    def _concrete_parent(self, qualname: str) -> str | None:
        for base in self.index.facts[qualname].bases:
            resolved = self.index.resolve(base)
            parent = self.models.get(resolved)
            if parent is not None and not parent.abstract:
                return resolved
        return None

    # --- fields and options -------------------------------------------------------------------------------

    def _fill(self, qualname: str, model: _Model) -> None:
        shape = model.shape
        declared: dict[str, FieldDeclaration] = {}
        for name in self._field_sources(qualname):
            for shadowed in self._shadowing(name):
                declared.pop(shadowed, None)  # `field = None` or a property of that name removes an inherited field
            for declaration in self._declarations(name, model):
                declared[declaration.name] = declaration
        fields = list(declared.values())
        parent = model.concrete_parent
        if parent and not shape.proxy and not any(f.call.get("parent_link") is True for f in fields):
            link = _synthetic(
                "OneToOneField", model.facts, to=self.models[parent].shape.label, primary_key=True, parent_link=True
            )
            fields.insert(0, FieldDeclaration(f"{self.models[parent].facts.name.lower()}_ptr", link, model.path))
        if not any(f.call.get("primary_key") is True for f in fields):
            auto = _synthetic(self.project.auto_field(model.module), model.facts, primary_key=True)
            fields.insert(0, FieldDeclaration("id", auto, model.path))
        shape.fields = fields
        shape.options = self._options(qualname)

    def _field_sources(self, qualname: str) -> list[str]:
        """The classes whose fields the model's table holds, farthest first: abstract ancestors (and
        Django's abstract user models), then the model itself. A concrete parent keeps its own table."""
        parent = self.models[qualname].concrete_parent
        above_parent = {parent, *self.index.ancestors(parent)} if parent else set()
        sources = []
        for ancestor in self.index.ancestors(qualname):
            model = self.models.get(ancestor)
            if ancestor in above_parent:
                continue  # a concrete parent's fields live in the parent's table
            if ancestor in CONTRIB_BASES or (model is not None and model.abstract):
                sources.append(ancestor)
        return [*reversed(sources), qualname]

    def _declarations(self, name: str, model: _Model) -> Iterator[FieldDeclaration]:
        if name in CONTRIB_BASES:
            for field_name, (callee, keywords) in CONTRIB_BASES[name]:
                call = Call(callee, (), keywords, model.facts.line, model.facts.column, model.facts.end_line)
                yield FieldDeclaration(field_name, call, model.path)
            return
        facts = self.index.facts[name]
        path = self.index.path(name)
        for attribute in facts.attributes:
            value = attribute.value
            if isinstance(value, Call) and self.kinds.kind(value.name) is not None:
                yield FieldDeclaration(attribute.name, self._with_literal_choices(value), path)

    def _with_literal_choices(self, call: Call) -> Call:
        """`choices=Status.choices` (a TextChoices or IntegerChoices class of the repository) as the literal
        pairs a migration would write, so the column knows its values."""
        choices = call.get("choices")
        enum = self.index.get(choices.name.removesuffix(".choices")) if isinstance(choices, Ref) else None
        if enum is None:
            return call
        pairs = tuple((member, "") for member in map(_member_value, enum.attributes) if member is not None)
        return replace(call, kwargs=tuple((k, pairs if k == "choices" else v) for k, v in call.kwargs))

    def _shadowing(self, name: str) -> list[str]:
        facts = self.index.facts.get(name)
        if facts is None:
            return []
        plain = [a.name for a in facts.attributes if not (isinstance(a.value, Call) and self.kinds.kind(a.value.name))]
        return plain + list(facts.methods)

    def _options(self, qualname: str) -> dict[str, tuple[Value, str]]:
        """Meta options that shape the table; a model without a Meta of its own (or whose Meta derives
        from its parent's) inherits its abstract parent's."""
        options: dict[str, tuple[Value, str]] = {}
        for name in self._field_sources(qualname):
            facts = self.index.facts.get(name)
            meta = facts.inner_class("Meta") if facts else None
            if meta is None:
                continue
            if name == qualname and not any(b.endswith(".Meta") for b in meta.bases):
                options = {}
            for option in _OPTIONS:
                if meta.attribute(option) is not None:
                    options[option] = (meta.value(option), self.index.path(name))
        return options

    # --- targets of relations -----------------------------------------------------------------------------

    def label(self, reference: Value, app_label: str, model: str) -> str | None:
        if isinstance(reference, Ref):
            if ".settings." in f".{reference.name}":
                swapped = self.project.swappable(reference.name)
                return swapped.lower() if swapped else None
            qualname = self.index.resolve(reference.name)
            if qualname in self.models:
                return self.models[qualname].shape.label
            return _contrib_label(qualname)
        return label_of(reference, app_label, model) if isinstance(reference, str) else None

    def shape(self, label: str) -> tuple[ModelShape, str | None] | None:
        qualname = self.by_label.get(label)
        if qualname is None:
            return None
        model = self.models[qualname]
        while model.shape.proxy and model.concrete_parent:  # a proxy's rows live in its concrete parent's table
            model = self.models[model.concrete_parent]
        return model.shape, qualname

    # --- tables ---------------------------------------------------------------------------------------------

    def tables(self) -> list[Table]:
        self._collect()
        relationships = self._relationships()
        tables: list[Table] = []
        for qualname, model in self.models.items():
            if model.abstract or model.shape.proxy:
                continue
            parts = build_table(model.shape, self.kinds, self)
            own = relationships.get(qualname, [])
            shape = model.shape
            tables.append(_table(parts, qualname, own, shape.managed, model.complete, shape.app_label))
            tables.extend(_table(through, None, [], shape.managed, True, shape.app_label) for through in parts.through)
        return tables

    def _relationships(self) -> dict[str, list[Relationship]]:
        found: dict[str, list[Relationship]] = {}
        for qualname, model in self.models.items():
            if model.abstract:
                continue
            owner = self._concrete(qualname)
            for declaration in model.shape.fields:
                kind = relation_kind(self.kinds.kind(declaration.call.name) or "")
                if kind is None or declaration.call.get("parent_link") is True:
                    continue
                target = self.target(relation_target(declaration.call), model.shape.app_label, model.shape.name)
                if target is None:
                    continue
                forward, reverse = _relationship_pair(declaration, kind, target, qualname, model)
                found.setdefault(owner, []).append(forward)
                if reverse is not None and target.model:
                    found.setdefault(self._concrete(target.model), []).append(reverse)
        return found

    def _concrete(self, qualname: str) -> str:
        model = self.models.get(qualname)
        while model is not None and model.shape.proxy and model.concrete_parent:
            qualname = model.concrete_parent
            model = self.models.get(qualname)
        return qualname


def _relationship_pair(
    declaration: FieldDeclaration, kind: str, target: Target, source: str, model: _Model
) -> tuple[Relationship, Relationship | None]:
    """The relation as declared, and the accessor Django adds on the target (`related_name`, else
    `<model>_set`, or `<model>` for a one-to-one); a `related_name` ending in "+" adds none."""
    call = declaration.call
    location = call.location(declaration.path)
    related = text_of(call.get("related_name"))
    if related:
        related = related.replace("%(class)s", model.facts.name.lower()).replace(
            "%(app_label)s", model.shape.app_label.lower()
        )
    default = model.facts.name.lower() if kind == "one_to_one" else f"{model.facts.name.lower()}_set"
    reverse_name = related or default
    secondary = None if kind != "many_to_many" else text_of(call.get("db_table"))
    forward = Relationship(
        declaration.name, target.model or target.label, location, kind, "select", None, reverse_name, secondary
    )
    if reverse_name.endswith("+"):
        return forward, None
    reverse_kind = {"many_to_one": "one_to_many"}.get(kind, kind)
    return forward, Relationship(
        reverse_name, source, location, reverse_kind, "select", None, declaration.name, secondary
    )


def _synthetic(kind: str, facts: ClassFacts, **keywords: Value) -> Call:
    """A field Django adds itself (`id`, `<parent>_ptr`), located at the model's class statement."""
    return Call(f"django.db.models.{kind}", (), tuple(keywords.items()), facts.line, facts.column, facts.end_line)


def _member_value(attribute: Attribute) -> str | int | None:
    """`OPEN = "open", _("Open")` or `OPEN = "open"` in a Choices class: the stored value."""
    if attribute.name.startswith("_"):
        return None
    value = attribute.value[0] if isinstance(attribute.value, tuple) and attribute.value else attribute.value
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _contrib_label(qualname: str) -> str | None:
    """`django.contrib.auth.models.User` → `auth.user`."""
    parts = qualname.split(".")
    if len(parts) >= 5 and parts[:2] == ["django", "contrib"] and parts[-2] == "models":
        return f"{parts[2]}.{parts[-1].lower()}"
    return None


def _table(
    parts: TableParts,
    model: str | None,
    relationships: list[Relationship],
    managed: bool,
    complete: bool,
    app_label: str,
) -> Table:
    return Table(
        name=parts.name,
        location=parts.location,
        origin="orm",
        columns=tuple(parts.columns),
        indexes=tuple(parts.indexes),
        foreign_keys=tuple(parts.foreign_keys),
        constraints=tuple(parts.constraints),
        model=model,
        relationships=tuple(relationships),
        framework="django",
        managed=managed,
        columns_complete=complete,
        registry=app_label,
    )
