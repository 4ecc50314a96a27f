"""Queries in code: Django querysets, SQLAlchemy queries and statements, SQL strings, DRF serializers and the
Django admin, each with the context it runs in.

`extract` walks one file (see `queries_walk` and `queries_views`); `link` turns each recorded query into a
`Query` with what one file shows: its model as the file names it, its filters, orderings, joins, eager loads
and limits, the loops around it and whether it runs once per row of another query. What needs every file
and every other framework's facts (which table a model is, its relationships, which functions handle
requests, rows followed into the functions they are passed to) is added by the context pass
(`readers.python.context`), which reads the same facts again.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from ....model import Location, Module, Query
from . import Contribution, Extractor
from .qualify import Names
from .queries_views import ClassFacts, read_classes
from .queries_walk import FileQueries, FileWalk, Site

NAME = "queries"


def _wants(module: Module) -> bool:
    return module.kind not in ("test", "migration") and bool(module.functions or module.classes)


def _extract(tree: ast.Module, module: Module, names: Names) -> tuple[FileQueries, ClassFacts] | None:
    facts = FileWalk(module.path, module, names).run(tree)
    classes = read_classes(tree, module, names)
    if not (facts.sites or facts.accesses or facts.passings or facts.cached or facts.instances or classes.any()):
        return None
    return facts, classes


def query_of(site: Site, facts: FileQueries) -> Query:
    """The Query a recorded site describes, with the context one file shows."""
    shape = site.shape
    row = facts.rows[site.row] if site.row is not None else None
    row_site = facts.sites[row.site] if row is not None else None
    return Query(
        table=shape.table,
        location=site.location,
        kind=shape.kind,
        model=shape.model,
        function=site.function,
        filters=tuple(dict.fromkeys(shape.filters)),
        order_by=tuple(dict.fromkeys(shape.order_by)),
        joins=tuple(dict.fromkeys(shape.joins)),
        eager_loads=tuple(dict.fromkeys(shape.eager)),
        limited=shape.limited,
        in_loop=site.loop_depth > 0,
        in_async=site.in_async,
        raw_sql=shape.sql,
        orm=shape.orm,
        root=shape.root,
        evaluated=site.evaluated,
        returned=site.returned,
        custom=shape.custom,
        offset=shape.offset,
        awaited=shape.awaited,
        columns=shape.columns,
        relation=shape.relation.rpartition("__")[2] if shape.relation else None,
        row_loop=row.location if row is not None else None,
        row_model=row_site.shape.model if row_site is not None else None,
    )


def kept(site: Site) -> bool:
    """A query only built to be continued (`qs = qs.filter(...)`) is described by what continues it."""
    return site.evaluated or site.returned or not site.continued


def _link(per_file: Sequence[tuple[Module, object]], _modules: Sequence[Module]) -> Contribution:
    contribution = Contribution()
    for _module, (facts, _classes) in per_file:  # type: ignore[misc]
        contribution.queries.extend(query_of(site, facts) for site in facts.sites if kept(site))
    return contribution


def location_key(location: Location) -> tuple[str, int, int, int | None]:
    return (location.path, location.line, location.column, location.end_line)


EXTRACTOR = Extractor(NAME, _wants, _extract, _link)
