"""One walk over a file's functions that records its queries and the context each runs in.

Per function, the walk follows statements in order and remembers what local names hold: a query (its
`Site`), a row of a query being iterated (its `Row`), or a string of SQL. It records:

- `Site`: every query expression, with the loop nesting around it, the row loop it runs in (the innermost
  loop over another query's rows), whether it is evaluated there, and whether its rows flow to the return value;
- `Row`: every loop (or comprehension) over a query's rows; its iterable is evaluated once, before the loop;
- `Access`: attribute chains read on a row (`order.customer.name`) or on a parameter, which the context pass
  turns into lazy loads once it knows the models' relationships;
- `Passing`: calls made once per row, and calls that pass a row or a parameter on, so the context pass can
  follow rows into the functions they reach.

Everything recorded is a small picklable value: the walk runs in the reader's worker processes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ....model import Location, Module
from .qualify import Names
from .queries_chain import Chains, Shape, orm_flags

EVAL, FLOW = 1, 2
MEMO = -1  # in the loop stack: a branch that runs once per cache key
OPAQUE = ("opaque",)  # what a loop variable over an unknown iterable holds  # how an expression's value is used: evaluated (iterated, counted, tested), flowing to a result
_EVALUATING = frozenset({"list", "tuple", "set", "frozenset", "len", "sorted", "sum", "any", "all", "max", "min",
                         "dict", "enumerate", "reversed", "bool", "next", "iter", "zip"})
_ROW_WRAPPERS = frozenset({"list", "tuple", "sorted", "reversed", "set", "iter"})
# Calls whose arguments configure a query rather than become part of a response.
_NOT_FLOWING = frozenset({"Prefetch", "Subquery", "Exists", "OuterRef", "Q", "F", "Count", "Sum", "Avg", "Max", "Min",
                          "Coalesce", "Case", "When", "Value", "prefetch_related", "select_related", "annotate", "filter",
                          "exclude", "options", "where", "prefetch_related_objects", "get_object_or_404"})
_RESPONDING = frozenset({"render", "render_to_response", "render_to_string", "jsonify", "dumps", "dump", "json",
                        "TemplateResponse", "get_context_data", "to_representation", "model_validate", "from_orm"})
_TRANSACTIONS = frozenset({"atomic", "begin", "begin_nested", "transaction"})
_CACHED = frozenset({"cached_property", "cache", "lru_cache", "memoize", "cached", "cached_method"})
OUTBOUND = ("requests.", "httpx.", "urllib.request.", "urllib3.", "aiohttp.", "smtplib.", "django.core.mail.",
            "boto3.", "stripe.")
_CHAIN = (ast.Call, ast.Attribute, ast.Subscript, ast.Await)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
MAX_CHAIN = 4

Ref = tuple[str, object]  # ("row", row id) | ("param", parameter name)


@dataclass(slots=True)
class Site:
    id: int
    shape: Shape
    location: Location
    function: str | None
    loop_depth: int
    in_async: bool
    row: int | None
    base: Ref | None = None
    evaluated: bool = False
    returned: bool = False
    continued: bool = False
    opaque: bool = False  # a relation of a loop variable over unknown rows (`op.answers.all()`): maybe prefetched
    once: bool = False  # in a branch that runs once per key or group (`if key not in cache:`), not once per call
    guard: str | None = None  # runs only in some calls: see `_missing_parameter`


@dataclass(slots=True)
class Row:
    """A loop over the rows of `site`; `parent`/`relation` when the rows come from a row's relation."""

    id: int
    site: int
    location: Location
    function: str | None
    parent: Ref | None = None
    relation: str | None = None
    effects: list[str] = field(default_factory=list)
    groups: bool = False  # the rows are distinct values (`values_list("currency").distinct()`): one per group
    atomic: bool = False  # each row is handled in a transaction of its own (`with transaction.atomic():` in the loop)
    call: str | None = None  # rows a call returns (`for r in repo.list_open():`): `site` is -1, the context pass resolves it


@dataclass(frozen=True)
class Access:
    base: Ref
    chain: tuple[str, ...]
    called: bool
    location: Location
    function: str | None
    once: bool = False  # in a branch that runs once per key or group, not once per row
    guard: str | None = None  # read only in some calls: see `_missing_parameter`


