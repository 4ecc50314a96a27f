"""FastAPI routes → Operations.

Read: `@app.get/post/…/api_route(...)` and `add_api_route` on `FastAPI` and `APIRouter` objects (and in-repo
subclasses of them), in modules or inside factory functions; `include_router` (prefix, dependencies) and
`mount` chains across modules, re-exports included; each handler's path, query, header, cookie and body
parameters with their types and `Query`/`Path` constraints (also through `Annotated` aliases); `status_code`,
`response_model` (or the return annotation), `responses`; `include_in_schema`, tags, summary, deprecation.

Security: the `Depends`/`Security` dependencies of the route, its routers, their inclusions and the app,
followed through in-repo dependency functions; one is authentication when its name says so
(`get_current_user`, `require_api_key`, `verify_token`…) or when it leads to a `fastapi.security` scheme
(`OAuth2PasswordBearer`, `HTTPBearer`, `APIKeyHeader`…), whose details become `Operation.schemes`. A route gets
`security=()` only when its chain reaches an application object and nothing on it authenticates, and no
middleware of that application is named like authentication; a router never seen mounted gives None.

Left out: dependencies' own parameters (a dependency's `Header` is not listed as the route's parameter),
class-based views (fastapi-utils `cbv`), websockets, routes built in loops or from data, and prefixes that
are neither literals nor unique string constants of the repository (a note says so).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ....model import ApiParameter, Body, Location, Module, Note, Operation, Response, Schema, SecurityScheme
from . import Contribution, Extractor, Names
from .pydantic_schemas import ClassShape, SchemaBook, call_constraints, class_shapes, constrained
from .qualify import keyword, literal
from .routing import (
    HTTP_METHODS,
    Instance,
    References,
    TypeRef,
    Walker,
    absolute,
    annotated_metadata,
    bases_chain,
    constant_for,
    elements,
    fastapi_template,
    instance,
    is_auth_name,
    is_scalar,
    literal_keywords,
    short_name,
    status_of,
    string_constants,
    strings_of,
    text_of,
    type_ref,
    unique,
)

_VERBS = frozenset(m.lower() for m in HTTP_METHODS)
_MARKERS = frozenset({"Query", "Path", "Body", "Header", "Cookie", "Form", "File", "Depends", "Security"})
# Parameters FastAPI fills itself: they are not part of the HTTP interface.
_INJECTED = frozenset({"Request", "Response", "WebSocket", "BackgroundTasks", "HTTPConnection", "SecurityScopes"})
_SECURITY_TYPES = {
    "OAuth2PasswordBearer": ("oauth2", None), "OAuth2AuthorizationCodeBearer": ("oauth2", None), "OAuth2": ("oauth2", None),
    "HTTPBearer": ("http", "bearer"), "HTTPBasic": ("http", "basic"), "HTTPDigest": ("http", "digest"),
    "APIKeyHeader": ("apiKey", "header"), "APIKeyQuery": ("apiKey", "query"), "APIKeyCookie": ("apiKey", "cookie"),
    "OpenIdConnect": ("openIdConnect", None),
}
_RESPONSE_CLASSES = (
    "Response", "JSONResponse", "HTMLResponse", "PlainTextResponse", "RedirectResponse", "StreamingResponse", "FileResponse",
    "ORJSONResponse", "UJSONResponse",
)
_EXTENSIONS = ("fastapi", "starlette", "pydantic", "sqlmodel", "enum")


# ---- facts of one file ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A handler or dependency parameter as written; `marker` is Query/Path/Body/Header/Cookie/Form/File/
    Depends/Security or None; `annotation` is the reference of a plain-name annotation (an `Annotated` alias)."""

    name: str
    type: TypeRef
    marker: str | None = None
    dependency: str | None = None
    required: bool = True
    constraints: tuple[tuple[str, object], ...] = ()
    alias: str | None = None
    embed: bool = False
    annotation: str | None = None


