"""Namespaces of a module and resolution of names in them to qualified names.

The collector fills the scopes in one pass over the syntax tree; names are resolved only afterwards,
when every scope is complete, because Python resolves them when the code runs: a function may call a
function defined below it, and a name assigned anywhere in a function is local in all of it.
"""

from __future__ import annotations

import ast
import builtins
from typing import Literal

BUILTINS = frozenset(dir(builtins))

ScopeKind = Literal["module", "class", "function", "comprehension"]
BindingKind = Literal["imported", "defined", "alias", "instance", "self", "unknown"]


class Binding:
    """What a name is bound to, by `kind`:

    imported / defined: `target` is the qualified name (`requests.get`, `app.orders.create`);
    alias: `expr` is the expression assigned (`get = requests.get`), resolved in `scope`;
    instance: `expr` names the instance's class (`requests.Session` of `requests.Session()`, or an
    annotation), resolved in `scope`; self: `scope` is the class of the method's first parameter;
    unknown: the name is bound (so it shadows outer names and builtins) to something not tracked.
    """

    __slots__ = ("expr", "kind", "scope", "target")

    def __init__(
        self, kind: BindingKind, *, target: str | None = None, expr: ast.expr | None = None, scope: Scope | None = None
    ) -> None:
        self.kind = kind
        self.target = target
        self.expr = expr
        self.scope = scope


UNKNOWN = Binding("unknown")


class Scope:
    """A namespace: the module, a class body, a function (or lambda), or a comprehension.

    `qualname` names what a name bound here is qualified with. A method scope knows its `self_name`
    and `owner_class`, so `self.x = ...` there records an attribute of the class's instances.
    """

    __slots__ = (
        "bindings", "global_names", "instance_attributes", "kind", "nonlocal_names", "owner_class", "parent",
        "qualname", "self_name",
    )

    def __init__(self, kind: ScopeKind, qualname: str, parent: Scope | None = None) -> None:
        self.kind = kind
        self.qualname = qualname
        self.parent = parent
        self.bindings: dict[str, Binding] = {}
        self.instance_attributes: dict[str, Binding] = {}
        self.global_names: set[str] = set()
        self.nonlocal_names: set[str] = set()
        self.self_name: str | None = None
        self.owner_class: Scope | None = None

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def lookup(self, name: str) -> tuple[Binding | None, Scope | None]:
        """The binding `name` refers to from this scope and the scope holding it, as Python resolves it:
        local, then enclosing functions (class bodies are not enclosing), then the module."""
        if name in self.global_names:
            module = self.module()
            return module.bindings.get(name), module
        scope: Scope | None = self
        while scope is not None:
            if scope is self or scope.kind != "class":
                binding = scope.bindings.get(name)
                if binding is not None:
                    return binding, scope
            scope = scope.parent
        return None, None


def bind(scope: Scope, name: str, binding: Binding) -> None:
    """Record that `name` is bound in `scope`.

    The analysis does not follow control flow, so a name bound several times keeps its first tracked
    binding: `s = None` then `s = requests.Session()` still makes `s` a session.
    """
    if name in scope.global_names:
        scope = scope.module()
    elif name in scope.nonlocal_names:
        return
    _keep_first_tracked(scope.bindings, name, binding)


def bind_attribute(class_scope: Scope, name: str, binding: Binding) -> None:
    """Record `self.name = ...` from a method of the class; first tracked binding wins, as in `bind`."""
    _keep_first_tracked(class_scope.instance_attributes, name, binding)


def _keep_first_tracked(table: dict[str, Binding], name: str, binding: Binding) -> None:
    existing = table.get(name)
    if existing is None or (existing.kind == "unknown" and binding.kind != "unknown"):
        table[name] = binding


def looks_like_class(name: str) -> bool:
    """Whether a called name constructs an instance: classes are capitalised (`Session`, `httpx.Client`)."""
    last = name.rpartition(".")[2]
    return last[:1].isupper()


