"""Django and Django REST framework routes → Operations.

Read: `urlpatterns` lists (`path`, `re_path`, `url`; `+=`, `.append`, `.extend`, `+` of lists,
`format_suffix_patterns`, `i18n_patterns`) and `include(...)` of modules (by dotted string or imported module),
of other pattern lists (inline, by name, or `(patterns, namespace)`) and of DRF routers' `urls`, with their
prefixes; DRF routers (`DefaultRouter`, `SimpleRouter`, drf-nested-routers) and `register(prefix, ViewSet)`;
views: functions (methods from `@api_view`, `@require_http_methods`, or the `request.method` tests in the
body, else GET), class-based views (`as_view()`: handlers defined in the class and its in-repo ancestors plus
those of Django/DRF generic bases, narrowed by `http_method_names`), viewsets (standard actions from their
mixins and bases, `@action`s, `as_view({"get": "list"})` maps), `lookup_field`/`lookup_url_kwarg`.
Paths: `<int:pk>` → `{pk}` (typed by the converter), `re_path` named groups → `{name}` best effort. The
`ROOT_URLCONF` of the settings is the root; pattern lists that nothing includes are roots too.

Security, DRF: `permission_classes` (the action's, the view's or an in-repo ancestor's, else
`DEFAULT_PERMISSION_CLASSES`, else DRF's `AllowAny` when settings are seen): names of the restricting classes,
`()` for `AllowAny` (and for `…OrReadOnly` on safe methods), None when `get_permissions()` is overridden or no
settings are seen; `authentication_classes` become `schemes`. Django views: auth decorators, wrappers in the
URL pattern (`login_required(view)`), mixins, `method_decorator` on the class or `dispatch`, and auth-like
`MIDDLEWARE`, by name; `()` when none is found and the settings are seen, else None.
List operations carry `paginated` (`pagination_class`, `DEFAULT_PAGINATION_CLASS` with `PAGE_SIZE`), `filters`
(`filter_backends`) and the query parameters these imply; viewset and generic actions carry their request
body and response as a reference to the serializer (its fields are not read).

Left out: URL patterns built in loops or by functions (plugin systems), `include()` of modules outside the
repository (`admin.site.urls`), serializer fields, and the responses of hand-written handlers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from ....model import ApiParameter, Location, Module, Operation
from . import Contribution, Extractor, Names
from .django_views import (
    ACTION_METHODS,
    Defaults,
    ExtraAction,
    FunctionView,
    ViewClass,
    Views,
    function_view,
    generic_action,
    view_class,
)
from .qualify import keyword, literal
from .routing import (
    Instance,
    PathParameter,
    References,
    Walker,
    absolute,
    bases_chain,
    converter_template,
    instance,
    is_auth_name,
    regex_template,
    short_name,
    strings_of,
    text_of,
)

_PATTERN_FUNCTIONS = frozenset({"path", "re_path", "url"})
_SETTINGS = frozenset({"ROOT_URLCONF", "REST_FRAMEWORK", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "INSTALLED_APPS"})


@dataclass(frozen=True)
class UrlEntry:
    """One element of a pattern list: a view (function, or class with `as_view`) or an include."""

    route: str
    regex: bool
    location: Location
    view: str | None = None
    as_view: bool = False
    actions: tuple[tuple[str, str], ...] | None = None
    wrappers: tuple[str, ...] = ()
    include: str | None = None
    include_module: bool = False


@dataclass(frozen=True)
class Registration:
    router: str
    prefix: str
    viewset: str
    location: Location


@dataclass(frozen=True)
class SettingsFacts:
    root_urlconf: str | None = None
    rest_framework: tuple[tuple[str, object], ...] = ()
    middleware: tuple[str, ...] = ()
    rest_framework_known: bool = True


@dataclass
class Facts:
    lists: list[tuple[str, tuple[UrlEntry, ...]]] = field(default_factory=list)
    instances: list[Instance] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    classes: list[ViewClass] = field(default_factory=list)
    functions: list[FunctionView] = field(default_factory=list)
    settings: list[SettingsFacts] = field(default_factory=list)


def wants(module: Module) -> bool:
    if module.kind in ("test", "migration"):
        return False
    last = module.name.rpartition(".")[2]
    return last in ("urls", "settings") or "settings" in module.name or any(
        i.target.partition(".")[0] in ("django", "rest_framework", "rest_framework_nested") for i in module.imports
    )


def extract(tree: ast.Module, module: Module, names: Names) -> Facts | None:
    collector = _Collector(module, names)
    collector.run(tree)
    facts = collector.facts
    collector.read_settings(tree)
    found = facts.lists or facts.instances or facts.registrations or facts.classes or facts.functions or facts.settings
    return facts if found else None


class _Collector(Walker):
    def __init__(self, module: Module, names: Names) -> None:
        super().__init__(module, names)
        self.facts = Facts()

    def assigned(self, target: str, value: ast.expr, statement: ast.stmt) -> None:
        if isinstance(value, ast.Call) and short_name(self.ref(value.func)).endswith("Router"):
            self.facts.instances.append(instance(target, value, self))
        elif short_name(target) == "urlpatterns" or isinstance(value, (ast.List, ast.Tuple, ast.BinOp)):
            entries = tuple(self.entries(value))
            if entries or short_name(target) == "urlpatterns":
                self.facts.lists.append((target, entries))

    def called(self, call: ast.Call) -> None:
        if not isinstance(call.func, ast.Attribute):
            return
        owner, method = self.ref(call.func.value), call.func.attr
        if method == "register" and len(call.args) >= 2 and text_of(call.args[0]) is not None:
            prefix = text_of(call.args[0]).removeprefix("^")
            self.facts.registrations.append(Registration(owner, prefix, self.ref(call.args[1]), self.location(call)))
        elif method in ("append", "extend", "insert") and short_name(owner) == "urlpatterns" and call.args:
            value = call.args[-1]
            entries = self.entries(ast.List(elts=[value]) if method != "extend" else value)
            self.facts.lists.append((owner, tuple(entries)))

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str) -> None:
        found = function_view(node, qualname, self)
        if found is not None:
            self.facts.functions.append(found)

    def class_(self, node: ast.ClassDef, qualname: str) -> None:
        found = view_class(node, qualname, self)
        if found is not None:
            self.facts.classes.append(found)

    # pattern lists

    def entries(self, value: ast.expr) -> Iterator[UrlEntry]:
        if isinstance(value, (ast.List, ast.Tuple)):
            for element in value.elts:
                yield from self._element(element)
        elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            yield from self.entries(value.left)
            yield from self.entries(value.right)
        elif isinstance(value, ast.Call) and short_name(self.ref(value.func)) in ("format_suffix_patterns", "i18n_patterns"):
            for argument in value.args:
                yield from (self.entries(argument) if isinstance(argument, (ast.List, ast.Tuple)) else self._element(argument))
        elif isinstance(value, (ast.Name, ast.Attribute)):
            yield UrlEntry("", False, self.location(value), include=self.ref(value))

    def _element(self, element: ast.expr) -> Iterator[UrlEntry]:
        if isinstance(element, ast.Starred):
            element = element.value
        if isinstance(element, (ast.Name, ast.Attribute)):
            yield UrlEntry("", False, self.location(element), include=self.ref(element))
            return
        if not (isinstance(element, ast.Call) and short_name(self.ref(element.func)) in _PATTERN_FUNCTIONS):
            return
        function = short_name(self.ref(element.func))
        route = text_of(element.args[0] if element.args else keyword(element, "route"))
        target = element.args[1] if len(element.args) > 1 else keyword(element, "view")
        if route is None or target is None:
            return
        entry = self._target(target, UrlEntry(route, function != "path", self.location(element)))
        if entry is not None:
            yield entry

    def _target(self, node: ast.expr, entry: UrlEntry) -> UrlEntry | None:
        """What a pattern serves: an include, a class's `as_view(...)`, a wrapped view, or a function."""
        if isinstance(node, ast.Call):
            name = short_name(self.ref(node.func))
            if name == "include" and node.args:
                return self._include(node.args[0], entry)
            if isinstance(node.func, ast.Attribute) and node.func.attr == "as_view":
                actions = literal(node.args[0]) if node.args else None
                pairs = tuple((str(k).upper(), str(v)) for k, v in actions.items()) if isinstance(actions, dict) else None
                return _replace(entry, view=self.ref(node.func.value), as_view=True, actions=pairs)
            if node.args:
                inner = self._target(node.args[0], entry)
                return _replace(inner, wrappers=(*inner.wrappers, self.ref(node.func))) if inner else None
            return None
        if isinstance(node, (ast.Name, ast.Attribute)):
            return _replace(entry, view=self.ref(node))
        return None

    def _include(self, node: ast.expr, entry: UrlEntry) -> UrlEntry | None:
        if isinstance(node, ast.Tuple) and node.elts:
            return self._include(node.elts[0], entry)
        text = text_of(node)
        if text is not None:
            return _replace(entry, include=text, include_module=True)
        if isinstance(node, ast.List):
            inline = f"{self.scope}.<patterns line {node.lineno}>"
            self.facts.lists.append((inline, tuple(self.entries(node))))
            return _replace(entry, include=inline)
        if isinstance(node, (ast.Name, ast.Attribute)):
            return _replace(entry, include=self.ref(node))
        return None

    # settings

    def read_settings(self, tree: ast.Module) -> None:
        values = {}
        for statement in tree.body:
            target = statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
            if isinstance(target, ast.Name) and target.id in _SETTINGS:
                values[target.id] = statement.value
        if not values:
            return
        rest_framework = literal(values.get("REST_FRAMEWORK"))
        middleware = strings_of(values.get("MIDDLEWARE") or values.get("MIDDLEWARE_CLASSES")) or ()
        self.facts.settings.append(SettingsFacts(
            root_urlconf=text_of(values.get("ROOT_URLCONF")),
            rest_framework=tuple(rest_framework.items()) if isinstance(rest_framework, dict) else (),
            middleware=middleware,
            rest_framework_known="REST_FRAMEWORK" not in values or isinstance(rest_framework, dict),
        ))


