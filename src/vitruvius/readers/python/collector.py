"""One pass over a module's syntax tree: scopes and bindings, imports, definitions, call sites, strings.

The pass records what it meets with the context it meets it in (enclosing function, loop depth, scope);
names are qualified afterwards (see `scopes`), when every binding of the module is known.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ...model import Import, StringBinding
from .names import absolute_module
from .scopes import UNKNOWN, Binding, Scope, ScopeKind, bind, bind_attribute, looks_like_class
from .source import node_location

_WithValue = ast.Expr | ast.Return | ast.Await | ast.Starred | ast.FormattedValue | ast.Yield | ast.YieldFrom

# Nodes that hold nothing the pass records: leaves, and the singleton operator and context nodes.
_OPERATORS = (ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
_SKIPPED: frozenset[type] = frozenset({
    ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.Load, ast.Store, ast.Del,
    *(cls for cls in vars(ast).values() if isinstance(cls, type) and issubclass(cls, _OPERATORS)),
})


@dataclass(slots=True)
class CallSite:
    node: ast.Call
    scope: Scope
    function: str | None
    loop_depth: int
    in_async: bool


@dataclass(slots=True)
class FunctionDefinition:
    """A function met in the pass; `scope` is where its decorators are evaluated."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    qualname: str
    scope: Scope
    class_name: str | None


@dataclass(slots=True)
class ClassDefinition:
    """A class met in the pass; `scope` is where its bases and decorators are evaluated."""

    node: ast.ClassDef
    qualname: str
    scope: Scope