class Resolver:
    """Qualified names of expressions, once all scopes of a module are filled."""

    def __init__(self) -> None:
        # Bindings being resolved: meeting one again means a cycle (`a = b.x; b = a.y`), left unresolved.
        self._active: set[int] = set()

    def qualify(self, expr: ast.expr, scope: Scope) -> str:
        """The qualified name of a dotted expression; unresolvable names keep their dotted source form.

        In a method chain each call stands for what it returns: an instance of a class it constructs
        (`httpx.Client().get` is `httpx.Client.get`), else `f()` (`session.query().filter().all`).
        """
        # Walked as a loop, not recursively: chains of hundreds of calls exist in generated code.
        outer_attributes: list[list[str]] = []
        head, attributes = _split(expr)
        while type(head) is ast.Call:
            outer_attributes.append(attributes)
            head, attributes = _split(head.func)
        if type(head) is ast.Name:
            name = self._qualify_name(head.id, attributes, scope)
        else:
            name = _join(self._literal_name(head, scope), attributes, 0)
        for attributes in reversed(outer_attributes):
            name = _join(name if looks_like_class(name) else name + "()", attributes, 0)
        return name

    def _qualify_name(self, name: str, attributes: list[str], scope: Scope) -> str:
        binding, owner = scope.lookup(name)
        if binding is None or owner is None:
            return _join(name, attributes, 0)
        target = self._target(binding, attributes)
        if target is not None:
            return _join(target[0], attributes, target[1])
        # Bound to something untracked: a module global is still a qualified name, and a shadowed builtin
        # must not pass for the builtin (`print = log` makes `print()` not the builtin print).
        if owner.kind == "module" or name in BUILTINS:
            return _join(f"{owner.qualname}.{name}", attributes, 0)
        return _join(name, attributes, 0)

    def _target(self, binding: Binding, attributes: list[str]) -> tuple[str, int] | None:
        """The qualified name a binding stands for and how many of the following attributes it used up."""
        if binding.target is not None:
            return binding.target, 0
        expr, scope = binding.expr, binding.scope
        if scope is None or id(binding) in self._active:
            return None
        self._active.add(id(binding))
        try:
            if binding.kind == "self":
                return self._member(scope, attributes) if attributes else None
            if expr is None:
                return None
            if binding.kind == "instance":
                return self.qualify(expr, scope), 0
            resolved = self._resolve_alias(expr, scope)
            return None if resolved is None else (resolved, 0)
        finally:
            self._active.discard(id(binding))

    def _member(self, class_scope: Scope, attributes: list[str]) -> tuple[str, int] | None:
        """`self.name...` through what the class binds `name` to: a method, or a tracked attribute."""
        name = attributes[0]
        for table in (class_scope.bindings, class_scope.instance_attributes):
            binding = table.get(name)
            if binding is not None:
                target = self._target(binding, attributes[1:])
                if target is not None:
                    return target[0], target[1] + 1
        return None

    def _resolve_alias(self, expr: ast.expr, scope: Scope) -> str | None:
        """An aliased expression's qualified name, or None when its head name is not tracked."""
        head, attributes = _split(expr)
        if type(head) is not ast.Name:
            return None
        binding, _ = scope.lookup(head.id)
        if binding is None:
            return _join(head.id, attributes, 0) if head.id in BUILTINS else None
        target = self._target(binding, attributes)
        return None if target is None else _join(target[0], attributes, target[1])

    def _literal_name(self, expr: ast.expr, scope: Scope) -> str:
        """A name for what is not a dotted name: `"".join` is `str.join`, `items[0].save` is `items[].save`."""
        if type(expr) is ast.Constant:
            return type(expr.value).__name__
        if type(expr) is ast.Subscript:
            return self.qualify(expr.value, scope) + "[]"
        return _LITERAL_TYPES.get(type(expr), "<expression>")


def _split(expr: ast.expr) -> tuple[ast.expr, list[str]]:
    """`a.b.c` → (`a`, ["b", "c"])."""
    attributes = []
    while type(expr) is ast.Attribute:
        attributes.append(expr.attr)
        expr = expr.value
    attributes.reverse()
    return expr, attributes


def _join(base: str, attributes: list[str], skip: int) -> str:
    if skip >= len(attributes):
        return base
    return base + "." + ".".join(attributes[skip:])


_LITERAL_TYPES: dict[type, str] = {
    ast.JoinedStr: "str", ast.List: "list", ast.ListComp: "list", ast.Dict: "dict", ast.DictComp: "dict",
    ast.Set: "set", ast.SetComp: "set", ast.Tuple: "tuple", ast.GeneratorExp: "generator", ast.Lambda: "<lambda>",
}
