"""What the route extractors (FastAPI, Flask, Django) share: annotations as `TypeRef`s, path templates in
OpenAPI form, the names that mean authentication, a walk that tells a function's local `app` from the
module's, and the resolution of references across modules (re-exports included) at link time."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from ....model import Location, Module, Schema
from ..source import node_location
from .qualify import Names, literal

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
# A dependency, decorator, permission class or middleware whose name has one of these words (or word pairs,
# after splitting snake_case and CamelCase) checks who calls: `get_current_user`, `require_api_key`,
# `verify_token`, `login_required`, `IsAuthenticated`, `JWTBearer`, `EventPermission`, `RoleChecker`.
_AUTH_WORDS = frozenset({
    "auth", "authenticate", "authenticated", "authentication", "authorize", "authorized", "authorization", "jwt",
    "bearer", "oauth", "oauth2", "token", "apikey", "credential", "credentials", "permission", "permissions",
    "principal", "role", "roles", "signature", "superuser",
})
_AUTH_PAIRS = frozenset({
    ("current", "user"), ("active", "user"), ("api", "key"), ("login", "required"), ("require", "login"),
    ("logged", "in"), ("signed", "in"), ("admin", "required"), ("is", "admin"), ("staff", "member"),
    ("staff", "required"), ("passes", "test"), ("require", "user"), ("require", "admin"),
})
# Names with an auth word that check nothing: the middleware that only attaches `request.user` to the request,
# DRF's permission that lets everyone in.
_NOT_AUTH = frozenset({"AuthenticationMiddleware", "AllowAny", "CsrfViewMiddleware"})
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")


def is_auth_name(name: str) -> bool:
    """Whether the last part of a dotted name reads like an authentication or authorisation check."""
    short = name.rpartition(".")[2]
    if short in _NOT_AUTH:
        return False
    words = [w.lower() for w in _WORD.findall(short)]
    return any(w in _AUTH_WORDS for w in words) or any(pair in _AUTH_PAIRS for pair in pairwise(words))


def short_name(name: str) -> str:
    return name.rpartition(".")[2]


# ---- annotations -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeRef:
    """An annotation reduced to what a schema needs. `kind` is one of: name (a qualified `name`), list, dict,
    optional (one arg), union (several args), literal (`values`), none, any."""

    kind: str
    name: str = ""
    args: tuple[TypeRef, ...] = ()
    values: tuple[str, ...] = ()


ANY = TypeRef("any")
_SEQUENCES = frozenset({
    "list", "List", "Sequence", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple", "Iterable", "Collection", "MutableSequence", "conlist",
})
_MAPPINGS = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "defaultdict", "OrderedDict"})


def type_ref(node: ast.expr | None, names: Names) -> TypeRef:
    """The TypeRef of an annotation; `Annotated[T, ...]` gives T's (callers read the metadata themselves)."""
    if node is None:
        return ANY
    if isinstance(node, ast.Constant):
        if node.value is None:
            return TypeRef("none")
        return _forward_reference(node.value, names) if isinstance(node.value, str) else ANY
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union([type_ref(node.left, names), type_ref(node.right, names)])
    if isinstance(node, ast.Subscript):
        return _subscripted(node, names)
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = names.qualify(node)
        if short_name(name) in ("Any", "object"):
            return ANY
        if short_name(name) in _SEQUENCES:
            return TypeRef("list", args=(ANY,))
        if short_name(name) in _MAPPINGS:
            return TypeRef("dict")
        return TypeRef("name", name)
    return ANY


def _forward_reference(text: str, names: Names) -> TypeRef:
    try:
        expression = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return ANY
    return type_ref(expression, names)


def _subscripted(node: ast.Subscript, names: Names) -> TypeRef:
    base = short_name(names.qualify(node.value))
    arguments = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    if base == "Annotated":
        return type_ref(arguments[0], names)
    if base == "Optional":
        return _union([type_ref(arguments[0], names), TypeRef("none")])
    if base == "Union":
        return _union([type_ref(a, names) for a in arguments])
    if base == "Literal":
        return TypeRef("literal", values=tuple(_literal_text(a) for a in arguments))
    if base in _SEQUENCES:
        return TypeRef("list", args=(type_ref(arguments[0], names),))
    if base in _MAPPINGS:
        return TypeRef("dict", args=(type_ref(arguments[-1], names),))
    return TypeRef("name", names.qualify(node.value))