@dataclass(frozen=True)
class Route:
    owner: str
    methods: tuple[str, ...]
    path: str
    handler: str
    location: Location
    parameters: tuple[Param, ...] = ()
    dependencies: tuple[str, ...] = ()
    status_code: int | None = None
    response_model: TypeRef | None = None
    response_model_given: bool = False
    returns: TypeRef | None = None
    responses: tuple[tuple[str, str], ...] = ()
    options: tuple[tuple[str, object], ...] = ()

    def option(self, name: str, default: object = None) -> object:
        return next((v for k, v in self.options if k == name), default)


@dataclass(frozen=True)
class Inclusion:
    """`parent.include_router(child, prefix=…, dependencies=[…])` or `parent.mount(prefix, child)`."""

    parent: str
    child: str
    location: Location
    prefix: str | None = ""
    prefix_expression: str | None = None
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dependency:
    """A function (or a class's `__call__`) with dependencies or header/cookie parameters of its own."""

    qualname: str
    dependencies: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    cookies: tuple[str, ...] = ()
    annotations: tuple[str, ...] = ()


@dataclass
class Facts:
    instances: list[Instance] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    inclusions: list[Inclusion] = field(default_factory=list)
    middleware: list[tuple[str, str]] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    aliases: list[tuple[str, Param]] = field(default_factory=list)
    shapes: tuple[ClassShape, ...] = ()
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict, repr=False)

    def picklable(self) -> Facts:
        self.functions = {}
        return self


def wants(module: Module) -> bool:
    if module.kind in ("test", "migration"):
        return False
    targets = (i.target for i in module.imports)
    return any(t.partition(".")[0] in _EXTENSIONS for t in targets) or any(c.bases for c in module.classes) or any(
        short_name(d.name) in _VERBS or short_name(d.name) == "api_route" for f in module.functions for d in f.decorators
    )


def extract(tree: ast.Module, module: Module, names: Names) -> Facts | None:
    collector = _Collector(module, names)
    collector.run(tree)
    facts = collector.facts
    facts.shapes = class_shapes(tree, module, names)
    if not (facts.instances or facts.routes or facts.inclusions or facts.dependencies or facts.aliases or facts.shapes):
        return None
    return facts.picklable()


