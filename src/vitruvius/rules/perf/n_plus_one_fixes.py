"""The eager load or batching that removes an N+1: what PERF002 proposes, worded for the query's ORM."""

from __future__ import annotations

from ...model import Query
from .common import short


def eager_fix(query: Query) -> str:
    """The eager load that serves a lazy load, on the queryset whose rows are iterated."""
    path = query.relation or "?"
    if query.orm == "sqlalchemy":
        parts = path.split("__")
        loader = "selectinload" if query.many else "joinedload"
        chain = f"{loader}({short(query.row_model)}.{parts[0]})"
        if len(parts) == 2:
            chain += f".{loader}({short(query.model)}.{parts[1]})"
        return f".options({chain})" if len(parts) <= 2 else f'.options({loader}("{path}"))  # each step of the path'
    return f'.prefetch_related("{path}")' if query.many else f'.select_related("{path}")'


def relation_fix(query: Query) -> str:
    """Read a relation of every row at once: a prefetch, a filtered Prefetch, or a count annotation."""
    path = query.relation or "?"
    if query.orm == "sqlalchemy":
        return f"load it with the rows: .options(selectinload({short(query.row_model)}.{path.split('__')[0]}))"
    if query.kind in ("count", "exists") and not query.filters:
        return f'annotate the iterated query: .annotate({path.rpartition("__")[2]}_count=Count("{path}")) and read that instead'
    if query.filters or query.order_by or query.custom:
        model = short(query.model) if query.model else "Related"
        return f'prefetch what the loop reads: .prefetch_related(Prefetch("{path}", queryset={model}.objects.filter(...), to_attr="..."))'
    return f'prefetch it with the rows: .prefetch_related("{path}") and read it with .all()'


def loop_line(query: Query) -> str:
    loop = query.row_loop
    where = f"line {loop.line}" if loop and loop.path == query.location.path else f"{loop.path}:{loop.line}" if loop else "?"
    through = f" (through {', '.join(short(f) for f in query.via)})" if query.via else ""
    return f"{where}{through}"