def _union(options: list[TypeRef]) -> TypeRef:
    flat = [a for o in options for a in (o.args if o.kind == "union" else (o,))]
    present = [o for o in flat if o.kind != "none"]
    if len(present) == 1:
        return TypeRef("optional", args=(present[0],)) if len(present) < len(flat) else present[0]
    union = TypeRef("union", args=tuple(present))
    return TypeRef("optional", args=(union,)) if len(present) < len(flat) else union


def _literal_text(node: ast.expr) -> str:
    value = literal(node)
    return value if isinstance(value, str) else str(value)


def annotated_metadata(node: ast.expr | None, names: Names) -> list[ast.expr]:
    """The metadata of `Annotated[T, a, b]` (`[a, b]`), also under `Optional[...]`; else []."""
    if isinstance(node, ast.Subscript) and short_name(names.qualify(node.value)) == "Annotated" and isinstance(node.slice, ast.Tuple):
        return list(node.slice.elts[1:])
    return []


# Scalars by the last part of their qualified name: (type, format).
_SCALARS: dict[str, tuple[str, str | None]] = {
    "int": ("integer", None), "float": ("number", None), "str": ("string", None), "bool": ("boolean", None),
    "bytes": ("string", "binary"), "Decimal": ("number", None), "UUID": ("string", "uuid"), "UUID4": ("string", "uuid"),
    "datetime": ("string", "date-time"), "AwareDatetime": ("string", "date-time"), "date": ("string", "date"),
    "time": ("string", "time"), "timedelta": ("string", "duration"), "EmailStr": ("string", "email"),
    "NameEmail": ("string", "email"), "HttpUrl": ("string", "uri"), "AnyUrl": ("string", "uri"),
    "AnyHttpUrl": ("string", "uri"), "SecretStr": ("string", "password"), "UploadFile": ("string", "binary"),
    "PositiveInt": ("integer", None), "NonNegativeInt": ("integer", None), "StrictStr": ("string", None),
    "StrictInt": ("integer", None), "StrictBool": ("boolean", None), "IPvAnyAddress": ("string", None),
    "PurePath": ("string", None), "Path": ("string", None), "Json": ("string", None),
}
_SCALAR_MODULES = (
    "", "builtins", "datetime", "decimal", "uuid", "pydantic", "pydantic.networks", "pydantic.types", "fastapi",
    "starlette.datastructures", "pathlib", "ipaddress",
)


def scalar_schema(name: str) -> Schema | None:
    """The Schema of a scalar type by its qualified name, or None for anything else."""
    module, _, short = name.rpartition(".")
    if short not in _SCALARS or (module not in _SCALAR_MODULES and not module.startswith(("pydantic", "fastapi", "starlette"))):
        return None
    kind, fmt = _SCALARS[short]
    return Schema(type=kind, format=fmt)


def is_scalar(ref: TypeRef) -> bool:
    if ref.kind == "optional":
        return is_scalar(ref.args[0])
    return ref.kind == "literal" or (ref.kind == "name" and scalar_schema(ref.name) is not None)


# ---- paths -------------------------------------------------------------------------------------------------

_FASTAPI_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
_FLASK_PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_DJANGO_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
# Converter → schema, for Flask (`int`, `float`, `uuid`, `path`) and Django (`int`, `slug`, `uuid`, `path`).
_CONVERTERS = {"int": Schema(type="integer"), "float": Schema(type="number"), "uuid": Schema(type="string", format="uuid")}


@dataclass(frozen=True)
class PathParameter:
    name: str
    schema: Schema


def fastapi_template(path: str) -> tuple[str, tuple[str, ...]]:
    """`/files/{path:path}` → `/files/{path}`, with the parameter names."""
    return _FASTAPI_PARAMETER.sub(r"{\1}", path), tuple(m[1] for m in _FASTAPI_PARAMETER.finditer(path))


def converter_template(path: str, flask: bool) -> tuple[str, tuple[PathParameter, ...]]:
    """A Flask rule (`/orders/<int:id>`) or a Django route (`orders/<int:pk>/`) in OpenAPI form, with its parameters."""
    pattern = _FLASK_PARAMETER if flask else _DJANGO_PARAMETER
    found = tuple(PathParameter(m[2], _CONVERTERS.get(m[1] or "", Schema(type="string"))) for m in pattern.finditer(path))
    return pattern.sub(lambda m: "{" + m[2] + "}", path), found


