"""Query chains in expressions: Django querysets, SQLAlchemy queries and statements, SQL handed to a driver.

`Chains.shape(expr)` reads one expression as a query: from its root (`Order.objects`, `session.query(Order)`,
`select(Order)`, `order.items`, a variable that holds a query) through each method applied to it, and returns
the `Shape` it describes, or None when the expression is no query. Nothing is executed: a method the
reader does not know marks the shape `custom` and is otherwise passed over.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .qualify import Names
from .queries_sql import SqlFacts, looks_like_sql, read_sql

# ---- vocabulary ---------------------------------------------------------------------------------------------

DJANGO_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager", "all_objects"})
# Methods that return a new queryset without running anything.
DJANGO_BUILDERS = frozenset({
    "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "values", "values_list",
    "annotate", "alias", "distinct", "only", "defer", "using", "select_for_update", "none", "reverse", "extra",
    "union", "intersection", "difference", "dates", "datetimes", "complex_filter", "filter_by",
})
# Methods that run the query; the value is what the query returned (rows, one row, a number).
DJANGO_RUNNERS = {
    "get": "get", "first": "get", "last": "get", "earliest": "get", "latest": "get", "count": "count",
    "exists": "exists", "contains": "exists", "aggregate": "aggregate", "in_bulk": "select", "iterator": "select",
    "update": "update", "delete": "delete", "create": "insert", "get_or_create": "insert",
    "update_or_create": "insert", "bulk_create": "insert", "bulk_update": "update", "explain": "select",
}
DJANGO_ASYNC_RUNNERS = {f"a{name}": kind for name, kind in DJANGO_RUNNERS.items() if name != "explain"}
DJANGO_BOUNDED = frozenset({"get", "first", "last", "earliest", "latest", "count", "exists", "contains", "aggregate"})
# Lookups that end a Django filter path; `exact` is the default and is dropped.
DJANGO_LOOKUPS = frozenset({
    "exact", "iexact", "contains", "icontains", "in", "gt", "gte", "lt", "lte", "startswith", "istartswith",
    "endswith", "iendswith", "range", "isnull", "regex", "iregex", "date", "year", "month", "day", "week",
    "week_day", "iso_week_day", "quarter", "time", "hour", "minute", "second", "search", "unaccent", "trigram_similar",
    "overlap", "contained_by", "has_key", "has_keys", "has_any_keys", "len", "lower", "upper", "iso_year",
})

SQLALCHEMY_PACKAGES = ("sqlalchemy", "sqlmodel", "flask_sqlalchemy", "flask_sqlalchemy_lite")
SA_SELECT = frozenset({f"{p}.{f}" for p in ("sqlalchemy", "sqlmodel", "sqlalchemy.future", "sqlalchemy.sql",
                                            "sqlalchemy.sql.expression", "sqlalchemy.orm") for f in ("select",)})
SA_WRITES = {f"{p}.{f}": f for p in ("sqlalchemy", "sqlmodel", "sqlalchemy.sql", "sqlalchemy.sql.expression",
                                     "sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.mysql",
                                     "sqlalchemy.dialects.sqlite") for f in ("insert", "update", "delete")}
SA_BUILDERS = frozenset({
    "filter", "filter_by", "where", "order_by", "join", "outerjoin", "options", "group_by", "having", "distinct",
    "select_from", "with_entities", "add_columns", "add_entity", "execution_options", "correlate", "params",
    "enable_eagerloads", "populate_existing", "with_for_update", "with_only_columns", "join_from",
    "outerjoin_from", "values", "returning", "limit", "offset", "slice", "autoflush", "undefer", "union",
    "union_all", "from_statement", "with_hint", "prefix_with", "suffix_with", "set_label_style", "reduce_columns",
})
SA_QUERY_RUNNERS = {
    "all": "select", "first": "get", "one": "get", "one_or_none": "get", "scalar": "get", "count": "count",
    "get": "get", "get_or_404": "get", "first_or_404": "get", "one_or_404": "get", "paginate": "select",
    "delete": "delete", "update": "update", "yield_per": "select", "exists": "exists",
}
SA_SUBQUERY = frozenset({"subquery", "scalar_subquery", "cte", "alias", "lateral", "label", "as_scalar", "exists"})
# What results of `session.execute(...)` are read with; the ones that read one row bound the query.
SA_RESULT = frozenset({"scalars", "all", "unique", "mappings", "fetchall", "partitions", "tuples", "columns",
                       "yield_per", "fetchmany", "scalar", "first", "one", "one_or_none", "scalar_one",
                       "scalar_one_or_none", "fetchone"})
SA_RESULT_ONE = frozenset({"scalar", "first", "one", "one_or_none", "scalar_one", "scalar_one_or_none", "fetchone", "fetchmany"})
SA_EXECUTORS = frozenset({"execute", "scalars", "scalar", "stream", "stream_scalars", "exec"})
SA_LOADERS = frozenset({"joinedload", "selectinload", "subqueryload", "immediateload", "contains_eager",
                        "raiseload", "noload", "defaultload", "lazyload", "selectin_polymorphic", "load_only"})
# Loaders that leave a relation unloaded: accessing it still queries (lazyload) or is only a path (defaultload).
SA_NOT_EAGER = frozenset({"defaultload", "lazyload", "load_only", "selectin_polymorphic"})
# Related-manager methods that take no arguments, and names too common elsewhere to mean a related manager.
_NO_ARGUMENTS = frozenset({"all", "count", "exists", "first", "last", "iterator", "none", "distinct", "reverse"})
_NOT_MANAGER = frozenset({"update", "get", "values", "values_list", "extra", "explain", "union", "dates", "delete",
                          "create", "reverse", "using", "none", "contains", "iterator", "alias", "difference",
                          "intersection", "datetimes", "in_bulk", "bulk_create", "bulk_update", "earliest", "latest"})
SESSION_NAMES = frozenset({"session", "db", "db_session", "sess", "s", "dbsession", "async_session", "conn"})
SQL_EXECUTORS = frozenset({"execute", "executemany", "exec_driver_sql", "raw", "mogrify"})


@dataclass(slots=True)
class Shape:
    """A query as an expression describes it. `root` is table, relation or variable (see `Query`)."""

    orm: str
    root: str
    model: str | None = None
    base: str | None = None
    relation: str | None = None
    kind: str = "select"
    filters: list[str] = field(default_factory=list)
    order_by: list[str] = field(default_factory=list)
    joins: list[str] = field(default_factory=list)
    eager: list[str] = field(default_factory=list)
    customs: list[str] = field(default_factory=list)  # custom queryset methods applied, by name
    limited: bool = False
    offset: bool = False
    evaluated: bool = False
    awaited: bool = False
    entities: bool = True
    custom: bool = False
    statement: bool = False
    table: str | None = None
    sql: str | None = None
    columns: tuple[str, ...] = ()
    subquery: bool = False
    single: bool = True
    tail: bool = False
    origin: str | None = None  # the local name holding the query this one continues
    inline: int | None = None
    opaque_end: bool = False  # the chain ends in a custom method (`Suggestion.objects.add(...)`): maybe no query at all
    locking: bool = False
    distinct: bool = False  # `select_for_update()` / `with_for_update()`: the row is locked on purpose  # the id of a statement expression an executor runs (`session.execute(select(...))`)

    def copy(self) -> Shape:
        return replace(self, filters=list(self.filters), order_by=list(self.order_by), joins=list(self.joins),
                       eager=list(self.eager), customs=list(self.customs))


Step = tuple[str, str, ast.AST]  # ("attr" | "call" | "index" | "await", name, node)


def flatten(expr: ast.expr) -> tuple[ast.expr, list[Step]]:
    """`a.b(x).c[:3]` → (`a`, [attr b... call b, attr c, index]): the root and each step from it outwards."""
    steps: list[Step] = []
    while True:
        kind = type(expr)
        if kind is ast.Call and type(expr.func) is ast.Attribute:
            steps.append(("call", expr.func.attr, expr))
            expr = expr.func.value
        elif kind is ast.Attribute:
            steps.append(("attr", expr.attr, expr))
            expr = expr.value
        elif kind is ast.Subscript:
            steps.append(("index", "", expr))
            expr = expr.value
        elif kind is ast.Await:
            steps.append(("await", "", expr))
            expr = expr.value
        else:
            steps.reverse()
            return expr, steps


def _capitalised(node: ast.AST) -> bool:
    name = node.id if type(node) is ast.Name else node.attr if type(node) is ast.Attribute else ""
    return name[:1].isupper()


def string(node: ast.AST | None) -> str | None:
    return node.value if type(node) is ast.Constant and type(node.value) is str else None


class Chains:
    """Reads query chains in one file; `lookup(name)` gives what a local name holds (a Shape or a string)."""

    def __init__(self, names: Names, lookup: Callable[[str], object], flags: tuple[bool, bool, bool] | None = None) -> None:
        self.names = names
        self.lookup = lookup
        self.django, self.sqlalchemy, self.relations = flags or orm_flags(names)

    # ---- roots ---------------------------------------------------------------------------------------------

    def shape(self, expr: ast.expr) -> Shape | None:
        root, steps = flatten(expr)
        start, shape = self._root(root, steps)
        if shape is None:
            return None
        for kind, name, node in steps[start:]:
            if not self._apply(shape, kind, name, node):
                if not shape.evaluated:
                    return None
                shape.tail = True  # `Order.objects.get(...).customer`: the rest reads the row the query returned
                break
        return shape

    def _root(self, root: ast.expr, steps: list[Step]) -> tuple[int, Shape | None]:
        """Where the query starts in the chain, and its shape there."""
        if type(root) is ast.Name:
            held = self.lookup(root.id)
            if isinstance(held, Shape):
                shape = held.copy()
                shape.evaluated = False
                shape.origin = root.id
                return 0, shape
        if type(root) is ast.Call:
            found = self._call_root(root)
            if found is not None:
                return 0, found
        for index, (kind, name, node) in enumerate(steps):
            if kind == "call":
                found = self._method_root(root, steps, index, name, node)
                if found is not None:
                    return index + 1, found
            elif kind == "attr" and index + 1 < len(steps):
                found = self._attribute_root(root, steps, index, name)
                if found is not None:
                    return index + 1, found
        return 0, None

    def _call_root(self, call: ast.Call) -> Shape | None:
        """`select(Order)`, `insert(Order)`, `text("...")`, `RawSQL("...")` called by name."""
        name = self.names.qualify(call.func)
        if name in SA_SELECT and call.args:
            shape = Shape("sqlalchemy", "table", statement=True)
            first = call.args[0]
            shape.model = self._model(first)
            shape.single = len(call.args) == 1 and _capitalised(first) and self._is_class(first)
            shape.entities = False  # rows of `session.execute(select(...))` are tuples until `.scalars()`
            if len(call.args) == 1 and type(first) is ast.Call and self.names.qualify(first.func).endswith("func.count"):
                shape.kind = "count"
                shape.model = self._model(first.args[0]) if first.args else None
            return shape if shape.model or shape.kind == "count" else None
        if name in SA_WRITES and call.args:
            model = self._model(call.args[0])
            return Shape("sqlalchemy", "table", model=model, kind=SA_WRITES[name], statement=True) if model else None
        last = name.rpartition(".")[2]
        if last in ("text", "RawSQL") and call.args and (name.startswith(("sqlalchemy", "sqlmodel", "django")) or last == "RawSQL"):
            return self._sql_shape(call.args[0], "sqlalchemy" if last == "text" else "django", statement=True)
        return None

    def _method_root(self, root: ast.expr, steps: list[Step], index: int, name: str, call: ast.Call) -> Shape | None:
        """`session.query(Order)`, `session.get(Order, id)`, `session.execute(<statement or SQL>)`, `cursor.execute("...")`."""
        receiver = steps[index - 1][2] if index else root
        if name == "query" and call.args and self.sqlalchemy and not (index == 0 and _capitalised(root) and self._is_class(root)):
            first = call.args[0]
            model = self._model(first)
            if model is None:
                return None
            single = len(call.args) == 1 and _capitalised(first) and self._is_class(first)
            return Shape("sqlalchemy", "table", model=model, entities=single, single=single)
        if name in ("get", "aget") and len(call.args) >= 2 and self.sqlalchemy and _receiver_is_session(receiver):
            model = self._model(call.args[0])
            if model:
                return Shape("sqlalchemy", "table", model=model, kind="get", evaluated=True, limited=True, filters=["pk"])
        if name in SA_EXECUTORS and call.args:
            statement = self._statement(call.args[0])
            if statement is not None:
                statement.inline = id(call.args[0])
                statement.evaluated = True
                statement.statement = False
                statement.entities = statement.single and name in ("scalars", "stream_scalars", "exec")
                if name == "scalar":
                    statement.limited = True
                return statement
        if name in SQL_EXECUTORS and call.args:
            shape = self._sql_shape(call.args[0], "django" if name == "raw" else "sql")
            if shape is not None:
                shape.evaluated = name != "raw"
                if name == "raw" and _capitalised(receiver if type(receiver) is not ast.Attribute else receiver.value):
                    shape.model = self._model(receiver.value if type(receiver) is ast.Attribute else receiver)
                return shape
        return None

    def _attribute_root(self, root: ast.expr, steps: list[Step], index: int, name: str) -> Shape | None:
        """`Order.objects...`, `Order.query...` (Flask-SQLAlchemy), `order.items.<queryset method>(...)`."""
        before = steps[index - 1][2] if index else root
        following = steps[index + 1]
        if _capitalised(before) and type(before) in (ast.Name, ast.Attribute):
            if self.django and (name in DJANGO_MANAGERS or name.endswith("_objects") or _custom_manager(name, following)):
                return Shape("django", "table", model=self.names.qualify(before))
            if name == "query" and self.sqlalchemy and following[0] in ("attr", "call"):
                return Shape("sqlalchemy", "table", model=self.names.qualify(before))
            return None
        if following[0] != "call" or name.startswith("_") or (type(root) is ast.Name and root.id in self.names.aliases):
            return None  # `sa.func.count()`: an attribute of an imported module or class, not of a row
        method = following[1]
        call = following[2]
        if method in _NO_ARGUMENTS and (call.args or call.keywords):
            return None  # `text.count("x")`, `items.first(3)`: not a related manager
        if self.relations and (method in DJANGO_BUILDERS or method in DJANGO_RUNNERS) and method not in _NOT_MANAGER:
            # `position.item.questions.all()`: the relation path from the name it starts at, when it is a plain chain
            path = [step[1] for step in steps[: index + 1]]
            plain = type(root) is ast.Name and all(step[0] == "attr" for step in steps[:index])
            return Shape("django", "relation", base=root.id if plain else None, relation="__".join(path) if plain else name)
        return None

    def _statement(self, node: ast.expr) -> Shape | None:
        """A SQLAlchemy statement or SQL text handed to an executor, written there or held in a variable."""
        if type(node) is ast.Name:
            held = self.lookup(node.id)
            if isinstance(held, Shape) and (held.statement or held.sql):
                shape = held.copy()
                shape.origin = node.id
                return shape
            if isinstance(held, str):
                return self._sql_shape(node, "sql")
            return None
        shape = self.shape(node)
        if shape is not None and (shape.statement or shape.sql is not None):
            return shape
        return self._sql_shape(node, "sql")

    def _sql_shape(self, node: ast.expr, orm: str, *, statement: bool = False) -> Shape | None:
        text = self.sql_text(node)
        if text is None or not looks_like_sql(text):
            return None
        facts = read_sql(text)
        if facts is None:
            return Shape(orm, "table", sql=text, statement=statement, custom=True)
        return _from_sql(facts, orm, text, statement)

    def sql_text(self, node: ast.expr | None) -> str | None:
        """The text of SQL written as a literal, an f-string, `"..." % x`, `"...".format(...)` or a local constant."""
        if node is None:
            return None
        kind = type(node)
        if kind is ast.Constant:
            return node.value if type(node.value) is str else None
        if kind is ast.Name:
            held = self.lookup(node.id)
            return held if isinstance(held, str) else None
        if kind is ast.JoinedStr:
            parts = []
            for part in node.values:
                text = string(part)
                parts.append(text if text is not None else "__v__")
            return "".join(parts)
        if kind is ast.BinOp and type(node.op) in (ast.Mod, ast.Add):
            left = self.sql_text(node.left)
            if type(node.op) is ast.Add:
                right = self.sql_text(node.right)
                return left + (right if right is not None else " __v__ ") if left is not None else None
            return left
        if kind is ast.Call:
            func = node.func
            if type(func) is ast.Attribute and func.attr == "format":
                return self.sql_text(func.value)
            name = self.names.qualify(func)
            if name.rpartition(".")[2] in ("text", "SQL", "dedent") and node.args:
                return self.sql_text(node.args[0])
        return None

    # ---- steps ---------------------------------------------------------------------------------------------

    def _apply(self, shape: Shape, kind: str, name: str, node: ast.AST) -> bool:
        """Apply one step to the shape; False when the step makes the expression no longer a query."""
        if kind == "await":
            shape.awaited = True
            return True
        if kind == "index":
            self._index(shape, node)
            return True
        if kind == "attr":
            # `.objects` of a related manager already consumed; a plain attribute of a query result ends it.
            return (shape.orm == "sqlalchemy" and name in ("c", "columns")) or (not shape.evaluated and name == "objects")
        call = node
        if shape.orm == "django":
            return self._django(shape, name, call)
        if shape.orm == "sqlalchemy":
            return self._sqlalchemy(shape, name, call)
        if shape.orm == "sql":
            return name in SA_RESULT or name in ("fetchall", "fetchone", "fetchmany")
        return False

    def _index(self, shape: Shape, node: ast.Subscript) -> None:
        bound = node.slice
        if type(bound) is ast.Slice:
            if bound.upper is not None:
                shape.limited = True
            if bound.lower is not None and not (type(bound.lower) is ast.Constant and bound.lower.value in (0, None)):
                shape.offset = True
        else:
            shape.limited = True
            shape.evaluated = True
            shape.kind = "get" if shape.kind == "select" else shape.kind

    def _django(self, shape: Shape, name: str, call: ast.Call) -> bool:
        if shape.evaluated and shape.kind != "select":
            return False  # a method of the returned instance or number
        if shape.evaluated and name not in ("all",):
            return False
        if name in ("filter", "exclude", "get", "aget", "get_or_create", "aget_or_create", "update_or_create", "aupdate_or_create"):
            shape.filters += _django_filters(call, self.names)
        elif name == "order_by":
            shape.order_by += [o for o in (_django_order(a) for a in call.args) if o]
        elif name in ("select_related", "prefetch_related"):
            for argument in call.args:
                path = string(argument)
                if path is None and type(argument) is ast.Call and argument.args:
                    shape.eager += self._prefetch_object(argument)
                elif path:
                    shape.eager += _prefixes(path)
                    if name == "select_related":
                        shape.joins.append(path)
            if name == "select_related" and not call.args:
                shape.eager.append("<non-null>")
        elif name in ("values", "values_list"):
            shape.entities = False
        elif name == "select_for_update":
            shape.locking = True
        elif name == "distinct":
            shape.distinct = True
        elif name == "none":
            shape.limited = True  # no rows at all
        shape.opaque_end = False
        if name in DJANGO_BUILDERS:
            return True
        runner = DJANGO_RUNNERS.get(name) or DJANGO_ASYNC_RUNNERS.get(name)
        if runner is None:
            if name in ("acount", "aiterator") or name.startswith("as_"):
                return False
            shape.custom = True  # a custom manager or queryset method: still a query, its effect unknown
            shape.customs.append(name)
            shape.opaque_end = True
            return True
        shape.evaluated = True
        shape.awaited = shape.awaited or name in DJANGO_ASYNC_RUNNERS
        shape.kind = runner if shape.kind == "select" else shape.kind
        base = name[1:] if name in DJANGO_ASYNC_RUNNERS else name
        if base in DJANGO_BOUNDED or base in ("update", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "in_bulk"):
            shape.limited = True
        return True

    def _prefetch_object(self, prefetch: ast.Call) -> list[str]:
        """`Prefetch("variations", queryset=ItemVariation.objects.prefetch_related("channels"))` loads `variations`
        and `variations__channels`; with `to_attr` the rows land in another attribute, not the relation's cache."""
        path = string(prefetch.args[0])
        if path is None or any(k.arg == "to_attr" for k in prefetch.keywords):
            return []
        queryset = next((k.value for k in prefetch.keywords if k.arg == "queryset"), prefetch.args[1] if len(prefetch.args) > 1 else None)
        inner = self.shape(queryset) if queryset is not None else None
        nested = [f"{path}__{p}" for p in inner.eager] if inner is not None else []
        return _prefixes(path) + nested

    def _sqlalchemy(self, shape: Shape, name: str, call: ast.Call) -> bool:
        if shape.evaluated:
            if name in SA_RESULT:
                shape.limited = shape.limited or name in SA_RESULT_ONE
                if name in ("scalars", "scalar_one", "scalar_one_or_none", "scalar"):
                    shape.entities = shape.single
                elif name == "mappings":
                    shape.entities = False
                return True
            return False
        if name in ("filter", "where"):
            for argument in call.args:
                shape.filters += self._sa_condition(argument, shape)
        elif name == "filter_by":
            shape.filters += [k.arg for k in call.keywords if k.arg]
        elif name == "order_by":
            shape.order_by += [c for c in (self._sa_column(a, shape, ordering=True) for a in call.args) if c]
        elif name in ("join", "outerjoin", "join_from", "outerjoin_from"):
            for argument in call.args[:1]:
                joined = self._sa_column(argument, shape) or (self._model(argument) or "")
                if joined:
                    shape.joins.append(joined)
        elif name == "select_from" and shape.model is None and call.args:
            shape.model = self._model(call.args[0])
        elif name == "options":
            for argument in call.args:
                shape.eager += _sa_loads(argument)
        elif name in ("limit", "slice", "paginate", "first", "one", "one_or_none", "scalar", "get", "count",
                      "first_or_404", "one_or_404", "get_or_404", "exists"):
            shape.limited = True
        if name in {"offset", "slice"}:
            shape.offset = True
        if name == "with_for_update":
            shape.locking = True
        if name in SA_SUBQUERY:
            shape.subquery = True
            return True
        if name in SA_BUILDERS:
            return True
        runner = SA_QUERY_RUNNERS.get(name)
        if runner is None or shape.statement:
            shape.custom = True
            return not shape.statement or name in ("scalar_subquery",)
        shape.evaluated = True
        if shape.kind == "select":
            shape.kind = runner
        return True

    # ---- SQLAlchemy expressions ---------------------------------------------------------------------------

    def _sa_condition(self, node: ast.expr, shape: Shape) -> list[str]:
        kind = type(node)
        if kind is ast.Compare and len(node.ops) == 1:
            column = self._sa_column(node.left, shape)
            if column is None:
                return []
            op = type(node.ops[0])
            other = node.comparators[0]
            if op in (ast.Is, ast.IsNot) or (type(other) is ast.Constant and other.value is None):
                return [f"{column}__isnull"]
            suffix = {ast.Eq: "", ast.NotEq: "__ne", ast.Gt: "__gt", ast.GtE: "__gte", ast.Lt: "__lt", ast.LtE: "__lte"}.get(op)
            return [] if suffix is None else [column + suffix]
        if kind is ast.BinOp and type(node.op) in (ast.BitAnd, ast.BitOr):
            return self._sa_condition(node.left, shape) + self._sa_condition(node.right, shape)
        if kind is ast.Call:
            func = node.func
            name = self.names.qualify(func).rpartition(".")[2]
            if name in ("and_", "or_", "not_"):
                return [c for a in node.args for c in self._sa_condition(a, shape)]
            if type(func) is ast.Attribute:
                column = self._sa_column(func.value, shape)
                if column is None:
                    return []
                lookup = {"in_": "in", "between": "range", "is_": "isnull", "isnot": "isnull", "is_not": "isnull",
                          "contains": "contains", "startswith": "startswith", "endswith": "endswith",
                          "icontains": "icontains", "istartswith": "istartswith", "iendswith": "iendswith"}.get(func.attr)
                if func.attr in ("like", "ilike"):
                    pattern = self.sql_text(node.args[0]) if node.args else None
                    insensitive = "i" if func.attr == "ilike" else ""
                    if pattern is not None and pattern.startswith(("%", "_")) and not pattern.startswith("__v__"):
                        lookup = f"{insensitive}contains"
                    else:
                        lookup = f"{insensitive}startswith" if pattern is not None and not pattern.startswith("__v__") else "like"
                if lookup is not None:
                    return [f"{column}__{lookup}"]
        return []

    def _sa_column(self, node: ast.expr, shape: Shape, *, ordering: bool = False) -> str | None:
        """`Order.status` of the query's own model → `status`; `.desc()`/`desc(...)` unwrapped when ordering."""
        if ordering and type(node) is ast.Call:
            if type(node.func) is ast.Attribute and node.func.attr in ("desc", "asc", "nulls_last", "nulls_first"):
                return self._sa_column(node.func.value, shape, ordering=True)
            if self.names.qualify(node.func).rpartition(".")[2] in ("desc", "asc", "nullslast", "nullsfirst") and node.args:
                return self._sa_column(node.args[0], shape, ordering=True)
        if ordering and string(node):
            return string(node).lstrip("-")
        if type(node) is ast.Attribute and _capitalised(node.value) and not node.attr[:1].isupper():
            model = self.names.qualify(node.value)
            if shape.model is None or model == shape.model:
                return node.attr
        return None

    def _model(self, node: ast.expr) -> str | None:
        """The model class a query names: `Order`, `models.Order`, `Order.id` (a column of Order)."""
        if type(node) in (ast.Name, ast.Attribute) and _capitalised(node):
            return self.names.qualify(node)
        if type(node) is ast.Attribute and _capitalised(node.value):
            return self.names.qualify(node.value)
        return None

    def _is_class(self, node: ast.AST) -> bool:
        return type(node) is ast.Name or (type(node) is ast.Attribute and not _capitalised(node.value))


