"""The Python reader core: module facts from in-memory texts."""

from __future__ import annotations

import pickle
import sys
from textwrap import dedent

import pytest

from vitruvius.model import Call, FileKind, Location, Module
from vitruvius.readers.python import link_modules, read_module


def read(text: str, path: str = "app/orders/service.py", kind: FileKind = "app") -> Module:
    module, notes = read_module(path, dedent(text), kind)
    assert notes == ()
    assert module is not None
    return module


def calls(module: Module, name: str) -> list[Call]:
    return [call for call in module.calls if call.name == name]


def call_names(module: Module) -> set[str]:
    return {call.name for call in module.calls}


def note_for(text: str, path: str = "app/broken.py") -> str:
    module, notes = read_module(path, text, "app")
    assert module is None
    assert len(notes) == 1
    assert notes[0].kind == "unreadable-file"
    return notes[0].message


# ---- module names and kinds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name", "is_package"),
    [
        ("app/orders/service.py", "app.orders.service", False),
        ("src/shop/api.py", "shop.api", False),
        ("shop/__init__.py", "shop", True),
        ("src/shop/__init__.py", "shop", True),
        ("typings/shop.pyi", "typings.shop", False),
    ],
)
def test_module_name_comes_from_the_path(path: str, name: str, is_package: bool) -> None:
    module = read("x = 1\n", path)
    assert (module.name, module.is_package, module.path) == (name, is_package, path)
    assert module.key == f"module:{name}"


def test_plain_app_module_keeps_its_kind() -> None:
    module = read("def handler():\n    return 1\n")
    assert module.kind == "app"
    assert module.has_main_guard is False


def test_main_guard_makes_an_app_module_a_script() -> None:
    module = read("""
        def main():
            pass

        if __name__ == "__main__":
            main()
    """)
    assert module.has_main_guard
    assert module.kind == "script"


def test_main_guard_is_recognised_either_way_round() -> None:
    assert read("if '__main__' == __name__:\n    pass\n").has_main_guard


def test_main_guard_does_not_change_a_test_module() -> None:
    module = read("if __name__ == '__main__':\n    pass\n", "tests/test_x.py", "test")
    assert module.has_main_guard
    assert module.kind == "test"


@pytest.mark.parametrize(
    "text",
    [
        "import click\n\n@click.command()\ndef cli():\n    pass\n",
        "import click\n\n@click.group()\ndef cli():\n    pass\n",
        "import typer\n\napp = typer.Typer()\n",
        "import typer\napp = typer.Typer()\n\n@app.command()\ndef hello():\n    pass\n",
        "import argparse\nparser = argparse.ArgumentParser()\n",
        "from argparse import ArgumentParser\n\ndef main():\n    parser = ArgumentParser()\n",
    ],
)
def test_command_line_entry_points_are_scripts(text: str) -> None:
    assert read(text).kind == "script"


def test_argparse_in_an_ordinary_function_is_not_an_entry_point() -> None:
    module = read("import argparse\n\ndef build_parser():\n    return argparse.ArgumentParser()\n")
    assert module.kind == "app"


def test_module_location_spans_the_file() -> None:
    assert read("a = 1\nb = 2\nc = 3\n").location == Location("app/orders/service.py", 1, 1, 3)
    assert read("a = 1\nb = 2").location.end_line == 2
    assert read("").location.end_line == 1


# ---- imports ---------------------------------------------------------------------------------------------


def test_absolute_imports_record_target_and_bound_name() -> None:
    module = read("""
        import os
        import os.path
        import requests as r
        from a.b import c
        from a.b import d as e
    """)
    assert [(i.target, i.alias) for i in module.imports] == [
        ("os", "os"), ("os.path", "os"), ("requests", "r"), ("a.b.c", "c"), ("a.b.d", "e"),
    ]
    assert all(not i.deferred and i.module is None for i in module.imports)
    assert module.imported_names >= {"requests", "a.b.c"}


def test_import_location_is_the_imported_name() -> None:
    module = read("import os\nfrom a import (\n    b,\n    c,\n)\n")
    assert [(i.location.line, i.location.column) for i in module.imports] == [(1, 8), (3, 5), (4, 5)]


