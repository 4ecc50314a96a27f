"""What several performance rules share: how to name a query and its model, and which functions serve requests."""

from __future__ import annotations


from ...model import Query, SystemModel, Table

READS = frozenset({"select", "get", "count", "exists", "aggregate"})
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
