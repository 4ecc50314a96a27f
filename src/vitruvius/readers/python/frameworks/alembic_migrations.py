"""Alembic revision files → `Migration`s in revision order, and the tables they build (origin "migration").

`upgrade()` is read, never run: its `op.*` calls are collected by walking the body as Python would, with
module constants, local assignments, `for` loops over known lists, calls of the file's own helper functions
and `with op.batch_alter_table(...)` contexts followed statically. Branches whose condition cannot be decided
are both read, their operations marked `conditional`; a test on the dialect keeps the PostgreSQL branch.
Each operation becomes the `SchemaChange`s the SQL reader gives for the same DDL (same kinds and options),
so migration-safety rules judge SQL files and Alembic alike; `op.execute("...")` goes through the SQL reader.

Alembic runs a migration in a transaction; operations inside `op.get_context().autocommit_block()` run
outside it and carry the option `in_transaction` = "false". The tables are the changes applied in revision
order (down_revision links; merges and branches are ordered topologically).
"""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from ....model import Location, Migration, Module, Note, Table
from ...sql.schema import Schema
from . import Contribution, Extractor, Names
from .alembic_operations import OperationReader
from .classes import ClassFacts, ClassIndex, class_facts
from .migration_graph import dependency_order
from .sqlalchemy_types import TypeDecorators
from .values import Call, Freezer, Value, module_scope

# Bound on statically unrolled loop iterations and inlined helper calls: enough for real migrations,
# small enough that a pathological file cannot make the reader spin.
_MAX_ITERATIONS = 500
_MAX_INLINE_DEPTH = 4
_OTHER_DIALECTS = ("sqlite", "mysql", "mariadb", "mssql", "oracle")
# Methods of a result (`conn.execute(...).fetchall()`): reading rows, not another statement.
_RESULT_METHODS = frozenset(
    {
        "fetchall",
        "fetchone",
        "fetchmany",
        "all",
        "first",
        "one",
        "one_or_none",
        "scalar",
        "scalars",
        "scalar_one",
        "scalar_one_or_none",
        "mappings",
        "keys",
        "close",
    }
)


@dataclass(frozen=True)
class Batch:
    """The value of `batch_op` in `with op.batch_alter_table("t") as batch_op`."""

    table: str
    schema: str | None


@dataclass(frozen=True)
class Bind:
    """The value of `conn` in `conn = op.get_bind()`: its `execute(...)` calls are operations too."""


@dataclass(frozen=True)
class Operation:
    """One `op.*` (or `batch_op.*`) call of `upgrade()`, with the context it ran in."""

    call: Call
    batch: Batch | None = None
    outside_transaction: bool = False
    conditional: bool = False


@dataclass(frozen=True)
class AlembicFile:
    revision: str | None
    parents: tuple[str, ...]
    operations: tuple[Operation, ...]
    type_decorators: tuple[ClassFacts, ...]


def _wants(module: Module) -> bool:
    if module.kind == "test":
        return False
    imported = {i.target.split(".")[0] for i in module.imports}
    return "alembic" in imported or "sqlalchemy" in imported


def _extract(tree: ast.Module, module: Module, names: Names) -> AlembicFile | None:
    freezer = Freezer(names)
    decorators = tuple(
        class_facts(node, f"{module.name}.{node.name}", freezer)
        for node in tree.body
        if isinstance(node, ast.ClassDef) and _assigns(node, "impl")
    )
    upgrade = next(
        (n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "upgrade"), None
    )
    scope = module_scope(tree, freezer) if upgrade is not None else {}
    revision = scope.get("revision")
    if upgrade is None or not isinstance(revision, str) or not names.imports_any("alembic"):
        return AlembicFile(None, (), (), decorators) if decorators else None
    helpers = {
        n.name: n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name not in ("upgrade", "downgrade")
    }
    walker = _Walker(freezer, helpers)
    walker.run(upgrade.body, _Context())
    parents = _revisions(scope.get("down_revision")) + _revisions(scope.get("depends_on"))
    return AlembicFile(revision, parents, tuple(walker.operations), decorators)


def _assigns(node: ast.ClassDef, name: str) -> bool:
    return any(
        isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in s.targets)
        for s in node.body
    )


def _revisions(value: Value) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple):
        return tuple(v for v in value if isinstance(v, str))
    return ()


@dataclass(frozen=True)
class _Context:
    batch: Batch | None = None
    outside_transaction: bool = False
    conditional: bool = False
    depth: int = 0
    branch: bool = False  # inside an `if` or a loop: a `return` there ends only that branch


class _Return(Exception):  # noqa: N818 - control flow, not an error
    """An unconditional `return`: the rest of the function does not run."""


