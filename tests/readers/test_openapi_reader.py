"""The OpenAPI reader: Swagger 2.0, OpenAPI 3.0 and 3.1 documents → Operations, an ApiDocument and Notes."""

from __future__ import annotations

import textwrap
from pathlib import Path

from vitruvius.model import Location, Schema, SecurityScheme
from vitruvius.readers.documents import load_document
from vitruvius.readers.openapi import is_openapi, looks_like_openapi, read_openapi


def read_yaml(text: str, files: dict[str, str] | None = None, path: str = "api/openapi.yaml"):
    """Read an in-memory YAML document; `files` are the other files its `$ref`s may load (path → YAML)."""
    loaded: list[str] = []

    def load_file(name: str) -> object | None:
        loaded.append(name)
        return load_document(name, textwrap.dedent(files[name]))[0] if files and name in files else None

    data, note = load_document(path, textwrap.dedent(text))
    assert note is None, note
    operations, document, notes = read_openapi(path, data, load_file)
    return {f"{o.method} {o.path}": o for o in operations}, document, notes, loaded


def test_looks_like_openapi_is_a_cheap_test_of_the_text_before_parsing():
    assert looks_like_openapi("openapi: 3.1.0\n") and looks_like_openapi("# API\nswagger: '2.0'\n")
    assert looks_like_openapi('{"info": {}, "openapi": "3.0.0"}') and looks_like_openapi("{'swagger': '2.0'}")
    assert not looks_like_openapi("services:\n  web: {image: nginx}\n")
    assert not looks_like_openapi('{"dependencies": {"openapi-typescript": "7"}}')


def test_is_openapi_needs_a_top_level_openapi_or_swagger_key():
    assert is_openapi({"openapi": "3.1.0"}) and is_openapi({"swagger": "2.0"})
    assert not is_openapi({"services": {}}) and not is_openapi(["openapi"]) and not is_openapi(None)
    assert read_openapi("compose.yaml", {"services": {}}, lambda _: None) == ([], None, [])


OPENAPI_30 = """
openapi: 3.0.3
info: {title: Orders, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
security: [{bearer: []}]
paths:
  /orders/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      - {name: verbose, in: query, schema: {type: boolean}}
    get:
      operationId: getOrder
      summary: Get an order
      tags: [orders]
      parameters:
        - {name: verbose, in: query, required: true, schema: {type: integer}}
        - $ref: '#/components/parameters/Trace'
      responses:
        200:
          description: The order
          headers: {ETag: {schema: {type: string}}}
          content:
            application/xml: {schema: {type: string}}
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
              example: {id: "1"}
        404: {$ref: '#/components/responses/NotFound'}
    delete:
      security: []
      deprecated: true
      responses: {204: {description: Deleted}}
  /orders:
    post:
      security: [{bearer: [orders:write]}, {apiKey: []}]
      requestBody:
        $ref: '#/components/requestBodies/NewOrder'
      responses: {201: {description: Created}}
    put:
      security: [{apiKey: []}, {}]
      responses: {200: {description: OK}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    apiKey: {type: apiKey, in: header, name: X-Key}
  parameters:
    Trace: {name: X-Trace, in: header, schema: {type: string, maxLength: 64}}
  requestBodies:
    NewOrder:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [item]
            properties:
              item: {type: string, maxLength: 100, pattern: "^[a-z]+$"}
              quantity: {type: integer, minimum: 1, maximum: 10, exclusiveMaximum: true}
              note: {type: string, nullable: true}
  responses:
    NotFound:
      description: Not found
      content: {application/problem+json: {schema: {$ref: '#/components/schemas/Problem'}}}
  schemas:
    Order:
      type: object
      required: [id]
      properties:
        id: {type: string, example: "1"}
        status: {type: string, enum: [open, closed]}
        lines: {type: array, maxItems: 50, items: {$ref: '#/components/schemas/Line'}}
        customer: {$ref: '#/components/schemas/Customer'}
    Line: {type: object, properties: {sku: {type: string}}}
    Customer: {type: object, properties: {name: {type: string}}}
    Problem: {type: object, properties: {title: {type: string}}}
    Unused: {type: string}
"""


