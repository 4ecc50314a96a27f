"""Django and Django REST framework views: what a view class or function says about its HTTP methods,
authentication, permissions, pagination and filters, read from its body and its in-repo ancestors, with DRF's
`REST_FRAMEWORK` settings as defaults. `django_routes` joins these to the URL patterns that serve them."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ....model import ApiParameter, Body, Response, Schema, SecurityScheme
from .qualify import keyword, literal
from .routing import HTTP_METHODS, References, Walker, bases_chain, elements, is_auth_name, short_name, strings_of, text_of

_VERBS = frozenset(m.lower() for m in HTTP_METHODS)
_ACTIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")
ACTION_METHODS = {"list": "GET", "create": "POST", "retrieve": "GET", "update": "PUT", "partial_update": "PATCH", "destroy": "DELETE"}
# What library base classes provide, by short name: viewset actions, or HTTP methods of a generic view.
_LIBRARY_ACTIONS = {
    "ModelViewSet": _ACTIONS, "ReadOnlyModelViewSet": ("list", "retrieve"), "ListModelMixin": ("list",),
    "CreateModelMixin": ("create",), "RetrieveModelMixin": ("retrieve",), "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
}
_LIBRARY_METHODS = {
    "ListAPIView": ("GET",), "CreateAPIView": ("POST",), "RetrieveAPIView": ("GET",), "DestroyAPIView": ("DELETE",),
    "UpdateAPIView": ("PUT", "PATCH"), "ListCreateAPIView": ("GET", "POST"), "RetrieveUpdateAPIView": ("GET", "PUT", "PATCH"),
    "RetrieveDestroyAPIView": ("GET", "DELETE"), "RetrieveUpdateDestroyAPIView": ("GET", "PUT", "PATCH", "DELETE"),
    "TemplateView": ("GET",), "ListView": ("GET",), "DetailView": ("GET",), "RedirectView": ("GET",),
    "ArchiveIndexView": ("GET",), "YearArchiveView": ("GET",), "MonthArchiveView": ("GET",), "DayArchiveView": ("GET",),
    "FormView": ("GET", "POST"), "CreateView": ("GET", "POST"), "UpdateView": ("GET", "POST"), "DeleteView": ("GET", "POST"),
    "LoginView": ("GET", "POST"), "LogoutView": ("POST",), "PasswordChangeView": ("GET", "POST"),
}
_VIEWSET_ROOTS = frozenset({"ViewSet", "GenericViewSet", "ModelViewSet", "ReadOnlyModelViewSet", "ViewSetMixin"})
_LIST_VIEWS = frozenset({"ListAPIView", "ListCreateAPIView"})
_CLASS_ATTRIBUTES = ("permission_classes", "authentication_classes", "pagination_class", "filter_backends", "lookup_field",
                     "lookup_url_kwarg", "http_method_names", "serializer_class", "search_fields", "ordering_fields", "filterset_fields")
# DRF's own defaults, used when the settings are seen but do not say.
_DRF_DEFAULT_AUTHENTICATION = ("rest_framework.authentication.SessionAuthentication", "rest_framework.authentication.BasicAuthentication")
_SCHEMES = {
    "SessionAuthentication": SecurityScheme("SessionAuthentication", "apiKey", where="cookie", parameter="sessionid"),
    "BasicAuthentication": SecurityScheme("BasicAuthentication", "http", scheme="basic"),
    "TokenAuthentication": SecurityScheme("TokenAuthentication", "apiKey", where="header", parameter="Authorization"),
    "JWTAuthentication": SecurityScheme("JWTAuthentication", "http", scheme="bearer"),
    "JSONWebTokenAuthentication": SecurityScheme("JSONWebTokenAuthentication", "http", scheme="bearer"),
}
_PAGINATION_PARAMETERS = {"PageNumberPagination": ("page",), "LimitOffsetPagination": ("limit", "offset"), "CursorPagination": ("cursor",)}


@dataclass(frozen=True)
class ExtraAction:
    """A viewset method decorated with `@action`."""

    name: str
    detail: bool
    methods: tuple[str, ...]
    url_path: str
    permission_classes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ViewClass:
    """A class body's view facts; `attributes` are (name, value) with class references for class lists."""

    qualname: str
    handlers: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    extra_actions: tuple[ExtraAction, ...] = ()
    attributes: tuple[tuple[str, object], ...] = ()
    decorators: tuple[str, ...] = ()
    custom_permissions: bool = False

    def attribute(self, name: str, default: object = None) -> object:
        return next((v for k, v in self.attributes if k == name), default)

    def has(self, name: str) -> bool:
        return any(k == name for k, _ in self.attributes)


