"""`vitruvius openapi`: an OpenAPI 3.1 document from code routes, valid under openapi-spec-validator, and read
back by the OpenAPI reader into the same operations."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner

from vitruvius.cli import main
from vitruvius.design.emit.openapi import dumps, emit_openapi
from vitruvius.readers import read
from vitruvius.readers.documents import load_document

validator = pytest.importorskip("openapi_spec_validator", reason="pip install -e '.[dev]' (openapi-spec-validator)")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "deletion-service"

MIXED = {
    "app/main.py": """
        from enum import Enum
        from typing import Annotated

        from fastapi import Depends, FastAPI, File, Form, HTTPException, UploadFile
        from fastapi.security import HTTPBearer
        from pydantic import BaseModel

        bearer = HTTPBearer()
        app = FastAPI()


        class Colour(str, Enum):
            RED = "red"
            ON = "on"


        class Node(BaseModel):
            name: str
            colour: Colour
            children: list["Node"] = []


        def get_current_user(token: Annotated[str, Depends(bearer)]):
            ...


        @app.post("/nodes", status_code=201, responses={409: {"description": "Exists"}})
        def create_node(node: Node, user: Annotated[str, Depends(get_current_user)]) -> Node:
            ...


        @app.get("/nodes/{name}")
        def get_node(name: str, depth: int | None = None) -> Node:
            ...


        @app.post("/nodes/{name}/files")
        def upload(name: str, file: UploadFile = File(...), note: str = Form("")):
            ...


        @app.get("/items/{item_id}")
        def get_item(item_id: int) -> "Unknown":
            ...


        @app.get("/get_node")
        def get_node_again():
            ...
    """,
    "shop/views.py": """
        from flask import Flask
        from flask_login import login_required

        web = Flask(__name__)


        @web.route("/shop/<int:order_id>", methods=["GET", "POST"])
        @login_required
        def order(order_id):
            ...
    """,
}


def emitted(files: dict[str, str]) -> dict:
    return emit_openapi(read({p: dedent(t) for p, t in files.items()}), title="Mixed")


def test_the_document_is_valid_openapi_3_1() -> None:
    document = emitted(MIXED)
    validator.validate(document)
    assert document["openapi"] == "3.1.0"
    assert list(document["paths"]) == sorted(document["paths"])


def test_operations_ids_parameters_bodies_and_responses() -> None:
    document = emitted(MIXED)
    created = document["paths"]["/nodes"]["post"]
    assert created["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Node"}
    assert set(created["responses"]) == {"201", "409"}
    assert created["security"] == [{"HTTPBearer": []}]
    got = document["paths"]["/nodes/{name}"]["get"]
    assert got["operationId"] == "get_node"
    assert [(p["name"], p["in"], p["required"]) for p in got["parameters"]] == [("name", "path", True), ("depth", "query", False)]
    assert got["parameters"][1]["schema"] == {"type": ["integer", "null"]}
    assert document["paths"]["/get_node"]["get"]["operationId"] == "get_node_again"
    upload = document["paths"]["/nodes/{name}/files"]["post"]["requestBody"]
    assert list(upload["content"]) == ["multipart/form-data"]
    assert set(upload["content"]["multipart/form-data"]["schema"]["properties"]) == {"file", "note"}
    flask = document["paths"]["/shop/{order_id}"]
    assert set(flask) == {"get", "post"} and flask["get"]["responses"] == {"default": {"description": "Responses are not declared in the code"}}


def test_components_models_enums_recursion_and_unknown_classes() -> None:
    components = emitted(MIXED)["components"]
    node = components["schemas"]["Node"]
    assert node["properties"]["children"] == {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
    assert node["required"] == ["name", "colour"]
    assert components["schemas"]["Colour"] == {"type": "string", "enum": ["red", "on"]}
    assert "outside the analysed code" in components["schemas"]["Unknown"]["description"]
    schemes = components["securitySchemes"]
    assert schemes["HTTPBearer"] == {"type": "http", "scheme": "bearer"}
    assert schemes["login_required"]["type"] == "http" and "Assumed" in schemes["login_required"]["description"]


def test_yaml_and_json_say_the_same_and_read_back_as_the_same_operations(tmp_path: Path) -> None:
    model = read(EXAMPLE)
    document = emit_openapi(model, title="Deletion service")
    validator.validate(document)
    text = dumps(document, yaml=True)
    assert '- "on"' in dumps(emitted(MIXED), yaml=True)  # every string is quoted: YAML 1.1 readers see no boolean
    assert load_document("openapi.yaml", text)[0] == document == json.loads(dumps(document))
    back = read({"openapi.yaml": text})
    code = {(o.method, o.path): o for o in model.operations if o.origin == "code" and o.in_schema}
    documented = {(o.method, o.path): o for o in back.operations}
    assert set(documented) == set(code)
    for key, operation in code.items():
        twin = documented[key]
        assert [r.status for r in twin.responses] == [r.status for r in operation.responses]
        assert [(p.name, p.where, p.required) for p in twin.parameters] == [(p.name, p.where, p.required) for p in operation.parameters]
        assert twin.security == operation.security


def test_emitting_twice_gives_the_same_text() -> None:
    model = read(EXAMPLE)
    assert dumps(emit_openapi(model), yaml=True) == dumps(emit_openapi(read(EXAMPLE)), yaml=True)


def test_openapi_command_writes_yaml_or_json(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "api.yml"
    result = runner.invoke(main, ["openapi", str(EXAMPLE), "-o", str(target), "--title", "Deletion service"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "wrote 10 operations" in result.output
    document = load_document("api.yml", target.read_text())[0]
    validator.validate(document)
    assert document["info"]["title"] == "Deletion service"
    printed = runner.invoke(main, ["openapi", str(EXAMPLE), "--title", "Deletion service"], catch_exceptions=False)
    assert json.loads(printed.stdout) == document


def test_a_duplicated_parameter_name_is_made_distinct() -> None:
    document = emitted({
        "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n',
        "proj/urls.py": """
            from django.urls import path

            from proj import views

            urlpatterns = [path("events/<slug:event>/clone/<slug:event>/", views.clone)]
        """,
        "proj/views.py": "def clone(request, event):\n    ...\n",
    })
    validator.validate(document)
    assert list(document["paths"]) == ["/events/{event}/clone/{event_2}/"]