@dataclass(frozen=True)
class Passing:
    """A call: once per row of `row` when set; `arguments` map positions (or keyword names) to rows or parameters."""

    callee: str
    location: Location
    function: str | None
    row: int | None
    arguments: tuple[tuple[int | str, Ref], ...]
    bound: bool
    given: tuple[int | str, ...] = ()  # every position and keyword the call passes


@dataclass(slots=True)
class FileQueries:
    sites: list[Site] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    accesses: list[Access] = field(default_factory=list)
    passings: list[Passing] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    serialized: list[tuple[str, int, Location]] = field(default_factory=list)  # `S(queryset, many=True)`
    instances: list[tuple[str, str]] = field(default_factory=list)  # module global → class (`Users = UsersTable()`)


class FileWalk:
    """Walks every function (and class body) of one module."""

    def __init__(self, path: str, module: Module, names: Names) -> None:
        self.path = path
        self.module = module
        self.names = names
        self.facts = FileQueries()
        self.flags = orm_flags(names)
        self.callees: dict[tuple[int, int, int | None], list[str]] = {}
        for call in module.calls:
            loc = call.location
            self.callees.setdefault((loc.line, loc.column, loc.end_line), []).append(call.name)

    def run(self, tree: ast.Module) -> FileQueries:
        Scope(self, None, (), False, None).statements(tree.body)
        return self.facts

    def location(self, node: ast.AST) -> Location:
        return Location(self.path, node.lineno, node.col_offset + 1, node.end_lineno)

    def callee(self, node: ast.Call) -> str:
        found = self.callees.get((node.lineno, node.col_offset + 1, node.end_lineno), ())
        func = node.func
        last = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else None
        for name in found:
            if last is None or name.rpartition(".")[2] == last:
                return name
        return self.names.qualify(func)