_MANAGER_METHODS = frozenset({"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
                              "values", "values_list", "only", "defer", "distinct", "using", "first", "last", "exists",
                              "iterator", "aggregate", "in_bulk", "none"})


def _custom_manager(name: str, following: Step) -> bool:
    """`OrderPosition.all.filter(...)`: a manager under another name, followed by a queryset method."""
    if not name.islower() or following[0] != "call" or following[1] not in _MANAGER_METHODS:
        return False
    call = following[2]
    return following[1] not in _NO_ARGUMENTS or not (call.args or call.keywords)


def orm_flags(names: Names) -> tuple[bool, bool, bool]:
    """Which ORMs a file may use: (Django, SQLAlchemy, Django relations). A file importing neither may use Django
    models it imports (`Order.objects`); `row.items.all()` is read as a related manager only in a file that
    imports Django or a `models` module, not in one whose `path.parent.exists()` has nothing to do with a database."""
    sqlalchemy = names.imports_any(*SQLALCHEMY_PACKAGES)
    django = names.imports_any("django")
    relations = django or any("models" in target.split(".") for target in names.aliases.values())
    return django or not sqlalchemy, sqlalchemy, relations


def _receiver_is_session(node: ast.AST) -> bool:
    name = node.id if type(node) is ast.Name else node.attr if type(node) is ast.Attribute else ""
    return name.lower() in SESSION_NAMES or "session" in name.lower()


