"""Python expressions as small picklable values, so an extractor can hand what a file declares to the link
step without its syntax tree.

Literals stay literals (lists, tuples and sets become tuples); calls, names and attribute chains become
`Call`s and `Ref`s carrying the qualified name they resolve to through the file's imports; a name bound
earlier in the scope given (a module constant, a loop variable) is replaced by its value; anything else
keeps its source text as `Code`. Nothing is executed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ....model import Location
from .qualify import Names

_COLLECTION_BUILTINS = frozenset({"set", "frozenset", "tuple", "list"})

Value = Any  # str | int | float | bool | None | tuple | Ref | Code | Call | Dict | Starred | Subscript | Lambda


@dataclass(frozen=True)
class Ref:
    """A name or attribute chain: `name` is qualified through imports, `text` is as written."""

    name: str
    text: str

    @property
    def last(self) -> str:
        return self.name.rpartition(".")[2]


@dataclass(frozen=True)
class Code:
    """An expression the reader does not evaluate, as source text."""

    text: str


@dataclass(frozen=True)
class Starred:
    value: Value


@dataclass(frozen=True)
class Subscript:
    """`Mapped[Optional[int]]`: the qualified base and its items; `X | None` is `typing.Union[X, None]`."""

    name: str
    items: tuple[Value, ...]


@dataclass(frozen=True)
class Lambda:
    """`lambda: Address`: what a lambda returns (SQLAlchemy and Django accept callables for references)."""

    body: Value


@dataclass(frozen=True)
class Dict:
    items: tuple[tuple[Value, Value], ...]

    def get(self, key: str, default: Value = None) -> Value:
        return next((v for k, v in self.items if k == key), default)


@dataclass(frozen=True)
class Call:
    """A call: the qualified callee, positional and keyword arguments (`**x` has the name "**"), and where."""

    name: str
    args: tuple[Value, ...]
    kwargs: tuple[tuple[str, Value], ...]
    line: int
    column: int
    end_line: int
    # The line each positional and each keyword argument starts on: where an embedded SQL string begins.
    arg_lines: tuple[int, ...] = ()
    kwarg_lines: tuple[int, ...] = ()

    @property
    def last(self) -> str:
        return self.name.rpartition(".")[2]

    def line_of(self, name: str, position: int | None = None) -> int:
        """The line the argument `get(name, position)` starts on (the call's line when unknown)."""
        for (key, _), line in zip(self.kwargs, self.kwarg_lines, strict=False):
            if key == name:
                return line
        if position is not None and position < len(self.arg_lines):
            return self.arg_lines[position]
        return self.line

    def has(self, name: str) -> bool:
        return any(k == name for k, _ in self.kwargs)

    def get(self, name: str, position: int | None = None, default: Value = None) -> Value:
        """A keyword argument, else the positional argument at `position`, else the default."""
        for key, value in self.kwargs:
            if key == name:
                return value
        if position is not None and position < len(self.args) and not isinstance(self.args[position], Starred):
            return self.args[position]
        return default

    def location(self, path: str) -> Location:
        return Location(path, self.line, self.column, self.end_line)


def located(node: ast.AST) -> tuple[int, int, int]:
    line = getattr(node, "lineno", 1)
    return line, getattr(node, "col_offset", 0) + 1, getattr(node, "end_lineno", None) or line


class Freezer:
    """Turns expressions into values, resolving names through the file's imports and the given scope."""

    def __init__(self, names: Names, scope: Mapping[str, Value] | None = None) -> None:
        self.names = names
        self.scope: dict[str, Value] = dict(scope or {})
        self.module_names: set[str] = set()  # names the module binds by assignment (`Base = declarative_base()`)

    def qualify(self, node: ast.AST) -> str:
        """`Names.qualify`, also through variables: a module-level one is qualified by this module (`Names`
        leaves `Base.metadata` bare when `Base` is assigned rather than imported or defined), a local one
        holding a call by what it holds."""
        name = self.names.qualify(node)
        root, dot, rest = name.partition(".")
        if root in self.names.aliases or root in self.names.defined:
            return name
        if root in self.module_names:
            return f"{self.names.module.name}.{name}"
        bound = self.scope.get(root)
        if dot and isinstance(bound, (Call, Ref)):
            # a local variable holding a call: `stmt = sa.update(t); stmt.values(...)` is `sqlalchemy.update.values`
            return f"{bound.name}.{rest}"
        return name

    def freeze(self, node: ast.AST | None) -> Value:
        if node is None:
            return None
        method = getattr(self, f"_{type(node).__name__}", None)
        return method(node) if method else Code(_text(node))

    def _Constant(self, node: ast.Constant) -> Value:
        return node.value if not isinstance(node.value, bytes) else Code(_text(node))

    def _Name(self, node: ast.Name) -> Value:
        if node.id in self.scope:
            return self.scope[node.id]
        return Ref(self.qualify(node), node.id)

    def _Attribute(self, node: ast.Attribute) -> Value:
        base = node.value
        # An attribute of a plain value bound in the scope (a loop variable holding a string) names nothing.
        if isinstance(base, ast.Name) and base.id in self.scope and not isinstance(self.scope[base.id], (Ref, Call)):
            return Code(_text(node))
        return Ref(self.qualify(node), _text(node))

    def _Call(self, node: ast.Call) -> Value:
        args = tuple(self.freeze(a) for a in node.args)
        kwargs = tuple((k.arg or "**", self.freeze(k.value)) for k in node.keywords)
        callee = self.qualify(node.func)
        if callee in _COLLECTION_BUILTINS and len(args) == 1 and not kwargs and isinstance(args[0], tuple):
            return args[0]  # `set([("event", "code")])`, as old Django migrations write unique_together
        return Call(
            callee,
            args,
            kwargs,
            *located(node),
            tuple(a.lineno for a in node.args),
            tuple(k.value.lineno for k in node.keywords),
        )

    def _Tuple(self, node: ast.Tuple | ast.List | ast.Set) -> Value:
        return tuple(self.freeze(e) for e in node.elts)

    _List = _Tuple
    _Set = _Tuple

    def _Dict(self, node: ast.Dict) -> Value:
        return Dict(
            tuple(
                (self.freeze(k) if k is not None else "**", self.freeze(v))
                for k, v in zip(node.keys, node.values, strict=True)
            )
        )

    def _Starred(self, node: ast.Starred) -> Value:
        return Starred(self.freeze(node.value))

    def _UnaryOp(self, node: ast.UnaryOp) -> Value:
        operand = self.freeze(node.operand)
        if isinstance(node.op, ast.USub) and isinstance(operand, (int, float)) and not isinstance(operand, bool):
            return -operand
        return Code(_text(node))

    def _BinOp(self, node: ast.BinOp) -> Value:
        left, right = self.freeze(node.left), self.freeze(node.right)
        if isinstance(node.op, ast.BitOr):  # `int | None` in an annotation
            return Subscript("typing.Union", (*_union_items(left), *_union_items(right)))
        if isinstance(node.op, ast.Add) and isinstance(left, str) and isinstance(right, str):
            return left + right
        if isinstance(node.op, ast.Add) and isinstance(left, tuple) and isinstance(right, tuple):
            return left + right
        if isinstance(node.op, (ast.BitAnd, ast.Sub)) and isinstance(left, tuple):
            # `{"api_key", "oauth_sub"} & existing_columns`: at most the literal names, all of them on a
            # database the earlier migrations built
            return left
        return Code(_text(node))

    def _JoinedStr(self, node: ast.JoinedStr) -> Value:
        parts = []
        for part in node.values:
            value = self.freeze(part.value) if isinstance(part, ast.FormattedValue) else self.freeze(part)
            if isinstance(part, ast.FormattedValue) and (part.format_spec is not None or part.conversion != -1):
                return Code(_text(node))
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                return Code(_text(node))
            parts.append(str(value))
        return "".join(parts)

    def _Subscript(self, node: ast.Subscript) -> Value:
        base = self.freeze(node.value)
        index = self.freeze(node.slice)
        if (
            isinstance(base, tuple)
            and isinstance(index, int)
            and not isinstance(index, bool)
            and -len(base) <= index < len(base)
        ):
            return base[index]
        if isinstance(base, Dict) and isinstance(index, str):
            return base.get(index, Code(_text(node)))
        if isinstance(base, Ref):
            items = index if isinstance(node.slice, ast.Tuple) else (index,)
            return Subscript(base.name, tuple(items))
        return Code(_text(node))

    def _Lambda(self, node: ast.Lambda) -> Value:
        return Lambda(self.freeze(node.body))


def _union_items(value: Value) -> tuple[Value, ...]:
    if isinstance(value, Subscript) and value.name == "typing.Union":
        return value.items
    return (value,)


def _text(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return ""


def render(value: Value) -> str:
    """A value as Python-like source text: for defaults, conditions and messages."""
    if isinstance(value, Ref):
        return value.text
    if isinstance(value, Code):
        return value.text
    if isinstance(value, Call):
        parts = [render(a) for a in value.args] + [
            f"{k}={render(v)}" if k != "**" else f"**{render(v)}" for k, v in value.kwargs
        ]
        return f"{value.last}({', '.join(parts)})"
    if isinstance(value, tuple):
        return f"({', '.join(render(v) for v in value)}{',' if len(value) == 1 else ''})"
    if isinstance(value, Dict):
        return "{" + ", ".join(f"{render(k)}: {render(v)}" for k, v in value.items) + "}"
    if isinstance(value, Starred):
        return f"*{render(value.value)}"
    if isinstance(value, Subscript):
        return f"{value.name.rpartition('.')[2]}[{', '.join(render(i) for i in value.items)}]"
    if isinstance(value, Lambda):
        return f"lambda: {render(value.body)}"
    return repr(value)


def expand(values: tuple[Value, ...]) -> Iterator[Value]:
    """Positional values with `*known_tuple` spread out (`op.create_table(name, *columns)`)."""
    for value in values:
        if isinstance(value, Starred) and isinstance(value.value, tuple):
            yield from value.value
        else:
            yield value


def text_of(value: Value) -> str | None:
    """A string value, also when wrapped in `text("...")`, `sa.text(...)`, `op.f(...)` or `literal_column`."""
    if isinstance(value, str):
        return value
    if isinstance(value, Call) and value.last in ("text", "f", "literal_column", "conv", "DDL") and value.args:
        return text_of(value.args[0])
    return None


def module_scope(tree: ast.Module, freezer: Freezer) -> dict[str, Value]:
    """Module-level names bound by plain assignments, in order: constants that declarations refer to."""
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name):
            freezer.scope[target.id] = freezer.freeze(value)
            freezer.module_names.add(target.id)
    return freezer.scope