class Scope:
    """One function (or module or class body): its local names, loops and what it records."""

    def __init__(self, walk: FileWalk, function: str | None, parameters: tuple[str, ...], is_async: bool,
                 owner: str | None, *, track_self: bool = False) -> None:
        self.walk = walk
        self.facts = walk.facts
        self.function = function
        self.owner = owner  # the qualname of the class a method or class body belongs to
        self.is_async = is_async
        self.parameters = set(parameters) - ({"self", "cls"} if not track_self else {"cls"})
        self.env: dict[str, object] = {}  # name → Site | ("row", id) | str (SQL text)
        self.flows: dict[str, list[Site]] = {}  # name → the sites whose rows its value holds
        self.loops: list[int | None] = []  # enclosing loops: a row id, or None for a loop over something else
        self.node_sites: dict[int, Site] = {}
        self.flow: list[Site] = []
        self.accessed: set[tuple] = set()
        self.function_parameters = frozenset(parameters)
        self.guards: list[str] = []
        self.paginated = False  # a class body that paginates its list, or its get_queryset method
        self.assigned: set[tuple[Ref, str]] = set()  # (row or parameter, attribute) stored to
        self.chains = Chains(walk.names, self.lookup, walk.flags)

    def lookup(self, name: str) -> object:
        """What a name holds for the chain reader: a query not yet run (a result list is no query), or SQL text."""
        held = self.env.get(name)
        if isinstance(held, Site):
            return held.shape if not held.shape.evaluated else None
        return held if isinstance(held, str) else None

    def ref(self, name: str) -> Ref | None:
        """The row or parameter a name stands for (directly, or as `item = cp.item`: see `prefix`)."""
        held = self.env.get(name)
        if isinstance(held, tuple) and held[0] == "row":
            return held
        if isinstance(held, tuple) and held[0] == "path":
            return held[1]
        if held is None and name in self.parameters:
            return ("param", name)
        return None

    def prefix(self, name: str) -> tuple[str, ...]:
        """The attributes between a row and a name bound to part of it: `item = cp.item` → (`item`,)."""
        held = self.env.get(name)
        return held[2] if isinstance(held, tuple) and held[0] == "path" else ()

    def row(self) -> int | None:
        """The innermost loop over a query's rows around here (None inside a memoized branch)."""
        for found in reversed(self.loops):
            if found == MEMO:
                return None
            if found is not None and self.facts.rows[found].call is None:
                return found
        return None

    # ---- statements ----------------------------------------------------------------------------------------

    def statements(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        kind = type(node)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef):
            self.function_definition(node)
        elif kind is ast.ClassDef:
            self.class_definition(node)
        elif kind is ast.Assign or kind is ast.AnnAssign:
            self.assign(node)
        elif kind is ast.AugAssign:
            self.expr(node.value)
            self.forget(node.target)
        elif kind in (ast.For, ast.AsyncFor):
            self.for_loop(node)
        elif kind is ast.While:
            self.loops.append(None)
            self.expr(node.test, EVAL)
            self.statements(node.body)
            self.loops.pop()
            self.statements(node.orelse)
        elif kind is ast.If:
            self.expr(node.test, EVAL)
            memo = _memoizes(node)
            if memo:  # `if key not in cache: cache[key] = query`: runs once per key, not once per row
                self.loops.append(MEMO)
            guard = _missing_parameter(node.test, self.function_parameters)
            if guard:  # `if component is None: component = Component.objects.get(...)`: depends on the caller
                self.guards.append(guard)
            self.statements(node.body)
            if guard:
                self.guards.pop()
            if memo:
                self.loops.pop()
            self.statements(node.orelse)
        elif kind is ast.Return:
            if node.value is not None:
                self.flow = []
                self.expr(node.value, FLOW)
                for site in self.flow:
                    site.returned = True
                    if self.paginated:  # a list view with `paginate_by`: the view pages what get_queryset returns
                        site.shape.limited = site.shape.offset = True
                self.flow = []
        elif kind is ast.Expr:
            self.expr(node.value)
        elif kind in (ast.With, ast.AsyncWith):
            row = self.row()
            for item in node.items:
                if row is not None and type(item.context_expr) is ast.Call and _decorator_name(item.context_expr) in _TRANSACTIONS:
                    self.facts.rows[row].atomic = True
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.forget(item.optional_vars)
            self.statements(node.body)
        elif kind in (ast.Try, getattr(ast, "TryStar", ast.Try)):
            self.statements(node.body)
            for handler in node.handlers:
                self.statements(handler.body)
            self.statements(node.orelse)
            self.statements(node.finalbody)
        elif kind is ast.Match:
            self.expr(node.subject)
            for case in node.cases:
                self.statements(case.body)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child)
                elif isinstance(child, ast.stmt):
                    self.statement(child)

    def function_definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.expr(decorator)
        qualname = f"{self.function or self.walk.module.name}.{node.name}"
        arguments = node.args
        parameters = tuple(a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs)
        if any(_decorator_name(d) in _CACHED for d in node.decorator_list):
            self.facts.cached.append(qualname)
        is_method = self.owner is not None and self.function == self.owner
        scope = Scope(self.walk, qualname, parameters, type(node) is ast.AsyncFunctionDef,
                      self.owner if is_method else None, track_self=is_method and _model_like(self.walk, self.owner))
        scope.paginated = is_method and self.paginated and node.name == "get_queryset"
        scope.statements(node.body)

    def class_definition(self, node: ast.ClassDef) -> None:
        qualname = f"{self.function or self.walk.module.name}.{node.name}"
        scope = Scope(self.walk, qualname, (), False, qualname)
        scope.paginated = _paginates(node)
        scope.statements(node.body)

    def assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        value = node.value
        targets = node.targets if type(node) is ast.Assign else [node.target]
        if value is None:
            return
        self.flow = []
        site = self.expr(value, FLOW)
        flowing, self.flow = self.flow, []
        text = self.chains.sql_text(value) if type(value) in (ast.Constant, ast.JoinedStr, ast.BinOp) else None
        for target in targets:
            if type(target) is ast.Name:
                name = target.id
                held = self.env.get(name)
                if site is not None and site.shape.kind == "select" and not site.shape.tail:
                    # `rows = list(qs)` holds the rows, no longer a query that methods could continue
                    listed = site.shape.evaluated or (type(value) is ast.Call and type(value.func) is ast.Name and value.func.id in _EVALUATING)
                    self.env[name] = ("rows", site.id) if listed else site
                elif site is None and (callee := self.returning_call(value)) is not None:
                    self.env[name] = ("call", callee)  # `rows = repo.list_open()`: maybe the rows of a query there
                elif type(value) is ast.Name and isinstance(self.env.get(value.id), tuple):
                    self.env[name] = self.env[value.id]  # `order = row`
                elif MEMO not in self.loops and not self.guards and (path := self.row_path(value)) is not None:
                    self.env[name] = path  # `item = position.item`: part of the row
                elif text is not None:
                    self.env[name] = text
                elif name in self.env and held is self.env.get(name):
                    del self.env[name]
                self.flows[name] = flowing
                if self.function is None and type(value) is ast.Call and _last(value.func)[:1].isupper():
                    self.facts.instances.append((f"{self.walk.module.name}.{name}", self.walk.names.qualify(value.func)))
                if name == "queryset" and site is not None and self.owner is not None and self.function == self.owner:
                    site.returned = True  # a class-based view's queryset: the rows it answers with
                if name in self.parameters and site is None:
                    self.parameters.discard(name)
            elif type(target) is ast.Subscript and type(target.value) is ast.Name:
                self.flows.setdefault(target.value.id, []).extend(flowing)
                self.expr(target.slice)
            else:
                self.forget(target)

    def row_path(self, value: ast.expr) -> tuple | None:
        """`position.item` (plain attributes of a row or parameter) as ("path", ref, attributes), else None."""
        chain = []
        while type(value) is ast.Attribute:
            chain.append(value.attr)
            value = value.value
        if type(value) is not ast.Name or not chain:
            return None
        ref = self.ref(value.id)
        if ref is None:
            return None
        return ("path", ref, self.prefix(value.id) + tuple(reversed(chain)))

    def forget(self, target: ast.expr) -> None:
        if type(target) is ast.Name:
            self.env.pop(target.id, None)
            self.parameters.discard(target.id)
        elif type(target) in (ast.Tuple, ast.List):
            for element in target.elts:
                self.forget(element)
        elif type(target) is ast.Starred:
            self.forget(target.value)
        elif type(target) is ast.Attribute:
            # `order.customer = c` stores: nothing is loaded, and later reads of `order.customer` find it set
            base = target.value
            ref = self.ref(base.id) if type(base) is ast.Name else None
            if ref is not None:
                self.assigned.add((ref, target.attr))
            else:
                self.expr(base)
        elif type(target) is ast.Subscript:
            self.expr(target.value)
            self.expr(target.slice)

    def for_loop(self, node: ast.For | ast.AsyncFor) -> None:
        self.expr(node.iter, EVAL)
        row = self.row_of(node.iter, node)
        if row is not None and row.call is None and type(node) is ast.AsyncFor:
            self.facts.sites[row.site].shape.awaited = True  # `async for order in Order.objects...`
        self.bind_row(node.target, node.iter, row)
        self.loops.append(row.id if row else None)
        self.statements(node.body)
        self.loops.pop()
        self.statements(node.orelse)

    def row_of(self, iterable: ast.expr, loop: ast.AST) -> Row | None:
        """The Row a loop over `iterable` walks, when it iterates a query's model rows."""
        iterable = _unwrap_rows(iterable)
        if type(iterable) is ast.Name:
            held = self.env.get(iterable.id)
            site = held if isinstance(held, Site) else self._listed(held)
        else:
            site = self.node_sites.get(id(iterable))
        if site is None:
            return self.call_row(iterable, loop)
        if site.shape.kind != "select" or site.shape.subquery:
            return None
        site.evaluated = True
        parent = site.base if site.shape.root == "relation" else None
        relation = site.shape.relation if site.shape.root == "relation" else None
        row = Row(len(self.facts.rows), site.id, self.walk.location(loop), self.function, parent, relation,
                  groups=site.shape.distinct and not site.shape.entities)
        self.facts.rows.append(row)
        return row

    def returning_call(self, value: ast.expr) -> str | None:
        """The callee of `repo.list_open(...)` (awaited or wrapped in `list(...)`), whose result may be query rows."""
        value = _unwrap_rows(value.value if type(value) is ast.Await else value)
        if type(value) is ast.Await:
            value = value.value
        if type(value) is not ast.Call or type(value.func) not in (ast.Name, ast.Attribute) or self.node_sites.get(id(value)):
            return None
        return self.walk.callee(value)

    def call_row(self, iterable: ast.expr, loop: ast.AST) -> Row | None:
        """A loop over what a call returns: a Row the context pass resolves when the callee returns a query's rows."""
        held = self.env.get(iterable.id) if type(iterable) is ast.Name else None
        callee = held[1] if isinstance(held, tuple) and held[0] == "call" else self.returning_call(iterable) if type(iterable) is not ast.Name else None
        if not isinstance(callee, str):
            return None
        row = Row(len(self.facts.rows), -1, self.walk.location(loop), self.function, call=callee)
        self.facts.rows.append(row)
        return row

    def bind_row(self, target: ast.expr, iterable: ast.expr, row: Row | None) -> None:
        """Bind the loop variable to the row, when the rows are model instances (not values or tuples)."""
        if type(target) is ast.Tuple and len(target.elts) == 2 and _is_enumerate(iterable):
            self.forget(target.elts[0])
            target = target.elts[1]
        if type(target) is ast.Name and row is not None and (row.call is not None or self.facts.sites[row.site].shape.entities):
            self.env[target.id] = ("row", row.id)
            self.parameters.discard(target.id)
        elif type(target) is ast.Name and row is None:
            self.env[target.id] = OPAQUE  # a row of something the walk cannot see: what it loaded is unknown
            self.parameters.discard(target.id)
        else:
            self.forget(target)

    # ---- expressions ---------------------------------------------------------------------------------------

    def expr(self, node: ast.expr | None, use: int = 0) -> Site | None:
        if node is None:
            return None
        kind = type(node)
        if kind is ast.Constant:
            return None
        if kind in _CHAIN:
            # A chain of plain attributes (`order.customer.name`) is never a query by itself: skip reading it as one.
            shape = self.chains.shape(node) if kind is not ast.Attribute or _has_call(node) else None
            if shape is not None:
                return self.record(node, shape, use)
            if kind is ast.Call:
                return self.call(node, use)
            if kind is ast.Attribute:
                self.attribute(node, use, called=False)
            elif kind is ast.Await:
                self.expr(node.value, use)
            else:
                self.expr(node.value, use & FLOW)
                self.expr(node.slice)
        elif kind is ast.Name:
            self.name(node.id, use)
        elif kind in _COMPREHENSIONS:
            self.comprehension(node, use)
        elif kind in (ast.List, ast.Tuple, ast.Set):
            for element in node.elts:
                self.expr(element, use & FLOW)
        elif kind is ast.Dict:
            for key, value in zip(node.keys, node.values, strict=True):
                self.expr(key)
                self.expr(value, use & FLOW)
        elif kind is ast.IfExp:
            self.expr(node.test, EVAL)
            self.expr(node.body, use)
            self.expr(node.orelse, use)
        elif kind is ast.BoolOp:
            for value in node.values:
                self.expr(value, use | EVAL)
        elif kind is ast.UnaryOp:
            self.expr(node.operand, EVAL if type(node.op) is ast.Not else 0)
        elif kind is ast.Compare:
            self.expr(node.left)
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                self.expr(comparator, EVAL if type(op) in (ast.In, ast.NotIn) else 0)
        elif kind is ast.Starred:
            self.expr(node.value, use)
        elif kind is ast.NamedExpr:
            self.expr(node.value, use)
            self.forget(node.target)
        elif kind is ast.Lambda:
            return None  # runs when called, not here
        elif kind is ast.JoinedStr:
            for value in node.values:
                if type(value) is ast.FormattedValue:
                    self.expr(value.value)
        elif kind is ast.BinOp:
            self.expr(node.left)
            self.expr(node.right)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child)
        return None

    def record(self, node: ast.expr, shape: Shape, use: int) -> Site:
        root = node
        base = self.ref(shape.base) if shape.base else None
        if base is not None and self.prefix(shape.base) and shape.relation:
            shape.relation = "__".join((*self.prefix(shape.base), shape.relation))  # `item.addons` of `item = cp.item`
        held = self.env.get(shape.origin) if shape.origin else None
        if isinstance(held, Site):
            held.continued = True
            base = held.base
        if base is not None and shape.root == "relation" and shape.relation and "__" in shape.relation:
            self.access(base, tuple(shape.relation.split("__")[:-1]), False, node)  # `position.item` is read first
        site = Site(len(self.facts.sites), shape, self.walk.location(node), self.function, len(self.loops),
                    self.is_async, self.row(), base, evaluated=shape.evaluated or bool(use & EVAL),
                    opaque=shape.root == "relation" and shape.base is not None and (self.env.get(shape.base) == OPAQUE or self._call_row(base)),
                    once=MEMO in self.loops, guard=self.guards[-1] if self.guards else None)
        self.facts.sites.append(site)
        self.node_sites[id(root)] = site
        if use & FLOW and not shape.tail:
            self.flow.append(site)
        self.chain_arguments(node)
        executed = self.node_sites.get(shape.inline) if shape.inline is not None else None
        if executed is not None:
            executed.continued = True  # the statement is described by the query that runs it
        return site

    def chain_arguments(self, node: ast.expr) -> None:
        """The arguments of every call in a query chain (filters may read a row: `filter(order=o.pk)`)."""
        while True:
            kind = type(node)
            if kind is ast.Call:
                for argument in node.args:
                    self.expr(argument)
                for keyword in node.keywords:
                    self.expr(keyword.value)
                node = node.func
            elif kind in (ast.Attribute, ast.Await):
                node = node.value
            elif kind is ast.Subscript:
                self.expr(node.slice)
                node = node.value
            else:
                if kind is not ast.Name:
                    self.expr(node)
                return

    def _call_row(self, ref: Ref | None) -> bool:
        return ref is not None and ref[0] == "row" and self.facts.rows[ref[1]].call is not None  # type: ignore[index]

    def _listed(self, held: object) -> Site | None:
        return self.facts.sites[held[1]] if isinstance(held, tuple) and held[0] == "rows" else None  # type: ignore[index]

    def name(self, name: str, use: int) -> None:
        held = self.env.get(name)
        if isinstance(held, Site) and use & EVAL:
            held.evaluated = True
        if use & FLOW:
            site = held if isinstance(held, Site) else self._listed(held)
            if site is not None:
                self.flow.append(site)
            self.flow.extend(self.flows.get(name, ()))

    def call(self, node: ast.Call, use: int) -> Site | None:
        func = node.func
        callee = self.walk.callee(node)
        many = any(k.arg == "many" for k in node.keywords)  # `OrderSerializer(orders, many=True)` reads every row
        wrapper = type(func) is ast.Name and func.id in _EVALUATING
        last = callee.rpartition(".")[2]
        # Rows reach the result through a response, a template or a container (a call by name, a class, a
        # render method), not through query-building helpers or methods that may filter or page them.
        flows = use & FLOW if last not in _NOT_FLOWING and (type(func) is ast.Name or last[:1].isupper() or last in _RESPONDING) else 0
        argument_use = (EVAL if wrapper or many else 0) | flows
        if last in ("get_object_or_404", "aget_object_or_404") and node.args:
            self.fetch_one(node)
            return None
        row = self.row()
        if row is not None and callee.startswith(OUTBOUND):
            self.facts.rows[row].effects.append(callee)
        references = []
        for position, argument in enumerate(node.args):
            ref = self.ref(argument.id) if type(argument) is ast.Name and not self.prefix(argument.id) else None
            if ref is not None:
                references.append((position, ref))
        for keyword in node.keywords:
            value = keyword.value
            ref = self.ref(value.id) if keyword.arg and type(value) is ast.Name and not self.prefix(value.id) else None
            if ref is not None:
                references.append((keyword.arg, ref))
        bound = type(func) is ast.Attribute and not (type(func.value) is ast.Name and func.value.id[:1].isupper())
        if row is not None or references:
            given = (*range(len(node.args)), *(k.arg for k in node.keywords if k.arg))
            self.facts.passings.append(Passing(callee, self.walk.location(node), self.function, row, tuple(references), bound, given))
        if type(func) is ast.Attribute:
            self.attribute(func, 0, called=True)
        else:
            self.expr(func)
        inner = None
        for position, argument in enumerate(node.args):
            site = self.expr(argument, argument_use)
            if position == 0 and ((wrapper and func.id in _ROW_WRAPPERS) or many):
                inner = site or (self.env.get(argument.id) if type(argument) is ast.Name else None)
        if many and isinstance(inner, Site):
            self.facts.serialized.append((callee, inner.id, self.walk.location(node)))
            inner = None
        for keyword in node.keywords:
            self.expr(keyword.value, argument_use if keyword.arg is None else use & FLOW)
        return inner if isinstance(inner, Site) else None

    def fetch_one(self, node: ast.Call) -> None:
        """`get_object_or_404(queryset, **lookups)`: one row fetched from the queryset with the lookups as filters."""
        first = node.args[0]
        site = self.expr(first)
        if site is None and type(first) is ast.Name and isinstance(self.env.get(first.id), Site):
            held = self.env[first.id]
            held.continued = True
            site = self.record(node, held.shape.copy(), 0)
        elif site is None and type(first) in (ast.Name, ast.Attribute) and _last(first)[:1].isupper():
            site = self.record(node, Shape("django", "table", model=self.walk.names.qualify(first)), 0)
        if site is not None:
            site.shape.kind, site.shape.limited, site.evaluated = "get", True, True
            site.shape.filters += [k.arg for k in node.keywords if k.arg]
        for keyword in node.keywords:
            self.expr(keyword.value)

    def attribute(self, node: ast.Attribute, use: int, *, called: bool) -> None:
        chain = []
        root: ast.expr = node
        while type(root) is ast.Attribute:
            chain.append(root.attr)
            root = root.value
        if type(root) is ast.Name:
            ref = self.ref(root.id)
            if ref is not None:
                chain.reverse()
                self.access(ref, self.prefix(root.id) + tuple(chain), called, node)
            elif use & FLOW:
                self.name(root.id, use)
            return
        self.expr(root, use if type(root) is ast.Call else 0)

    def access(self, ref: Ref, chain: tuple[str, ...], called: bool, node: ast.AST) -> None:
        if len(chain) > MAX_CHAIN:
            chain, called = chain[:MAX_CHAIN], False
        key = (ref, chain, called)
        if (ref[0] == "param" and key in self.accessed) or (ref, chain[0]) in self.assigned:
            return
        if ref[0] == "row" and ref[1] not in self.loops:
            return  # the last row, read once after its loop (`match = row` in the loop, `match.order` after it)
        self.accessed.add(key)
        once = ref[0] == "row" and MEMO in self.loops
        guard = self.guards[-1] if self.guards else None
        self.facts.accesses.append(Access(ref, chain, called, self.walk.location(node), self.function, once, guard))

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, use: int) -> None:
        saved = {g.target.id: self.env.get(g.target.id) for g in node.generators if type(g.target) is ast.Name}
        pushed = 0
        for index, generator in enumerate(node.generators):
            self.expr(generator.iter, EVAL | (use & FLOW if index == 0 else 0))
            row = self.row_of(generator.iter, node)
            if row is not None and row.call is None and generator.is_async:
                self.facts.sites[row.site].shape.awaited = True  # `[o async for o in Order.objects.all()]`
            self.bind_row(generator.target, generator.iter, row)
            self.loops.append(row.id if row else None)
            pushed += 1
            for condition in generator.ifs:
                self.expr(condition, EVAL)
        if type(node) is ast.DictComp:
            self.expr(node.key)
            self.expr(node.value)
        else:
            self.expr(node.elt)
        del self.loops[len(self.loops) - pushed :]
        for name, held in saved.items():
            if held is None:
                self.env.pop(name, None)
            else:
                self.env[name] = held