@dataclass
class _Walker:
    """Walks `upgrade()` statement by statement, collecting operations."""

    freezer: Freezer
    helpers: dict[str, ast.FunctionDef]
    operations: list[Operation] = field(default_factory=list)

    def run(self, body: Sequence[ast.stmt], context: _Context) -> None:
        """Walk a function body (upgrade() or an inlined helper) up to its return."""
        with contextlib.suppress(_Return):
            self.block(body, context)

    def block(self, statements: Sequence[ast.stmt], context: _Context) -> None:
        for statement in statements:
            if isinstance(statement, ast.Return):
                if statement.value is not None:
                    self.expression(statement.value, context)
                if context.branch:
                    return  # `if column_exists(...): return` skips the rest of this branch only
                raise _Return
            self.statement(statement, context)

    def statement(self, node: ast.stmt, context: _Context) -> None:
        if isinstance(node, ast.Expr):
            self.expression(node.value, context)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            self.assign(node, context)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            self.with_(node, context)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.for_(node, context)
        elif isinstance(node, ast.If):
            self.if_(node, context)
        elif isinstance(node, ast.Try):
            self.block(node.body, context)
            self.block(node.finalbody, context)

    def expression(self, node: ast.expr, context: _Context) -> None:
        """Every operation the expression runs, in evaluation order: `x = op.create_table(...) if new else
        sa.table(...)` runs one (a conditional one), `conn.execute(...).fetchall()` runs `execute`."""
        for call, conditional in _calls_in(node, False):
            here = _replace(context, conditional=True) if conditional else context
            target = self.operation_target(call.func)
            if isinstance(call.func, ast.Attribute) and call.func.attr in _RESULT_METHODS:
                continue
            if target == "op":
                self.record(call, here)
            elif isinstance(target, Batch):
                self.record(call, _replace(here, batch=target))
            elif isinstance(call.func, ast.Name) and call.func.id in self.helpers:
                self.inline(self.helpers[call.func.id], call, here)

    def operation_target(self, func: ast.expr) -> str | Batch | None:
        """ "op" for `op.X(...)` and `op.get_bind().execute(...)`, the batch for `batch_op.X(...)`."""
        if not isinstance(func, ast.Attribute):
            return None
        root = func.value
        while isinstance(root, (ast.Attribute, ast.Call)):
            root = root.func if isinstance(root, ast.Call) else root.value
        if not isinstance(root, ast.Name):
            return None
        bound = self.freezer.scope.get(root.id)
        if isinstance(bound, Batch):
            return bound
        qualified = self.freezer.names.qualify(root)
        if qualified in ("alembic.op", "op") or isinstance(bound, Bind):
            return "op"
        return None

    def record(self, node: ast.Call, context: _Context) -> None:
        call = self.freezer.freeze(node)
        if isinstance(call, Call):
            self.operations.append(Operation(call, context.batch, context.outside_transaction, context.conditional))

    def inline(self, function: ast.FunctionDef, node: ast.Call, context: _Context) -> None:
        """A call of the migration's own helper: walk its body with its parameters bound."""
        if context.depth >= _MAX_INLINE_DEPTH:
            return
        saved = dict(self.freezer.scope)
        parameters = [a.arg for a in function.args.posonlyargs + function.args.args]
        defaults = function.args.defaults
        for name, default in zip(parameters[len(parameters) - len(defaults) :], defaults, strict=True):
            self.freezer.scope[name] = self.freezer.freeze(default)
        for name, argument in zip(parameters, node.args, strict=False):
            self.freezer.scope[name] = self.freezer.freeze(argument)
        for keyword in node.keywords:
            if keyword.arg:
                self.freezer.scope[keyword.arg] = self.freezer.freeze(keyword.value)
        try:
            self.run(function.body, _replace(context, depth=context.depth + 1, branch=False))
        finally:
            self.freezer.scope = saved

    def assign(self, node: ast.Assign | ast.AnnAssign, context: _Context) -> None:
        value = node.value
        if value is None:
            return
        self.expression(value, context)
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        frozen = Bind() if self._is_bind(value) else self.freezer.freeze(value)
        for target in targets:
            self.bind(target, frozen)

    def _is_bind(self, value: ast.expr) -> bool:
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "get_bind"

    def bind(self, target: ast.expr, value: Value) -> None:
        if isinstance(target, ast.Name):
            self.freezer.scope[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = (
                value if isinstance(value, tuple) and len(value) == len(target.elts) else (None,) * len(target.elts)
            )
            for element, item in zip(target.elts, values, strict=True):
                self.bind(element, item)

    def with_(self, node: ast.With | ast.AsyncWith, context: _Context) -> None:
        inner = context
        for item in node.items:
            expression = item.context_expr
            if not isinstance(expression, ast.Call) or not isinstance(expression.func, ast.Attribute):
                continue
            if expression.func.attr == "batch_alter_table":
                call = self.freezer.freeze(expression)
                table = call.get("table_name", 0) if isinstance(call, Call) else None
                schema = call.get("schema") if isinstance(call, Call) else None
                if isinstance(table, str) and item.optional_vars is not None:
                    self.bind(item.optional_vars, Batch(table, schema if isinstance(schema, str) else None))
            elif expression.func.attr == "autocommit_block":
                inner = _replace(inner, outside_transaction=True)
        self.block(node.body, inner)

    def for_(self, node: ast.For | ast.AsyncFor, context: _Context) -> None:
        """A loop over a known list runs once per item; over anything else, its body is read once, with the
        loop variable unknown and the operations conditional."""
        items = _items(self.freezer.freeze(node.iter))
        if items is not None and len(items) <= _MAX_ITERATIONS:
            for item in items:
                self.bind(node.target, item)
                self.block(node.body, _replace(context, branch=True))
            return
        self.bind(node.target, None)
        self.block(node.body, _replace(context, conditional=True, branch=True))

    def if_(self, node: ast.If, context: _Context) -> None:
        branch = _dialect_branch(node.test)
        if branch == "body":
            self.block(node.body, context)
        elif branch == "else":
            self.block(node.orelse, context)
        else:
            undecided = _replace(context, conditional=True, branch=True)
            self.block(node.body, undecided)
            self.block(node.orelse, undecided)


def _calls_in(node: ast.AST, conditional: bool) -> Iterator[tuple[ast.Call, bool]]:
    """The calls of an expression, arguments before the call that takes them; those in only one branch
    of a conditional expression are conditional. A lambda's body does not run here."""
    if isinstance(node, ast.Lambda):
        return
    if isinstance(node, ast.IfExp):
        yield from _calls_in(node.test, conditional)
        yield from _calls_in(node.body, True)
        yield from _calls_in(node.orelse, True)
        return
    for child in ast.iter_child_nodes(node):
        yield from _calls_in(child, conditional)
    if isinstance(node, ast.Call):
        yield node, conditional


def _items(iterable: Value) -> tuple[Value, ...] | None:
    """The items a loop runs over, when the reader knows them: a list, or `reversed`/`sorted`/`enumerate` of one."""
    if isinstance(iterable, tuple):
        return iterable
    if not (isinstance(iterable, Call) and iterable.args and isinstance(iterable.args[0], tuple)):
        return None
    inner = iterable.args[0]
    if iterable.last == "reversed":
        return tuple(reversed(inner))
    if iterable.last == "enumerate":
        return tuple(enumerate(inner))
    return inner if iterable.last in ("sorted", "list", "tuple") else None


def _replace(context: _Context, **changes: object) -> _Context:
    return replace(context, **changes)  # type: ignore[arg-type]


def _dialect_branch(test: ast.expr) -> str | None:
    """For `if dialect == "sqlite":`-style tests, the branch PostgreSQL takes; None for other tests."""
    text = ast.unparse(test).lower()
    negated = " != " in text or " not in " in text or text.startswith("not ")
    if "postgres" in text:
        return "else" if negated else "body"
    if any(d in text for d in _OTHER_DIALECTS) and (
        "dialect" in text or "bind" in text or "==" in text or "!=" in text
    ):
        return "body" if negated else "else"
    return None


def _link(facts: Sequence[tuple[Module, object]], modules: Sequence[Module]) -> Contribution:
    files = [(m, f) for m, f in facts if isinstance(f, AlembicFile)]
    classes = [(m.path, c) for m, f in files for c in f.type_decorators]
    types = TypeDecorators(ClassIndex(classes, {m.name: m for m in modules}))
    revisions = {f.revision: (m, f) for m, f in sorted(files, key=lambda p: p[0].path) if f.revision}
    if not revisions:
        return Contribution()
    order = dependency_order(
        {r: f.parents for r, (_, f) in revisions.items()}, {r: (m.path,) for r, (m, _) in revisions.items()}
    )
    schema = Schema()
    migrations: list[Migration] = []
    notes: list[Note] = []
    for position, revision in enumerate(order):
        module, file = revisions[revision]
        reader = OperationReader(module.path, types)
        effects = [e for operation in file.operations for e in reader.effects(operation)]
        schema.apply_all(effects)
        notes.extend(reader.notes)
        migrations.append(
            Migration(
                id=revision,
                path=module.path,
                location=Location(module.path, 1),
                framework="alembic",
                order=position,
                parents=file.parents,
                atomic=True,
                changes=tuple(e.change for e in effects),
            )
        )
    tables = [_as_migration_table(t) for t in schema.tables("migration")]
    return Contribution(tables=tables, migrations=migrations, notes=notes)


def _as_migration_table(table: Table) -> Table:
    return replace(table, framework="alembic")


EXTRACTOR = Extractor("alembic", _wants, _extract, _link, markers=("from alembic", "import alembic"))