def test_openapi_30_operations():
    operations, _, notes, _ = read_yaml(OPENAPI_30)
    assert notes == []
    assert sorted(operations) == ["DELETE /orders/{id}", "GET /orders/{id}", "POST /orders", "PUT /orders"]
    get = operations["GET /orders/{id}"]
    assert (get.operation_id, get.summary, get.tags, get.deprecated, get.origin) == ("getOrder", "Get an order", ("orders",), False, "openapi")
    assert get.document == "api/openapi.yaml"
    assert get.location == Location("api/openapi.yaml", 0, pointer="/paths/~1orders~1{id}/get")
    assert get.key == "op:GET /orders/{id}"
    assert operations["DELETE /orders/{id}"].deprecated


def test_path_level_parameters_are_merged_and_overridden_by_the_operation():
    operations, _, _, _ = read_yaml(OPENAPI_30)
    get = operations["GET /orders/{id}"]
    assert [(p.name, p.where, p.required) for p in get.parameters] == [("id", "path", True), ("verbose", "query", True), ("X-Trace", "header", False)]
    assert get.parameters[0].schema.format == "uuid"
    assert get.parameters[1].schema.type == "integer"  # the operation's own, not the path's boolean
    assert get.parameters[1].location.pointer == "/paths/~1orders~1{id}/get/parameters/0"
    assert get.parameters[2].schema.max_length == 64
    assert get.parameters[2].location.pointer == "/components/parameters/Trace"
    assert [p.name for p in operations["DELETE /orders/{id}"].parameters] == ["id", "verbose"]


def test_responses_carry_status_content_schema_headers_and_examples():
    operations, _, _, _ = read_yaml(OPENAPI_30)
    ok, not_found = operations["GET /orders/{id}"].responses
    assert (ok.status, ok.description, ok.content_types, ok.headers, ok.has_example) == ("200", "The order", ("application/xml", "application/json"), ("ETag",), True)
    assert ok.schema.ref == "Order"  # JSON is preferred over the first media type
    assert (not_found.status, not_found.description, not_found.content_types) == ("404", "Not found", ("application/problem+json",))
    assert not_found.schema.ref == "Problem" and not_found.schema.properties[0][0] == "title"


def test_a_referenced_component_has_one_level_of_properties_and_names_deeper_references():
    operations, document, _, _ = read_yaml(OPENAPI_30)
    order = operations["GET /orders/{id}"].response("200").schema
    assert (order.ref, order.type, order.required) == ("Order", "object", ("id",))
    assert order.location == Location("api/openapi.yaml", 0, pointer="/components/schemas/Order")
    properties = dict(order.properties)
    assert properties["id"].has_example and properties["status"].enum == ("open", "closed")
    assert properties["lines"].max_items == 50 and properties["lines"].items is None
    assert properties["customer"] == Schema(ref="Customer", location=Location("api/openapi.yaml", 0, pointer="/components/schemas/Order/properties/customer"))
    assert dict(document.schemas)["Order"] is order  # converted once, shared


def test_request_body_from_components():
    operations, _, _, _ = read_yaml(OPENAPI_30)
    body = operations["POST /orders"].request_body
    assert (body.content_types, body.required, body.has_example) == (("application/json",), True, False)
    schema = body.schema
    assert schema.required == ("item",)
    item, quantity, note = (s for _, s in schema.properties)
    assert (item.max_length, item.pattern) == (100, "^[a-z]+$")
    assert (quantity.minimum, quantity.maximum) == (1.0, 10.0)
    assert note.nullable and not item.nullable