@pytest.mark.parametrize(
    ("path", "statement", "target"),
    [
        ("pkg/mod.py", "from . import x", "pkg.x"),
        ("pkg/mod.py", "from .sibling import y", "pkg.sibling.y"),
        ("pkg/sub/mod.py", "from .. import x", "pkg.x"),
        ("pkg/sub/mod.py", "from ..other import y", "pkg.other.y"),
        ("pkg/__init__.py", "from . import x", "pkg.x"),
        ("pkg/__init__.py", "from .mod import y", "pkg.mod.y"),
        ("src/pkg/mod.py", "from . import x", "pkg.x"),
    ],
)
def test_relative_imports_resolve_against_the_package(path: str, statement: str, target: str) -> None:
    (item,) = read(statement + "\n", path).imports
    assert item.target == target


def test_relative_import_above_the_root_resolves_to_nothing_in_repo() -> None:
    (item,) = read("from ... import x\n", "pkg/mod.py").imports
    assert item.target.startswith(".")


def test_imports_in_functions_and_type_checking_blocks_are_deferred() -> None:
    module = read("""
        import typing
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from app.models import Order
        if typing.TYPE_CHECKING:
            import app.repo
        else:
            import app.runtime

        def load():
            import json
            return json

        class Service:
            import app.at_class_level
    """)
    deferred = {i.target: i.deferred for i in module.imports}
    assert deferred == {
        "typing": False, "typing.TYPE_CHECKING": False, "app.models.Order": True, "app.repo": True,
        "app.runtime": False, "json": True, "app.at_class_level": False,
    }


# ---- link_modules --------------------------------------------------------------------------------------


def test_link_modules_resolves_the_longest_in_repo_prefix() -> None:
    service = read("from app.orders import models\nfrom app.orders.models import Order\nimport app.orders\nimport requests\n")
    package = read("", "app/orders/__init__.py")
    models = read("class Order: pass\n", "app/orders/models.py")
    root = read("", "app/__init__.py")
    linked = {m.name: m for m in link_modules([service, package, models, root])}
    assert [(i.target, i.module) for i in linked["app.orders.service"].imports] == [
        ("app.orders.models", "app.orders.models"),
        ("app.orders.models.Order", "app.orders.models"),
        ("app.orders", "app.orders"),
        ("requests", None),
    ]


def test_link_modules_resolves_a_name_defined_in_a_package() -> None:
    mod = read("from . import helper\n", "pkg/mod.py")
    package = read("def helper(): pass\n", "pkg/__init__.py")
    linked = {m.name: m for m in link_modules([mod, package])}
    (item,) = linked["pkg.mod"].imports
    assert (item.target, item.module) == ("pkg.helper", "pkg")


def test_link_modules_finds_packages_below_a_folder_that_is_not_one() -> None:
    main = read("from app.core import db\n", "backend/app/main.py")
    package = read("", "backend/app/__init__.py")
    core = read("", "backend/app/core/__init__.py")
    db = read("", "backend/app/core/db.py")
    linked = {m.name: m for m in link_modules([main, package, core, db])}
    (item,) = linked["backend.app.main"].imports
    assert item.module == "backend.app.core.db"


def test_link_modules_returns_new_objects_and_keeps_other_facts() -> None:
    a = read("import b\n", "a.py")
    b = read("", "b.py")
    linked = link_modules([a, b])
    assert a.imports[0].module is None
    assert linked[0].imports[0].module == "b"
    assert linked[0].calls == a.calls and linked[0].name == "a"


# ---- functions and classes -----------------------------------------------------------------------------


def test_functions_methods_and_nested_functions() -> None:
    module = read("""
        class OrderService:
            async def place(self, order_id: int, *args, notify: bool = True, **kwargs) -> "Order":
                def helper(x=1):
                    pass

        def top(a, /, b=2):
            pass
    """)
    by_name = {f.qualname: f for f in module.functions}
    place = by_name["app.orders.service.OrderService.place"]
    assert place.is_async and place.class_name == "OrderService"
    assert [(p.name, p.annotation, p.default) for p in place.parameters] == [
        ("self", None, None), ("order_id", "int", None), ("*args", None, None),
        ("notify", "bool", "True"), ("**kwargs", None, None),
    ]
    assert place.returns == '"Order"'
    assert place.location == Location("app/orders/service.py", 3, 5, 5)
    helper = by_name["app.orders.service.OrderService.place.helper"]
    assert helper.class_name is None
    assert [(p.name, p.default) for p in helper.parameters] == [("x", "1")]
    top = by_name["app.orders.service.top"]
    assert not top.is_async and top.class_name is None
    assert [(p.name, p.default) for p in top.parameters] == [("a", None), ("b", "2")]