@dataclass(frozen=True)
class FunctionView:
    """A function that looks like a view: its decorators, the methods its decorators allow (`@api_view`,
    `@require_http_methods`), the methods its body compares `request.method` with, and DRF permission decorators."""

    qualname: str
    decorators: tuple[str, ...] = ()
    allowed: tuple[str, ...] | None = None
    compared: tuple[str, ...] = ()
    permission_classes: tuple[str, ...] | None = None
    is_api_view: bool = False


def view_class(node: ast.ClassDef, qualname: str, walker: Walker) -> ViewClass | None:
    methods = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    handlers = tuple(m.name for m in methods if m.name in _VERBS)
    actions = tuple(m.name for m in methods if m.name in _ACTIONS)
    extra = tuple(a for m in methods if (a := _extra_action(m, walker)) is not None)
    attributes = tuple(_attributes(node, walker))
    decorators = tuple(_class_decorators(node, walker))
    custom = any(m.name == "get_permissions" for m in methods)
    if not (handlers or actions or extra or attributes or decorators or custom):
        return None
    return ViewClass(qualname, handlers, actions, extra, attributes, decorators, custom)


def _extra_action(node: ast.FunctionDef | ast.AsyncFunctionDef, walker: Walker) -> ExtraAction | None:
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and short_name(walker.ref(decorator.func)) in ("action", "detail_route", "list_route"):
            kind = short_name(walker.ref(decorator.func))
            detail = literal(keyword(decorator, "detail"))
            methods = strings_of(keyword(decorator, "methods")) or ("get",)
            permissions = keyword(decorator, "permission_classes")
            return ExtraAction(
                name=node.name,
                detail=kind == "detail_route" or (detail is True and kind == "action"),
                methods=tuple(m.upper() for m in methods),
                url_path=text_of(keyword(decorator, "url_path")) or node.name,
                permission_classes=tuple(walker.ref(e) for e in elements(permissions)) if permissions is not None else None,
            )
    return None


def _attributes(node: ast.ClassDef, walker: Walker) -> list[tuple[str, object]]:
    found = []
    for statement in node.body:
        if not (isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None):
            continue
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id in _CLASS_ATTRIBUTES:
                found.append((target.id, _attribute_value(statement.value, walker)))
    return found


def _attribute_value(value: ast.expr, walker: Walker) -> object:
    """A class list as references, `None` as "None", a literal as itself, a single class as its reference."""
    if isinstance(value, (ast.List, ast.Tuple)):
        plain = literal(value)
        return tuple(plain) if isinstance(plain, (list, tuple)) else tuple(walker.ref(e) for e in value.elts)
    if isinstance(value, ast.Constant):
        return "None" if value.value is None else value.value
    if isinstance(value, (ast.Name, ast.Attribute)):
        return walker.ref(value)
    return None


def _class_decorators(node: ast.ClassDef, walker: Walker) -> list[str]:
    """Class decorators and those of its `dispatch` method: both wrap every handler of the view."""
    found = _decorator_names(node.decorator_list, walker)
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == "dispatch":
            found += _decorator_names(statement.decorator_list, walker)
    return found


def _decorator_names(decorators: list[ast.expr], walker: Walker) -> list[str]:
    """Decorator references, with `method_decorator(login_required, name="dispatch")` read as `login_required`."""
    found = []
    for decorator in decorators:
        if isinstance(decorator, ast.Call) and short_name(walker.ref(decorator.func)) == "method_decorator" and decorator.args:
            inner = decorator.args[0]
            found += [walker.ref(e) for e in elements(inner)] if isinstance(inner, (ast.List, ast.Tuple)) else [walker.ref(inner)]
        else:
            found.append(walker.ref(decorator))
    return found


