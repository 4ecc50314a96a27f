"""`read_module`: one Python file's text → its `Module` facts, or the note saying why there are none."""

from __future__ import annotations

import ast
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from ...model import Call, Class, Decorator, FileKind, Function, Keyword, Location, Module, Note, Parameter, StringBinding
from .frameworks import extract_all
from .collector import CallSite, ClassDefinition, Collector, FunctionDefinition, string_value
from .names import module_name
from .scopes import Resolver, Scope
from .source import SourceText, node_location
from .syntax import nesting_note, parse

# Packages whose `command` / `group` / `callback` decorators make a function a command-line entry point.
_CLI_PACKAGES = frozenset({"click", "typer", "asyncclick", "rich_click", "cloup"})
_CLI_DECORATORS = frozenset({"command", "group", "callback"})
_ENVIRONMENT_LOOKUPS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})


def read_module(path: str, text: str, kind: FileKind) -> tuple[Module | None, tuple[Note, ...]]:
    """The facts of one Python file. Never raises: a file that cannot be analysed gives a note instead."""
    module, notes, _ = read_file(path, text, kind, with_frameworks=False)
    return module, notes


def read_file(
    path: str, text: str, kind: FileKind, *, with_frameworks: bool = True, frameworks: frozenset[str] | None = None
) -> tuple[Module | None, tuple[Note, ...], tuple[tuple[str, object], ...]]:
    """The Module of one file, the notes about it, and each framework extractor's facts, from one parse.
    `frameworks` names the extractors to run (None: all)."""
    # Python accepts a file that starts with a byte order mark; ast.parse of a str does not.
    text = text.removeprefix("\ufeff")
    with _cyclic_gc_paused():
        tree, note = parse(path, text)
        if tree is None:
            return None, (note,) if note else (), ()
        name, is_package = module_name(path)
        try:
            module = _build(path, text, tree, name, is_package, kind)
        except RecursionError:
            return None, (nesting_note(path),), ()
        except Exception as error:  # one file must not end the review: the note names the bug instead
            return None, (_failure(path, "the Python reader", error),), ()
        if not with_frameworks:
            return module, (), ()
        try:
            return module, (), extract_all(tree, module, frameworks)
        except RecursionError:
            return module, (nesting_note(path),), ()
        except Exception as error:  # a framework extractor's bug costs that file's framework facts only
            return module, (_failure(path, "a framework extractor", error),), ()


def _failure(path: str, what: str, error: Exception) -> Note:
    message = f"{path}: {what} failed ({type(error).__name__}: {error}); not analysed"
    return Note("internal-error", Location(path, 1), message)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one file is read.

    Parsing allocates a syntax tree of many thousands of nodes, none in a reference cycle. Each burst of
    allocations triggers collections that rescan everything still alive, including every module read so
    far: measured on pretix (994 files), that adds half again to the time of reading. The collector's
    previous state is restored; nothing built here is left in a reference cycle (see `Collector.release`),
    so all of it is freed by reference counting alone.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(path: str, text: str, tree: ast.Module, name: str, is_package: bool, kind: FileKind) -> Module:
    source = SourceText(text)
    collector = Collector(path, name, is_package)
    try:
        collector.run(tree)
        builder = _Builder(path, source, Resolver())
        functions = tuple(builder.function(d) for d in collector.functions)
        classes = tuple(builder.class_(d) for d in collector.classes)
        calls = tuple(builder.call(site) for site in collector.calls)
        strings = tuple(collector.strings) + tuple(builder.environment_defaults(collector.calls, calls))
    finally:
        collector.release()
    if kind == "app" and (collector.has_main_guard or _is_command_line_entry(name, functions, calls)):
        kind = "script"
    return Module(
        name=name,
        path=path,
        kind=kind,
        location=Location(path, 1, 1, _line_count(text)),
        imports=tuple(collector.imports),
        functions=functions,
        classes=classes,
        calls=calls,
        strings=strings,
        has_main_guard=collector.has_main_guard,
        is_package=is_package,
    )


def _line_count(text: str) -> int:
    lines = text.count("\n")
    return lines if text.endswith("\n") else lines + 1