def test_decorators_are_resolved_with_their_arguments() -> None:
    module = read("""
        from fastapi import APIRouter
        import functools as ft

        router = APIRouter(prefix="/orders")

        @router.get("/{order_id}", status_code=200, **extra)
        @ft.lru_cache
        def get_order(order_id: int):
            pass
    """)
    (function,) = module.functions
    route, cache = function.decorators
    assert route.name == "fastapi.APIRouter.get"
    assert route.arguments == ('"/{order_id}"',)
    assert [(k.name, k.value) for k in route.keywords] == [("status_code", "200"), (None, "extra")]
    assert route.location.line == 7
    assert (cache.name, cache.arguments, cache.keywords) == ("functools.lru_cache", (), ())


def test_class_bases_and_decorators_are_resolved() -> None:
    module = read("""
        from dataclasses import dataclass
        from sqlalchemy.orm import DeclarativeBase
        import pydantic as pd

        class Base(DeclarativeBase):
            pass

        @dataclass(frozen=True)
        class Order(Base, pd.BaseModel, Unknown):
            pass
    """)
    base, order = module.classes
    assert base.bases == ("sqlalchemy.orm.DeclarativeBase",)
    assert order.qualname == "app.orders.service.Order"
    assert order.bases == ("app.orders.service.Base", "pydantic.BaseModel", "Unknown")
    assert order.decorators[0].name == "dataclasses.dataclass"
    assert order.decorators[0].keywords[0].value == "True"
    assert order.key == "class:app.orders.service.Order"


# ---- call resolution -----------------------------------------------------------------------------------


def test_calls_resolve_through_imports_and_aliases() -> None:
    module = read("""
        import requests as r
        from requests import get as g
        import os.path
        from . import repo

        def local():
            pass

        r.get("u")
        g("u")
        os.path.join("a", "b")
        repo.save()
        local()
        undefined_thing.go()
        print("x")
    """)
    assert [c.name for c in module.calls] == [
        "requests.get", "requests.get", "os.path.join", "app.orders.repo.save", "app.orders.service.local",
        "undefined_thing.go", "print",
    ]


def test_a_function_defined_below_its_caller_resolves() -> None:
    module = read("def first():\n    second()\n\ndef second():\n    pass\n")
    assert call_names(module) == {"app.orders.service.second"}


@pytest.mark.parametrize(
    "text",
    [
        "def print(*a): pass\nprint('x')\n",
        "from rich import print\nprint('x')\n",
        "print = lambda *a: None\nprint('x')\n",
        "class print: pass\nprint('x')\n",
        "def f(print):\n    print('x')\n",
        "def f():\n    print('x')\n    print = 3\n",
        "def f():\n    for print in handlers:\n        print('x')\n",
        "def f():\n    with ctx() as print:\n        print('x')\n",
        "def f():\n    def print(x): pass\n    print('x')\n",
        "def f():\n    import logging as print\n    print('x')\n",
    ],
)
def test_a_shadowed_builtin_is_not_the_builtin(text: str) -> None:
    module = read(text)
    assert len(module.calls) >= 1
    assert "print" not in call_names(module)


def test_shadowing_resolves_to_what_shadows() -> None:
    module = read("from rich import print\nprint('x')\n\ndef f(print):\n    print('y')\n")
    assert [c.name for c in module.calls] == ["rich.print", "app.orders.service.f.print"]


def test_builtins_stay_bare() -> None:
    module = read("def f(items):\n    print(len(items))\n    return sorted(items)\n")
    assert call_names(module) == {"print", "len", "sorted"}


def test_a_parameter_shadows_an_import() -> None:
    module = read("import json\n\ndef f(json):\n    json.dumps(1)\n")
    assert call_names(module) == {"json.dumps"}
    module = read("import json as j\n\ndef f(j):\n    j.dumps(1)\n")
    assert call_names(module) == {"j.dumps"}


