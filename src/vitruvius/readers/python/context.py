"""The context pass: what a query's context is once every file and every framework's facts are in.

Runs after all framework contributions (tables with their relationships, code routes), on the facts the
`queries` extractor recorded per file. It

- names each query's table: its model (as the file imported it) resolved through re-exports to the class an
  ORM table was read from;
- follows rows: a loop over a query's rows is followed into the functions called in it, up to `MAX_DEPTH`
  calls deep, with each argument that is a row; there, attribute chains on that row become lazy loads when
  they read a relation the row's queryset did not load eagerly (`select_related`, `prefetch_related`,
  `selectinload`, a relationship's own `lazy=` strategy), and queries become queries run once per row.
  DRF serializers applied to a list view's queryset (nested serializers, `source="a.b"`,
  SerializerMethodField) and Django admin changelist columns are followed the same way;
- marks queries reached from a request handler, or from a loop in a calling function, within `MAX_DEPTH`
  calls; records the writes and outbound calls made once per row of each iterated query.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ...model import Function, Location, Module, Operation, Query, Table
from .frameworks.queries import NAME, location_key
from .frameworks.queries_views import Admin, ClassFacts, Serializer, View
from .frameworks.queries_walk import OUTBOUND, Access, FileQueries, Passing, Ref, Site

MAX_DEPTH = 3
_WRITE_KINDS = frozenset({"insert", "update", "delete"})
_READ_KINDS = frozenset({"select", "get", "count", "exists", "aggregate"})
_EAGER_STRATEGIES = frozenset({"joined", "selectin", "subquery", "immediate", "raise", "raise_on_sql", "noload",
                               "dynamic", "write_only", "false", "true"})
_MANY = frozenset({"one_to_many", "many_to_many"})
# Calls that make a function a unit of work of its own: it writes, locks, commits or sends.
_WRITE_CALLS = frozenset({"save", "delete", "bulk_create", "bulk_update", "update_or_create", "get_or_create",
                          "select_for_update", "with_for_update", "log_action", "send_mail", "atomic", "commit",
                          "create_transactions", "send"})
_LIST_VIEWS = frozenset({"ListAPIView", "ListCreateAPIView", "ModelViewSet", "ReadOnlyModelViewSet", "ListModelMixin"})
_DEPENDS = re.compile(r"^\s*(?:\w+\.)*(?:Depends|Security)\(\s*(?:dependency\s*=\s*)?([\w.]+)")


@dataclass(eq=False)
class Loop:
    """Where rows are iterated: a loop over a query, a list view's serializer, an admin changelist."""

    location: Location
    model: str | None
    site: tuple[str, int] | None = None
    effects: list[str] = field(default_factory=list)
    atomic: bool = False  # each row is handled in a transaction of its own
    source: str | None = None  # the in-repo function whose query rows the loop iterates (`for r in repo.list():`)


@dataclass(frozen=True, eq=False)
class RowContext:
    """A row of `loop`: its model, the relation path from the loop's rows to it, and what was loaded with them."""

    loop: Loop
    model: str | None
    orm: str
    eager: frozenset[str]
    prefix: str = ""
    own: frozenset[str] = frozenset()
    back: str | None = None  # the relation to the parent the rows were read through: the ORM fills it in

    def loaded(self, path: str, relation_kind: str | None, nullable: bool) -> bool:
        if "*" in self.eager or path in self.own:
            return True
        full = self.prefix + path
        if full in self.eager:
            return True
        return "<non-null>" in self.eager and "__" not in full and relation_kind in ("many_to_one", "one_to_one") and not nullable