def _prefixes(path: str) -> list[str]:
    """`a__b__c` → [`a`, `a__b`, `a__b__c`]: loading a path loads every relation on it."""
    parts = path.split("__")
    return ["__".join(parts[: i + 1]) for i in range(len(parts))]


def _django_filters(call: ast.Call, names: Names) -> list[str]:
    """Lookups of `filter(...)`; `?` stands for conditions the reader cannot see (`filter(q)`, `**lookups`)."""
    found = [_django_lookup(k.arg) if k.arg else "?" for k in call.keywords]
    for argument in call.args:
        lookups = _q_lookups(argument, names)
        found += lookups or ["?"]
    return found


def _q_lookups(node: ast.expr, names: Names) -> list[str]:
    kind = type(node)
    if kind is ast.BinOp:
        return _q_lookups(node.left, names) + _q_lookups(node.right, names)
    if kind is ast.UnaryOp:
        return _q_lookups(node.operand, names)
    if kind is ast.Call and names.qualify(node.func).rpartition(".")[2] == "Q":
        return [_django_lookup(k.arg) if k.arg else "?" for k in node.keywords] + [c for a in node.args for c in _q_lookups(a, names) or ["?"]]
    return []


def _django_lookup(name: str) -> str:
    """`status__exact` → `status`; keeps other lookups and paths through relations as written."""
    return name.removesuffix("__exact")