def test_global_declaration_binds_in_the_module() -> None:
    module = read("""
        import requests

        def f():
            global client
            client = requests.Session()

        def g():
            client.get("u")
    """)
    assert "requests.Session.get" in call_names(module)


def test_instance_tracking_of_local_variables_and_context_managers() -> None:
    module = read("""
        import requests
        import httpx
        import aiohttp

        def sync():
            s = requests.Session()
            s.get("u")
            with httpx.Client() as c:
                c.get("u")

        async def fetch():
            async with aiohttp.ClientSession() as session:
                await session.post("u")
    """)
    assert {"requests.Session.get", "httpx.Client.get", "aiohttp.ClientSession.post"} <= call_names(module)


def test_instance_tracking_of_self_attributes_and_class_attributes() -> None:
    module = read("""
        import requests
        import httpx

        class Gateway:
            shared = httpx.Client()

            def send(self):
                self.http.post("u")
                self.shared.get("u")
                self.repo.save()
                self.helper()

            def __init__(self):
                self.http = requests.Session()

            def helper(self):
                pass
    """)
    names = [c.name for c in module.calls if c.function == "app.orders.service.Gateway.send"]
    assert names == ["requests.Session.post", "httpx.Client.get", "self.repo.save", "app.orders.service.Gateway.helper"]


def test_instance_tracking_of_module_variables_and_annotations() -> None:
    module = read("""
        from typing import Optional
        from sqlalchemy.orm import Session
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/")
        def index(db: Session, other: Optional[Session] = None):
            db.query(1).all()
            other.commit()
    """)
    assert module.functions[0].decorators[0].name == "fastapi.FastAPI.get"
    assert {
        "sqlalchemy.orm.Session.query", "sqlalchemy.orm.Session.query().all", "sqlalchemy.orm.Session.commit",
    } <= call_names(module)


def test_results_of_plain_function_calls_are_not_instances() -> None:
    module = read("""
        import requests

        def f():
            response = requests.get("u")
            response.json()
            requests.get("u").json()
    """)
    assert {"response.json", "requests.get().json"} <= call_names(module)


def test_unresolvable_names_keep_their_dotted_source_form() -> None:
    module = read("def f(items):\n    items[0].save()\n    ', '.join(items)\n    foo().bar()\n")
    assert {"items[].save", "str.join", "foo().bar", "foo"} <= call_names(module)


def test_self_referencing_assignments_do_not_loop() -> None:
    module = read("def f(node):\n    node = node.parent\n    node.visit()\n    a = b.x\n    b = a.y\n    a.go()\n")
    assert "node.visit" in call_names(module)
    assert any(name.endswith("go") for name in call_names(module))


def test_call_arguments_and_keywords() -> None:
    module = read("import requests\nrequests.post('u', data, *rest, timeout=5, json={'a': 1}, **options)\n")
    (call,) = module.calls
    assert call.arguments == 3
    assert [(k.name, k.value) for k in call.keywords] == [("timeout", "5"), ("json", "{'a': 1}"), (None, "options")]
    timeout = call.keyword("timeout")
    assert timeout is not None and timeout.value == "5"
    assert call.has_star_kwargs
    assert call.location == Location("app/orders/service.py", 2, 1, 2)


def test_keyword_values_are_cut_to_200_characters() -> None:
    module = read(f"f(data={'x' * 500!r})\n")
    assert len(module.calls[0].keywords[0].value) == 200


def test_source_texts_of_non_ascii_lines() -> None:
    module = read("ä = 1\nf(name='né', other=ünïcode)\n")
    assert [k.value for k in module.calls[0].keywords] == ["'né'", "ünïcode"]


# ---- context of a call: function, loops, async ---------------------------------------------------------


def test_calls_know_their_enclosing_function_and_async() -> None:
    module = read("""
        setup()

        class Service:
            configure()

            async def run(self):
                step()
                def inner():
                    nested()
    """)
    context = {c.name: (c.function, c.in_async) for c in module.calls}
    assert context == {
        "setup": (None, False),
        "configure": (None, False),
        "step": ("app.orders.service.Service.run", True),
        "nested": ("app.orders.service.Service.run.inner", False),
    }