class Catalog:
    """Names across modules: re-exports resolved, model classes and their tables, functions and classes."""

    def __init__(self, modules: Sequence[Module], tables: Sequence[Table], instances: Iterable[tuple[str, str]] = ()) -> None:
        self.functions: dict[str, Function] = {f.qualname: f for m in modules for f in m.functions}
        self.instances = dict(instances)  # module-level singletons: `Users = UsersTable()`
        self.classes = {c.qualname: c for m in modules for c in m.classes}
        self.methods: dict[str, list[str]] = defaultdict(list)
        for function in self.functions.values():
            if function.class_name is not None:
                self.methods[function.qualname.rpartition(".")[0]].append(function.qualname)
        self.exports: dict[str, str] = {}
        self.stars: dict[str, list[str]] = defaultdict(list)
        for module in modules:
            for item in module.imports:
                if item.alias == "*":
                    self.stars[module.name].append(item.target)
                else:
                    self.exports.setdefault(f"{module.name}.{item.alias}", item.target)
        self.tables: dict[str, Table] = {}
        for table in tables:
            if table.model:
                self.tables.setdefault(table.model, table)
        self.by_short: dict[str, list[str]] = defaultdict(list)
        for model in self.tables:
            self.by_short[model.rpartition(".")[2]].append(model)
        self.tables_by_name = {t.name: t for t in tables}
        self._resolved: dict[str, str] = {}

    def resolve(self, name: str | None) -> str | None:
        if not name:
            return name
        if name not in self._resolved:
            self._resolved[name] = self._resolve(name, 0)
        return self._resolved[name]

    def _resolve(self, name: str, depth: int) -> str:
        if depth > 8 or name in self.classes or name in self.functions or name in self.tables:
            return name
        if name in self.exports:
            return self._resolve(self.exports[name], depth + 1)
        if name in self.instances:
            return self._resolve(self.instances[name], depth + 1)
        head, _, last = name.rpartition(".")
        if not head:
            return name
        for star in self.stars.get(head, ()):
            candidate = self._resolve(f"{star}.{last}", depth + 1)
            if candidate in self.classes or candidate in self.functions:
                return candidate
        resolved_head = self._resolve(head, depth + 1)
        return f"{resolved_head}.{last}" if resolved_head != head else name

    def model(self, name: str | None) -> str | None:
        resolved = self.resolve(name)
        if resolved is None or resolved in self.tables:
            return resolved
        short = self.by_short.get(resolved.rpartition(".")[2], [])
        return short[0] if len(short) == 1 else resolved

    def table(self, model: str | None) -> Table | None:
        return self.tables.get(model) if model else None

    def relation(self, model: str | None, name: str) -> tuple[str | None, str | None, bool, str] | None:
        """(target model, kind, nullable, lazy strategy) of the relation `name` of `model`, or None."""
        table = self.table(model)
        if table is None:
            return None
        for relationship in getattr(table, "relationships", ()):
            if relationship.name == name:
                kind = relationship.kind or ("one_to_many" if relationship.uselist else "many_to_one")
                column = table.column(f"{name}_id")
                return self.model(relationship.target), kind, bool(column and column.nullable), relationship.lazy or "select"
        if not getattr(table, "relationships", ()):
            column = table.column(f"{name}_id")
            key = next((fk for fk in table.foreign_keys if fk.columns == (f"{name}_id",)), None)
            if column is not None and key is not None:
                target = self.tables_by_name.get(key.ref_table)
                return (target.model if target else None), "many_to_one", column.nullable, "select"
        return None

    def follow(self, model: str | None, path: str) -> tuple[str | None, bool]:
        """The model a relation path (`item__questions`) leads to from `model`, and whether it passes a collection."""
        many = False
        for part in path.split("__"):
            found = self.relation(model, part)
            if found is None:
                return None, many
            model, many = found[0], many or found[1] in _MANY
        return model, many

    def back_reference(self, parent: str | None, path: str, target: str | None) -> str | None:
        """The relation on the rows of `parent.<path>` that points back to the parent (`order.positions` → `order`).
        With the parent unknown, the attribute before the relation names it (`request.organizer.media` → `organizer`)."""
        before, _, name = path.rpartition("__")
        hint = before.rpartition("__")[2]
        tables = [self.tables[parent]] if parent in self.tables else list(self.tables.values())
        found = {r.back_populates for t in tables for r in t.relationships
                 if r.name == name and r.back_populates and (target is None or self.model(r.target) == target)}
        if len(found) > 1 and hint in found:
            return hint
        return found.pop() if len(found) == 1 else None

    def member(self, owner: str | None, name: str, depth: int = 0) -> Function | None:
        """The method or property `name` of class `owner`, looked up through in-repo base classes."""
        if owner is None or depth > 4:
            return None
        found = self.functions.get(f"{owner}.{name}")
        if found is not None:
            return found
        cls = self.classes.get(owner)
        for base in cls.bases if cls else ():
            found = self.member(self.resolve(base), name, depth + 1)
            if found is not None:
                return found
        return None

    def lineage(self, qualname: str, depth: int = 0) -> list[str]:
        """Qualnames of a class's in-repo ancestors."""
        cls = self.classes.get(qualname)
        found = []
        for base in cls.bases if cls and depth < 6 else ():
            resolved = self.resolve(base) or base
            if resolved in self.classes:
                found += [resolved, *self.lineage(resolved, depth + 1)]
        return found

    def ancestors(self, qualname: str, depth: int = 0) -> Iterable[str]:
        """Short names of a class's bases, through in-repo classes."""
        cls = self.classes.get(qualname)
        for base in cls.bases if cls else ():
            yield base.rpartition(".")[2]
            if depth < 5:
                yield from self.ancestors(self.resolve(base) or base, depth + 1)


