"""Classes that read rows for a response: DRF serializers and the views that apply them to a queryset, and
Django admin classes with their changelist columns.

What each declares is kept as written (qualified through the file's imports); the context pass joins
serializers to views and models across files and decides which relation each row reads.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ....model import Location, Module
from .qualify import Names, keyword, literal
from .queries_chain import DJANGO_BUILDERS, DJANGO_RUNNERS, Chains, string

_RELATED_FIELDS = frozenset({"StringRelatedField", "SlugRelatedField", "PrimaryKeyRelatedField",
                             "HyperlinkedRelatedField", "RelatedField", "ManyRelatedField"})
# Related fields that read only the key of a forward relation (`customer_id`), never the related row.
_KEY_ONLY = frozenset({"PrimaryKeyRelatedField", "HyperlinkedRelatedField"})


@dataclass(frozen=True)
class SerializerField:
    """A declared field: a nested serializer, a `source="a.b"`, a SerializerMethodField or a related field."""

    name: str
    location: Location
    kind: str  # nested | source | method | related
    serializer: str | None = None
    many: bool = False
    source: str | None = None
    method: str | None = None
    key_only: bool = False


@dataclass(frozen=True)
class Serializer:
    qualname: str
    location: Location
    bases: tuple[str, ...]
    model: str | None
    fields: tuple[SerializerField, ...]
    meta_fields: tuple[str, ...] = ()
    depth: int = 0
    declared: tuple[str, ...] = ()  # every field the class declares, whatever its kind


@dataclass(frozen=True)
class View:
    """A class-based view with a queryset: DRF generic views and viewsets, Django list views."""

    qualname: str
    location: Location
    bases: tuple[str, ...]
    model: str | None
    eager: tuple[str, ...] = ()
    queryset: Location | None = None
    filtered: bool = False
    limited: bool = False
    serializer: str | None = None
    get_queryset: bool = False
    paginate_by: bool = False
    pagination: str | None = None  # the pagination_class as written; "None" when switched off
    relation: str | None = None  # get_queryset returns a parent's relation (`organizer.media`): rows know that parent
    customs: tuple[str, ...] = ()  # other methods applied to its queryset (custom QuerySet methods may load relations)


@dataclass(frozen=True)
class Admin:
    qualname: str
    location: Location
    model: str | None
    list_display: tuple[tuple[str, Location], ...] = ()
    list_select_related: bool | tuple[str, ...] = False
    eager: tuple[str, ...] = ()
    get_queryset: bool = False


@dataclass(slots=True)
class ClassFacts:
    serializers: list[Serializer] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    admins: list[Admin] = field(default_factory=list)
    paginating: list[str] = field(default_factory=list)  # classes that set paginate_by or pagination_class
    # Methods of QuerySet and Manager classes: (name, paths loaded, some not literal, other methods called).
    loaders: list[tuple[str, tuple[str, ...], bool, tuple[str, ...]]] = field(default_factory=list)

    def any(self) -> bool:
        return bool(self.serializers or self.views or self.admins or self.paginating or self.loaders)


def read_classes(tree: ast.Module, module: Module, names: Names) -> ClassFacts:
    facts = ClassFacts()
    if not names.imports_any("rest_framework", "django") and not any(c.bases for c in module.classes):
        return facts
    registered = _admin_registrations(tree, names)
    for node in _classes(tree.body):
        if not node.bases:
            continue
        qualname = _qualname(module, node)
        bases = tuple(names.qualify(b) for b in node.bases)
        last = {b.rpartition(".")[2] for b in bases}
        location = Location(module.path, node.lineno, node.col_offset + 1, node.end_lineno)
        body = _class_body(node)
        if any(name in body and not (type(body[name]) is ast.Constant and body[name].value is None)
               for name in ("paginate_by", "pagination_class")):
            facts.paginating.append(qualname)
        if node.name.endswith(("QuerySet", "Manager")) or any(b.endswith(("QuerySet", "Manager")) for b in last):
            for method in node.body:
                if type(method) in (ast.FunctionDef, ast.AsyncFunctionDef):
                    facts.loaders.append((method.name, *_loads_in(method)))
        if any(b.endswith("Serializer") for b in last):
            facts.serializers.append(_serializer(node, qualname, location, bases, body, names, module.path))
        elif any(b.endswith("Admin") for b in last):
            model = registered.get(node.name) or next((m for m in _register_decorator(node, names)), None)
            facts.admins.append(_admin(qualname, location, model, body, module.path))
        elif "queryset" in body or "model" in body or "serializer_class" in body:
            facts.views.append(_view(qualname, location, bases, body, names))
    return facts


def _classes(body: list[ast.stmt]):
    """Class definitions at any depth of statements (in functions, classes, branches), not inside expressions."""
    for statement in body:
        if type(statement) is ast.ClassDef:
            yield statement
        for name in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(statement, name, None)
            if inner:
                yield from _classes(inner)


def _qualname(module: Module, node: ast.ClassDef) -> str:
    found = next((c.qualname for c in module.classes if c.name == node.name and c.location.line == node.lineno), None)
    return found or f"{module.name}.{node.name}"


def _class_body(node: ast.ClassDef) -> dict[str, ast.AST]:
    body: dict[str, ast.AST] = {}
    for statement in node.body:
        if type(statement) is ast.Assign:
            for target in statement.targets:
                if type(target) is ast.Name:
                    body[target.id] = statement.value
        elif type(statement) is ast.AnnAssign and type(statement.target) is ast.Name and statement.value is not None:
            body[statement.target.id] = statement.value
        elif type(statement) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            body[statement.name] = statement
    return body


def _serializer(node: ast.ClassDef, qualname: str, location: Location, bases: tuple[str, ...],
                body: dict[str, ast.AST], names: Names, path: str) -> Serializer:
    fields = []
    for statement in node.body:
        if type(statement) is not ast.Assign or type(statement.value) is not ast.Call:
            continue
        for target in statement.targets:
            if type(target) is ast.Name:
                found = _field(target.id, statement.value, names, Location(path, statement.lineno, statement.col_offset + 1, statement.end_lineno))
                if found is not None:
                    fields.append(found)
    meta = body.get("Meta")
    model, meta_fields, depth = None, (), 0
    if type(meta) is ast.ClassDef:
        meta_body = _class_body(meta)
        if meta_body.get("model") is not None:
            model = names.qualify(meta_body["model"])
        declared = literal(meta_body.get("fields"))
        meta_fields = tuple(declared) if isinstance(declared, (tuple, list)) else ("__all__",) if declared == "__all__" else ()
        depth_value = literal(meta_body.get("depth"))
        depth = depth_value if isinstance(depth_value, int) else 0
    declared = tuple(name for name, value in body.items() if type(value) is ast.Call)
    return Serializer(qualname, location, bases, model, tuple(fields), meta_fields, depth, declared)


def _field(name: str, call: ast.Call, names: Names, location: Location) -> SerializerField | None:
    callee = names.qualify(call.func)
    last = callee.rpartition(".")[2]
    source = string(keyword(call, "source"))
    many = literal(keyword(call, "many")) is True
    if last == "SerializerMethodField":
        method = string(keyword(call, "method_name")) or (string(call.args[0]) if call.args else None)
        return SerializerField(name, location, "method", method=method or f"get_{name}")
    if last.endswith("Serializer"):
        return SerializerField(name, location, "nested", serializer=callee, many=many, source=source)
    if last in _RELATED_FIELDS:
        return SerializerField(name, location, "related", many=many, source=source, key_only=last in _KEY_ONLY)
    if source and source != "*":
        return SerializerField(name, location, "source", source=source)
    return None


def _view(qualname: str, location: Location, bases: tuple[str, ...], body: dict[str, ast.AST],
          names: Names) -> View:
    model, eager, queryset, filtered, limited, shape = None, (), None, False, False, None
    value = body.get("queryset")
    if isinstance(value, ast.expr):
        shape = Chains(names, lambda _name: None).shape(value)
        if shape is not None and shape.orm == "django":
            model, eager = shape.model, tuple(shape.eager)
            filtered, limited = bool(shape.filters) or shape.custom, shape.limited
            queryset = Location(location.path, value.lineno, value.col_offset + 1, value.end_lineno)
    if model is None and isinstance(body.get("model"), ast.expr):
        model = names.qualify(body["model"])
    serializer = names.qualify(body["serializer_class"]) if isinstance(body.get("serializer_class"), ast.expr) else None
    get_queryset = body.get("get_queryset")
    relation, customs = None, tuple(shape.customs) if isinstance(value, ast.expr) and shape is not None else ()
    if isinstance(get_queryset, (ast.FunctionDef, ast.AsyncFunctionDef)):
        paths, unknown, calls = _loads_in(get_queryset)
        eager += paths + (("*",) if unknown else ())
        customs += calls
        relation = _returned_relation(get_queryset, names)
    pagination = body.get("pagination_class")
    return View(
        qualname, location, bases, model, eager, queryset, filtered, limited, serializer,
        get_queryset=get_queryset is not None,
        paginate_by=body.get("paginate_by") is not None and literal(body.get("paginate_by")) is not None,
        pagination=None if pagination is None else ("None" if literal(pagination) is None and type(pagination) is ast.Constant else names.qualify(pagination)),
        relation=relation,
        customs=customs,
    )


def _returned_relation(function: ast.FunctionDef | ast.AsyncFunctionDef, names: Names) -> str | None:
    """`return self.request.organizer.reusable_media.prefetch_related(...)`: the relation the rows come through."""
    chains = Chains(names, lambda _name: None)
    for node in ast.walk(function):
        if type(node) is ast.Return and node.value is not None:
            shape = chains.shape(node.value)
            if shape is not None and shape.root == "relation" and shape.relation:
                return shape.relation
    return None


def _admin(qualname: str, location: Location, model: str | None, body: dict[str, ast.AST],
           path: str) -> Admin:
    display: list[tuple[str, Location]] = []
    value = body.get("list_display")
    if type(value) in (ast.Tuple, ast.List):
        for element in value.elts:
            text = string(element)
            if text:
                display.append((text, Location(path, element.lineno, element.col_offset + 1, element.end_lineno)))
    select = literal(body.get("list_select_related"))
    list_select_related: bool | tuple[str, ...] = tuple(select) if isinstance(select, (tuple, list)) else bool(select)
    get_queryset = body.get("get_queryset")
    eager = _eager_in(get_queryset) if isinstance(get_queryset, (ast.FunctionDef, ast.AsyncFunctionDef)) else ()
    return Admin(qualname, location, model, tuple(display), list_select_related, eager, get_queryset is not None)


def _eager_in(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    """Relation paths a method loads eagerly anywhere in its body (`select_related("a")`, `Prefetch("b", ...)`)."""
    return _loads_in(function)[0]


def _loads_in(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """What a method loads eagerly: literal relation paths, whether some are not literal (`*FIELDS`), and the other
    methods it calls on querysets (custom ones, whose loads the context pass looks up by name)."""
    found: list[str] = []
    unknown = False
    calls: list[str] = []
    for node in ast.walk(function):
        if type(node) is not ast.Call or type(node.func) is not ast.Attribute:
            continue
        name = node.func.attr
        if name in ("select_related", "prefetch_related"):
            for argument in node.args:
                path = string(argument) or (string(argument.args[0]) if type(argument) is ast.Call and argument.args else None)
                if path:
                    parts = path.split("__")
                    found += ["__".join(parts[: i + 1]) for i in range(len(parts))]
                else:
                    unknown = True
            if name == "select_related" and not node.args:
                found.append("<non-null>")
        elif name not in DJANGO_BUILDERS and name not in DJANGO_RUNNERS and not name.startswith("_"):
            calls.append(name)
    # A queryset built by a helper function (`qs = _positions_queryset(...)`) loads what the reader cannot see; a
    # "queryset method" that builds no query at all (`return component.addons_cache[event]`) returns rows loaded elsewhere.
    builds = any(type(n) is ast.Call and type(n.func) is ast.Attribute and (n.func.attr in DJANGO_BUILDERS or n.func.attr in DJANGO_RUNNERS)
                 for n in ast.walk(function))
    unknown = unknown or (not builds and not calls) or any(
        type(node) is ast.Call and type(node.func) is ast.Name and not node.func.id[:1].isupper() and node.func.id not in _PLAIN_CALLS
        for node in ast.walk(function)
    )
    return tuple(dict.fromkeys(found)), unknown, tuple(dict.fromkeys(calls))


_PLAIN_CALLS = frozenset({"super", "len", "list", "tuple", "set", "dict", "str", "int", "bool", "getattr", "setattr",
                          "hasattr", "isinstance", "get_object_or_404", "reverse", "_", "gettext", "now", "sorted", "min",
                          "max", "any", "all", "print", "iter", "next", "zip", "enumerate", "filter", "map"})


def _admin_registrations(tree: ast.Module, names: Names) -> dict[str, str]:
    """`admin.site.register(Order, OrderAdmin)` at module level: admin class name → model."""
    found = {}
    for statement in tree.body:
        call = statement.value if type(statement) is ast.Expr else None
        if type(call) is ast.Call and names.qualify(call.func).endswith("site.register") and len(call.args) >= 2:
            admin, model = call.args[1], call.args[0]
            if type(admin) is ast.Name and type(model) in (ast.Name, ast.Attribute):
                found[admin.id] = names.qualify(model)
    return found


def _register_decorator(node: ast.ClassDef, names: Names) -> list[str]:
    models = []
    for decorator in node.decorator_list:
        if type(decorator) is ast.Call and names.qualify(decorator.func).endswith("register"):
            models += [names.qualify(a) for a in decorator.args[:1] if type(a) in (ast.Name, ast.Attribute)]
    return models
