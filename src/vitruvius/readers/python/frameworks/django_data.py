"""What a Django data migration's function does to rows, read from its body: the models it loads with
`apps.get_model(...)`, whether it updates every row of a table in one statement (`Model.objects.update(...)`,
`.all().update(...)`), whether it saves or updates inside a loop, and whether it works in batches
(`iterator(chunk_size=...)`, `batch_size=`, slices of a queryset, a `Paginator`)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
_NARROWING = frozenset({"filter", "exclude", "get", "first", "last", "none", "raw"})
_WRITES = frozenset({"save", "update", "delete", "bulk_update", "update_or_create"})


@dataclass(frozen=True)
class DataFunction:
    name: str
    line: int
    models: tuple[str, ...]  # "app_label.model" labels, lower-case
    updates_all_rows: bool
    writes_in_loop: bool
    batched: bool
    executes_sql: bool


def data_functions(tree: ast.Module) -> tuple[DataFunction, ...]:
    return tuple(_read(node) for node in tree.body if isinstance(node, ast.FunctionDef))


def _read(function: ast.FunctionDef) -> DataFunction:
    visitor = _Visitor()
    for statement in function.body:
        visitor.visit(statement)
    return DataFunction(
        function.name,
        function.lineno,
        tuple(dict.fromkeys(visitor.models)),
        visitor.updates_all_rows,
        visitor.writes_in_loop,
        visitor.batched,
        visitor.executes_sql,
    )


class _Visitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.models: list[str] = []
        self.loop_depth = 0
        self.updates_all_rows = False
        self.writes_in_loop = False
        self.batched = False
        self.executes_sql = False

    def _loop(self, node: ast.For | ast.While | ast.AsyncFor) -> None:
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self.visit(node.iter)  # the iterable is evaluated once, before the loop
            if _whole_table(node.iter):
                self.updates_all_rows = self.updates_all_rows or _writes(node.body)
            body: list[ast.stmt] = node.body + node.orelse
        else:
            self.visit(node.test)
            body = node.body + node.orelse
        self.loop_depth += 1
        for statement in body:
            self.visit(statement)
        self.loop_depth -= 1

    def visit_For(self, node: ast.For) -> None:
        self._loop(node)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._loop(node)

    def visit_While(self, node: ast.While) -> None:
        self._loop(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == "get_model":
            self._model(node)
        elif name in _WRITES and self.loop_depth:
            self.writes_in_loop = True
        if name == "update" and self.loop_depth == 0 and isinstance(func, ast.Attribute) and _whole_table(func.value):
            self.updates_all_rows = True
        if name in ("execute", "raw", "executemany"):
            self.executes_sql = True
        if name == "Paginator" or any(k.arg in ("chunk_size", "batch_size") for k in node.keywords):
            self.batched = True
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.slice, ast.Slice) and self.loop_depth:
            self.batched = True  # `queryset[start:start + size]` inside a loop walks the table in pages
        self.generic_visit(node)

    def _model(self, node: ast.Call) -> None:
        texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if len(texts) == 2:
            self.models.append(f"{texts[0]}.{texts[1]}".lower())
        elif len(texts) == 1 and "." in texts[0]:
            self.models.append(texts[0].lower())


def _whole_table(node: ast.expr) -> bool:
    """`Model.objects`, `Model.objects.all()`, `Model.objects.iterator()`: a queryset of every row."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in _NARROWING:
            return False
        node = node.func.value
    return isinstance(node, ast.Attribute) and node.attr in _MANAGERS


def _writes(statements: list[ast.stmt]) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _WRITES
        for statement in statements
        for n in ast.walk(statement)
    )