def test_security_is_inherited_overridden_or_explicitly_public():
    operations, document, _, _ = read_yaml(OPENAPI_30)
    assert operations["GET /orders/{id}"].security == ("bearer",)
    assert operations["DELETE /orders/{id}"].security == ()
    assert operations["POST /orders"].security == ("bearer", "apiKey")
    assert operations["PUT /orders"].security == ()  # an empty alternative: callable without credentials
    assert document.security == ("bearer",)
    unsecured, _, _, _ = read_yaml("openapi: 3.0.0\npaths: {/a: {get: {responses: {}}}}\n")
    assert unsecured["GET /a"].security is None


def test_api_document():
    _, document, _, _ = read_yaml(OPENAPI_30)
    assert (document.path, document.version, document.title) == ("api/openapi.yaml", "3.0.3", "Orders")
    assert document.servers == ("https://api.example.com/v1",)
    assert document.security_schemes == (
        SecurityScheme("bearer", "http", Location("api/openapi.yaml", 0, pointer="/components/securitySchemes/bearer"), scheme="bearer"),
        SecurityScheme(
            "apiKey", "apiKey", Location("api/openapi.yaml", 0, pointer="/components/securitySchemes/apiKey"), where="header", parameter="X-Key"
        ),
    )
    assert [name for name, _ in document.schemas] == ["Order", "Line", "Customer", "Problem", "Unused"]
    assert dict(document.schemas)["Unused"].location.pointer == "/components/schemas/Unused"
    assert document.referenced == {
        "#/components/parameters/Trace", "#/components/responses/NotFound", "#/components/requestBodies/NewOrder",
        "#/components/schemas/Order", "#/components/schemas/Line", "#/components/schemas/Customer", "#/components/schemas/Problem",
    }
    # Every component but the security schemes, which requirements name instead of referencing.
    assert document.components == (
        "/components/parameters/Trace", "/components/requestBodies/NewOrder", "/components/responses/NotFound",
        "/components/schemas/Order", "/components/schemas/Line", "/components/schemas/Customer", "/components/schemas/Problem",
        "/components/schemas/Unused",
    )
    assert document.key == "openapi:api/openapi.yaml"


def test_operation_pointers_escape_tilde_and_slash():
    operations, _, _, _ = read_yaml("openapi: 3.0.0\npaths: {'/a~b/{id}': {get: {responses: {}}}}\n")
    assert operations["GET /a~b/{id}"].location.pointer == "/paths/~1a~0b~1{id}/get"


OPENAPI_31 = """
openapi: 3.1.0
info: {title: Pets}
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: [string, "null"], maxLength: 20}
                tag: {anyOf: [{type: string}, {type: "null"}]}
                age: {type: integer, exclusiveMinimum: 0, examples: [3]}
                owner: {anyOf: [{$ref: '#/components/schemas/Owner'}, {type: "null"}]}
      responses: {"201": {description: Created}}
components:
  schemas:
    Owner: {type: object, properties: {id: {type: integer}}}
"""


def test_openapi_31_nullable_types_and_numeric_exclusive_bounds():
    operations, document, notes, _ = read_yaml(OPENAPI_31)
    assert notes == [] and document.version == "3.1.0"
    name, tag, age, owner = (s for _, s in operations["POST /pets"].request_body.schema.properties)
    assert (name.type, name.nullable, name.max_length) == ("string", True, 20)
    assert (tag.type, tag.nullable) == ("string", True)
    assert (age.minimum, age.has_example, age.nullable) == (0.0, True, False)
    assert (owner.ref, owner.nullable, owner.properties[0][0]) == ("Owner", True, "id")


SWAGGER_20 = """
swagger: "2.0"
info: {title: Legacy, version: "1"}
host: api.example.com
basePath: /v2
schemes: [https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  basic: {type: basic}
security: [{basic: []}]
parameters:
  Limit: {name: limit, in: query, type: integer, maximum: 100}
paths:
  /pets:
    get:
      parameters: [{$ref: '#/parameters/Limit'}]
      responses:
        200:
          description: Pets
          headers: {X-Total: {type: integer}}
          schema: {type: array, items: {$ref: '#/definitions/Pet'}}
          examples: {application/json: []}
    post:
      parameters:
        - {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
      responses: {201: {description: Created}}
  /pets/{id}/photo:
    put:
      security: []
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: file, in: formData, type: file, required: true}
        - {name: caption, in: formData, type: string, maxLength: 80, x-nullable: true}
      responses: {204: {description: Stored}}
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      name: {type: string}
      tags: {type: array, items: {type: string}}
"""