def _django_order(node: ast.expr) -> str | None:
    text = string(node)
    if text is not None:
        return text.lstrip("-") if text != "?" else None
    if type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr in ("desc", "asc"):
        inner = node.func.value
        if type(inner) is ast.Call and inner.args:
            return string(inner.args[0])
    return None


def _sa_loads(node: ast.expr) -> list[str]:
    """`selectinload(User.orders).joinedload(Order.items)` → [`orders`, `orders__items`]."""
    root, steps = flatten(node)
    calls: list[tuple[str, ast.Call]] = []
    if type(root) is ast.Call:
        func = root.func
        calls.append((func.id if type(func) is ast.Name else func.attr if type(func) is ast.Attribute else "", root))
    calls += [(name, step) for kind, name, step in steps if kind == "call"]  # type: ignore[misc]
    loads, path = [], []
    for name, call in calls:
        if name not in SA_LOADERS and name != "Load":
            continue
        for argument in call.args:
            attribute = argument.attr if type(argument) is ast.Attribute else string(argument)
            if attribute == "*":
                loads.append("*")
            elif attribute and name != "Load":
                path.append(attribute)
                if name not in SA_NOT_EAGER:
                    loads.append("__".join(path))
    return loads


def _from_sql(facts: SqlFacts, orm: str, text: str, statement: bool) -> Shape:
    return Shape(
        orm, "table", kind=facts.kind, table=facts.table, filters=list(facts.filters), order_by=list(facts.order_by),
        joins=list(facts.joins), limited=facts.limited, offset=facts.offset, sql=text, columns=facts.columns,
        statement=statement, entities=False, custom=facts.table is None,
    )
