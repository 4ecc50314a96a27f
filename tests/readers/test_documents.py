"""Loading JSON and YAML safely, and turning JSON pointers back into lines."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from vitruvius.readers.documents import MAX_DEPTH, line_of_pointer, load_document, load_stream, pointer_of, pointer_segments


def test_valid_json_and_yaml_load_to_plain_values():
    assert load_document("api.json", '{"openapi": "3.0.3", "paths": {}}') == ({"openapi": "3.0.3", "paths": {}}, None)
    assert load_document("api.yaml", "openapi: 3.1.0\npaths: {}\n") == ({"openapi": "3.1.0", "paths": {}}, None)
    assert load_document("empty.yml", "") == (None, None)


def test_invalid_json_is_a_note_naming_the_file_and_line():
    data, note = load_document("specs/api.json", '{\n  "a": 1,\n  "b": \n}')
    assert data is None
    assert note.kind == "unreadable-file"
    assert note.location.path == "specs/api.json" and note.location.line == 4
    assert note.message.startswith("specs/api.json: invalid JSON at line 4: ")


def test_json_that_only_the_standard_library_accepts_still_loads():
    data, note = load_document("a.json", '{"big": NaN, "huge": 1e400}')
    assert note is None and data["huge"] == float("inf")


def test_invalid_yaml_is_a_note_naming_the_file_and_line():
    data, note = load_document("api.yaml", "a: 1\nb: [1, 2\nc: 3\n")
    assert data is None
    assert note.location.line == 3
    assert note.message.startswith("api.yaml: invalid YAML at line 3: did not find expected ',' or ']'")


def test_yaml_is_read_as_yaml_1_2_so_on_and_yes_stay_strings():
    data, _ = load_document("a.yaml", "on: yes\nenum: [no, off]\n200: OK\n")
    assert data == {"on": "yes", "enum": ["no", "off"], 200: "OK"}


def test_yaml_tags_never_construct_objects():
    data, note = load_document("evil.yaml", "a: !!python/object/apply:os.system ['echo pwned']\n")
    assert note is None and data == {"a": ["echo pwned"]}


def test_yaml_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
    )
    data, note = load_document("bomb.yaml", bomb)
    assert data is None and "repetition limit exceeded" in note.message


def test_deep_yaml_nesting_is_refused_not_a_crash():
    # PyYAML's C loader and yaml-rs both crash the interpreter on this.
    data, note = load_document("deep.yaml", "- " * 100_000 + "x\n")
    assert data is None
    assert note.message == f"deep.yaml: nested deeper than {MAX_DEPTH} levels; not analysed"


@pytest.mark.parametrize("depth, refused", [(MAX_DEPTH, False), (MAX_DEPTH + 1, True), (5000, True)])
def test_json_nesting_is_bounded(depth, refused):
    data, note = load_document("deep.json", "[" * depth + "]" * depth)
    assert (note is not None) is refused
    if refused:
        assert "nested deeper than" in note.message


def test_yaml_streams_load_through_load_stream_only():
    text = "kind: Service\n---\nkind: Deployment\n"
    assert load_stream("k8s.yaml", text) == ([{"kind": "Service"}, {"kind": "Deployment"}], None)
    data, note = load_document("k8s.yaml", text)
    assert data is None and "several YAML documents" in note.message


def test_pointer_segments_unescape_json_pointers_and_uri_fragments():
    assert pointer_segments("") == []
    assert pointer_segments("/paths/~1orders~1{id}/get") == ["paths", "/orders/{id}", "get"]
    assert pointer_segments("/a~0b~1c") == ["a~b/c"]
    assert pointer_segments("#/paths/~1users~1%7Bid%7D") == ["paths", "/users/{id}"]
    assert pointer_of(["paths", "/a~b/{id}", "get"]) == "/paths/~1a~0b~1{id}/get"


JSON_TEXT = """{
  "openapi": "3.0.3",
  "paths": {
    "/orders": {
      "get": {
        "parameters": [
          {
            "name": "limit",
            "in": "query"
          },
          {"name": "offset", "in": "query"}
        ],
        "tags": ["orders"]
      }
    },
    "/a~b/{id}": {
      "delete": {}
    }
  }
}
"""


@pytest.mark.parametrize(
    "pointer, line",
    [
        ("", 1),
        ("/openapi", 2),
        ("/paths", 3),
        ("/paths/~1orders/get", 5),
        ("/paths/~1orders/get/parameters/0", 7),
        ("/paths/~1orders/get/parameters/1", 11),
        ("/paths/~1orders/get/tags/0", 13),  # inside a one-line array: the array's line
        ("/paths/~1a~0b~1{id}/delete", 17),
        ("/paths/~1missing/get", 3),  # the deepest step found
    ],
)
def test_line_of_pointer_in_json(pointer, line):
    assert line_of_pointer(JSON_TEXT, pointer, "json") == line


def test_line_of_pointer_in_minified_json_is_the_only_line():
    assert line_of_pointer('{"paths": {"/a": {"get": {}}}}', "/paths/~1a/get", "json") == 1


YAML_TEXT = """# An API
openapi: 3.0.3
paths:
  /orders:
    get:
      description: |
        Lists orders.
        limit: not a key
      parameters:
      - name: limit
        in: query
      -   $ref: '#/components/parameters/offset'
      responses:
        '200':
          description: OK
        "404": {description: Not found}
  /a~b/{id}:
    delete:
      tags:
        - - nested
          - pair
components:
  parameters:
    offset:
      name: offset
"""


@pytest.mark.parametrize(
    "pointer, line",
    [
        ("", 1),
        ("/openapi", 2),
        ("/paths/~1orders/get", 5),
        ("/paths/~1orders/get/description", 6),
        ("/paths/~1orders/get/parameters", 9),
        ("/paths/~1orders/get/parameters/0", 10),
        ("/paths/~1orders/get/parameters/0/in", 11),
        ("/paths/~1orders/get/parameters/1", 12),
        ("/paths/~1orders/get/parameters/1/$ref", 12),
        ("/paths/~1orders/get/responses/200", 14),
        ("/paths/~1orders/get/responses/404", 16),
        ("/paths/~1orders/get/responses/404/description", 16),  # inside a flow mapping: its line
        ("/paths/~1a~0b~1{id}/delete/tags/0/1", 21),
        ("/components/parameters/offset/name", 25),
        ("/paths/~1orders/get/limit", 5),  # text inside a block scalar is no key
    ],
)
def test_line_of_pointer_in_yaml(pointer, line):
    assert line_of_pointer(YAML_TEXT, pointer, "yaml") == line


@pytest.mark.parametrize("language", ["json", "yaml"])
def test_line_of_pointer_finds_every_operation_of_the_github_description(corpus: Path, language: str):
    text = (corpus / "openapi" / f"github-rest-api.{language}").read_text(encoding="utf-8")
    spec = orjson.loads((corpus / "openapi" / "github-rest-api.json").read_bytes())
    lines = text.split("\n")
    pointers = [(["paths", route, method], method) for route, item in spec["paths"].items() for method in item]
    pointers += [(["components", "schemas", name], name) for name in spec["components"]["schemas"]]
    random.Random(7).shuffle(pointers)
    for segments, key in pointers:
        line = line_of_pointer(text, pointer_of(segments), language)
        assert key in lines[line - 1], (segments, line)
