"""Flask routes → Operations.

Read: `@app.route(rule, methods=[…])` and `@bp.get/post/…` on `Flask` and `Blueprint` objects (and in-repo
subclasses), `add_url_rule(rule, view_func=…, methods=…)` with functions or `View.as_view(…)` classes
(`MethodView` methods, a `methods` attribute), `register_blueprint(bp, url_prefix=…)` chains (nested
blueprints too), and Flask-RESTful/RESTX `Api(app_or_bp, prefix=…).add_resource(Resource, "/a", "/b")`.
Paths become OpenAPI templates (`<int:id>` → `{id}`, typed by the converter); only path parameters are known.

Security: decorators of the view (`login_required`, `jwt_required()`, `auth.login_required`, a class's
`decorators` list) and `before_request` hooks of its blueprints and app, judged by name. A route gets
`security=()` only when its blueprint chain reaches the `Flask` app and none of them authenticates; None when
the chain is out of sight.

Left out: request bodies and responses (Flask reads them in the body of the view), `app.url_map` edits,
routes registered in loops or from data, and Flask-RESTX namespaces.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ....model import ApiParameter, Location, Module, Operation
from . import Contribution, Extractor, Names
from .qualify import keyword
from .routing import (
    HTTP_METHODS,
    Instance,
    References,
    Walker,
    absolute,
    bases_chain,
    converter_template,
    instance,
    is_auth_name,
    short_name,
    strings_of,
    text_of,
    unique,
)

_VERBS = frozenset(m.lower() for m in HTTP_METHODS)


@dataclass(frozen=True)
class Rule:
    """A URL rule: on `owner`, `rule` served by `view` (a function qualname, or a class for class-based views)."""

    owner: str
    rule: str
    view: str
    location: Location
    methods: tuple[str, ...] | None = None
    is_class: bool = False


@dataclass(frozen=True)
class ViewClass:
    qualname: str
    handlers: tuple[str, ...] = ()
    methods: tuple[str, ...] | None = None
    decorators: tuple[str, ...] = ()


@dataclass
class Facts:
    instances: list[Instance] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    registrations: list[tuple[str, str, str | None, Location]] = field(default_factory=list)
    hooks: list[tuple[str, str]] = field(default_factory=list)
    decorators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    classes: list[ViewClass] = field(default_factory=list)


def wants(module: Module) -> bool:
    return module.kind not in ("test", "migration") and any(i.target.partition(".")[0].startswith("flask") for i in module.imports)


def extract(tree: ast.Module, module: Module, names: Names) -> Facts | None:
    collector = _Collector(module, names)
    collector.run(tree)
    facts = collector.facts
    return facts if facts.instances or facts.rules or facts.registrations or facts.classes else None


class _Collector(Walker):
    def __init__(self, module: Module, names: Names) -> None:
        super().__init__(module, names)
        self.facts = Facts()

    def assigned(self, target: str, value: ast.expr, statement: ast.stmt) -> None:
        if isinstance(value, ast.Call) and short_name(self.ref(value.func))[:1].isupper():
            self.facts.instances.append(instance(target, value, self))

    def called(self, call: ast.Call) -> None:
        if not isinstance(call.func, ast.Attribute):
            return
        owner, method = self.ref(call.func.value), call.func.attr
        if method == "register_blueprint" and call.args:
            prefix = keyword(call, "url_prefix")
            for child in self.each(call.args[0]):
                self.facts.registrations.append((owner, self.ref(child), text_of(prefix) if prefix is not None else None, self.location(call)))
        elif method == "init_app" and call.args:
            self.facts.registrations.append((self.ref(call.args[0]), owner, None, self.location(call)))
        elif method == "add_url_rule":
            self._url_rule(owner, call)
        elif method == "add_resource" and len(call.args) >= 2:
            for url in call.args[1:]:
                rule = text_of(url)
                if rule is not None:
                    self.facts.rules.append(Rule(owner, rule, self.ref(call.args[0]), self.location(call), None, True))
        elif method == "before_request" and call.args:
            self.facts.hooks.append((owner, self.ref(call.args[0])))

    def _url_rule(self, owner: str, call: ast.Call) -> None:
        rule = text_of(call.args[0] if call.args else keyword(call, "rule"))
        view = keyword(call, "view_func") or (call.args[2] if len(call.args) > 2 else None)
        if rule is None or view is None:
            return
        is_class = isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view"
        target = self.ref(view.func.value) if is_class else self.ref(view)
        self.facts.rules.append(Rule(owner, rule, target, self.location(call), strings_of(keyword(call, "methods")), is_class))

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str) -> None:
        others = []
        for decorator in node.decorator_list:
            route = self._route(decorator, qualname)
            if route is not None:
                self.facts.rules.append(route)
            elif isinstance(decorator, ast.Attribute) and decorator.attr == "before_request":
                self.facts.hooks.append((self.ref(decorator.value), qualname))
            else:
                others.append(self.ref(decorator))
        if others:
            self.facts.decorators[qualname] = tuple(others)

    def _route(self, decorator: ast.expr, qualname: str) -> Rule | None:
        if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) and decorator.args):
            return None
        verb, rule = decorator.func.attr, text_of(decorator.args[0])
        if rule is None or (verb not in _VERBS and verb != "route"):
            return None
        methods = (verb.upper(),) if verb in _VERBS else strings_of(keyword(decorator, "methods"))
        return Rule(self.ref(decorator.func.value), rule, qualname, self.location(decorator), methods)

    def class_(self, node: ast.ClassDef, qualname: str) -> None:
        handlers = tuple(s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name in _VERBS)
        methods, decorators = None, ()
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
                name = statement.targets[0].id
                if name == "methods":
                    methods = strings_of(statement.value)
                elif name in ("decorators", "method_decorators"):
                    items = statement.value.elts if isinstance(statement.value, (ast.List, ast.Tuple)) else []
                    decorators = tuple(self.ref(item) for item in items)
        if handlers or methods or decorators:
            self.facts.classes.append(ViewClass(qualname, handlers, methods, decorators))
        for decorator in node.decorator_list:
            route = self._route(decorator, qualname)
            if route is not None:  # Flask-RESTX `@ns.route("/x")` on a Resource class
                self.facts.rules.append(Rule(route.owner, route.rule, qualname, route.location, None, True))


@dataclass(frozen=True)
class _Mount:
    prefix: str
    guards: tuple[str, ...]
    application: str | None
    complete: bool


class _Linker:
    def __init__(self, facts: Sequence[tuple[Module, Facts]], modules: Sequence[Module]) -> None:
        every = [f for _, f in facts]
        self.references = References(modules)
        self.bases = {c.qualname: c.bases for m in modules for c in m.classes}
        self.instances = {i.id: i for f in every for i in f.instances}
        self.kinds = {i.id: kind for i in self.instances.values() if (kind := self._kind(i.callee))}
        self.rules = [r for f in every for r in f.rules]
        self.registrations: dict[str, list[tuple[str, str | None, Location]]] = {}
        for parent, child, prefix, location in (r for f in every for r in f.registrations):
            resolved = self.references.resolve(child, self.kinds)
            if resolved is not None:
                self.registrations.setdefault(resolved, []).append((parent, prefix, location))
        self.hooks: dict[str, list[str]] = {}
        for owner, function in (h for f in every for h in f.hooks):
            self.hooks.setdefault(self.references.resolve(owner, self.kinds) or owner, []).append(function)
        self.decorators = {name: d for f in every for name, d in f.decorators.items()}
        self.classes = {c.qualname: c for f in every for c in f.classes}

    def _kind(self, callee: str) -> str | None:
        for ancestor in bases_chain(callee, self.bases, self.references):
            top, short = ancestor.partition(".")[0], short_name(ancestor)
            if top in ("flask", "quart") and short in ("Flask", "Quart"):
                return "app"
            if top in ("flask", "quart") and short == "Blueprint":
                return "blueprint"
            if top in ("flask_restful", "flask_restx", "flask_restplus") and short == "Api":
                return "api"
        return None

    def operations(self) -> Iterator[Operation]:
        for rule in self.rules:
            owner = self.references.resolve(rule.owner, self.kinds)
            if owner is None:
                continue
            for mount in self.mounts(owner, frozenset()):
                yield from self.operation(rule, mount)

    def mounts(self, object_id: str, seen: frozenset[str]) -> list[_Mount]:
        own = self.instances[object_id]
        own_prefix = own.option("url_prefix") if self.kinds[object_id] == "blueprint" else own.option("prefix")
        guards = tuple(h for h in self.hooks.get(object_id, ()) if is_auth_name(h))
        if self.kinds[object_id] == "app":
            return [_Mount("", guards, object_id, True)]
        parents = list(self.registrations.get(object_id, [])) if object_id not in seen else []
        if self.kinds[object_id] == "api" and own.argument_references and own.argument_references[0]:
            parents.append((own.argument_references[0], None, own.location))
        if not parents:
            return [_Mount(_text(own_prefix), guards, None, False)]
        found = []
        for parent_reference, prefix, _ in parents:
            step = prefix if prefix is not None else _text(own_prefix)
            parent = self.references.resolve(parent_reference, self.kinds)
            if parent is None:
                found.append(_Mount(step, guards, None, False))
                continue
            for above in self.mounts(parent, seen | {object_id}):
                found.append(_Mount(_join(above.prefix, step), above.guards + guards, above.application, above.complete))
        return found

    def operation(self, rule: Rule, mount: _Mount) -> Iterator[Operation]:
        template, parameters = converter_template(_join(mount.prefix, rule.rule), flask=True)
        view_class = self._view_class(rule.view) if rule.is_class else None
        decorators = (view_class.decorators if view_class else ()) + self.decorators.get(rule.view, ())
        names = unique([short_name(d) for d in decorators if is_auth_name(d)] + [short_name(g) for g in mount.guards])
        security = names or (() if mount.complete else None)
        for method, handler in self._methods(rule, view_class):
            yield Operation(
                method=method,
                path=absolute(template),
                location=rule.location,
                origin="code",
                handler=handler,
                parameters=tuple(ApiParameter(p.name, "path", True, p.schema) for p in parameters),
                security=security,
                framework="flask",
                application=mount.application,
            )

    def _view_class(self, reference: str) -> ViewClass:
        """The class's handlers, `methods` and `decorators`, the nearest in-repo ancestor's filling gaps."""
        chain = bases_chain(reference, self.bases, self.references)
        handlers: list[str] = []
        methods, decorators = None, ()
        for ancestor in chain:
            found = self.classes.get(ancestor)
            if found is not None:
                handlers += [h for h in found.handlers if h not in handlers]
                methods = methods or found.methods
                decorators = decorators or found.decorators
        return ViewClass(chain[0] if chain else reference, tuple(handlers), methods, decorators)

    def _methods(self, rule: Rule, view_class: ViewClass | None) -> Iterator[tuple[str, str]]:
        if view_class is None:
            for method in rule.methods or ("GET",):
                yield method.upper(), rule.view
            return
        methods = rule.methods or view_class.methods or tuple(h.upper() for h in view_class.handlers) or ("GET",)
        for method in methods:
            handler = method.lower() if method.lower() in view_class.handlers else "dispatch_request"
            yield method.upper(), f"{view_class.qualname}.{handler}"


def _join(prefix: str, rule: str) -> str:
    """Flask's join of a blueprint's url_prefix and a rule: one slash between them."""
    if not prefix:
        return rule
    return prefix.rstrip("/") + "/" + rule.lstrip("/") if rule else prefix


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def link(facts: Sequence[tuple[Module, Facts]], modules: Sequence[Module]) -> Contribution:
    return Contribution(operations=list(_Linker(facts, modules).operations()))


EXTRACTOR = Extractor("flask-routes", wants, extract, link, markers=("from flask", "import flask"))