class ContextPass:
    def __init__(self, modules: Sequence[Module], operations: Sequence[Operation], tables: Sequence[Table],
                 facts: Sequence[tuple[Module, FileQueries, ClassFacts]]) -> None:
        self.catalog = Catalog(modules, tables, (i for _m, q, _c in facts for i in q.instances))
        self.modules = modules
        self.facts = facts
        self.sites: dict[tuple, tuple[Module, FileQueries, Site]] = {}
        self.by_function: dict[str | None, list[tuple[str, FileQueries]]] = defaultdict(list)
        self.accesses: dict[str | None, list[tuple[str, Access]]] = defaultdict(list)
        self.passings: dict[str | None, list[tuple[str, Passing]]] = defaultdict(list)
        self.rows_of: dict[str | None, list[tuple[str, int]]] = defaultdict(list)
        self.sites_of: dict[str | None, list[tuple[str, int]]] = defaultdict(list)
        self.files: dict[str, FileQueries] = {}
        self.cached: set[str] = set()
        for module, queries, _classes in facts:
            path = module.path
            self.files[path] = queries
            self.cached.update(queries.cached)
            for site in queries.sites:
                self.sites[location_key(site.location)] = (module, queries, site)
                self.sites_of[site.function].append((path, site.id))
            for access in queries.accesses:
                self.accesses[access.function].append((path, access))
            for passing in queries.passings:
                self.passings[passing.function].append((path, passing))
            for row in queries.rows:
                self.rows_of[row.function].append((path, row.id))
        self.calls: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.outbound: dict[str, list[str]] = defaultdict(list)
        # Functions that write, lock or send: reads in them, per row, are part of that row's unit of work.
        self.writers: set[str | None] = {s.function for _m, q, _c in facts for s in q.sites if s.shape.kind in _WRITE_KINDS or s.shape.locking}
        self.writers |= {a.function for _m, q, _c in facts for a in q.accesses if a.called and a.chain[-1] in ("save", "delete")}
        self.writers |= {f.qualname for m in modules for f in m.functions if any(d.name.rpartition(".")[2] == "atomic" for d in f.decorators)}
        for module in modules:
            for call in module.calls:
                if call.function is not None and (call.name.rpartition(".")[2] in _WRITE_CALLS or call.name.startswith(OUTBOUND)):
                    self.writers.add(call.function)
                if call.function is not None and call.name.startswith(OUTBOUND):
                    self.outbound[call.function].append(call.name)
                if call.function is not None:
                    callee = self.catalog.resolve(call.name)
                    if callee in self.catalog.functions:
                        self.calls[call.function].append((callee, call.loop_depth))
            for function in module.functions:
                for parameter in function.parameters:
                    match = _DEPENDS.match(parameter.default or "")
                    if match:
                        target = _qualify_in(module, match.group(1))
                        callee = self.catalog.resolve(target)
                        if callee in self.catalog.functions:
                            self.calls[function.qualname].append((callee, 0))
        self.handlers = self._handlers(operations)
        self.looped = self._reached({c for calls in self.calls.values() for c, depth in calls if depth > 0})
        # Outputs: per site, the first per-row context found; lazy loads; effects per iterated site.
        self.per_row: dict[tuple[str, int], tuple[Loop, tuple[str, ...], str | None]] = {}
        self.cached_sites: set[tuple[str, int]] = set()
        self.relations: dict[tuple[str, int], tuple[str | None, str]] = {}  # relation query → (its model, path from the rows)
        self.lazy: dict[tuple, Query] = {}  # (loop, relation path) → the first lazy load of it
        self.loops: dict[tuple[str, int], Loop] = {}
        self._visited: dict[tuple, object] = {}
        self._contexts: dict[tuple, tuple[RowContext | None, RowContext | None]] = {}

    # ---- reachability ----------------------------------------------------------------------------------------

    def _handlers(self, operations: Sequence[Operation]) -> dict[str, str]:
        """Function (or class) qualname → the handler it serves, for everything a handler reaches."""
        starts: dict[str, str] = {}
        for operation in operations:
            if operation.origin != "code" or not operation.handler:
                continue
            handler = self.catalog.resolve(operation.handler) or operation.handler
            starts.setdefault(handler, handler)
            owner = handler if handler in self.catalog.classes else None
            if owner is None and handler.rpartition(".")[0] in self.catalog.classes:
                owner = handler.rpartition(".")[0]
                starts.setdefault(owner, handler)
            for name in self.catalog.methods.get(owner or "", ()):
                starts.setdefault(name, handler)
        reached = dict(starts)
        queue = deque((name, 0) for name in starts)
        while queue:
            name, depth = queue.popleft()
            if depth >= MAX_DEPTH:
                continue
            for callee, _ in self.calls.get(name, ()):
                if callee not in reached:
                    reached[callee] = reached[name]
                    queue.append((callee, depth + 1))
        return reached

    def _reached(self, starts: set[str]) -> set[str]:
        reached, queue = set(starts), deque((s, 1) for s in starts)
        while queue:
            name, depth = queue.popleft()
            if depth >= MAX_DEPTH:
                continue
            for callee, _ in self.calls.get(name, ()):
                if callee not in reached:
                    reached.add(callee)
                    queue.append((callee, depth + 1))
        return reached

    # ---- rows ------------------------------------------------------------------------------------------------

    def run(self) -> None:
        functions = list(dict.fromkeys(f for _m, q, _c in self.facts for f in [r.function for r in q.rows]))
        for function in functions:
            self.visit(function, {}, None, 0, ())
        for module, _queries, classes in self.facts:
            for view in classes.views:
                self.view(view)
            for admin in classes.admins:
                self.admin(admin)
            for serializer, site_id, location in _queries.serialized:
                self.serialized(module.path, serializer, site_id, location)

    def row_context(self, path: str, row_id: int, bindings: dict[str, RowContext]) -> RowContext | None:
        row = self.files[path].rows[row_id]
        parent = self.resolve_ref(path, row.parent, bindings) if row.parent is not None else None
        key = (path, row_id, id(parent))
        if key not in self._contexts:
            self._contexts[key] = (self._row_context(path, row_id, parent), parent)  # keep parent alive: ids stay unique
        return self._contexts[key][0]

    def custom_loads(self, names: Sequence[str]) -> frozenset[str]:
        """Relation paths custom QuerySet/Manager methods load (`Change.objects.prefetch_for_render()`), looked up by
        name in the repository, following the methods they call; `*` when some are not literal."""
        if not hasattr(self, "_loaders"):
            self._loaders: dict[str, list[tuple]] = defaultdict(list)
            for _m, _q, classes in self.facts:
                for name, paths, unknown, calls in classes.loaders:
                    self._loaders[name].append((paths, unknown, calls))
        found: set[str] = set()
        seen: set[str] = set()
        pending = list(names)
        while pending:
            name = pending.pop()
            if name in seen or len(seen) > 20:
                continue
            seen.add(name)
            for paths, unknown, calls in self._loaders.get(name, ()):
                found.update(paths)
                if unknown:
                    found.add("*")
                pending.extend(calls)
        return frozenset(found)

    def returned_rows(self, callee: str) -> tuple[str, Site, str, frozenset[str]] | None:
        """The query whose model rows an in-repo function returns (`return session.scalars(q).all()`, `return
        list(qs)`): its file, site, model and eager loads. None unless every query returned evaluated is one of
        rows of the same model; the loads are those every one of them makes."""
        if not hasattr(self, "_returned"):
            self._returned: dict[str, tuple | None] = {}
        if callee in self._returned:
            return self._returned[callee]
        function = self.catalog.resolve(callee)
        found: tuple | None = None
        if function in self.catalog.functions:
            sites = [(p, self.files[p].sites[i]) for p, i in self.sites_of.get(function, ())]
            returned = [(p, s) for p, s in sites if s.returned and s.evaluated]
            models = {self.catalog.model(s.shape.model) for _p, s in returned}
            usable = all(s.shape.kind == "select" and s.shape.entities and not s.shape.subquery and s.row is None
                         and s.shape.root == "table" and not s.shape.tail for _p, s in returned)
            if returned and usable and len(models) == 1 and None not in models:
                eager = frozenset.intersection(*(frozenset(s.shape.eager) | (self.custom_loads(s.shape.customs) if s.shape.customs else frozenset())
                                                 for _p, s in returned))
                first_path, first = returned[0]
                found = (first_path, first, models.pop(), eager)
        self._returned[callee] = found
        return found

    def _row_context(self, path: str, row_id: int, parent: RowContext | None) -> RowContext | None:
        queries = self.files[path]
        row = queries.rows[row_id]
        if row.call is not None:  # rows an in-repo function returns: the rows of the query it runs
            source = self.returned_rows(row.call)
            if source is None:
                return None
            _source_path, _site, model, eager = source
            loop = self.loops.get((path, row_id))
            if loop is None:
                loop = self.loops[(path, row_id)] = Loop(row.location, model, source=self.catalog.resolve(row.call))
            return RowContext(loop, model, _site.shape.orm, eager)
        site = queries.sites[row.site]
        shape = site.shape
        eager = frozenset(shape.eager) | (self.custom_loads(shape.customs) if shape.customs else frozenset())
        if row.parent is None and not (shape.root == "relation" and shape.relation):
            key = (path, row.site)
            loop = self.loops.get((path, row_id))
            if loop is None:
                loop = self.loops[(path, row_id)] = Loop(row.location, self.catalog.model(shape.model), key, list(row.effects), row.atomic)
            return RowContext(loop, self.catalog.model(shape.model), shape.orm, eager)
        target = self.catalog.follow(parent.model, row.relation)[0] if parent is not None and row.relation else None
        plain = not (shape.filters or shape.order_by or shape.custom or shape.eager or shape.limited)
        back = self.catalog.back_reference(parent.model if parent else None, row.relation, target) if row.relation else None
        if parent is not None and row.relation and plain:  # served by the parent's prefetch, if any
            return RowContext(parent.loop, target, parent.orm, parent.eager, f"{parent.prefix}{row.relation}__", eager, back)
        # A query of its own (filtered, ordered, with its own eager loads, or off a row the pass cannot see).
        loop = self.loops.get((path, row_id)) or Loop(row.location, target, (path, row.site), list(row.effects), row.atomic)
        self.loops[(path, row_id)] = loop
        if site.opaque and plain:
            eager = frozenset({"*"})  # rows of a relation of rows the pass cannot see: maybe prefetched there
        return RowContext(loop, target, shape.orm, eager, back=back)

    def _call_row(self, path: str, ref: Ref | None) -> bool:
        return ref is not None and ref[0] == "row" and self.files[path].rows[int(ref[1])].call is not None  # type: ignore[arg-type]

    def resolve_ref(self, path: str, ref: Ref, bindings: dict[str, RowContext]) -> RowContext | None:
        kind, value = ref
        if kind == "param":
            return bindings.get(str(value))
        return self.row_context(path, int(value), bindings)  # type: ignore[arg-type]

    def visit(self, function: str | None, bindings: dict[str, RowContext], loop: Loop | None, depth: int,
              via: tuple[str, ...], given: frozenset[str] = frozenset()) -> None:
        """Follow one function run with `bindings` (parameter → row) once per row of `loop`; `given` names the
        parameters its caller passed."""
        key = (function, tuple(sorted((k, id(v)) for k, v in bindings.items())), id(loop), given)
        if key in self._visited:
            return
        self._visited[key] = (bindings, loop)  # held, so the ids in the key stay unique
        for path, site_id in self.sites_of.get(function, ()):
            self.site(path, site_id, bindings, loop, via, given)
        for path, access in self.accesses.get(function, ()):
            context = self.resolve_ref(path, access.base, bindings)
            if context is not None and not access.once and not self.guarded(access.guard, given, bindings):
                self.access(context, access.chain, access.called, access.location, function, depth, via)
        if loop is not None and function is not None:
            loop.effects.extend(self.outbound.get(function, ()))
        for path, passing in self.passings.get(function, ()):
            self.passing(path, passing, bindings, loop, depth, via)

    @staticmethod
    def guarded(guard: str | None, given: frozenset[str], bindings: dict[str, RowContext]) -> bool:
        """Whether a branch on a parameter (see `queries_walk._missing_parameter`) does not run in this call."""
        if guard is None or (not given and not bindings):
            return False  # not reached from a caller: the branch may well run
        if ":" in guard:
            name, _, kind = guard.partition(":")
            bound = bindings.get(name)
            return bound is not None and bound.model is not None and bound.model.rpartition(".")[2] != kind
        sign, name = guard[0], guard[1:]
        return name in given if sign == "-" else name not in given and name not in bindings

    def site(self, path: str, site_id: int, bindings: dict[str, RowContext], loop: Loop | None, via: tuple[str, ...],
             given: frozenset[str] = frozenset()) -> None:
        queries = self.files[path]
        site = queries.sites[site_id]
        shape = site.shape
        here = loop
        if site.row is not None:
            context = self.row_context(path, site.row, bindings)
            here = context.loop if context is not None else Loop(queries.rows[site.row].location, None)
        if here is None or not site.evaluated:
            return
        if shape.kind in _WRITE_KINDS:
            here.effects.append(f"{(shape.model or shape.table or 'table').rpartition('.')[2]}.{shape.kind}")
            return
        if self.guarded(site.guard, given, bindings) or shape.opaque_end:
            return  # `if component is None:` and the caller gave one; or a custom method that may not query
        if (here.atomic and shape.root != "relation") or (len(via) > 2 and shape.kind != "lazy-load"):
            return  # the row fetched again in its own transaction; or a query too many calls away to be sure of
        if shape.locking or site.once or any(f in self.writers for f in via):
            return  # a row locked on purpose, or a read inside a per-row unit of work that writes anyway
        if site.row is not None and queries.rows[site.row].atomic and shape.root != "relation":
            return  # each row in its own transaction: fetching it there is the point
        if site.row is not None and queries.rows[site.row].groups:
            return  # one query per distinct value (a currency, a status): a handful of groups, not rows
        if site.base is not None and shape.root == "relation" and shape.relation and not (site.opaque and self._call_row(path, site.base)):
            context = self.resolve_ref(path, site.base, bindings)
            if context is not None and shape.relation.partition("__")[0] == context.back and context.prefix == "":
                return  # through the parent the rows were read from: one object, loaded once
            if context is not None:
                target = self.catalog.follow(context.model, shape.relation)[0]
                self.relations.setdefault((path, site_id), (target, context.prefix + shape.relation))
                plain = not (shape.filters or shape.order_by or shape.custom) and not shape.tail
                if plain and shape.kind in ("select", "count", "exists") and context.loaded(shape.relation, "one_to_many", False):
                    self.cached_sites.add((path, site_id))
                    return
        if site.opaque and not (shape.filters or shape.order_by or shape.custom):
            return  # a relation of rows the pass cannot see: they may have prefetched it
        self.per_row.setdefault((path, site_id), (here, via, here.model))

    def access(self, context: RowContext, chain: tuple[str, ...], called: bool, location: Location,
               function: str | None, depth: int, via: tuple[str, ...]) -> None:
        if chain and chain[0] == context.back and context.prefix == "":
            return  # `position.order` of `order.positions.all()`: the parent itself, already loaded
        for index, name in enumerate(chain):
            last = index == len(chain) - 1
            if last and called and name in _WRITE_CALLS and context.prefix == "":
                context.loop.effects.append(f"{(context.model or 'row').rpartition('.')[2]}.{name}")
                return
            found = self.catalog.relation(context.model, name)
            if found is None:
                member = self.catalog.member(context.model, name)
                if member is not None and depth < MAX_DEPTH and ((last and called) or _is_property(member)):
                    self.visit(member.qualname, {"self": context}, context.loop, depth + 1, (*via, member.qualname))
                return
            target, kind, nullable, lazy = found
            many = kind in _MANY
            if context.orm == "django" and many:
                return  # a related manager: reading it runs nothing, its methods are queries of their own
            if lazy in _EAGER_STRATEGIES or context.loaded(name, kind, nullable):
                context = RowContext(context.loop, target, context.orm, context.eager, f"{context.prefix}{name}__", frozenset())
                continue
            self.lazy_load(context, name, kind, location, function, via)
            return

    def lazy_load(self, context: RowContext, name: str, kind: str | None, location: Location, function: str | None,
                  via: tuple[str, ...]) -> None:
        if any(f in self.writers for f in via):
            return
        path = f"{context.prefix}{name}"
        key = (id(context.loop), path)  # Django and SQLAlchemy keep a loaded relation on the row: once per loop
        if key in self.lazy and self.lazy[key].location <= location:
            return
        table = self.catalog.table(context.model)
        many = kind in _MANY or ("__" in path and self._path_has_many(context.loop.model, path))
        self.lazy[key] = Query(
            table=table.name if table else None, location=location, kind="lazy-load", model=context.model,
            function=function, eager_loads=tuple(sorted(context.eager - {"<non-null>"})), in_loop=True,
            orm=context.orm, root="relation", relation=path, many=many, row_loop=context.loop.location,
            row_model=context.loop.model, via=(context.loop.source, *via) if context.loop.source else via,
        )

    def _path_has_many(self, model: str | None, path: str) -> bool:
        for part in path.split("__"):
            found = self.catalog.relation(model, part)
            if found is None:
                return False
            if found[1] in _MANY:
                return True
            model = found[0]
        return False

    def passing(self, path: str, passing: Passing, bindings: dict[str, RowContext], loop: Loop | None, depth: int,
                via: tuple[str, ...]) -> None:
        if depth >= MAX_DEPTH:
            return
        callee = self.catalog.resolve(passing.callee)
        function = self.catalog.functions.get(callee or "")
        if function is None:
            return
        here = loop
        if passing.row is not None:
            context = self.row_context(path, passing.row, bindings)
            here = context.loop if context is not None else None
        if function.qualname in self.cached and function.class_name is None:
            here = None  # a cached module function runs once, not per row
        names = [p.name.lstrip("*") for p in function.parameters]
        shift = 1 if passing.bound and function.class_name and names and names[0] in ("self", "cls") else 0
        bound: dict[str, RowContext] = {}
        for position, ref in passing.arguments:
            context = self.resolve_ref(path, ref, bindings)
            if context is None:
                continue
            if isinstance(position, int):
                if position + shift < len(names):
                    bound[names[position + shift]] = context
            elif position in names:
                bound[position] = context
        if here is None and not bound:
            return
        if passing.row is None and not bound and all(self._call_row(path, ref) for _p, ref in passing.arguments):
            return  # only rows of calls that return no query's rows: not a row passed on
        given = frozenset(str(names[g + shift]) if isinstance(g, int) and g + shift < len(names) else str(g) for g in passing.given)
        self.visit(function.qualname, bound, here, depth + 1, (*via, function.qualname), given)

    # ---- serializers and admin -------------------------------------------------------------------------------

    def serializers(self) -> dict[str, Serializer]:
        if not hasattr(self, "_serializers"):
            self._serializers = {s.qualname: s for _m, _q, c in self.facts for s in c.serializers}
        return self._serializers

    def view(self, view: View) -> None:
        if view.serializer is None or view.model is None:
            return
        if (view.get_queryset and not (view.eager or view.customs)) or (view.limited and not view.get_queryset):
            return  # an overridden get_queryset the reader cannot follow, or a queryset with no rows (`.none()`)
        if not (_LIST_VIEWS & ({b.rpartition(".")[2] for b in view.bases} | set(self.catalog.ancestors(view.qualname)))):
            return
        serializer = self.serializers().get(self.catalog.resolve(view.serializer) or "")
        if serializer is None:
            return
        model = self.catalog.model(view.model)
        loop = Loop(view.queryset or view.location, model)
        eager = frozenset(view.eager) | self.custom_loads(view.customs)
        back = self.catalog.back_reference(None, view.relation, model) if view.relation else None
        self.apply_serializer(serializer, RowContext(loop, model, "django", eager, back=back), 0, (view.qualname,))

    def serialized(self, path: str, serializer_name: str, site_id: int, location: Location) -> None:
        serializer = self.serializers().get(self.catalog.resolve(serializer_name) or "")
        site = self.files[path].sites[site_id]
        if serializer is None or site.shape.orm != "django":
            return
        model = self.catalog.model(site.shape.model)
        loop = Loop(location, model, (path, site_id))
        self.apply_serializer(serializer, RowContext(loop, model, "django", frozenset(site.shape.eager)), 0, ())

    def apply_serializer(self, serializer: Serializer, context: RowContext, depth: int, via: tuple[str, ...]) -> None:
        if depth > MAX_DEPTH:
            return
        for item in self._fields(serializer):
            source = item.source or item.name
            if item.kind == "method":
                method = self.catalog.member(serializer.qualname, item.method or f"get_{item.name}")
                names = [p.name for p in method.parameters] if method else []
                if method is not None and len(names) >= 2:
                    self.visit(method.qualname, {names[1]: context}, context.loop, depth + 1, (*via, method.qualname))
                continue
            chain = tuple(source.split("."))
            if item.kind == "related" and item.key_only and not item.many and len(chain) == 1:
                continue  # the key column is on the row: no query
            nested = self._walk_nested(context, chain, item.location, serializer.qualname, depth, via)
            if item.kind == "nested" and nested is not None:
                inner = self.serializers().get(self.catalog.resolve(item.serializer) or "")
                if inner is not None:
                    self.apply_serializer(inner, nested, depth + 1, via)
        if serializer.depth >= 1 or serializer.meta_fields:
            self._meta_fields(serializer, context, via)

    def _walk_nested(self, context: RowContext, chain: tuple[str, ...], location: Location, function: str,
                     depth: int, via: tuple[str, ...]) -> RowContext | None:
        """Follow `source` through relations; a relation not loaded is a lazy load of each serialized row."""
        if chain and chain[0] == context.back and context.prefix == "":
            return None  # the parent the rows were read through
        for name in chain:
            found = self.catalog.relation(context.model, name)
            if found is None:
                member = self.catalog.member(context.model, name)
                if member is not None:
                    self.visit(member.qualname, {"self": context}, context.loop, depth + 1, (*via, member.qualname))
                return None
            target, kind, nullable, lazy = found
            if not (lazy in _EAGER_STRATEGIES or context.loaded(name, kind, nullable)):
                self.lazy_load(context, name, kind, location, function, via)
                return None
            context = RowContext(context.loop, target, context.orm, context.eager, f"{context.prefix}{name}__")
        return context

    def _fields(self, serializer: Serializer, depth: int = 0):
        seen = {f.name for f in serializer.fields}
        yield from serializer.fields
        for base in serializer.bases:
            parent = self.serializers().get(self.catalog.resolve(base) or "")
            if parent is not None and depth < 3:
                yield from (f for f in self._fields(parent, depth + 1) if f.name not in seen)

    def _meta_fields(self, serializer: Serializer, context: RowContext, via: tuple[str, ...]) -> None:
        declared = {f.name for f in self._fields(serializer)} | set(serializer.declared)
        table = self.catalog.table(context.model)
        if table is None:
            return
        names = [r.name for r in getattr(table, "relationships", ())] if serializer.meta_fields == ("__all__",) else list(serializer.meta_fields)
        for name in names:
            if name in declared:
                continue
            found = self.catalog.relation(context.model, name)
            if found is None:
                continue
            _target, kind, nullable, lazy = found
            if (kind in _MANY or serializer.depth >= 1) and not (lazy in _EAGER_STRATEGIES or context.loaded(name, kind, nullable)):
                self.lazy_load(context, name, kind, serializer.location, serializer.qualname, via)

    def admin(self, admin: Admin) -> None:
        model = self.catalog.model(admin.model)
        if model is None or self.catalog.table(model) is None:
            return
        related = [n for n, _ in admin.list_display if (found := self.catalog.relation(model, n)) and found[1] not in _MANY]
        eager: set[str] = set(admin.eager)
        if isinstance(admin.list_select_related, tuple):
            eager.update(p for path in admin.list_select_related for p in _prefixes(path))
        elif admin.list_select_related or related:
            eager.add("<non-null>")
        if admin.get_queryset and not admin.eager:
            return
        for name, location in admin.list_display:
            loop = Loop(location, model)
            context = RowContext(loop, model, "django", frozenset(eager))
            found = self.catalog.relation(model, name)
            if found is not None:
                _target, kind, nullable, _lazy = found
                if kind not in _MANY and not context.loaded(name, kind, nullable):
                    self.lazy_load(context, name, kind, location, admin.qualname, ())
                continue
            method = self.catalog.member(admin.qualname, name)
            if method is not None and len(method.parameters) >= 2:
                self.visit(method.qualname, {method.parameters[1].name: context}, loop, 1, (method.qualname,))
                continue
            member = self.catalog.member(model, name)
            if member is not None:
                self.visit(member.qualname, {"self": context}, loop, 1, (member.qualname,))

    # ---- output ----------------------------------------------------------------------------------------------

    def enrich(self, query: Query) -> Query:
        found = self.sites.get(location_key(query.location))
        changes: dict = {}
        key = (found[0].path, found[2].id) if found is not None else None
        if key in self.relations:
            target, path = self.relations[key]
            changes["relation"] = path
            query = dataclasses.replace(query, model=query.model or target)
        model = self.catalog.model(query.model)
        if model != query.model:
            changes["model"] = model
        table = self.catalog.table(model)
        if table is not None and query.table is None:
            changes["table"] = table.name
        function = query.function
        owner = function
        if function is not None and function not in self.handlers and function.rpartition(".")[0] in self.handlers:
            owner = function.rpartition(".")[0]
        if owner in self.handlers:
            changes["in_handler"], changes["handler"] = True, self.handlers[owner]
        if function in self.looped:
            changes["in_loop"] = True
        if query.returned and not query.limited and self._paginated_view(function):
            changes["limited"] = changes["offset"] = True  # the list view pages what its get_queryset returns
        if key is not None:
            if key in self.cached_sites or (key in self.per_row and self._processes_rows(key)):
                changes["row_loop"], changes["row_model"] = None, None
            elif key in self.per_row:
                loop, via, row_model = self.per_row[key]
                changes.update(row_loop=loop.location, row_model=row_model, via=via, in_loop=True)
            elif query.row_loop is not None:
                changes["row_loop"], changes["row_model"] = None, None  # looked at, and not run once per row
            merged = self._loops_by_site().get(key)
            if merged is not None and merged.effects:
                changes["row_effects"] = tuple(sorted(set(merged.effects)))
        return dataclasses.replace(query, **changes) if changes else query

    def _processes_rows(self, key: tuple[str, int]) -> bool:
        """The query's own rows are then worked through one by one, writing or calling out for each: a batch
        (an event's orders to remind), whose query per parent is the batch, not a lookup to prefetch."""
        inner = self._loops_by_site().get(key)
        return inner is not None and (bool(inner.effects) or inner.atomic)

    def _paginated_view(self, function: str | None) -> bool:
        """A list view's `get_queryset` (or `queryset`) whose class, or an in-repo ancestor, paginates."""
        if function is None:
            return False
        owner = function if function in self.catalog.classes else function.rpartition(".")[0]
        if owner not in self.catalog.classes or not (function == owner or function.endswith(".get_queryset")):
            return False
        if not hasattr(self, "_paginating"):
            self._paginating = {name for _m, _q, c in self.facts for name in c.paginating}
        lineage = [owner, *self.catalog.lineage(owner)]
        return any(c in self._paginating for c in lineage) or self.catalog.member(owner, "get_paginate_by") is not None

    def _loops_by_site(self) -> dict[tuple[str, int], Loop]:
        if not hasattr(self, "_by_site"):
            merged: dict[tuple[str, int], Loop] = {}
            for loop in self.loops.values():
                if loop.site is not None:
                    target = merged.setdefault(loop.site, Loop(loop.location, loop.model, loop.site))
                    target.effects.extend(loop.effects)
                    target.atomic = target.atomic or loop.atomic
            self._by_site = merged
        return self._by_site

    def lazy_queries(self) -> list[Query]:
        out = []
        for query in self.lazy.values():
            owner = query.function
            if owner is not None and owner not in self.handlers and owner.rpartition(".")[0] in self.handlers:
                owner = owner.rpartition(".")[0]
            if owner in self.handlers:
                query = dataclasses.replace(query, in_handler=True, handler=self.handlers[owner])
            out.append(query)
        return out