def test_loop_depth_counts_loops_within_the_function() -> None:
    module = read("""
        def f(rows):
            before()
            for row in rows:
                one()
                while cond():
                    two()
                else:
                    after_while()
            else:
                after_for()
            async_for_free()

        async def g(stream):
            async for item in stream:
                one_async()

        def h(rows):
            for row in rows:
                def per_row():
                    reset()
    """)
    depth = {c.name: c.loop_depth for c in module.calls}
    assert depth == {
        "before": 0, "one": 1, "cond": 2, "two": 2, "after_while": 1, "after_for": 0, "async_for_free": 0,
        "one_async": 1, "reset": 0,
    }


def test_loop_iterables_are_evaluated_outside_the_loop() -> None:
    module = read("""
        def f(session):
            for user in session.query(User):
                notify(user)
            [send(y) for y in fetch()]
            {k: load(k) for k in keys() if ok(k)}
            [pair(a, b) for a in first() for b in second(a)]
    """)
    depth = {c.name: c.loop_depth for c in module.calls}
    assert depth["session.query"] == 0
    assert depth["notify"] == 1
    assert depth["fetch"] == 0 and depth["send"] == 1
    assert depth["keys"] == 0 and depth["ok"] == 1 and depth["load"] == 1
    assert depth["first"] == 0 and depth["second"] == 1 and depth["pair"] == 2


def test_comprehension_variables_do_not_leak_into_the_function() -> None:
    module = read("def f(xs):\n    ids = [id for id in xs]\n    id(xs)\n")
    assert "id" in call_names(module)


def test_lambda_parameters_shadow_and_keep_the_loop_depth() -> None:
    module = read("def f(rows):\n    for row in rows:\n        sorted(row, key=lambda print: print())\n")
    (inner,) = [c for c in module.calls if c.name.endswith("print")]
    assert inner.name != "print"
    assert inner.loop_depth == 1


def test_calls_in_decorators_and_defaults_belong_to_the_enclosing_scope() -> None:
    module = read("def outer():\n    @decorate(make())\n    def inner(x=default()):\n        body()\n")
    owner = {c.name: c.function for c in module.calls}
    assert owner["decorate"] == owner["make"] == owner["default"] == "app.orders.service.outer"
    assert owner["body"] == "app.orders.service.outer.inner"


def test_long_operator_chains_are_read() -> None:
    text = "x = " + " + ".join(f"f({i})" for i in range(1500)) + "\n"
    assert len(read(text).calls) == 1500


def test_long_method_chains_are_read() -> None:
    module = read("x = q" + ".f()" * 600 + "\n")
    assert len(module.calls) == 600


# ---- strings -------------------------------------------------------------------------------------------


def test_string_bindings() -> None:
    module = read('''
        """Module docstring."""
        API_KEY = "sk-live-1234"
        settings.password = "hunter2"
        config["token"] = "abc"
        name: str = "annotated"
        a, b = "x", "y"
        first = second = "both"
        greeting = f"hi {x}"

        def connect(user, password="default-pass", *, token="t0k"):
            """Function docstring."""
            client(secret="s3cret", timeout=3)
            headers = {"api_key": "key-value", "count": 1, **extra}
    ''')
    found = {(s.name, s.value, s.function) for s in module.strings}
    connect = "app.orders.service.connect"
    assert found == {
        ("API_KEY", "sk-live-1234", None),
        ("password", "hunter2", None),
        ("token", "abc", None),
        ("name", "annotated", None),
        ("first", "both", None),
        ("second", "both", None),
        ("password", "default-pass", connect),
        ("token", "t0k", connect),
        ("secret", "s3cret", connect),
        ("api_key", "key-value", connect),
    }
    api_key = next(s for s in module.strings if s.name == "API_KEY")
    assert api_key.location == Location("app/orders/service.py", 3, 11, 3)


# ---- notes ---------------------------------------------------------------------------------------------


def test_syntax_error_gives_a_note() -> None:
    module, notes = read_module("app/broken.py", "x = 1\ndef f(:\n    pass\n", "app")
    assert module is None
    (note,) = notes
    assert note.kind == "unreadable-file"
    assert note.location.path == "app/broken.py" and note.location.line == 2
    assert note.message.startswith("app/broken.py: syntax error at line 2: ")
    assert note.message.endswith("; not analysed")


