"""Which columns of a query an index serves: what PERF003 and PERF009 read of a table's indexes."""

from __future__ import annotations

from ...model import Query, Table

# Lookups a B-tree index led by the column serves (equality, ranges, IN, prefix matches).
INDEXABLE = frozenset({"", "in", "gt", "gte", "lt", "lte", "range", "startswith", "date", "year"})


def column_of(table: Table, field: str) -> str | None:
    """The column a filter's field names: itself, its foreign-key column (`customer` → `customer_id`), or the key."""
    if field in ("pk", "id") and table.primary_key:
        return table.primary_key[0]
    for name in (field, f"{field}_id"):
        if table.column(name) is not None:
            return name
    return None


# Columns that hold one of a few values (a state, a type, a provider): a plain index on them rarely helps.
LOW_CARDINALITY = frozenset({"status", "state", "type", "kind", "provider", "action", "action_type", "method", "currency",
                             "locale", "language", "level", "mode", "role", "origin", "source", "category", "visibility"})


def low_cardinality(table: Table, column: str) -> bool:
    found = table.column(column)
    if found is not None and found.type in ("boolean", "bool", "tinyint(1)"):
        return True
    return column in LOW_CARDINALITY or column.endswith(("_status", "_state", "_type", "_kind", "_provider", "_method"))


def leads_an_index(tables: list[Table], column: str, created: frozenset[tuple[str, str]] = frozenset()) -> bool:
    """An index, primary key or unique constraint of the table starts with `column` (or code creates one)."""
    if any((t.name, column) in created for t in tables):
        return True
    for table in tables:
        found = table.column(column)
        if (found is not None and (found.unique or found.primary_key)) or table.has_index_starting_with((column,)):
            return True
    return False


def candidates(query: Query, table: Table, tables: list[Table], created: frozenset[tuple[str, str]]) -> list[str] | None:
    """The query's own columns an index could serve (filters first, else the ordering of an unfiltered limited
    query); None when an index already serves a filter, including one that goes through a relation's key."""
    if "?" in query.filters:
        return None  # conditions the reader cannot see may be the indexed ones
    relations = {r.name for t in tables for r in t.relationships}
    found = []
    for item in query.filters:
        field, _, rest = item.partition("__")
        if field in relations:
            return None  # through a relation: its key's index serves the join
        column = column_of(table, field)
        if column is None and rest:
            return None  # `translation__id__in`: through a reverse relation, whose key's index serves the join
        if column is None:
            continue  # an annotation or a property: nothing to judge
        if leads_an_index(tables, column, created):
            return None
        if rest not in INDEXABLE:
            continue  # a path through a relation, or a lookup no B-tree index serves
        if low_cardinality(table, column) or column == "name":
            continue  # too few distinct values to help; or a name, which identifies rows of small reference tables
        found.append(column)
    if not query.filters and query.limited:
        found += [c for c in (column_of(table, o.partition("__")[0]) for o in query.order_by if "__" not in o) if c]
    return list(dict.fromkeys(found))
