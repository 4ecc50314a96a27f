"""The eager load or batching that removes an N+1: what PERF002 proposes, worded for the query's ORM."""

from __future__ import annotations

from collections.abc import Sequence

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


def loop_line(query: Query, sources: tuple[Query, ...] = (), *, plain: bool = False) -> str:
    loop = query.row_loop
    where = f"line {loop.line}" if loop and loop.path == query.location.path else f"{loop.path}:{loop.line}" if loop else "?"
    via = query.via[1:] if sources else query.via
    returned = f" (rows returned by {method(query.via[0])})" if sources and not plain else ""
    through = f" (through {', '.join(short(f) for f in via)})" if via else ""
    return f"{where}{returned}{through}"


def method(qualname: str) -> str:
    """`app.repositories.requests.RequestRepository.list_for_user` → `RequestRepository.list_for_user`."""
    head, _, name = qualname.rpartition(".")
    return f"{short(head)}.{name}" if head else name


def row_sources(query: Query, queries: Sequence[Query]) -> tuple[Query, ...]:
    """The queries whose rows an in-repo function returns to the loop (`for r in repo.list_open():`): the context
    pass names that function first in `via`, ahead of the functions the row is then passed to."""
    if not query.via or (len(query.via) == 1 and query.function == query.via[0]):
        return ()
    source = query.via[0]
    return tuple(q for q in queries if q.function == source and q.returned and q.evaluated and q.kind == "select"
                 and q.row_loop is None and q.model == query.row_model)


def at(query: Query) -> str:
    return f"{query.location.path}:{query.location.line}"