def add_context(queries: list[Query], modules: Sequence[Module], operations: Sequence[Operation], tables: Sequence[Table],
                framework_facts: Sequence[tuple[Module, tuple[tuple[str, object], ...]]]) -> tuple[list[Query], dict[str, str]]:
    """The queries with their context, plus the lazy loads found by following rows; and which request
    handler reaches each function (rules about request paths read it from the model)."""
    facts = [(module, f[0], f[1]) for module, found in framework_facts for name, f in found if name == NAME]  # type: ignore[index]
    if not operations and not facts:
        return queries, {}
    context = ContextPass(modules, operations, tables, facts)
    if not facts:
        return queries, context.handlers
    context.run()
    return [context.enrich(q) if q.orm is not None else q for q in queries] + context.lazy_queries(), context.handlers


def _qualify_in(module: Module, dotted: str) -> str:
    head, _, rest = dotted.partition(".")
    target = next((i.target for i in module.imports if i.alias == head), None)
    if target is not None:
        return f"{target}.{rest}" if rest else target
    return f"{module.name}.{dotted}"


def _is_property(function: Function) -> bool:
    return any(d.name.rpartition(".")[2] in ("property", "cached_property") for d in function.decorators)


def _prefixes(path: str) -> list[str]:
    parts = path.split("__")
    return ["__".join(parts[: i + 1]) for i in range(len(parts))]