class _Builder:
    """Turns what the collector recorded into model elements, qualifying names on the way."""

    def __init__(self, path: str, source: SourceText, resolver: Resolver) -> None:
        self.path = path
        self.source = source
        self.resolver = resolver

    def location(self, node: ast.expr | ast.stmt) -> Location:
        return node_location(self.path, node)

    def call(self, site: CallSite) -> Call:
        node = site.node
        return Call(
            name=self.resolver.qualify(node.func, site.scope),
            location=self.location(node),
            function=site.function,
            loop_depth=site.loop_depth,
            in_async=site.in_async,
            arguments=len(node.args),
            keywords=self.keywords(node.keywords),
        )

    def environment_defaults(self, sites: list[CallSite], calls: tuple[Call, ...]) -> Iterator[StringBinding]:
        """`os.getenv("DB_PASSWORD", "literal")`: the literal default is what runs when the variable is
        missing, so it is a string bound to the variable's name."""
        for site, call in zip(sites, calls, strict=True):
            if call.name not in _ENVIRONMENT_LOOKUPS:
                continue
            node = site.node
            default = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "default"), None)
            variable, text = string_value(node.args[0] if node.args else None), string_value(default)
            if variable is not None and text is not None and default is not None:
                yield StringBinding(variable, text, self.location(default), site.function)

    def keywords(self, keywords: list[ast.keyword]) -> tuple[Keyword, ...]:
        if not keywords:
            return ()
        snippet = self.source.snippet
        return tuple(Keyword(k.arg, snippet(k.value)) for k in keywords)

    def function(self, definition: FunctionDefinition) -> Function:
        node = definition.node
        returns = self.source.segment(node.returns) if node.returns is not None else None
        return Function(
            name=node.name,
            qualname=definition.qualname,
            location=self.location(node),
            is_async=type(node) is ast.AsyncFunctionDef,
            class_name=definition.class_name,
            decorators=self.decorators(node.decorator_list, definition.scope),
            parameters=self.parameters(node.args),
            returns=returns,
        )

    def class_(self, definition: ClassDefinition) -> Class:
        node = definition.node
        qualify = self.resolver.qualify
        return Class(
            name=node.name,
            qualname=definition.qualname,
            location=self.location(node),
            bases=tuple(qualify(base, definition.scope) for base in node.bases),
            decorators=self.decorators(node.decorator_list, definition.scope),
        )

    def decorators(self, expressions: list[ast.expr], scope: Scope) -> tuple[Decorator, ...]:
        return tuple(self.decorator(expression, scope) for expression in expressions)

    def decorator(self, expression: ast.expr, scope: Scope) -> Decorator:
        qualify = self.resolver.qualify
        if type(expression) is not ast.Call:
            return Decorator(qualify(expression, scope), self.location(expression))
        return Decorator(
            qualify(expression.func, scope),
            self.location(expression),
            tuple(self.source.snippet(argument) for argument in expression.args),
            self.keywords(expression.keywords),
        )

    def parameters(self, arguments: ast.arguments) -> tuple[Parameter, ...]:
        positional = arguments.posonlyargs + arguments.args
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
        pairs = list(zip(positional, defaults, strict=True))
        if arguments.vararg is not None:
            pairs.append((arguments.vararg, None))
        pairs += zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
        if arguments.kwarg is not None:
            pairs.append((arguments.kwarg, None))
        return tuple(self.parameter(argument, default, arguments) for argument, default in pairs)

    def parameter(self, argument: ast.arg, default: ast.expr | None, arguments: ast.arguments) -> Parameter:
        segment = self.source.segment
        # Star parameters keep their stars, so `*args` and `**kwargs` are not mistaken for named ones.
        stars = "*" if argument is arguments.vararg else "**" if argument is arguments.kwarg else ""
        return Parameter(
            stars + argument.arg,
            segment(argument.annotation) if argument.annotation is not None else None,
            segment(default) if default is not None else None,
        )


def _is_command_line_entry(module: str, functions: tuple[Function, ...], calls: tuple[Call, ...]) -> bool:
    """A click/typer command at module level, a `typer.Typer()` app, or an argparse parser built at
    module level or in `main()`: the module is run as a program, not imported as part of the app."""
    for function in functions:
        if function.qualname == f"{module}.{function.name}" and any(_is_cli_decorator(d.name) for d in function.decorators):
            return True
    main = f"{module}.main"
    for call in calls:
        if call.name == "typer.Typer" and call.function is None:
            return True
        if call.name == "argparse.ArgumentParser" and call.function in (None, main):
            return True
    return False


def _is_cli_decorator(name: str) -> bool:
    return name.partition(".")[0] in _CLI_PACKAGES and name.rpartition(".")[2] in _CLI_DECORATORS

