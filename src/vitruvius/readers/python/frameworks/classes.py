"""Class declarations as picklable facts: what ORM extractors read of a class body without its syntax tree."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ....model import Location, Module
from .values import Code, Freezer, Value, located


@dataclass(frozen=True)
class Attribute:
    """`name: annotation = value` in a class body; a `@declared_attr` method counts as its returned value."""

    name: str
    value: Value
    annotation: Value
    line: int
    column: int
    end_line: int

    def location(self, path: str) -> Location:
        return Location(path, self.line, self.column, self.end_line)


@dataclass(frozen=True)
class ClassFacts:
    name: str
    qualname: str
    bases: tuple[str, ...]
    keywords: tuple[tuple[str, Value], ...]
    decorators: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    inner: tuple[ClassFacts, ...]
    line: int
    column: int
    end_line: int
    methods: tuple[str, ...] = ()  # names of the other functions the body defines (they shadow inherited fields)

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in reversed(self.attributes) if a.name == name), None)

    def value(self, name: str, default: Value = None) -> Value:
        found = self.attribute(name)
        return found.value if found is not None else default

    def keyword(self, name: str, default: Value = None) -> Value:
        return next((v for k, v in self.keywords if k == name), default)

    def inner_class(self, name: str) -> ClassFacts | None:
        return next((c for c in self.inner if c.name == name), None)

    def location(self, path: str) -> Location:
        return Location(path, self.line, self.column, self.end_line)


# Decorators that make a method's return value a class attribute of the mapped class.
_ATTRIBUTE_DECORATORS = ("declared_attr", "directive", "cascading")


def module_classes(tree: ast.Module, module_name: str, freezer: Freezer) -> tuple[ClassFacts, ...]:
    """The classes declared at module level (nested classes come with their outer class)."""
    return tuple(
        class_facts(node, f"{module_name}.{node.name}", freezer) for node in tree.body if isinstance(node, ast.ClassDef)
    )


def class_facts(node: ast.ClassDef, qualname: str, freezer: Freezer, class_scope: bool = False) -> ClassFacts:
    """The facts of one class. With `class_scope`, a name the class body bound earlier stands for its value
    (`operations = [SeparateDatabaseAndState(state_operations=state_operations)]`); ORM models keep such
    names as references, since `Index("ix", email)` means the column attribute, not its definition."""
    names = freezer.names
    attributes: list[Attribute] = []
    inner: list[ClassFacts] = []
    saved = dict(freezer.scope)
    for statement in node.body:
        if isinstance(statement, ast.ClassDef):
            inner.append(class_facts(statement, f"{qualname}.{statement.name}", freezer))
        elif attribute := _attribute(statement, freezer):
            attributes.append(attribute)
            if class_scope:
                freezer.scope[attribute.name] = attribute.value
    freezer.scope = saved
    declared = {a.name for a in attributes}
    methods = tuple(
        s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name not in declared
    )
    return ClassFacts(
        name=node.name,
        qualname=qualname,
        bases=tuple(freezer.qualify(b) for b in node.bases),
        keywords=tuple((k.arg or "**", freezer.freeze(k.value)) for k in node.keywords),
        decorators=tuple(names.qualify(d) for d in node.decorator_list),
        attributes=tuple(attributes),
        inner=tuple(inner),
        line=node.lineno,
        column=node.col_offset + 1,
        end_line=node.end_lineno or node.lineno,
        methods=methods,
    )


def _attribute(statement: ast.stmt, freezer: Freezer) -> Attribute | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return Attribute(statement.targets[0].id, freezer.freeze(statement.value), None, *located(statement))
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return Attribute(
            statement.target.id,
            freezer.freeze(statement.value),
            freezer.freeze(statement.annotation),
            *located(statement),
        )
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and _declares_attribute(statement, freezer):
        returned = next((s.value for s in statement.body if isinstance(s, ast.Return)), None)
        annotation = freezer.freeze(statement.returns) if statement.returns is not None else None
        # A computed name (`cls.__name__.lower() + "s"`) is kept as text: the class it names is each subclass.
        value = (
            Code(ast.unparse(returned))
            if returned is not None and statement.name.startswith("__")
            else freezer.freeze(returned)
        )
        return Attribute(statement.name, value, annotation, *located(statement))
    return None


def _declares_attribute(function: ast.FunctionDef | ast.AsyncFunctionDef, freezer: Freezer) -> bool:
    return any(freezer.names.qualify(d).rpartition(".")[2] in _ATTRIBUTE_DECORATORS for d in function.decorator_list)


class ClassIndex:
    """Every class the extractor saw, by qualname, and the way to a class through re-exports: code imports
    `app.models.User` where `app/models/__init__.py` only imports it from `app.models.user`."""

    def __init__(self, classes: list[tuple[str, ClassFacts]], modules: dict[str, Module]) -> None:
        self.paths = {facts.qualname: path for path, facts in classes}
        self.facts = {facts.qualname: facts for _, facts in classes}
        self.modules = modules

    def resolve(self, name: str) -> str:
        """The qualname of the class `name` means, or `name` itself when it is not an in-repo class."""
        for _ in range(8):  # re-export chains are short; the bound stops an import loop
            if name in self.facts:
                return name
            module, _, attribute = name.rpartition(".")
            found = self.modules.get(module)
            target = next((i.target for i in found.imports if i.alias == attribute), None) if found else None
            if target is None or target == name:
                return name
            name = target
        return name

    def get(self, name: str) -> ClassFacts | None:
        return self.facts.get(self.resolve(name))

    def path(self, qualname: str) -> str:
        return self.paths[qualname]

    def ancestors(self, qualname: str) -> list[str]:
        """The class's bases, their bases and so on, nearest first, each once (resolved where in-repo)."""
        seen: list[str] = []
        pending = [self.resolve(b) for b in self.facts[qualname].bases] if qualname in self.facts else []
        while pending:
            name = pending.pop(0)
            if name in seen or name == qualname:
                continue
            seen.append(name)
            if name in self.facts:
                pending.extend(self.resolve(b) for b in self.facts[name].bases)
        return seen