class Collector:
    """Walks one module. Context lives in attributes that each nested construct saves and restores."""

    def __init__(self, path: str, module: str, is_package: bool) -> None:
        self.path = path
        self.module = module
        self.is_package = is_package
        self.imports: list[Import] = []
        self.functions: list[FunctionDefinition] = []
        self.classes: list[ClassDefinition] = []
        self.calls: list[CallSite] = []
        self.strings: list[StringBinding] = []
        self.has_main_guard = False
        self._scope = Scope("module", module)
        self._scopes = [self._scope]
        self._function: str | None = None
        self._loop_depth = 0
        self._in_async = False
        self._deferred = False

    def run(self, tree: ast.Module) -> None:
        for statement in tree.body:
            if type(statement) is ast.If and _is_main_guard(statement.test):
                self.has_main_guard = True
            self._visit(statement)

    def release(self) -> None:
        """Empty the scopes once names are resolved. Bindings refer to their scopes, so scopes form
        reference cycles that would keep the syntax tree alive until the cyclic collector runs."""
        for scope in self._scopes:
            scope.bindings.clear()
            scope.instance_attributes.clear()

    def _new_scope(self, kind: ScopeKind, qualname: str, parent: Scope) -> Scope:
        scope = Scope(kind, qualname, parent)
        self._scopes.append(scope)
        return scope

    # ---- traversal -------------------------------------------------------------------------------------

    def _visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind in _SKIPPED:
            return
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, node)
        else:
            self._children(node)

    def _visit_all(self, nodes: Iterable[ast.AST | None]) -> None:
        visit = self._visit
        for node in nodes:
            if node is not None and type(node) not in _SKIPPED:
                visit(node)

    def _children(self, node: ast.AST) -> None:
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                self._visit_all(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                self._visit(value)

    # ---- expressions -----------------------------------------------------------------------------------

    def _call(self, node: ast.Call) -> None:
        # A method chain nests each call in the callee of the next: walk it as a loop, not recursively.
        while True:
            self.calls.append(CallSite(node, self._scope, self._function, self._loop_depth, self._in_async))
            self._visit_all(node.args)
            for keyword in node.keywords:
                text = string_value(keyword.value)
                if keyword.arg is not None and text is not None:
                    self._string(keyword.arg, text, keyword.value, self._function)
                else:
                    self._visit(keyword.value)
            callee = _strip_attributes(node.func)
            if type(callee) is not ast.Call:
                self._visit(callee)
                return
            node = callee

    def _attribute(self, node: ast.Attribute) -> None:
        self._visit(_strip_attributes(node))

    def _value(self, node: _WithValue) -> None:
        if node.value is not None:
            self._visit(node.value)

    def _elements(self, node: ast.Tuple | ast.List | ast.Set) -> None:
        self._visit_all(node.elts)

    def _joined_string(self, node: ast.JoinedStr) -> None:
        self._visit_all(node.values)

    def _boolean_operation(self, node: ast.BoolOp) -> None:
        self._visit_all(node.values)

    def _compare(self, node: ast.Compare) -> None:
        self._visit(node.left)
        self._visit_all(node.comparators)

    def _unary_operation(self, node: ast.UnaryOp) -> None:
        self._visit(node.operand)

    def _if_expression(self, node: ast.IfExp) -> None:
        self._visit(node.test)
        self._visit(node.body)
        self._visit(node.orelse)

    def _subscript(self, node: ast.Subscript) -> None:
        self._visit(node.value)
        self._visit(node.slice)

    def _binary_operation(self, node: ast.BinOp) -> None:
        # Long `a + b + c ...` chains nest as deep as they are long: walk their left spine without recursion.
        right_operands = []
        left: ast.expr = node
        while type(left) is ast.BinOp:
            right_operands.append(left.right)
            left = left.left
        self._visit(left)
        self._visit_all(reversed(right_operands))

    def _dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            name, text = string_value(key), string_value(value)
            if name is not None and text is not None:
                self._string(name, text, value, self._function)
                continue
            if key is not None:
                self._visit(key)
            self._visit(value)

    def _named_expression(self, node: ast.NamedExpr) -> None:
        self._visit(node.value)
        # `:=` in a comprehension binds in the function around it (PEP 572).
        target_scope = self._scope
        while target_scope.kind == "comprehension" and target_scope.parent is not None:
            target_scope = target_scope.parent
        bind(target_scope, node.target.id, self._binding_for(node.target.id, node.value))

    def _lambda(self, node: ast.Lambda) -> None:
        self._visit_all(node.args.defaults)
        self._visit_all(node.args.kw_defaults)
        scope = self._new_scope("function", self._scope.qualname, self._scope)
        for argument in _all_arguments(node.args):
            bind(scope, argument.arg, UNKNOWN)
        # A lambda's body runs when it is called, typically handed to an executor (`run_in_executor(None,
        # lambda: requests.get(url))`): its calls are not made in the enclosing `async def`.
        outer, self._scope = self._scope, scope
        in_async, self._in_async = self._in_async, False
        self._visit(node.body)
        self._scope, self._in_async = outer, in_async

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        # The first iterable is evaluated once, in the enclosing scope; everything else runs per item.
        generators = node.generators
        self._visit(generators[0].iter)
        outer_scope, outer_depth = self._scope, self._loop_depth
        self._scope = self._new_scope("comprehension", outer_scope.qualname, outer_scope)
        for index, generator in enumerate(generators):
            self._loop_depth = outer_depth + index
            if index:
                self._visit(generator.iter)
            self._loop_depth = outer_depth + index + 1
            self._bind_target(generator.target, None)
            self._visit_all(generator.ifs)
        if isinstance(node, ast.DictComp):
            self._visit(node.key)
            self._visit(node.value)
        else:
            self._visit(node.elt)
        self._scope, self._loop_depth = outer_scope, outer_depth

    # ---- statements ------------------------------------------------------------------------------------

    def _assign(self, node: ast.Assign) -> None:
        value = node.value
        self._visit(value)
        for target in node.targets:
            self._bind_target(target, value)
        text = string_value(value)
        if text is not None:
            for target in node.targets:
                self._string_target(target, text, value)

    def _annotated_assign(self, node: ast.AnnAssign) -> None:
        self._visit(node.annotation)
        if node.value is not None:
            self._visit(node.value)
            text = string_value(node.value)
            if text is not None:
                self._string_target(node.target, text, node.value)
        annotated_type = _annotated_type(node.annotation)
        if annotated_type is not None:
            self._bind_target(node.target, None, Binding("instance", expr=annotated_type, scope=self._scope))
        else:
            self._bind_target(node.target, node.value)

    def _augmented_assign(self, node: ast.AugAssign) -> None:
        self._visit(node.value)
        self._bind_target(node.target, None)

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        self._visit(node.iter)
        self._bind_target(node.target, None)
        self._loop_depth += 1
        self._visit_all(node.body)
        self._loop_depth -= 1
        self._visit_all(node.orelse)

    def _while(self, node: ast.While) -> None:
        # The condition is evaluated before every iteration, so it counts as inside the loop.
        self._loop_depth += 1
        self._visit(node.test)
        self._visit_all(node.body)
        self._loop_depth -= 1
        self._visit_all(node.orelse)

    def _if(self, node: ast.If) -> None:
        self._visit(node.test)
        if _is_type_checking(node.test):
            deferred, self._deferred = self._deferred, True
            self._visit_all(node.body)
            self._deferred = deferred
        else:
            self._visit_all(node.body)
        self._visit_all(node.orelse)

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self._visit(item.context_expr)
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, item.context_expr)
        self._visit_all(node.body)

    def _except_handler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self._visit(node.type)
        if node.name:
            bind(self._scope, node.name, UNKNOWN)
        self._visit_all(node.body)

    def _match_capture(self, node: ast.MatchAs | ast.MatchStar) -> None:
        if node.name:
            bind(self._scope, node.name, UNKNOWN)
        self._children(node)

    def _match_mapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            bind(self._scope, node.rest, UNKNOWN)
        self._children(node)

    def _global(self, node: ast.Global) -> None:
        self._scope.global_names.update(node.names)

    def _nonlocal(self, node: ast.Nonlocal) -> None:
        self._scope.nonlocal_names.update(node.names)

    def _import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self._add_import(alias.name, alias.asname, alias, alias.name)
            else:
                # `import a.b.c` binds `a`, the top package, and records the whole module imported.
                top = alias.name.partition(".")[0]
                self._add_import(alias.name, top, alias, top)

    def _import_from(self, node: ast.ImportFrom) -> None:
        base = absolute_module(self.module, self.is_package, node.level, node.module)
        for alias in node.names:
            if alias.name == "*":
                self._add_import(base, "*", alias, None)
                continue
            target = f"{base}.{alias.name}" if base and not base.endswith(".") else base + alias.name
            local = alias.asname or alias.name
            self._add_import(target, local, alias, target)

    def _add_import(self, target: str, local: str, node: ast.alias, bound_to: str | None) -> None:
        self.imports.append(Import(target, local, node_location(self.path, node), deferred=self._deferred))
        if bound_to is not None:
            bind(self._scope, local, Binding("imported", target=bound_to))

    def _function_definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer = self._scope
        qualname = f"{outer.qualname}.{node.name}"
        arguments = node.args
        self._visit_all(node.decorator_list)
        self._visit_all(arguments.defaults)
        self._visit_all(arguments.kw_defaults)
        self._visit_all(argument.annotation for argument in _all_arguments(arguments))
        if node.returns is not None:
            self._visit(node.returns)
        self._parameter_strings(arguments, qualname)
        bind(outer, node.name, Binding("defined", target=qualname))
        is_method = outer.kind == "class"
        class_name = outer.qualname.rpartition(".")[2] if is_method else None
        self.functions.append(FunctionDefinition(node, qualname, outer, class_name))
        scope = self._new_scope("function", qualname, outer)
        self._bind_parameters(scope, node, is_method)
        saved = (self._scope, self._function, self._loop_depth, self._in_async, self._deferred)
        self._scope, self._function, self._loop_depth = scope, qualname, 0
        self._in_async, self._deferred = type(node) is ast.AsyncFunctionDef, True
        self._visit_all(node.body)
        self._scope, self._function, self._loop_depth, self._in_async, self._deferred = saved

    def _bind_parameters(self, scope: Scope, node: ast.FunctionDef | ast.AsyncFunctionDef, is_method: bool) -> None:
        parameters = _all_arguments(node.args)
        positional = node.args.posonlyargs + node.args.args
        if is_method and positional and not _is_static(node):
            scope.self_name = positional[0].arg
            scope.owner_class = scope.parent
            bind(scope, positional[0].arg, Binding("self", scope=scope.parent))
        for parameter in parameters:
            annotated_type = _annotated_type(parameter.annotation)
            instance = None if annotated_type is None else Binding("instance", expr=annotated_type, scope=scope.parent)
            bind(scope, parameter.arg, instance or UNKNOWN)

    def _parameter_strings(self, arguments: ast.arguments, qualname: str) -> None:
        positional = arguments.posonlyargs + arguments.args
        pairs: list[tuple[ast.arg, ast.expr | None]] = []
        pairs += zip(positional[len(positional) - len(arguments.defaults) :], arguments.defaults, strict=True)
        pairs += zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
        for parameter, default in pairs:
            text = string_value(default)
            if text is not None and default is not None:
                self._string(parameter.arg, text, default, qualname)

    def _class_definition(self, node: ast.ClassDef) -> None:
        outer = self._scope
        qualname = f"{outer.qualname}.{node.name}"
        self._visit_all(node.decorator_list)
        self._visit_all(node.bases)
        self._visit_all(keyword.value for keyword in node.keywords)
        bind(outer, node.name, Binding("defined", target=qualname))
        self.classes.append(ClassDefinition(node, qualname, outer))
        self._scope = self._new_scope("class", qualname, outer)
        self._visit_all(node.body)
        self._scope = outer

    # ---- bindings --------------------------------------------------------------------------------------

    def _bind_target(self, target: ast.expr, value: ast.expr | None, binding: Binding | None = None) -> None:
        """Bind the names an assignment target stores to; visit the expressions a target evaluates."""
        if type(target) is ast.Name:
            bind(self._scope, target.id, binding or self._binding_for(target.id, value))
        elif type(target) is ast.Attribute:
            self._visit(target.value)
            self._bind_instance_attribute(target, binding or self._binding_for(target.attr, value))
        elif type(target) is ast.Subscript:
            self._visit(target.value)
            self._visit(target.slice)
        elif type(target) is ast.Starred:
            self._bind_target(target.value, None)
        elif type(target) is ast.Tuple or type(target) is ast.List:
            for element in target.elts:
                self._bind_target(element, None)

    def _bind_instance_attribute(self, target: ast.Attribute, binding: Binding) -> None:
        scope = self._scope
        owner = target.value
        if scope.owner_class is not None and type(owner) is ast.Name and owner.id == scope.self_name:
            bind_attribute(scope.owner_class, target.attr, binding)

    def _binding_for(self, name: str, value: ast.expr | None) -> Binding:
        """What assigning `value` to `name` tells about it: an instance of a class, an alias, or nothing.

        A value naming the bound name itself (`node = node.parent`) would be a cycle: it is not tracked.
        """
        if type(value) is ast.Call:
            callee = value.func
            if _head_name(callee) != name and looks_like_class(_last_name(callee)):
                return Binding("instance", expr=callee, scope=self._scope)
        elif (type(value) is ast.Name or type(value) is ast.Attribute) and _head_name(value) != name:
            return Binding("alias", expr=value, scope=self._scope)
        return UNKNOWN

    # ---- strings ---------------------------------------------------------------------------------------

    def _string_target(self, target: ast.expr, text: str, value: ast.expr) -> None:
        """`NAME = "..."`, `obj.name = "..."`, `config["name"] = "..."`; tuple targets bind no one name."""
        if type(target) is ast.Name:
            name: str | None = target.id
        elif type(target) is ast.Attribute:
            name = target.attr
        else:
            name = string_value(target.slice) if type(target) is ast.Subscript else None
        if name is not None:
            self._string(name, text, value, self._function)

    def _string(self, name: str, text: str, value: ast.expr, function: str | None) -> None:
        self.strings.append(StringBinding(name, text, node_location(self.path, value), function))