def _replace(entry: UrlEntry, **changes: object) -> UrlEntry:
    return replace(entry, **changes)


# ---- linking -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """Where a walk through the URL configuration stands: the path so far, its parameters, the root."""

    template: str
    parameters: tuple[PathParameter, ...]
    application: str | None

    def joined(self, route: str, regex: bool) -> _Place:
        template, parameters = regex_template(route) if regex else converter_template(route, flask=False)
        return _Place(self.template + template, self.parameters + parameters, self.application)


class _Linker:
    def __init__(self, facts: Sequence[tuple[Module, Facts]], modules: Sequence[Module]) -> None:
        every = [f for _, f in facts]
        self.references = References(modules)
        self.bases = {c.qualname: c.bases for m in modules for c in m.classes}
        self.lists: dict[str, list[UrlEntry]] = {}
        for name, entries in (pair for f in every for pair in f.lists):
            self.lists.setdefault(name, []).extend(entries)
        instances = [i for f in every for i in f.instances]
        self.routers = {i.id: i for i in instances if self._is_router(i.callee)}
        self.registrations: dict[str, list[Registration]] = {}
        for registration in (r for f in every for r in f.registrations):
            router = self.references.resolve(registration.router, self.routers)
            if router is not None:
                self.registrations.setdefault(router, []).append(registration)
        settings = [s for f in every for s in f.settings]
        self.roots = [f"{s.root_urlconf}.urlpatterns" for s in settings if s.root_urlconf]
        self.views = Views([c for f in every for c in f.classes], [v for f in every for v in f.functions], self.bases,
                           self.references, _defaults(settings))

    def _is_router(self, callee: str) -> bool:
        return any(a.startswith(("rest_framework", "rest_framework_nested")) and a.endswith("Router") for a in bases_chain(callee, self.bases, self.references))

    def operations(self) -> Iterator[Operation]:
        reached: set[str] = set()
        starts = [r for r in dict.fromkeys(self.roots) if r in self.lists]
        starts += sorted(name for name in self.lists if short_name(name) == "urlpatterns" and name not in self._included())
        for start in dict.fromkeys(starts):
            application = start.removesuffix(".urlpatterns")
            yield from self.walk(start, _Place("", (), application), reached)
        for router in sorted(set(self.routers) - reached):
            yield from self.router_operations(router, _Place("", (), None))

    def _included(self) -> set[str]:
        included = set()
        for entries in self.lists.values():
            for entry in entries:
                target = self._include_target(entry) if entry.include else None
                if target is not None:
                    included.add(target)
        return included

    def _include_target(self, entry: UrlEntry) -> str | None:
        """The pattern list (or router, for `router.urls`) an include names."""
        name = entry.include or ""
        if entry.include_module:
            return f"{name}.urlpatterns" if f"{name}.urlpatterns" in self.lists else None
        found = self.references.resolve(name, self.lists) or self.references.resolve(f"{name}.urlpatterns", self.lists)
        if found is None and name.endswith(".urls"):
            found = self.references.resolve(name.removesuffix(".urls"), self.routers)
        return found

    def walk(self, list_name: str, place: _Place, reached: set[str], depth: int = 0) -> Iterator[Operation]:
        if depth > 30:  # an include cycle: Django would recurse forever too
            return
        for entry in self.lists.get(list_name, []):
            here = place.joined(entry.route, entry.regex)
            if entry.include is None:
                yield from self.view_operations(entry, here)
                continue
            target = self._include_target(entry)
            if target in self.routers:
                reached.add(target)
                yield from self.router_operations(target, here)
            elif target is not None:
                yield from self.walk(target, here, reached, depth + 1)

    # routers

    def router_operations(self, router: str, place: _Place) -> Iterator[Operation]:
        """A DRF router's routes. Routers build regular expressions, so every piece is read as one."""
        found = self.routers[router]
        slash = "" if found.option("trailing_slash") in (False, "") else "/"
        base = place
        if short_name(found.callee).startswith("Nested") and len(found.arguments) > 1 and isinstance(found.arguments[1], str):
            lookup = found.option("lookup") or "parent"
            base = place.joined(f"{found.arguments[1].removeprefix('^').rstrip('/')}/(?P<{lookup}_pk>[^/.]+)/", True)
        for registration in self.registrations.get(router, []):
            yield from self._viewset_operations(registration, base.joined(registration.prefix.rstrip("/"), True), slash)

    def _viewset_operations(self, registration: Registration, base: _Place, slash: str) -> Iterator[Operation]:
        views = self.views
        chain = views.chain(registration.viewset)
        lookup = views.lookup(chain, "lookup_url_kwarg") or views.lookup(chain, "lookup_field") or "pk"
        lookup = lookup if isinstance(lookup, str) else "pk"
        collection = base.joined(slash, True)
        item = base.joined(f"/(?P<{lookup}>[^/.]+){slash}", True)
        allowed = views.allowed_methods(chain)
        for action in views.actions(chain):
            if ACTION_METHODS[action] in allowed:
                place = collection if action in ("list", "create") else item
                yield self.drf_operation(chain, ACTION_METHODS[action], action, place, registration.location)
        for extra in views.extra_actions(chain):
            place = (item if extra.detail else base).joined(("" if extra.detail else "/") + f"{extra.url_path}{slash}", True)
            for method in extra.methods:
                if method in allowed:
                    yield self.drf_operation(chain, method, extra.name, place, registration.location, extra)

    # views

    def view_operations(self, entry: UrlEntry, place: _Place) -> Iterator[Operation]:
        if entry.view is None:
            return
        if entry.as_view:
            yield from self._class_operations(entry, place)
            return
        reference = self.references.resolve(entry.view, self.views.functions) or entry.view
        function = self.views.functions.get(reference)
        methods = self.views.function_methods(function) if function else ["GET"]
        api_view = function is not None and function.is_api_view
        for method in methods:
            if api_view:
                security, schemes = self.views.drf_security([], method, function=function)
            else:
                decorators = (function.decorators if function else ()) + entry.wrappers
                security, schemes = self.views.django_security([], decorators), ()
            yield self._operation(method, place, reference, entry.location, security, schemes, "drf" if api_view else "django")

    def _class_operations(self, entry: UrlEntry, place: _Place) -> Iterator[Operation]:
        views = self.views
        chain = views.chain(entry.view or "")
        if entry.actions:
            allowed = views.allowed_methods(chain)
            for method, action in entry.actions:
                if method in allowed:
                    yield self.drf_operation(chain, method, action, place, entry.location)
            return
        if views.is_viewset(chain):
            return  # a viewset needs an action map or a router; Django would refuse `as_view()` without one
        library = views.library_methods(chain)
        for method in views.methods(chain):
            if views.is_drf(chain):
                action = generic_action(chain, method, views) if method in library else ""
                yield self.drf_operation(chain, method, action, place, entry.location, handler=method.lower())
            else:
                security = views.django_security(chain, entry.wrappers)
                yield self._operation(method, place, f"{chain[0]}.{method.lower()}", entry.location, security, (), "django")

    def drf_operation(self, chain: list[str], method: str, action: str, place: _Place, location: Location,
                      extra: ExtraAction | None = None, handler: str | None = None) -> Operation:
        views = self.views
        security, schemes = views.drf_security(chain, method, extra)
        is_list = action == "list"
        paginated, paginator = views.pagination(chain) if is_list else (None, None)
        filters = views.filters(chain) if is_list else ()
        body, responses = views.body_and_responses(chain, action, paginated) if action and extra is None else (None, ())
        operation = self._operation(method, place, f"{chain[0]}.{handler or action}", location, security, schemes, "drf")
        extra_parameters = views.list_parameters(chain, paginator if paginated else None, filters) if is_list else ()
        return replace(operation, parameters=operation.parameters + extra_parameters, request_body=body, responses=responses,
                       paginated=paginated, filters=filters)

    def _operation(self, method: str, place: _Place, handler: str, location: Location, security: tuple[str, ...] | None,
                   schemes: tuple, framework: str) -> Operation:
        by_name = {p.name: p for p in place.parameters}
        parameters = tuple(ApiParameter(p.name, "path", True, p.schema) for p in by_name.values())
        return Operation(
            method=method.upper(),
            path=absolute(place.template),
            location=location,
            origin="code",
            handler=handler,
            parameters=parameters,
            security=security,
            framework=framework,
            schemes=schemes,
            application=place.application,
        )


