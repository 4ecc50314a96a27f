"""Python code facts: modules, imports, functions, classes, calls, string bindings."""

from __future__ import annotations

from dataclasses import dataclass

from .location import FileKind, Location


@dataclass(frozen=True)
class Import:
    """`import a.b as c` or `from a.b import c`.

    `target` is the fully qualified name imported (`a.b` or `a.b.c`); `alias` the name bound locally;
    `module` the in-repo module it resolves to, or None for third-party and standard-library imports.
    `deferred` is true inside a function body or an `if TYPE_CHECKING:` block: such an import does not
    run when the importing module loads, so it cannot take part in an import-time cycle.
    """

    target: str
    alias: str
    location: Location
    module: str | None = None
    deferred: bool = False

    @property
    def key(self) -> str:
        return f"import:{self.location.path}:{self.target}"


@dataclass(frozen=True)
class Keyword:
    """A keyword argument of a call: its name and the source text of its value (`None` for `**kwargs`)."""

    name: str | None
    value: str


@dataclass(frozen=True)
class Call:
    """A call site. `name` is the qualified name of what is called, resolved through imports, aliases and
    simple instance tracking (`s = requests.Session(); s.get(...)` → `requests.Session.get`); unresolved
    names keep their dotted source form (`self.repo.save`).

    `function` is the qualified name of the enclosing function (None at module level); `loop_depth`
    counts the `for`/`while` loops and comprehensions around the call within that function.
    """

    name: str
    location: Location
    function: str | None = None
    loop_depth: int = 0
    in_async: bool = False
    arguments: int = 0
    keywords: tuple[Keyword, ...] = ()

    @property
    def key(self) -> str:
        return f"call:{self.location.path}:{self.function or ''}:{self.name}"

    def keyword(self, name: str) -> Keyword | None:
        return next((k for k in self.keywords if k.name == name), None)

    @property
    def has_star_kwargs(self) -> bool:
        return any(k.name is None for k in self.keywords)


@dataclass(frozen=True)
class Decorator:
    """A decorator: the qualified name of the callable and, when it is a call, its arguments."""

    name: str
    location: Location
    arguments: tuple[str, ...] = ()
    keywords: tuple[Keyword, ...] = ()


@dataclass(frozen=True)
class Parameter:
    name: str
    annotation: str | None = None
    default: str | None = None


@dataclass(frozen=True)
class Function:
    """A function or method. `qualname` is `module.Class.method`; `class_name` is set for methods."""

    name: str
    qualname: str
    location: Location
    is_async: bool = False
    class_name: str | None = None
    decorators: tuple[Decorator, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    returns: str | None = None

    @property
    def key(self) -> str:
        return f"function:{self.qualname}"


@dataclass(frozen=True)
class Class:
    """A class; `bases` are qualified names resolved through imports."""

    name: str
    qualname: str
    location: Location
    bases: tuple[str, ...] = ()
    decorators: tuple[Decorator, ...] = ()

    @property
    def key(self) -> str:
        return f"class:{self.qualname}"


@dataclass(frozen=True)
class StringBinding:
    """A string literal bound to a name: `NAME = "..."`, `f(name="...")`, `{"name": "..."}`, a parameter
    default, or a class attribute. Readers keep these so rules can judge names and values (secrets)."""

    name: str
    value: str
    location: Location
    function: str | None = None

    @property
    def key(self) -> str:
        return f"binding:{self.location.path}:{self.function or ''}:{self.name}"


@dataclass(frozen=True)
class Module:
    """A Python module. `name` is its dotted import name relative to the root (`app.orders.service`)."""

    name: str
    path: str
    kind: FileKind
    location: Location
    imports: tuple[Import, ...] = ()
    functions: tuple[Function, ...] = ()
    classes: tuple[Class, ...] = ()
    calls: tuple[Call, ...] = ()
    strings: tuple[StringBinding, ...] = ()
    has_main_guard: bool = False
    is_package: bool = False

    @property
    def key(self) -> str:
        return f"module:{self.name}"

    @property
    def imported_names(self) -> frozenset[str]:
        return frozenset(i.target for i in self.imports)