# Handlers by node type; any other node has its children visited. Kept outside the instances: bound
# methods stored on the collector would tie it, and the whole syntax tree, into a reference cycle.
_HANDLERS: dict[type, Callable[[Collector, Any], None]] = {
    ast.Call: Collector._call,
    ast.Attribute: Collector._attribute,
    ast.BinOp: Collector._binary_operation,
    ast.BoolOp: Collector._boolean_operation,
    ast.Compare: Collector._compare,
    ast.UnaryOp: Collector._unary_operation,
    ast.IfExp: Collector._if_expression,
    ast.Subscript: Collector._subscript,
    ast.Tuple: Collector._elements,
    ast.List: Collector._elements,
    ast.Set: Collector._elements,
    ast.Dict: Collector._dict,
    ast.JoinedStr: Collector._joined_string,
    ast.NamedExpr: Collector._named_expression,
    ast.Lambda: Collector._lambda,
    ast.ListComp: Collector._comprehension,
    ast.SetComp: Collector._comprehension,
    ast.GeneratorExp: Collector._comprehension,
    ast.DictComp: Collector._comprehension,
    **dict.fromkeys(
        (ast.Expr, ast.Return, ast.Await, ast.Starred, ast.FormattedValue, ast.Yield, ast.YieldFrom), Collector._value
    ),
    ast.Assign: Collector._assign,
    ast.AnnAssign: Collector._annotated_assign,
    ast.AugAssign: Collector._augmented_assign,
    ast.For: Collector._for,
    ast.AsyncFor: Collector._for,
    ast.While: Collector._while,
    ast.If: Collector._if,
    ast.With: Collector._with,
    ast.AsyncWith: Collector._with,
    ast.ExceptHandler: Collector._except_handler,
    ast.Import: Collector._import,
    ast.ImportFrom: Collector._import_from,
    ast.FunctionDef: Collector._function_definition,
    ast.AsyncFunctionDef: Collector._function_definition,
    ast.ClassDef: Collector._class_definition,
    ast.Global: Collector._global,
    ast.Nonlocal: Collector._nonlocal,
    ast.MatchAs: Collector._match_capture,
    ast.MatchStar: Collector._match_capture,
    ast.MatchMapping: Collector._match_mapping,
}