class _Collector(Walker):
    def __init__(self, module: Module, names: Names) -> None:
        super().__init__(module, names)
        self.facts = Facts()

    def assigned(self, target: str, value: ast.expr, statement: ast.stmt) -> None:
        if isinstance(value, ast.Call) and short_name(self.ref(value.func))[:1].isupper():
            dependencies = tuple(self._dependency_list(keyword(value, "dependencies")))
            self.facts.instances.append(instance(target, value, self, dependencies))
        elif isinstance(value, ast.Subscript) and annotated_metadata(value, self.names) and self.scope == self.module.name:
            self.facts.aliases.append((target, self.parameter("", value, None)))

    def called(self, call: ast.Call) -> None:
        if not isinstance(call.func, ast.Attribute):
            return
        owner, method = self.ref(call.func.value), call.func.attr
        if method == "include_router" and call.args:
            for child in self.each(call.args[0]):
                self._inclusion(owner, call, child, keyword(call, "prefix"))
        elif method == "mount" and len(call.args) >= 2:
            self._inclusion(owner, call, call.args[1], call.args[0])
        elif method == "add_api_route" and call.args:
            endpoint = call.args[1] if len(call.args) > 1 else keyword(call, "endpoint")
            methods = strings_of(keyword(call, "methods")) or ("GET",)
            function = self.facts.functions.get(self.ref(endpoint))
            self._route(owner, methods, call, self.ref(endpoint), function)
        elif method == "add_middleware" and call.args:
            self.facts.middleware.append((owner, self.ref(call.args[0])))

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str) -> None:
        self.facts.functions[qualname] = node
        for decorator in node.decorator_list:
            if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
                continue
            verb, owner = decorator.func.attr, self.ref(decorator.func.value)
            if verb in _VERBS:
                self._route(owner, (verb.upper(),), decorator, qualname, node)
            elif verb == "api_route":
                self._route(owner, strings_of(keyword(decorator, "methods")) or ("GET",), decorator, qualname, node)
            elif verb == "middleware":
                self.facts.middleware.append((owner, qualname))
        self._dependency_function(node, qualname)

    def _inclusion(self, owner: str, call: ast.Call, child: ast.expr, prefix: ast.expr | None) -> None:
        text = text_of(prefix) if prefix is not None else ""
        expression = self.ref(prefix) if text is None and isinstance(prefix, (ast.Name, ast.Attribute)) else None
        dependencies = tuple(self._dependency_list(keyword(call, "dependencies")))
        self.facts.inclusions.append(Inclusion(owner, self.ref(child), self.location(call), text, expression, dependencies))

    def _route(self, owner: str, methods: tuple[str, ...], call: ast.Call, handler: str, node: ast.FunctionDef | ast.AsyncFunctionDef | None) -> None:
        path = text_of(call.args[0] if call.args else keyword(call, "path"))
        if path is None:
            return
        parameters = tuple(self.parameters(node)) if node is not None else ()
        response_model = keyword(call, "response_model")
        options, _ = literal_keywords(call, self)
        docstring = ast.get_docstring(node) if node is not None else None
        if docstring:
            options += (("docstring", docstring.strip().splitlines()[0]),)
        self.facts.routes.append(Route(
            owner=owner,
            methods=tuple(m.upper() for m in methods),
            path=path,
            handler=handler,
            location=self.location(call),
            parameters=parameters,
            dependencies=tuple(self._dependency_list(keyword(call, "dependencies"))),
            status_code=status_of(keyword(call, "status_code")),
            response_model=type_ref(response_model, self.names) if response_model is not None else None,
            response_model_given=response_model is not None,
            returns=type_ref(node.returns, self.names) if node is not None and node.returns is not None else None,
            responses=tuple(self._responses(keyword(call, "responses"))),
            options=tuple((k, v) for k, v in options if k in ("include_in_schema", "summary", "deprecated", "operation_id", "tags", "docstring")),
        ))

    def _responses(self, node: ast.expr | None) -> Iterator[tuple[str, str]]:
        if not isinstance(node, ast.Dict):
            return
        for key, value in zip(node.keys, node.values, strict=True):
            status = status_of(key) if key is not None else None
            if status is None and isinstance(literal(key), str):
                status = literal(key)
            description = text_of(keyword_of_dict(value, "description")) or ""
            if status is not None:
                yield str(status), description

    def _dependency_list(self, node: ast.expr | None) -> Iterator[str]:
        for element in elements(node):
            if isinstance(element, ast.Call) and short_name(self.ref(element.func)) in ("Depends", "Security") and element.args:
                yield self.ref(element.args[0])

    def parameters(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[Param]:
        arguments = node.args
        positional = arguments.posonlyargs + arguments.args
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
        pairs = list(zip(positional, defaults, strict=True)) + list(zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True))
        for argument, default in pairs:
            if argument.arg in ("self", "cls"):
                continue
            yield self.parameter(argument.arg, argument.annotation, default)

    def parameter(self, name: str, annotation: ast.expr | None, default: ast.expr | None) -> Param:
        marker_call = next((m for m in annotated_metadata(annotation, self.names) if self._marker(m)), None)
        from_default = self._marker(default)
        call = default if from_default else marker_call
        marker = self._marker(call)
        dependency = None
        if marker in ("Depends", "Security"):
            target = call.args[0] if call.args else keyword(call, "dependency")
            dependency = self.ref(target) if target is not None else self.ref(_bare_type(annotation, self.names))
        if from_default and marker not in ("Depends", "Security"):
            inner = default.args[0] if default.args else keyword(default, "default")
            required = inner is None or (isinstance(inner, ast.Constant) and inner.value is Ellipsis)
        else:
            required = default is None
        return Param(
            name=name,
            type=type_ref(annotation, self.names),
            marker=marker,
            dependency=dependency,
            required=required,
            constraints=call_constraints(call) if isinstance(call, ast.Call) else (),
            alias=text_of(keyword(call, "alias")) if isinstance(call, ast.Call) else None,
            embed=isinstance(call, ast.Call) and literal(keyword(call, "embed")) is True,
            annotation=self.ref(annotation) if isinstance(annotation, (ast.Name, ast.Attribute)) else None,
        )

    def _marker(self, node: ast.expr | None) -> str | None:
        if isinstance(node, ast.Call):
            name = short_name(self.ref(node.func))
            return name if name in _MARKERS else None
        return None

    def _dependency_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str) -> None:
        if qualname != f"{self.module.name}.{node.name}" and node.name != "__call__":
            return  # dependencies are module-level functions or callable classes
        parameters = list(self.parameters(node))
        dependencies = tuple(p.dependency for p in parameters if p.dependency)
        headers = tuple(p.alias or p.name.replace("_", "-") for p in parameters if p.marker == "Header")
        cookies = tuple(p.alias or p.name for p in parameters if p.marker == "Cookie")
        # A parameter annotated with an `Annotated` alias may hide a dependency: the link step looks it up.
        annotations = tuple(p.annotation for p in parameters if p.annotation and not p.marker and short_name(p.annotation)[:1].isupper())
        if dependencies or headers or cookies or annotations:
            self.facts.dependencies.append(Dependency(qualname, dependencies, headers, cookies, annotations))