def _defaults(settings: list[SettingsFacts]) -> Defaults:
    """The REST framework defaults and auth middleware of the settings (merged when split over several modules)."""
    if not settings:
        return Defaults()
    options: dict[str, object] = {}
    middleware: list[str] = []
    for found in settings:
        options.update(found.rest_framework)
        middleware += [m for m in found.middleware if is_auth_middleware(m)]
    base = Defaults(seen=True)
    return Defaults(
        seen=True,
        rest_framework_known=all(found.rest_framework_known for found in settings),
        permission_classes=_classes(options.get("DEFAULT_PERMISSION_CLASSES"), base.permission_classes),
        authentication_classes=_classes(options.get("DEFAULT_AUTHENTICATION_CLASSES"), base.authentication_classes),
        pagination_class=options.get("DEFAULT_PAGINATION_CLASS") if isinstance(options.get("DEFAULT_PAGINATION_CLASS"), str) else None,
        page_size=isinstance(options.get("PAGE_SIZE"), int),
        filter_backends=_classes(options.get("DEFAULT_FILTER_BACKENDS"), ()),
        middleware=tuple(dict.fromkeys(middleware)),
    )


def is_auth_middleware(name: str) -> bool:
    return is_auth_name(name) and "csrf" not in name.lower()


def _classes(value: object, default: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(v for v in value if isinstance(v, str))
    return default


def link(facts: Sequence[tuple[Module, Facts]], modules: Sequence[Module]) -> Contribution:
    return Contribution(operations=list(_Linker(facts, modules).operations()))


EXTRACTOR = Extractor("django-routes", wants, extract, link, markers=("from django", "import django"))