def test_swagger_20():
    operations, document, notes, _ = read_yaml(SWAGGER_20, path="swagger.yaml")
    assert notes == []
    assert (document.version, document.servers, document.security) == ("2.0", ("https://api.example.com/v2",), ("basic",))
    assert document.security_schemes == (SecurityScheme("basic", "basic", Location("swagger.yaml", 0, pointer="/securityDefinitions/basic")),)
    assert [name for name, _ in document.schemas] == ["Pet"]

    listing = operations["GET /pets"]
    assert [(p.name, p.where, p.schema.type, p.schema.maximum) for p in listing.parameters] == [("limit", "query", "integer", 100.0)]
    ok = listing.response("200")
    assert (ok.content_types, ok.headers, ok.has_example) == (("application/json",), ("X-Total",), True)
    assert ok.schema.type == "array" and ok.schema.items.ref == "Pet" and ok.schema.items.required == ("name",)
    assert listing.security == ("basic",)

    create = operations["POST /pets"]
    assert create.parameters == ()
    assert (create.request_body.content_types, create.request_body.required, create.request_body.schema.ref) == (("application/json",), True, "Pet")

    upload = operations["PUT /pets/{id}/photo"]
    assert [p.name for p in upload.parameters] == ["id"] and upload.security == ()
    form = upload.request_body
    assert form.content_types == ("application/json",)  # the document's `consumes`
    assert [name for name, _ in form.schema.properties] == ["file", "caption"] and form.schema.required == ("file",)
    assert dict(form.schema.properties)["caption"].nullable


def test_swagger_form_data_without_consumes_defaults_by_content():
    text = """
    swagger: "2.0"
    paths:
      /upload:
        post:
          parameters: [{name: f, in: formData, type: file}]
          responses: {200: {description: OK}}
    """
    operations, _, _, _ = read_yaml(text)
    assert operations["POST /upload"].request_body.content_types == ("multipart/form-data",)


def test_cross_file_references_are_loaded_lazily_relative_to_the_referring_file():
    text = """
    openapi: 3.0.0
    paths:
      /pets:
        $ref: './paths/pets.yaml'
    """
    files = {
        "api/paths/pets.yaml": """
            get:
              responses:
                200:
                  description: OK
                  content: {application/json: {schema: {$ref: '../schemas/pet.yaml'}}}
                default:
                  description: Error
                  content: {application/json: {schema: {$ref: '../common.yaml#/components/schemas/Error'}}}
        """,
        "api/schemas/pet.yaml": """
            type: object
            properties:
              name: {type: string}
              owner: {$ref: 'owner.yaml'}
        """,
        "api/common.yaml": "components: {schemas: {Error: {type: object, properties: {code: {type: integer}}}}}",
    }
    operations, _, notes, loaded = read_yaml(text, files)
    assert notes == []
    ok, error = operations["GET /pets"].responses
    assert ok.schema.ref == "api/schemas/pet.yaml" and ok.schema.type == "object"
    assert dict(ok.schema.properties)["owner"].ref == "api/schemas/owner.yaml"  # named, not loaded
    assert error.schema.ref == "api/common.yaml#/components/schemas/Error" and error.schema.properties[0][0] == "code"
    assert error.schema.location == Location("api/common.yaml", 0, pointer="/components/schemas/Error")
    assert operations["GET /pets"].location == Location("api/paths/pets.yaml", 0, pointer="/get")
    assert sorted(loaded) == ["api/common.yaml", "api/paths/pets.yaml", "api/schemas/pet.yaml"]