def regex_template(pattern: str) -> tuple[str, tuple[PathParameter, ...]]:
    """A Django `re_path` regex as a template, best effort: `^orders/(?P<pk>[0-9]+)/$` → `orders/{pk}/`.

    Named groups become `{name}`, unnamed ones `{arg1}`…; anchors and optional slashes go; escapes are undone.
    A group whose content is only digits (`[0-9]+`, `\\d+`) is an integer parameter.
    """
    out: list[str] = []
    parameters: list[PathParameter] = []
    index = 0
    text = pattern.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    while index < len(text):
        char = text[index]
        if char == "(":
            end = _group_end(text, index)
            group = text[index + 1 : end]
            named = re.match(r"\?P<(\w+)>", group)
            if named or not group.startswith("?"):
                name = named[1] if named else f"arg{len(parameters) + 1}"
                body = group[named.end() :] if named else group
                integer = re.fullmatch(r"(\[0-9\]|\\d)[+*]|(\[0-9\]|\\d)\{\d+(,\d*)?\}", body)
                parameters.append(PathParameter(name, Schema(type="integer") if integer else Schema(type="string")))
                out.append("{" + name + "}")
            index = end + 1
            if index < len(text) and text[index] == "?":
                index += 1
        elif char == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
        elif char in "?*+" and out:
            out.pop()  # an optional or repeated character (`/?`) is left out of the template
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out), tuple(parameters)


def _group_end(text: str, start: int) -> int:
    depth = 0
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
        index += 1
    return len(text) - 1


def absolute(path: str) -> str:
    """A path that starts with one `/` and has no doubled slashes."""
    return "/" + re.sub(r"/{2,}", "/", path).lstrip("/")


# ---- walking a module --------------------------------------------------------------------------------------


class Walker:
    """Walks the statements of a module, its functions and classes, telling a name bound in a function (the
    `app` of `create_app()`) from the module's. Subclasses react to assignments, calls and definitions.

    References (`ref`) are dotted names: `module.name` for the module's own bindings, `module.function.name` for
    a function's, import targets for imported names (resolved across modules by `References` at link time).
    """

    def __init__(self, module: Module, names: Names) -> None:
        self.module = module
        self.names = names
        self.module_names: set[str] = set()
        self._locals: list[tuple[str, set[str]]] = []
        self._sequences: dict[str, list[ast.expr]] = {}
        self._loops: dict[str, list[ast.expr]] = {}

    def run(self, tree: ast.Module) -> None:
        self.module_names = {name for statement in _flat(tree.body) for name in _bound_names(statement)}
        self.module_names |= self.names.defined
        self._sequences = {
            s.targets[0].id: list(s.value.elts) for s in tree.body
            if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name) and isinstance(s.value, (ast.List, ast.Tuple))
        }
        self._statements(tree.body, self.module.name)

    def each(self, node: ast.expr) -> list[ast.expr]:
        """The values a loop variable takes (`for router in ROUTERS: app.include_router(router)`), else the node."""
        if isinstance(node, ast.Name) and node.id in self._loops:
            return self._loops[node.id]
        return [node]

    def _loop_values(self, iterable: ast.expr) -> list[ast.expr]:
        """The elements a `for` loop runs over, when they are written out: a literal list or a module-level one."""
        if isinstance(iterable, (ast.List, ast.Tuple)):
            return list(iterable.elts)
        if isinstance(iterable, ast.Name):
            return self._sequences.get(iterable.id, [])
        return []

    def ref(self, node: ast.AST | None) -> str:
        if isinstance(node, ast.Name):
            for scope, bound in reversed(self._locals):
                if node.id in bound:
                    return f"{scope}.{node.id}"
            if node.id in self.module_names and node.id not in self.names.aliases:
                return f"{self.module.name}.{node.id}"
            return self.names.qualify(node)
        if isinstance(node, ast.Attribute):
            base = self.ref(node.value)
            return f"{base}.{node.attr}" if base else node.attr
        if isinstance(node, (ast.Call, ast.Subscript)):
            return self.ref(node.func if isinstance(node, ast.Call) else node.value)
        return ""

    def location(self, node: ast.expr | ast.stmt) -> Location:
        return node_location(self.module.path, node)

    @property
    def scope(self) -> str:
        return self._locals[-1][0] if self._locals else self.module.name

    # hooks

    def assigned(self, target: str, value: ast.expr, statement: ast.stmt) -> None:
        """`target = value` (also `+=`, `: T =`), where target is the binding's reference."""

    def called(self, call: ast.Call) -> None:
        """A call made as a statement of its own (`app.include_router(...)`)."""

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str) -> None:
        """A function or method definition, before its body is walked."""

    def class_(self, node: ast.ClassDef, qualname: str) -> None:
        """A class definition, before its body is walked."""

    # the walk

    def _statements(self, statements: Iterable[ast.stmt], qualname: str) -> None:
        for statement in statements:
            self._statement(statement, qualname)

    def _statement(self, statement: ast.stmt, qualname: str) -> None:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner = f"{qualname}.{statement.name}"
            self.function(statement, inner)
            arguments = statement.args
            parameters = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
            self._locals.append((inner, parameters | {n for s in _flat(statement.body) for n in _bound_names(s)}))
            self._statements(statement.body, inner)
            self._locals.pop()
        elif isinstance(statement, ast.ClassDef):
            inner = f"{qualname}.{statement.name}"
            self.class_(statement, inner)
            self._statements((s for s in statement.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))), inner)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    self.assigned(self.ref(target), statement.value, statement)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            self.called(statement.value)
        elif isinstance(statement, (ast.For, ast.AsyncFor)) and isinstance(statement.target, ast.Name):
            values = self._loop_values(statement.iter)
            if values:
                self._loops[statement.target.id] = values
            self._statements(statement.body, qualname)
            self._loops.pop(statement.target.id, None)
            self._statements(statement.orelse, qualname)
        else:
            for block in _blocks(statement):
                self._statements(block, qualname)