def function_view(node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str, walker: Walker) -> FunctionView | None:
    arguments = node.args.posonlyargs + node.args.args
    decorators = [walker.ref(d) for d in node.decorator_list]
    if not (arguments and arguments[0].arg == "request") and not any(short_name(d) == "api_view" for d in decorators):
        return None
    allowed, permissions, is_api_view = None, None, False
    for decorator in node.decorator_list:
        name = short_name(walker.ref(decorator))
        call_arguments = decorator.args if isinstance(decorator, ast.Call) else []
        if name == "api_view":
            is_api_view = True
            allowed = strings_of(call_arguments[0]) if call_arguments else ("GET",)
        elif name == "require_http_methods" and call_arguments:
            allowed = strings_of(call_arguments[0])
        elif name in ("require_GET", "require_POST", "require_safe"):
            allowed = {"require_GET": ("GET",), "require_POST": ("POST",), "require_safe": ("GET", "HEAD")}[name]
        elif name == "permission_classes" and call_arguments:
            permissions = tuple(walker.ref(e) for e in elements(call_arguments[0]))
    return FunctionView(qualname, tuple(decorators), tuple(m.upper() for m in allowed) if allowed else None,
                        tuple(_compared_methods(node)), permissions, is_api_view)


def _compared_methods(node: ast.AST) -> list[str]:
    """Methods a view body tests `request.method` against (`== "POST"`, `in ("PUT", "PATCH")`)."""
    found: list[str] = []
    for compare in (n for n in ast.walk(node) if isinstance(n, ast.Compare)):
        sides = [compare.left, *compare.comparators]
        if not any(isinstance(s, ast.Attribute) and s.attr == "method" for s in sides):
            continue
        for side in sides:
            for value in strings_of(side) or ():
                if value.lower() in _VERBS and value.upper() not in found:
                    found.append(value.upper())
    return found


# ---- judging a view at link time -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Defaults:
    """What the settings say: `REST_FRAMEWORK` keys and auth-like middleware; `seen` is false when no settings
    module was found, so DRF's and Django's own defaults cannot be assumed. `rest_framework_known` is false
    when `REST_FRAMEWORK` is built by code (weblate's `get_drf_settings(...)`): its defaults are unknown."""

    seen: bool = False
    rest_framework_known: bool = True
    permission_classes: tuple[str, ...] = ("rest_framework.permissions.AllowAny",)
    authentication_classes: tuple[str, ...] = _DRF_DEFAULT_AUTHENTICATION
    pagination_class: str | None = None
    page_size: bool = False
    filter_backends: tuple[str, ...] = ()
    middleware: tuple[str, ...] = ()