def keyword_of_dict(node: ast.expr, name: str) -> ast.expr | None:
    if isinstance(node, ast.Dict):
        return next((v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant) and k.value == name), None)
    return None


def _bare_type(annotation: ast.expr | None, names: Names) -> ast.expr | None:
    """`Annotated[Service, Depends()]` → `Service`: the class a bare `Depends()` instantiates."""
    if isinstance(annotation, ast.Subscript) and short_name(names.qualify(annotation.value)) == "Annotated" and isinstance(annotation.slice, ast.Tuple):
        return annotation.slice.elts[0]
    return annotation


# ---- linking -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mount:
    """One way a router is reached: the path prefix, the dependencies gathered on the way, the application at
    the top (None when the chain ends in a router nobody mounts) and whether every step was understood."""

    prefix: str
    dependencies: tuple[str, ...]
    application: str | None
    complete: bool


class _Linker:
    def __init__(self, facts: Sequence[tuple[Module, Facts]], modules: Sequence[Module]) -> None:
        self.references = References(modules)
        self.notes: list[Note] = []
        every = [f for _, f in facts]
        self.instances = {i.id: i for f in every for i in f.instances}
        self.bases = {c.qualname: c.bases for m in modules for c in m.classes}
        self.kinds = {i.id: kind for i in self.instances.values() if (kind := self._kind(i.callee))}
        self.routes = [r for f in every for r in f.routes]
        self.inclusions: dict[str, list[Inclusion]] = {}
        for inclusion in (i for f in every for i in f.inclusions):
            child = self.references.resolve(inclusion.child, self.kinds)
            if child is not None:
                self.inclusions.setdefault(child, []).append(inclusion)
        self.middleware: dict[str, list[str]] = {}
        for owner, name in (m for f in every for m in f.middleware):
            self.middleware.setdefault(self.references.resolve(owner, self.kinds) or owner, []).append(name)
        self.dependencies = {d.qualname: d for f in every for d in f.dependencies}
        self.aliases = dict(a for f in every for a in f.aliases)
        self.book = SchemaBook([s for f in every for s in f.shapes], modules, self.references)
        self.constants = string_constants(modules)
        self._auth: dict[str, tuple[bool, tuple[SecurityScheme, ...]]] = {}

    def _kind(self, callee: str) -> str | None:
        for ancestor in bases_chain(callee, self.bases, self.references):
            top, short = ancestor.partition(".")[0], short_name(ancestor)
            if top in ("fastapi", "starlette"):
                if short in ("FastAPI", "Starlette"):
                    return "app"
                if short == "APIRouter":
                    return "router"
                if short in _SECURITY_TYPES:
                    return "scheme"
        return None

    def operations(self) -> Iterator[Operation]:
        for route in self.routes:
            owner = self.references.resolve(route.owner, self.kinds)
            if owner is None or self.kinds[owner] == "scheme":
                continue
            for mount in self.mounts(owner, frozenset()):
                yield from self.operation(route, mount)

    def mounts(self, object_id: str, seen: frozenset[str]) -> list[Mount]:
        instance = self.instances[object_id]
        own_prefix = self._prefix(instance.option("prefix", ""), instance.expression("prefix"), instance.location, "APIRouter prefix")
        own = instance.dependencies
        if self.kinds[object_id] == "app":
            own = own + tuple(m for m in self.middleware.get(object_id, ()) if is_auth_name(m))
        parents = self.inclusions.get(object_id, []) if object_id not in seen else []
        if not parents:
            complete = self.kinds[object_id] == "app"
            return [Mount(own_prefix, own, object_id if complete else None, complete)]
        found = []
        for inclusion in parents:
            parent = self.references.resolve(inclusion.parent, self.kinds)
            prefix = self._prefix(inclusion.prefix, inclusion.prefix_expression, inclusion.location, "include_router prefix")
            if parent is None:
                found.append(Mount(prefix + own_prefix, inclusion.dependencies + own, None, False))
                continue
            for above in self.mounts(parent, seen | {object_id}):
                found.append(Mount(above.prefix + prefix + own_prefix, above.dependencies + inclusion.dependencies + own, above.application, above.complete))
        return found

    def _prefix(self, value: object, expression: str | None, location: Location, what: str) -> str:
        if isinstance(value, str):
            return value.rstrip("/")
        constant = constant_for(expression, self.constants)
        if constant is not None:
            return constant.rstrip("/")
        if expression:
            message = (f"{location.path}:{location.line}: the {what} {expression} is neither a literal nor a unique string constant;"
                       " its routes are listed without it")
            self.notes.append(Note("unanalysable-statement", location, message))
        return ""

    def operation(self, route: Route, mount: Mount) -> Iterator[Operation]:
        template, names_in_path = fastapi_template(route.path)
        parameters = [self._resolved(p) for p in route.parameters]
        path_parameters, other, body = self._split(parameters, names_in_path)
        dependencies = mount.dependencies + route.dependencies + tuple(p.dependency for p in parameters if p.dependency)
        security, schemes = self.security(dependencies, mount.complete)
        for method in route.methods:
            yield Operation(
                method=method,
                path=absolute(mount.prefix + template),
                location=route.location,
                origin="code",
                handler=route.handler,
                operation_id=_text(route.option("operation_id")),
                parameters=tuple(path_parameters + other),
                request_body=body,
                responses=self.responses(route, method),
                security=security,
                tags=tuple(t for t in route.option("tags") or () if isinstance(t, str)),
                summary=_text(route.option("summary")) or _text(route.option("docstring")) or "",
                deprecated=route.option("deprecated") is True,
                framework="fastapi",
                schemes=schemes,
                application=mount.application,
                in_schema=route.option("include_in_schema", True) is not False,
            )

    def _resolved(self, parameter: Param) -> Param:
        """A parameter annotated with an `Annotated` alias (`CurrentUser`, `SessionDep`) takes the alias's meaning."""
        if parameter.marker is None and parameter.annotation:
            alias = self.references.resolve(parameter.annotation, self.aliases)
            if alias is not None:
                meaning = self.aliases[alias]
                return Param(parameter.name, meaning.type, meaning.marker, meaning.dependency, parameter.required,
                             meaning.constraints, meaning.alias, meaning.embed, None)
        return parameter

    def _split(self, parameters: list[Param], names_in_path: tuple[str, ...]) -> tuple[list[ApiParameter], list[ApiParameter], Body | None]:
        path, other, body = [], [], []
        for parameter in parameters:
            where = self._where(parameter, names_in_path)
            if where == "body":
                body.append(parameter)
            elif where is not None:
                schema = constrained(self.book.schema(parameter.type), parameter.constraints)
                name = parameter.alias or (parameter.name.replace("_", "-") if where == "header" else parameter.name)
                entry = ApiParameter(name, where, where == "path" or parameter.required, schema)
                (path if where == "path" else other).append(entry)
        return path, other, self._body(body)

    def _where(self, parameter: Param, names_in_path: tuple[str, ...]) -> str | None:
        marker = parameter.marker
        if marker in ("Depends", "Security"):
            return None
        if marker in ("Path", "Query", "Header", "Cookie"):
            return marker.lower()
        if marker in ("Body", "Form", "File"):
            return "body"
        if parameter.name in names_in_path:
            return "path"
        kind = parameter.type
        if kind.kind == "name" and short_name(kind.name) in _INJECTED:
            return None
        if is_scalar(kind) or (kind.kind in ("name", "optional") and self.book.is_enum(_inner_name(kind))):
            return "query"
        return "body"

    def _body(self, parameters: list[Param]) -> Body | None:
        if not parameters:
            return None
        markers = {p.marker for p in parameters}
        content = "multipart/form-data" if "File" in markers else "application/x-www-form-urlencoded" if "Form" in markers else "application/json"
        required = any(p.required for p in parameters)
        if len(parameters) == 1 and not parameters[0].embed and "Form" not in markers and "File" not in markers:
            only = parameters[0]
            return Body((content,), constrained(self.book.schema(only.type), only.constraints), required)
        properties = tuple((p.alias or p.name, constrained(self.book.schema(p.type), p.constraints)) for p in parameters)
        schema = Schema(type="object", properties=properties, required=tuple(p.alias or p.name for p in parameters if p.required))
        return Body((content,), schema, required)

    def responses(self, route: Route, method: str) -> tuple[Response, ...]:
        status = route.status_code or 200
        model = route.response_model if route.response_model_given else route.returns
        schema = None
        if model is not None and status != 204 and not (model.kind == "name" and short_name(model.name) in _RESPONSE_CLASSES):
            schema = self.book.schema(model) if model.kind != "none" else None
        success = Response(str(status), "Successful Response", ("application/json",) if schema else (), schema)
        others = tuple(Response(code, text) for code, text in route.responses if code != str(status))
        return (success, *others)

    def security(self, dependencies: tuple[str, ...], complete: bool) -> tuple[tuple[str, ...] | None, tuple[SecurityScheme, ...]]:
        names, schemes = [], []
        for dependency in unique(dependencies):
            authenticates, found = self.authenticates(dependency, frozenset())
            if authenticates:
                names.append(short_name(dependency))
                schemes += found
        if names:
            return tuple(unique(names)), tuple({s.name: s for s in schemes}.values())
        return ((), ()) if complete else (None, ())

    def authenticates(self, reference: str, seen: frozenset[str]) -> tuple[bool, tuple[SecurityScheme, ...]]:
        """Whether a dependency authenticates, and the schemes it leads to; memoised, cycles cut."""
        if reference in self._auth:
            return self._auth[reference]
        if reference in seen:
            return False, ()
        result = self._authenticates(reference, seen | {reference})
        self._auth[reference] = result
        return result

    def _authenticates(self, reference: str, seen: frozenset[str]) -> tuple[bool, tuple[SecurityScheme, ...]]:
        instance = self.references.resolve(reference, self.instances)
        if instance is not None:
            scheme = self._scheme(self.instances[instance])
            if scheme is not None:
                return True, (scheme,)
            reference = self.instances[instance].callee if not is_auth_name(instance) else instance
        scheme = self._class_scheme(reference)
        if scheme is not None:
            return True, (scheme,)
        function = self.references.resolve(reference, self.dependencies) or self.references.resolve(f"{reference}.__call__", self.dependencies)
        schemes: list[SecurityScheme] = []
        inner_auth = False
        if function is not None:
            for inner in self._inner(self.dependencies[function]):
                authenticates, found = self.authenticates(inner, seen)
                inner_auth |= authenticates
                schemes += found
        if is_auth_name(reference) or inner_auth:
            if not schemes and function is not None:
                schemes += self._key_scheme(self.dependencies[function])
            return True, tuple(schemes)
        return False, ()

    def _inner(self, dependency: Dependency) -> Iterator[str]:
        yield from dependency.dependencies
        for annotation in dependency.annotations:
            alias = self.references.resolve(annotation, self.aliases)
            if alias is not None and self.aliases[alias].dependency:
                yield self.aliases[alias].dependency

    def _scheme(self, instance: Instance) -> SecurityScheme | None:
        for ancestor in bases_chain(instance.callee, self.bases, self.references):
            if ancestor.partition(".")[0] == "fastapi" and short_name(ancestor) in _SECURITY_TYPES:
                kind, detail = _SECURITY_TYPES[short_name(ancestor)]
                name = _text(instance.option("scheme_name")) or short_name(instance.callee)
                token_url = _text(instance.option("tokenUrl")) or _text(instance.option("openIdConnectUrl"))
                if kind == "apiKey":
                    return SecurityScheme(name, kind, instance.location, where=detail, parameter=_text(instance.option("name")))
                return SecurityScheme(name, kind, instance.location, scheme=detail, token_url=token_url)
        return None

    def _class_scheme(self, reference: str) -> SecurityScheme | None:
        """`Depends(HTTPBearer())` or `Depends(JWTBearer())`: an instance made in place of a security class."""
        chain = bases_chain(reference, self.bases, self.references)
        if any(a.partition(".")[0] == "fastapi" and short_name(a) in _SECURITY_TYPES for a in chain):
            return self._scheme(Instance(reference, reference, Location(".")))
        return None

    def _key_scheme(self, dependency: Dependency) -> list[SecurityScheme]:
        """An auth dependency that reads a header or cookie itself (`x_api_key: str = Header()`) is an API key."""
        name = short_name(dependency.qualname if not dependency.qualname.endswith(".__call__") else dependency.qualname[: -len(".__call__")])
        if dependency.headers:
            return [SecurityScheme(name, "apiKey", where="header", parameter=_header_name(dependency.headers))]
        if dependency.cookies:
            return [SecurityScheme(name, "apiKey", where="cookie", parameter=dependency.cookies[0])]
        return []


def _header_name(headers: tuple[str, ...]) -> str:
    """The header that carries the key: `authorization` when read, else the first one, as HTTP spells it."""
    chosen = next((h for h in headers if h.lower() == "authorization"), headers[0])
    return "-".join(part.capitalize() if part.lower() != "api" else "API" for part in chosen.split("-"))


def _inner_name(ref: TypeRef) -> str:
    return ref.args[0].name if ref.kind == "optional" and ref.args else ref.name


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def link(facts: Sequence[tuple[Module, Facts]], modules: Sequence[Module]) -> Contribution:
    linker = _Linker(facts, modules)
    operations = list(linker.operations())
    return Contribution(operations=operations, notes=linker.notes)


EXTRACTOR = Extractor("fastapi-routes", wants, extract, link, markers=("from fastapi", "import fastapi", "from starlette", "import starlette"))
