"""The system model's code routes → an OpenAPI 3.1 document (a plain dict), and its JSON or YAML text.

Each code operation becomes an operation object: an `operationId` from its handler's name (made unique), its
parameters with schemas, its request body and responses. A schema that names a component (`Schema.ref`, a pydantic
model or an enum the reader saw) is written once under `components/schemas` and referred to; a component whose
fields are unknown (a class from another package, a DRF serializer) is an object schema saying so. The security
schemes behind the operations' auth dependencies go to `components/securitySchemes`; a dependency whose
mechanism the code does not show gets a bearer scheme whose description says it is assumed.

Output is deterministic: paths sorted, methods in the specification's order, components sorted by name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ...model import ApiParameter, Operation, Response, Schema, SecurityScheme, SystemModel

OPENAPI_VERSION = "3.1.0"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{([^}/]+)\}")
_COMPONENT_KEY = re.compile(r"[^A-Za-z0-9._-]")


def code_operations(model: SystemModel) -> list[Operation]:
    """The operations the document describes: code routes outside tests that are not hidden from documentation,
    one per method and path (the first in the model's order when two applications serve the same one)."""
    chosen: dict[tuple[str, str], Operation] = {}
    for operation in model.operations:
        if operation.origin == "code" and operation.in_schema and model.file_kind(operation.location.path) != "test":
            chosen.setdefault((operation.path, operation.method.lower()), operation)
    return [chosen[key] for key in sorted(chosen, key=lambda k: (k[0], _METHODS.index(k[1]) if k[1] in _METHODS else 99))]


def emit_openapi(model: SystemModel, *, title: str = "API", version: str = "0.1.0") -> dict:
    """An OpenAPI 3.1 document describing the code routes of the model."""
    writer = _Writer()
    paths: dict[str, dict] = {}
    for operation in map(_distinct_parameter_names, code_operations(model)):
        paths.setdefault(operation.path, {})[operation.method.lower()] = writer.operation(operation)
    document: dict = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version, "description": "Reverse-engineered by vitruvius from the routes in the code."},
        "paths": paths,
    }
    components = writer.components()
    if components:
        document["components"] = components
    return document


def _distinct_parameter_names(operation: Operation) -> Operation:
    """A path that names one parameter twice (`/events/{event}/clone/{event}/`, possible in Django) is not a valid
    template: the later occurrences become `{event_2}`, declared as string parameters by the writer."""
    names = _TEMPLATE.findall(operation.path)
    if len(names) == len(set(names)):
        return operation
    seen: dict[str, int] = {}

    def rename(match: re.Match[str]) -> str:
        seen[match[1]] = seen.get(match[1], 0) + 1
        return "{" + match[1] + ("" if seen[match[1]] == 1 else f"_{seen[match[1]]}") + "}"

    return replace(operation, path=_TEMPLATE.sub(rename, operation.path))


def dumps(document: dict, *, yaml: bool = False) -> str:
    """The document as JSON (2-space indent) or as block YAML whose strings are all quoted, so that no YAML
    parser, 1.1 or 1.2, reads `"on"` or `"2024-01-01"` as anything but a string."""
    if not yaml:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return "\n".join(_yaml_lines(document, 0)) + "\n"