class Views:
    """The view classes and functions of the repository, and what they mean for one route."""

    def __init__(self, classes: Sequence[ViewClass], functions: Sequence[FunctionView], bases: Mapping[str, tuple[str, ...]],
                 references: References, defaults: Defaults) -> None:
        self.classes = {c.qualname: c for c in classes}
        self.functions = {f.qualname: f for f in functions}
        self.bases = bases
        self.references = references
        self.defaults = defaults

    def chain(self, reference: str) -> list[str]:
        return bases_chain(reference, self.bases, self.references)

    def lookup(self, chain: list[str], name: str, default: object = None) -> object:
        """A class attribute as Python finds it: on the class, else the nearest in-repo ancestor that sets it."""
        for ancestor in chain:
            found = self.classes.get(ancestor)
            if found is not None and found.has(name):
                return found.attribute(name)
        return default

    def is_viewset(self, chain: list[str]) -> bool:
        return any(short_name(a) in _VIEWSET_ROOTS and a.startswith("rest_framework") for a in chain)

    def is_drf(self, chain: list[str]) -> bool:
        return any(a.startswith("rest_framework") for a in chain)

    def actions(self, chain: list[str]) -> list[str]:
        found: list[str] = []
        for ancestor in chain:
            if ancestor in self.classes:
                own = self.classes[ancestor].actions
            else:
                own = _LIBRARY_ACTIONS.get(short_name(ancestor), ()) if ancestor.startswith("rest_framework") else ()
            found += [a for a in own if a not in found]
        return sorted(found, key=_ACTIONS.index)

    def extra_actions(self, chain: list[str]) -> list[ExtraAction]:
        seen: dict[str, ExtraAction] = {}
        for ancestor in chain:
            for extra in self.classes[ancestor].extra_actions if ancestor in self.classes else ():
                seen.setdefault(extra.name, extra)
        return list(seen.values())

    def methods(self, chain: list[str]) -> list[str]:
        """The HTTP methods of a class-based view: its handlers, its generic bases', narrowed by `http_method_names`."""
        found: list[str] = []
        for ancestor in chain:
            own = tuple(h.upper() for h in self.classes[ancestor].handlers) if ancestor in self.classes else ()
            library = _LIBRARY_METHODS.get(short_name(ancestor), ()) if ancestor.startswith(("rest_framework", "django")) else ()
            found += [m for m in own + library if m not in found]
        allowed = self.allowed_methods(chain)
        return sorted([m for m in found if m in allowed] or ["GET"], key=HTTP_METHODS.index)

    def allowed_methods(self, chain: list[str]) -> frozenset[str]:
        """The methods `http_method_names` lets through (all of them when it is not set)."""
        allowed = self.lookup(chain, "http_method_names")
        if isinstance(allowed, tuple):
            return frozenset(m.upper() for m in allowed if isinstance(m, str))
        return frozenset(HTTP_METHODS)

    def library_methods(self, chain: list[str]) -> set[str]:
        """The methods a generic base class implements (not the view's own handlers)."""
        own = {h.upper() for a in chain if a in self.classes for h in self.classes[a].handlers}
        library = {m for a in chain if a.startswith(("rest_framework", "django")) for m in _LIBRARY_METHODS.get(short_name(a), ())}
        return library - own

    def function_methods(self, view: FunctionView) -> list[str]:
        if view.allowed:
            return list(view.allowed)
        # A view that never tests request.method answers GET; one that tests for POST also shows its form on GET.
        return sorted({"GET", *view.compared}, key=HTTP_METHODS.index)

    # security

    def drf_security(self, chain: list[str], method: str, action: ExtraAction | None = None,
                     function: FunctionView | None = None) -> tuple[tuple[str, ...] | None, tuple[SecurityScheme, ...]]:
        """Permission classes that restrict access, as `security`; the authentication classes' schemes."""
        permissions = self._permissions(chain, action, function)
        if permissions is None:
            return None, ()
        names = [short_name(p) for p in permissions if short_name(p) != "AllowAny"]
        if method in ("GET", "HEAD", "OPTIONS") and names and all(n.endswith(("OrReadOnly", "OrAnonReadOnly")) for n in names):
            names = []
        if not names:
            return (), ()
        authentication = self.lookup(chain, "authentication_classes", self.defaults.authentication_classes)
        return tuple(names), tuple(_scheme(a) for a in authentication or () if isinstance(a, str))

    def _permissions(self, chain: list[str], action: ExtraAction | None, function: FunctionView | None) -> tuple[str, ...] | None:
        if action is not None and action.permission_classes is not None:
            return action.permission_classes
        if function is not None:
            return function.permission_classes if function.permission_classes is not None else self._default_permissions()
        if any(self.classes[a].custom_permissions for a in chain if a in self.classes):
            return None  # `get_permissions()` decides per request
        found = self.lookup(chain, "permission_classes")
        return found if isinstance(found, tuple) else self._default_permissions()

    def _default_permissions(self) -> tuple[str, ...] | None:
        return self.defaults.permission_classes if self.defaults.seen and self.defaults.rest_framework_known else None

    def django_security(self, chain: list[str], decorators: Sequence[str]) -> tuple[str, ...] | None:
        """Auth decorators, mixins among the ancestors, and auth middleware, by name; () when the settings are seen."""
        guards = [short_name(d) for d in decorators if is_auth_name(d)]
        for ancestor in chain[1:]:
            # Class-based views take their checks from mixins; another ancestor's name (`TokenView`) says nothing.
            if ancestor.endswith("Mixin") and is_auth_name(ancestor):
                guards.append(short_name(ancestor))
            guards += [short_name(d) for d in (self.classes[ancestor].decorators if ancestor in self.classes else ()) if is_auth_name(d)]
        if chain and chain[0] in self.classes:
            guards += [short_name(d) for d in self.classes[chain[0]].decorators if is_auth_name(d)]
        guards += [short_name(m) for m in self.defaults.middleware]
        if guards:
            return tuple(dict.fromkeys(guards))
        return () if self.defaults.seen else None

    # lists

    def pagination(self, chain: list[str]) -> tuple[bool | None, str | None]:
        """Whether a list view paginates, and with which class (its reference)."""
        found = self.lookup(chain, "pagination_class", "")
        if found == "None" or found is None:
            return False, None
        if isinstance(found, str) and found:
            return True, found
        if not (self.defaults.seen and self.defaults.rest_framework_known):
            return None, None
        default = self.defaults.pagination_class
        if default is None:
            return False, None
        # DRF's own paginators need PAGE_SIZE; a project's subclass usually sets page_size itself.
        built_in = default.startswith("rest_framework.")
        return (self.defaults.page_size or not built_in), default

    def filters(self, chain: list[str]) -> tuple[str, ...]:
        found = self.lookup(chain, "filter_backends", self.defaults.filter_backends)
        return tuple(short_name(f) for f in found if isinstance(f, str)) if isinstance(found, tuple) else ()

    def list_parameters(self, chain: list[str], pagination: str | None, filters: tuple[str, ...]) -> tuple[ApiParameter, ...]:
        names: list[str] = []
        if pagination:
            style = next((p for a in self.chain(pagination) for p in (short_name(a),) if p in _PAGINATION_PARAMETERS), None)
            names += _PAGINATION_PARAMETERS.get(style or "", ())
        if "SearchFilter" in filters and self.lookup(chain, "search_fields"):
            names.append("search")
        if "OrderingFilter" in filters:
            names.append("ordering")
        if "DjangoFilterBackend" in filters:
            fields = self.lookup(chain, "filterset_fields")
            names += [f for f in fields if isinstance(f, str)] if isinstance(fields, tuple) else []
        return tuple(ApiParameter(n, "query", False, Schema(type="integer" if n in ("page", "limit", "offset") else "string")) for n in dict.fromkeys(names))

    def is_list_view(self, chain: list[str]) -> bool:
        return any(short_name(a) in _LIST_VIEWS and a.startswith("rest_framework") for a in chain)

    def body_and_responses(self, chain: list[str], action: str, paginated: bool | None) -> tuple[Body | None, tuple[Response, ...]]:
        """DRF's request body and success response for a standard action, from `serializer_class`."""
        serializer = self.lookup(chain, "serializer_class")
        schema = Schema(ref=short_name(serializer), type="object") if isinstance(serializer, str) and serializer != "None" else None
        body = Body(("application/json",), schema, action != "partial_update") if action in ("create", "update", "partial_update") and schema else None
        if action == "destroy":
            return None, (Response("204", "No Content"),)
        if action == "list" and schema is not None:
            items = Schema(type="array", items=schema)
            wrapped = Schema(type="object", properties=(("count", Schema(type="integer")), ("next", Schema(type="string", nullable=True)),
                                                        ("previous", Schema(type="string", nullable=True)), ("results", items)))
            schema = wrapped if paginated else items
        status = "201" if action == "create" else "200"
        return body, (Response(status, "", ("application/json",) if schema else (), schema),)


def _scheme(reference: str) -> SecurityScheme:
    """The scheme a DRF authentication class stands for; a class vitruvius does not know gives a scheme of unknown type."""
    name = short_name(reference)
    known = _SCHEMES.get(name)
    if known is not None:
        return known
    if "jwt" in name.lower() or "bearer" in name.lower():
        return SecurityScheme(name, "http", scheme="bearer")
    return SecurityScheme(name, "")


def action_for_method(method: str, detail: bool) -> str:
    """The standard viewset action behind a method on a list route (`detail=False`) or an item route."""
    if not detail:
        return "list" if method == "GET" else "create"
    return {"GET": "retrieve", "PUT": "update", "PATCH": "partial_update", "DELETE": "destroy"}.get(method, "")


def generic_action(chain: list[str], method: str, views: Views) -> str:
    """The action a generic APIView's method performs, for its body and response (`ListCreateAPIView.post` → create)."""
    if method == "GET":
        return "list" if views.is_list_view(chain) else "retrieve" if views.is_drf(chain) else ""
    return {"POST": "create", "PUT": "update", "PATCH": "partial_update", "DELETE": "destroy"}.get(method, "")