def test_a_broken_reference_is_one_note_and_the_rest_is_read():
    text = """
    openapi: 3.0.0
    paths:
      /a:
        get:
          parameters: [{$ref: 'missing.yaml#/P'}, {name: q, in: query}]
          responses:
            200: {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}
            201: {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}
      /b:
        get:
          responses: {200: {$ref: '../../outside.yaml'}}
    components:
      schemas:
        Holder: {type: object, properties: {gone: {$ref: '#/components/schemas/Gone'}}}
    """
    operations, _, notes, _ = read_yaml(text)
    assert [p.name for p in operations["GET /a"].parameters] == ["q"]
    assert operations["GET /a"].response("200").schema.ref == "Nope"
    assert operations["GET /b"].response("200").description == ""
    assert [(n.kind, n.location.pointer, n.message) for n in notes] == [
        ("unreadable-file", "/paths/~1a/get/parameters/0/$ref",
         "api/openapi.yaml: $ref 'missing.yaml#/P' cannot be resolved: api/missing.yaml is missing or unreadable"),
        ("unreadable-file", "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
         "api/openapi.yaml: $ref '#/components/schemas/Nope' cannot be resolved: api/openapi.yaml has no /components/schemas/Nope"),
        ("unreadable-file", "/paths/~1b/get/responses/200/$ref",
         "api/openapi.yaml: $ref '../../outside.yaml' cannot be resolved: ../../outside.yaml is outside the reviewed folder"),
        ("unreadable-file", "/components/schemas/Holder/properties/gone/$ref",
         "api/openapi.yaml: $ref '#/components/schemas/Gone' cannot be resolved: api/openapi.yaml has no /components/schemas/Gone"),
    ]


def test_recursive_and_circular_schemas_terminate():
    text = """
    openapi: 3.0.0
    paths:
      /tree:
        get:
          responses:
            200: {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}}
            201: {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
            202: {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Loop'}}}}
    components:
      schemas:
        Node:
          type: object
          properties:
            children: {type: array, items: {$ref: '#/components/schemas/Node'}}
            parent: {$ref: '#/components/schemas/Node'}
        A: {allOf: [{$ref: '#/components/schemas/B'}, {properties: {a: {type: string}}}]}
        B: {allOf: [{$ref: '#/components/schemas/A'}, {properties: {b: {type: string}}}]}
        Loop: {$ref: '#/components/schemas/Loop2'}
        Loop2: {$ref: '#/components/schemas/Loop'}
    """
    operations, document, notes, _ = read_yaml(text)
    node, a, loop = (r.schema for r in operations["GET /tree"].responses)
    assert [name for name, _ in node.properties] == ["children", "parent"] and dict(node.properties)["parent"].ref == "Node"
    assert {name for name, _ in a.properties} == {"a", "b"}
    assert loop.ref == "Loop"
    assert len(notes) == 1 and "leads back to itself" in notes[0].message
    assert len(document.schemas) == 5


def test_unquoted_numeric_status_codes_in_yaml_are_text():
    operations, _, _, _ = read_yaml("openapi: 3.0.0\npaths: {/a: {get: {responses: {200: {description: OK}}}}}\n")
    assert operations["GET /a"].responses[0].status == "200"


def test_the_github_description_has_1223_operations_and_reads_alike_from_json_and_yaml(corpus: Path):
    read = {}
    for language in ("json", "yaml"):
        path = corpus / "openapi" / f"github-rest-api.{language}"
        data, note = load_document(path.name, path.read_text(encoding="utf-8"))
        assert note is None
        read[language] = read_openapi("github", data, lambda _: None)
    operations, document, notes = read["json"]
    assert len(operations) == 1223
    assert notes == []
    assert (document.version, document.servers, len(document.schemas)) == ("3.0.3", ("https://api.github.com",), 969)
    assert read["yaml"] == read["json"]
    create_issue = next(o for o in operations if o.operation_id == "issues/create")
    assert (create_issue.method, create_issue.path) == ("POST", "/repos/{owner}/{repo}/issues")
    assert create_issue.response("201").schema.ref == "issue" and create_issue.request_body.schema.required == ("title",)