@dataclass
class _Writer:
    schemas: dict[str, dict | None] = field(default_factory=dict)
    schemes: dict[str, dict] = field(default_factory=dict)
    operation_ids: set[str] = field(default_factory=set)

    def operation(self, operation: Operation) -> dict:
        written: dict = {"operationId": self._operation_id(operation)}
        if operation.summary:
            written["summary"] = operation.summary
        if operation.tags:
            written["tags"] = list(operation.tags)
        parameters = self._parameters(operation)
        if parameters:
            written["parameters"] = parameters
        body = operation.request_body
        if body is not None:
            content = {media: {"schema": self.schema(body.schema)} for media in body.content_types or ("application/json",)}
            written["requestBody"] = {"required": body.required, "content": content}
        written["responses"] = self._responses(operation.responses)
        security = self._security(operation)
        if security:
            written["security"] = security
        if operation.deprecated:
            written["deprecated"] = True
        return written

    def _operation_id(self, operation: Operation) -> str:
        base = operation.operation_id or (operation.handler or "").rpartition(".")[2] or f"{operation.method.lower()}_{operation.path}"
        base = re.sub(r"[^A-Za-z0-9_]+", "_", base).strip("_") or "operation"
        candidate, number = base, 2
        if candidate in self.operation_ids:
            candidate = f"{base}_{operation.method.lower()}"
        while candidate in self.operation_ids:
            candidate, number = f"{base}_{operation.method.lower()}_{number}", number + 1
        self.operation_ids.add(candidate)
        return candidate

    def _parameters(self, operation: Operation) -> list[dict]:
        """Path parameters exactly as the template names them (untyped ones as strings), then the others."""
        in_template = _TEMPLATE.findall(operation.path)
        declared = {p.name: p for p in operation.parameters if p.where == "path"}
        written = [self._parameter(declared.get(name) or ApiParameter(name, "path", True, Schema(type="string"))) for name in in_template]
        seen = {(p.name, p.where) for p in operation.parameters if p.where == "path"}
        for parameter in operation.parameters:
            if parameter.where != "path" and (parameter.name, parameter.where) not in seen:
                seen.add((parameter.name, parameter.where))
                written.append(self._parameter(parameter))
        return written

    def _parameter(self, parameter: ApiParameter) -> dict:
        return {
            "name": parameter.name,
            "in": parameter.where,
            "required": parameter.where == "path" or parameter.required,
            "schema": self.schema(parameter.schema),
        }

    def _responses(self, responses: Iterable[Response]) -> dict:
        written: dict = {}
        for response in responses:
            entry: dict = {"description": response.description or "Response declared in code"}
            if response.schema is not None:
                entry["content"] = {media: {"schema": self.schema(response.schema)} for media in response.content_types or ("application/json",)}
            written[str(response.status)] = entry
        return written or {"default": {"description": "Responses are not declared in the code"}}

    def _security(self, operation: Operation) -> list[dict]:
        if not operation.security:
            return []
        schemes = list(operation.schemes) or [SecurityScheme(operation.security[0], "")]
        names = []
        for scheme in schemes:
            name = _COMPONENT_KEY.sub("_", scheme.name)
            self.schemes.setdefault(name, _scheme(scheme))
            names.append(name)
        # Several authentication classes are alternatives: any one of them lets a caller in.
        return [{name: []} for name in dict.fromkeys(names)]

    # schemas

    def schema(self, schema: Schema | None) -> dict:
        if schema is None:
            return {}
        if schema.ref:
            name = _COMPONENT_KEY.sub("_", schema.ref)
            if _defines(schema) and self.schemas.get(name) is None:
                self.schemas[name] = {}  # reserved first: a model that refers to itself ends here
                self.schemas[name] = self._definition(schema)
            else:
                self.schemas.setdefault(name, None)
            reference = {"$ref": f"#/components/schemas/{name}"}
            return {"anyOf": [reference, {"type": "null"}]} if schema.nullable else reference
        return self._definition(schema)

    def _definition(self, schema: Schema) -> dict:
        written: dict = {}
        if schema.type:
            written["type"] = [schema.type, "null"] if schema.nullable else schema.type
        if schema.format:
            written["format"] = schema.format
        if schema.enum:
            written["enum"] = [_enum_value(value, schema.type) for value in schema.enum]
        for key, value in (("maxLength", schema.max_length), ("minimum", schema.minimum), ("maximum", schema.maximum),
                           ("maxItems", schema.max_items), ("pattern", schema.pattern)):
            if value is not None:
                written[key] = _number(value)
        if schema.items is not None:
            written["items"] = self.schema(schema.items)
        if schema.properties:
            written["properties"] = {name: self.schema(value) for name, value in schema.properties}
        if schema.required:
            written["required"] = list(schema.required)
        if schema.ref and schema.type == "object" and not schema.properties:
            written["description"] = f"{schema.ref}: its fields are not visible to vitruvius in the code."
        return written

    def components(self) -> dict:
        components: dict = {}
        if self.schemas:
            components["schemas"] = {
                name: definition if definition is not None else {"type": "object", "description": f"{name}: defined outside the analysed code."}
                for name, definition in sorted(self.schemas.items())
            }
        if self.schemes:
            components["securitySchemes"] = dict(sorted(self.schemes.items()))
        return components


def _defines(schema: Schema) -> bool:
    return bool(schema.type or schema.properties or schema.enum or schema.items)


def _scheme(scheme: SecurityScheme) -> dict:
    if scheme.type == "apiKey":
        return {"type": "apiKey", "in": scheme.where or "header", "name": scheme.parameter or "X-API-Key"}
    if scheme.type == "http":
        return {"type": "http", "scheme": scheme.scheme or "bearer"}
    if scheme.type == "oauth2":
        return {"type": "oauth2", "flows": {"password": {"tokenUrl": scheme.token_url or "/token", "scopes": {}}}}
    if scheme.type == "openIdConnect":
        return {"type": "openIdConnect", "openIdConnectUrl": scheme.token_url or "/.well-known/openid-configuration"}
    return {
        "type": "http",
        "scheme": "bearer",
        "description": f"Assumed: {scheme.name} authenticates callers, but the code does not show how. Replace with the real scheme.",
    }


def _enum_value(value: str, kind: str | None) -> object:
    if kind == "integer" and value.lstrip("-").isdigit():
        return int(value)
    return value


def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# ---- YAML -------------------------------------------------------------------------------------------------------

_PLAIN_KEY = re.compile(r"[A-Za-z_$/][A-Za-z0-9_.$/{}-]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _yaml_lines(value: object, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        lines = []
        for key, item in value.items():
            lines += _yaml_entry(f"{pad}{_yaml_key(str(key))}:", item, indent)
        return lines
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        lines = []
        for item in value:
            lines += _yaml_entry(f"{pad}-", item, indent)
        return lines
    return [pad + _yaml_scalar(value)]


def _yaml_entry(head: str, item: object, indent: int) -> list[str]:
    if isinstance(item, (dict, list)) and item:
        nested = _yaml_lines(item, indent + 2)
        if head.endswith("-"):  # a list item: its first line goes after the dash (`- name: x`)
            return [head + " " + nested[0].lstrip(" "), *nested[1:]]
        return [head, *nested]
    inline = "{}" if isinstance(item, dict) else "[]" if isinstance(item, list) else _yaml_scalar(item)
    return [f"{head} {inline}"]


def _yaml_key(key: str) -> str:
    plain = _PLAIN_KEY.fullmatch(key) and key.lower() not in _YAML_WORDS
    return key if plain else json.dumps(key, ensure_ascii=False)


def _yaml_scalar(value: object) -> str:
    # JSON's scalars are YAML's: double-quoted strings, numbers, true/false/null.
    return json.dumps(value, ensure_ascii=False)