def string_value(node: ast.expr | None) -> str | None:
    """The text of a plain string literal; None for anything else (f-strings included)."""
    if type(node) is ast.Constant and type(node.value) is str:
        return node.value
    return None


def _all_arguments(arguments: ast.arguments) -> list[ast.arg]:
    extra = [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return arguments.posonlyargs + arguments.args + arguments.kwonlyargs + extra


def _is_static(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(type(d) is ast.Name and d.id == "staticmethod" for d in node.decorator_list)


def _strip_attributes(expr: ast.expr) -> ast.expr:
    """`a.b.c` → `a`; `f().x` → `f()`."""
    while type(expr) is ast.Attribute:
        expr = expr.value
    return expr


def _head_name(expr: ast.expr) -> str | None:
    head = _strip_attributes(expr)
    return head.id if type(head) is ast.Name else None


def _last_name(expr: ast.expr) -> str:
    if type(expr) is ast.Attribute:
        return expr.attr
    return expr.id if type(expr) is ast.Name else ""


def _annotated_type(annotation: ast.expr | None) -> ast.expr | None:
    """The class an annotation names, unwrapping `Optional[X]`, `X | None` and `Annotated[X, ...]`."""
    while annotation is not None:
        if type(annotation) is ast.Name or type(annotation) is ast.Attribute:
            return annotation
        if type(annotation) is ast.Subscript and _last_name(annotation.value) in ("Optional", "Annotated"):
            inner = annotation.slice
            annotation = inner.elts[0] if type(inner) is ast.Tuple and inner.elts else inner
        elif type(annotation) is ast.BinOp and type(annotation.op) is ast.BitOr:
            left, right = annotation.left, annotation.right
            annotation = right if _is_none(left) else left if _is_none(right) else None
        else:
            return None
    return None


def _is_none(expr: ast.expr) -> bool:
    return type(expr) is ast.Constant and expr.value is None


def _is_type_checking(test: ast.expr) -> bool:
    return _last_name(test) == "TYPE_CHECKING"


def _is_main_guard(test: ast.expr) -> bool:
    """`if __name__ == "__main__":`, either way round."""
    if type(test) is not ast.Compare or len(test.ops) != 1 or type(test.ops[0]) is not ast.Eq:
        return False
    sides = (test.left, test.comparators[0])
    names = [s for s in sides if type(s) is ast.Name and s.id == "__name__"]
    mains = [s for s in sides if type(s) is ast.Constant and s.value == "__main__"]
    return bool(names and mains)