NEWER_SYNTAX = [
    ("type Pair = tuple[int, int]\n", (3, 12), "type alias statement", 1),
    ("import os\n\ndef first[T](items: list[T]) -> T:\n    return items[0]\n", (3, 12), "generic function", 3),
    ("class Box[T]:\n    pass\n", (3, 12), "generic class", 1),
    ('names = {"a": 1}\nprint(f"{names["a"]}")\n', (3, 12), "f-string", 2),
    ("print(f\"{'\\n'.join(x)}\")\n", (3, 12), "f-string", 1),
    ("def f[T = int](x: T) -> T:\n    return x\n", (3, 13), "type parameter default", 1),
    ("try:\n    pass\nexcept ValueError, TypeError:\n    pass\n", (3, 14), "except clause", 3),
    ('greeting = t"hello {name}"\n', (3, 14), "template string", 1),
]


@pytest.mark.parametrize(("text", "version", "construct", "line"), NEWER_SYNTAX)
def test_newer_syntax_is_not_a_syntax_error(text: str, version: tuple[int, int], construct: str, line: int) -> None:
    if sys.version_info[:2] >= version:
        pytest.skip(f"Python {sys.version_info[0]}.{sys.version_info[1]} parses this")
    message = note_for(text)
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    wanted = f"{version[0]}.{version[1]}"
    assert message.startswith(f"app/broken.py uses Python {wanted}+ syntax ({construct}")
    assert message.endswith(
        f", line {line}) that Python {running} cannot parse; run vitruvius on Python {wanted} or newer to analyse it"
    )


@pytest.mark.parametrize("text", ['x = f"{}"\n', 'x = f"{x:#x} {y!r}" +\n', "type = 1 +\n"])
def test_a_genuine_error_near_newer_looking_syntax_is_a_syntax_error(text: str) -> None:
    assert "syntax error at line 1" in note_for(text)


def test_null_bytes_give_a_note() -> None:
    assert note_for("x = 1\ny = 2\0\n") == "app/broken.py contains a null byte (line 2); not analysed"


def test_a_lone_surrogate_gives_a_note() -> None:
    message = note_for("x = 1\ny = '\ud800'\n")
    assert message == "app/broken.py contains a character that is not valid Unicode (line 2); not analysed"


def test_a_byte_order_mark_is_not_a_syntax_error() -> None:
    (call,) = read("\ufeffx = f(a=1)\n").calls
    assert call.keywords[0].value == "1"


def test_line_ends_of_every_kind_address_the_same_source() -> None:
    for line_end in ("\n", "\r\n", "\r"):
        text = line_end.join(["x = 1", "y = f(a=1,", "  b='é')", ""])
        (call,) = read(text).calls
        assert [k.value for k in call.keywords] == ["1", "'é'"]
        assert (call.location.line, call.location.end_line) == (2, 3)


def test_pathological_nesting_gives_a_note() -> None:
    message = note_for("x = " + " + ".join("1" for _ in range(50_000)) + "\n")
    assert "nests expressions too deeply" in message


# ---- results travel between processes ------------------------------------------------------------------


def test_modules_are_picklable() -> None:
    module = read("import requests\n\n@deco(1)\ndef f(x='s'):\n    requests.get(x, timeout=1)\n")
    assert pickle.loads(pickle.dumps(module)) == module


def test_string_defaults_of_environment_lookups_are_bound_to_the_variable() -> None:
    module = read("""
        import os
        from os import environ, getenv

        SECRET_KEY = os.environ.get("SECRET_KEY", "j3#kf9$2mZ!qP0x")
        token = getenv("API_TOKEN", default="t-123")
        environ.setdefault("DB_PASSWORD", "pw")
        os.getenv("PLAIN")
    """)
    found = {(s.name, s.value) for s in module.strings}
    assert {("SECRET_KEY", "j3#kf9$2mZ!qP0x"), ("API_TOKEN", "t-123"), ("DB_PASSWORD", "pw")} <= found
    assert not any(s.name == "PLAIN" for s in module.strings)


def test_a_reader_failure_is_a_note_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    from vitruvius.readers.python import module as reader

    def broken(*args: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(reader, "_build", broken)
    module, (note,) = read_module("app/x.py", "x = 1\n", "app")
    assert module is None
    assert note.kind == "internal-error"
    assert note.message == "app/x.py: the Python reader failed (KeyError: 'boom'); not analysed"