def _missing_parameter(test: ast.expr, parameters: frozenset[str]) -> str | None:
    """What a branch on a parameter needs from the caller: `-name` when it runs only if the caller left the
    parameter out (`if component is None:`, `if not component:`), `+name` only if it passed it (`if user_id:`),
    `name:Class` only if the value is an instance of Class (`if isinstance(obj, ProjectLanguage):`)."""
    if type(test) is ast.UnaryOp and type(test.op) is ast.Not and type(test.operand) is ast.Name:
        name, sign = test.operand.id, "-"
    elif type(test) is ast.Name:
        name, sign = test.id, "+"
    elif type(test) is ast.Compare and len(test.ops) == 1 and type(test.left) is ast.Name \
            and type(test.comparators[0]) is ast.Constant and test.comparators[0].value is None:
        name, sign = test.left.id, "-" if type(test.ops[0]) is ast.Is else "+" if type(test.ops[0]) is ast.IsNot else ""
    elif type(test) is ast.Call and _decorator_name(test) == "isinstance" and len(test.args) == 2 and type(test.args[0]) is ast.Name:
        kind = test.args[1]
        return f"{test.args[0].id}:{_last(kind)}" if type(kind) in (ast.Name, ast.Attribute) else None
    else:
        return None
    return f"{sign}{name}" if sign and name in parameters else None