def _blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The nested statement lists of a compound statement that is not a definition (if, try, with, for…)."""
    fields = statement._fields
    if "body" not in fields and "cases" not in fields:
        return  # a simple statement, most of them: spares the five lookups below (pretix: 134,000 calls)
    for name in ("body", "orelse", "finalbody"):
        block = getattr(statement, name, None)
        if isinstance(block, list):
            yield block
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


def _flat(statements: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of a body including those nested in if/try/with/for blocks, but not in definitions."""
    for statement in statements:
        yield statement
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for block in _blocks(statement):
                yield from _flat(block)


def _bound_names(statement: ast.stmt) -> Iterator[str]:
    if isinstance(statement, ast.Assign):
        targets: list[ast.expr] = list(statement.targets)
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        targets = [statement.target]
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield statement.name
        return
    else:
        return
    for target in targets:
        if isinstance(target, ast.Name):
            yield target.id
        elif isinstance(target, (ast.Tuple, ast.List)):
            yield from (e.id for e in target.elts if isinstance(e, ast.Name))


def text_of(node: ast.expr | None) -> str | None:
    value = literal(node)
    return value if isinstance(value, str) else None


def strings_of(node: ast.expr | None) -> tuple[str, ...] | None:
    """A literal list or tuple of strings (`["GET", "POST"]`), a single string as one; else None."""
    value = literal(node)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple, set)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def elements(node: ast.expr | None) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, (ast.List, ast.Tuple, ast.Set)) else []


def status_of(node: ast.expr | None) -> int | None:
    """`201`, `status.HTTP_201_CREATED`, `HTTPStatus.CREATED` (by its known numbers) → 201."""
    value = literal(node)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(node, (ast.Attribute, ast.Name)):
        name = node.attr if isinstance(node, ast.Attribute) else node.id
        found = re.match(r"HTTP_(\d{3})", name)
        if found:
            return int(found[1])
        return _HTTP_STATUS_NAMES.get(name)
    return None


_HTTP_STATUS_NAMES = {"OK": 200, "CREATED": 201, "ACCEPTED": 202, "NO_CONTENT": 204}


# ---- linking -----------------------------------------------------------------------------------------------


