"""SQL written in Python code (`cursor.execute("...")`, `text("...")`, `.raw("...")`), read with sqlglot.

Only what the performance rules judge is kept: the statement's kind, its main table, the columns it filters
and orders by (as Django spells lookups: `customer_id`, `name__contains` for `LIKE '%x'`), the tables it
joins, whether it is limited or paged by OFFSET, and the columns it selects (`*` for `SELECT *`).
sqlglot is imported on first use: most files hold no SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_STARTS_SQL = re.compile(r"^\s*\(?\s*(select|with|insert|update|delete|create\s+(unique\s+)?index)\b", re.IGNORECASE)
_PYFORMAT = re.compile(r"%\(\w+\)s|%s|\{[^{}]*\}")
# Operators whose column side an index can serve, and the Django lookup that names each.
_COMPARISONS = {"EQ": "", "GT": "__gt", "GTE": "__gte", "LT": "__lt", "LTE": "__lte", "In": "__in", "Between": "__range"}


@dataclass(frozen=True)
class SqlFacts:
    kind: str
    table: str | None
    filters: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ()
    joins: tuple[str, ...] = ()
    limited: bool = False
    offset: bool = False
    columns: tuple[str, ...] = ()


def looks_like_sql(text: str) -> bool:
    return bool(_STARTS_SQL.match(text))


@lru_cache(maxsize=2048)
def read_sql(text: str) -> SqlFacts | None:
    """The facts of the first statement in `text`, or None when sqlglot cannot parse it."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    prepared = _PYFORMAT.sub(":p", text.replace("%%", "%")).replace("__v__", ":p")
    try:
        statement = sqlglot.parse_one(prepared, read="postgres")
    except (SqlglotError, ValueError, RecursionError):
        return None
    if isinstance(statement, exp.Block) and statement.expressions:
        statement = statement.expressions[0]
    if isinstance(statement, exp.With) and statement.this is not None:
        statement = statement.this
    if isinstance(statement, exp.Create) and str(statement.args.get("kind")).upper() == "INDEX":
        return _created_index(statement, exp)
    kind = {exp.Select: "select", exp.Insert: "insert", exp.Update: "update", exp.Delete: "delete"}.get(type(statement))
    if kind is None:
        return None
    table, aliases = _main_table(statement, exp)
    if kind == "select" and _counts_only(statement, exp):
        kind = "count"
    where = statement.args.get("where")
    filters = tuple(_filters(where, aliases, exp)) if where is not None else ()
    order = statement.args.get("order")
    order_by = tuple(
        c.name for o in (order.expressions if order is not None else ()) for c in [o.this] if isinstance(c, exp.Column) and _own(c, aliases)
    )
    joins = tuple(j.this.name for j in statement.args.get("joins") or () if isinstance(j.this, exp.Table))
    columns: tuple[str, ...] = ()
    if isinstance(statement, exp.Select):
        columns = tuple(_column_name(e, exp) for e in statement.expressions)
    return SqlFacts(
        kind=kind, table=table, filters=filters, order_by=order_by, joins=joins,
        limited=statement.args.get("limit") is not None or kind in ("count", "insert"),
        offset=statement.args.get("offset") is not None, columns=columns,
    )


def _main_table(statement, exp) -> tuple[str | None, set[str]]:
    """The table a statement reads or writes first, and the names it goes by in the statement."""
    if isinstance(statement, (exp.Insert, exp.Update)) or (isinstance(statement, exp.Delete) and isinstance(statement.this, exp.Table)):
        target = statement.this.this if isinstance(statement.this, exp.Schema) else statement.this
    else:
        source = statement.args.get("from_") or statement.args.get("from")
        target = source.this if source is not None else None
    with_ = statement.args.get("with_") or statement.args.get("with")
    ctes = {c.alias_or_name for c in with_.expressions} if with_ is not None else set()
    if not isinstance(target, exp.Table) or target.name in ("", "p") or target.name in ctes:
        return None, set()
    return target.name, {target.name, target.alias_or_name}


def _counts_only(statement, exp) -> bool:
    expressions = statement.expressions
    return len(expressions) == 1 and isinstance(expressions[0].unalias(), exp.Count)


def _own(column, aliases: set[str]) -> bool:
    return not column.table or column.table in aliases


def _filters(where, aliases: set[str], exp):
    for node in where.find_all(exp.Predicate):
        if node.find_ancestor(exp.Subquery, exp.Exists) is not None:
            continue
        column = node.this
        if isinstance(column, (exp.Lower, exp.Upper)):
            continue  # a function of the column: only an expression index serves it
        if not isinstance(column, exp.Column) or not _own(column, aliases):
            continue
        name = type(node).__name__
        if name in ("Like", "ILike"):
            text = _leading_text(node.expression, exp)
            prefix = "i" if name == "ILike" else ""
            if text is None:
                yield f"{column.name}__like"
            else:
                yield f"{column.name}__{prefix}contains" if text.startswith(("%", "_")) else f"{column.name}__{prefix}startswith"
        elif name in _COMPARISONS:
            yield column.name + _COMPARISONS[name]
        elif name == "Is":
            yield f"{column.name}__isnull"


def _leading_text(pattern, exp) -> str | None:
    """The literal a LIKE pattern starts with: `'%x'`, or `'%' || :q` (None when a parameter comes first)."""
    while isinstance(pattern, (exp.DPipe, exp.Concat)):
        pattern = pattern.this if isinstance(pattern, exp.DPipe) else (pattern.expressions[0] if pattern.expressions else None)
    return pattern.this if isinstance(pattern, exp.Literal) and pattern.is_string else None


def _is_star(expression, exp) -> bool:
    """`*` or `t.*` in a select list (not `COUNT(*)`)."""
    return isinstance(expression, exp.Star) or (isinstance(expression, exp.Column) and isinstance(expression.this, exp.Star))


def _column_name(expression, exp) -> str:
    if _is_star(expression, exp):
        return "*"
    if isinstance(expression, (exp.Column, exp.Alias)):
        return expression.alias_or_name
    return type(expression).__name__.lower()


def _created_index(statement, exp) -> SqlFacts | None:
    """`CREATE INDEX ... ON t (a, b)` run from code: the table and the indexed columns."""
    index = statement.this
    table = index.args.get("table") if isinstance(index, exp.Index) else None
    params = index.args.get("params") if isinstance(index, exp.Index) else None
    if not isinstance(table, exp.Table) or params is None:
        return None
    columns = tuple(o.this.name if isinstance(o.this, exp.Column) else o.this.sql() for o in params.args.get("columns") or ())
    return SqlFacts(kind="create-index", table=table.name, columns=columns, limited=True)