def _memoizes(node: ast.If) -> bool:
    """A branch that runs once per key or group, not once per row: `if key not in cache:` whose body stores into
    `cache[...]`, or `if x.event_id != event_id:` whose body sets `event_id` (rows sorted by event)."""
    stored = {ast.dump(t.value) for s in node.body if type(s) is ast.Assign for t in s.targets if type(t) is ast.Subscript}
    assigned = {t.id for s in node.body if type(s) is ast.Assign for t in s.targets if type(t) is ast.Name}
    tests = node.test.values if type(node.test) is ast.BoolOp and type(node.test.op) is ast.Or else [node.test]
    for test in tests:
        if type(test) is ast.UnaryOp and type(test.op) is ast.Not and _decorator_name(test.operand) == "hasattr":
            return True  # `if not hasattr(obj, "_cache"): setattr(obj, "_cache", ...)`
        if type(test) is not ast.Compare or len(test.ops) != 1:
            continue
        op, sides = type(test.ops[0]), (test.left, test.comparators[0])
        if op is ast.NotIn and ast.dump(sides[1]) in stored:
            return True
        if op in (ast.NotEq, ast.IsNot) and any(type(side) is ast.Name and side.id in assigned for side in sides):
            return True
    return False


def _last(node: ast.expr) -> str:
    return node.attr if type(node) is ast.Attribute else node.id if type(node) is ast.Name else ""