class References:
    """Resolves a dotted reference to one of a set of known names, through the imports of the repository's
    modules: `app.api.router` (a re-export in `app/api/__init__.py`) → `app.api.orders.router`."""

    def __init__(self, modules: Sequence[Module]) -> None:
        self.imports: dict[str, dict[str, str]] = {m.name: {i.alias: i.target for i in m.imports if i.alias != "*"} for m in modules}
        self.star: dict[str, tuple[str, ...]] = {m.name: tuple(i.target for i in m.imports if i.alias == "*") for m in modules}

    def resolve(self, name: str, known: Mapping[str, object] | set[str], limit: int = 8) -> str | None:
        seen: set[str] = set()
        while name and name not in known and name not in seen and limit > 0:
            seen.add(name)
            limit -= 1
            name = self._step(name, known) or ""
        return name if name in known else None

    def _step(self, name: str, known: Mapping[str, object] | set[str]) -> str | None:
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            if module not in self.imports:
                continue
            rest = parts[cut + 1 :]
            target = self.imports[module].get(parts[cut])
            if target is not None:
                return ".".join([target, *rest])
            for star in self.star[module]:
                candidate = ".".join([star, *parts[cut:]])
                if candidate in known:
                    return candidate
            return None
        return None


def bases_chain(qualname: str, bases: Mapping[str, tuple[str, ...]], references: References, limit: int = 30) -> list[str]:
    """A class and every ancestor reachable through in-repo classes, depth first, left to right; an ancestor
    outside the repository ends its branch as its qualified name (`rest_framework.viewsets.ModelViewSet`)."""
    order: list[str] = []
    stack = [qualname]
    while stack and len(order) < limit:
        current = stack.pop()
        resolved = references.resolve(current, bases) or current
        if resolved in order:
            continue
        order.append(resolved)
        stack.extend(reversed(bases.get(resolved, ())))
    return order


def unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class Instance:
    """`name = Callee(...)`: a candidate application, router, blueprint or security scheme object; the link
    step decides which it is from what `callee` resolves to. `options` are the call's literal keywords;
    `expressions` the references given for keywords that are not literals (`prefix=settings.API_PREFIX`);
    `arguments` the positional arguments' literal values and `argument_references` their references."""

    id: str
    callee: str
    location: Location
    arguments: tuple[object, ...] = ()
    argument_references: tuple[str, ...] = ()
    options: tuple[tuple[str, object], ...] = ()
    expressions: tuple[tuple[str, str], ...] = ()
    dependencies: tuple[str, ...] = ()

    def option(self, name: str, default: object = None) -> object:
        return next((v for k, v in self.options if k == name), default)

    def expression(self, name: str) -> str | None:
        return next((v for k, v in self.expressions if k == name), None)


def literal_keywords(call: ast.Call, walker: Walker) -> tuple[tuple[tuple[str, object], ...], tuple[tuple[str, str], ...]]:
    """A call's keywords split into literal values and references (for values that are names or attributes)."""
    options, expressions = [], []
    for item in call.keywords:
        if item.arg is None:
            continue
        value = literal(item.value)
        if value is not None or (isinstance(item.value, ast.Constant) and item.value.value is None):
            options.append((item.arg, value))
        elif isinstance(item.value, (ast.Name, ast.Attribute)):
            expressions.append((item.arg, walker.ref(item.value)))
    return tuple(options), tuple(expressions)


def string_constants(modules: Sequence[Module]) -> dict[str, set[str]]:
    """Module-level and class-level string constants by name (`API_V1_STR = "/api/v1"`), for references
    such as `settings.API_V1_STR` that a literal-only reading cannot follow."""
    found: dict[str, set[str]] = {}
    for module in modules:
        if module.kind == "test":
            continue
        for binding in module.strings:
            if binding.function is None:
                found.setdefault(binding.name, set()).add(binding.value)
    return found


def constant_for(reference: str | None, constants: Mapping[str, set[str]]) -> str | None:
    """The one value a reference's last name has among the repository's string constants, if just one."""
    if not reference:
        return None
    values = constants.get(short_name(reference), set())
    return next(iter(values)) if len(values) == 1 else None


def instance(target: str, call: ast.Call, walker: Walker, dependencies: tuple[str, ...] = ()) -> Instance:
    options, expressions = literal_keywords(call, walker)
    arguments = tuple(literal(a) for a in call.args)
    references = tuple(walker.ref(a) if isinstance(a, (ast.Name, ast.Attribute)) else "" for a in call.args)
    return Instance(target, walker.ref(call.func), walker.location(call), arguments, references, options, expressions, dependencies)
