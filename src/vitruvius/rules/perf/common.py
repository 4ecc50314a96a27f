"""What several performance rules share: how to name a query and its model, and which functions serve requests."""

from __future__ import annotations

import re
from collections import deque

from ...model import Query, SystemModel, Table

READS = frozenset({"select", "get", "count", "exists", "aggregate"})
MAX_DEPTH = 3
_DEPENDS = re.compile(r"^\s*(?:\w+\.)*(?:Depends|Security)\(\s*(?:dependency\s*=\s*)?([\w.]+)")
_CACHED = frozenset({"cache", "lru_cache", "cached", "cached_property", "memoize", "alru_cache"})


def short(name: str | None) -> str:
    """`shop.models.Order` → `Order`."""
    return (name or "").rpartition(".")[2] or "?"


def subject(query: Query) -> str:
    """How a message names what a query reads: its model, else its table."""
    return short(query.model) if query.model else (query.table or "table")


def where(query: Query) -> str:
    return query.function or query.location.path


def tables_named(model: SystemModel, query: Query) -> list[Table]:
    """Every table the query's model or table name stands for (an ORM model and its migrations alike)."""
    found = [t for t in model.tables if (query.model and t.model == query.model) or t.name == query.table]
    names = {t.name for t in found}
    return found + [t for t in model.tables if t.name in names and t not in found]


_reach_cache: dict[int, tuple[SystemModel, dict[str, str]]] = {}


def handler_reach(model: SystemModel) -> dict[str, str]:
    """Function qualname → the request handler that reaches it, within MAX_DEPTH in-repo calls (FastAPI
    `Depends(...)` dependencies count as calls). Methods of a class-based view are reached by its routes."""
    cached = _reach_cache.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    functions = model.functions_by_name
    calls: dict[str, list[str]] = {}
    for module in model.modules:
        aliases = {i.alias: i.target for i in module.imports}
        for call in module.calls:
            if call.function is not None and call.name in functions:
                calls.setdefault(call.function, []).append(call.name)
        for function in module.functions:
            for parameter in function.parameters:
                match = _DEPENDS.match(parameter.default or "")
                if match:
                    head, _, rest = match.group(1).partition(".")
                    target = aliases.get(head, f"{module.name}.{head}") + (f".{rest}" if rest else "")
                    if target in functions:
                        calls.setdefault(function.qualname, []).append(target)
    methods: dict[str, list[str]] = {}
    for function in functions.values():
        if function.class_name is not None:
            methods.setdefault(function.qualname.rpartition(".")[0], []).append(function.qualname)
    reached: dict[str, str] = {}
    for operation in model.operations:
        if operation.origin != "code" or not operation.handler:
            continue
        handler = operation.handler
        owner = handler if handler not in functions else handler.rpartition(".")[0]
        for name in [handler, *methods.get(owner, ()), *methods.get(handler.rpartition(".")[0], ())]:
            reached.setdefault(name, handler)
    queue = deque((name, 0) for name in list(reached))
    while queue:
        name, depth = queue.popleft()
        if depth >= MAX_DEPTH:
            continue
        for callee in calls.get(name, ()):
            if callee not in reached:
                reached[callee] = reached[name]
                queue.append((callee, depth + 1))
    _reach_cache.clear()
    _reach_cache[id(model)] = (model, reached)
    return reached


def is_cached(model: SystemModel, function: str | None) -> bool:
    found = model.functions_by_name.get(function or "")
    return found is not None and any(short(d.name) in _CACHED for d in found.decorators)


def scoped(query: Query, tables: list[Table]) -> bool:
    """Whether the query is narrowed to the rows of one parent or a few keys (`filter(user=u)`, `order__event=e`,
    `pk__in=ids`), which an index serves: a foreign key, the primary key or a unique column."""
    if query.root == "relation":
        return True
    for item in query.filters:
        field, _, lookup = item.partition("__")
        for table in tables[:1]:
            if field in ("pk", "id") or table.column(f"{field}_id") is not None:
                return True
            column = table.column(field)
            if column is not None and (column.primary_key or column.unique) and lookup in ("", "in", "iexact"):
                return True
            if column is not None and any(fk.columns[:1] == (field,) for fk in table.foreign_keys):
                return True
    return False