def _paginates(node: ast.ClassDef) -> bool:
    """A class body that sets `paginate_by` or `pagination_class` to something other than None."""
    for statement in node.body:
        if type(statement) is ast.Assign and any(type(t) is ast.Name and t.id in ("paginate_by", "pagination_class") for t in statement.targets):
            return not (type(statement.value) is ast.Constant and statement.value.value is None)
    return False


def _has_call(node: ast.expr) -> bool:
    while type(node) is ast.Attribute:
        node = node.value
    return type(node) in (ast.Call, ast.Subscript, ast.Await)


def _unwrap_rows(node: ast.expr) -> ast.expr:
    """`enumerate(qs)`, `list(qs)`, `sorted(qs, key=...)` iterate the rows of `qs`."""
    while type(node) is ast.Call and type(node.func) is ast.Name and node.args and (
        node.func.id in _ROW_WRAPPERS or node.func.id == "enumerate"
    ):
        node = node.args[0]
    return node


def _is_enumerate(node: ast.expr) -> bool:
    return type(node) is ast.Call and type(node.func) is ast.Name and node.func.id == "enumerate"


def _decorator_name(node: ast.expr) -> str:
    node = node.func if type(node) is ast.Call else node
    return node.attr if type(node) is ast.Attribute else node.id if type(node) is ast.Name else ""


def _model_like(walk: FileWalk, owner: str | None) -> bool:
    """A class whose methods read its own relations through `self`: an ORM model (or a mixin of one)."""
    cls = next((c for c in walk.module.classes if c.qualname == owner), None)
    if cls is None:
        return False
    return any("Model" in b.rpartition(".")[2] or b.rpartition(".")[2].endswith(("Base", "Mixin")) or ".models." in b
               or b.startswith("django.db.models") for b in cls.bases)
