"""OpenAPI 3.0 / 3.1 and Swagger 2.0 documents → Operations, one ApiDocument and Notes.

Everything keeps a JSON pointer as its location (line 0); the review turns pointers into lines only for the
findings it reports. `$ref`s are followed lazily and only as far as design rules look: a schema that an
operation names by reference becomes the component's Schema with one level of properties, and references
inside the component stay `Schema(ref=name)`; every component is in `ApiDocument.schemas` under that name,
for a rule that needs to look deeper. So a recursive schema costs one level, each component is converted
once per document read, and another file is loaded only when a reference into it is followed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace

from ..model import ApiDocument, ApiParameter, Body, Location, Note, Operation, Response, Schema, SecurityScheme
from .documents import pointer_of, pointer_segments

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# How deep a schema is converted: its properties and items (level 1), and theirs (level 2) by their own facts
# only. Design rules judge the fields of parameters, bodies and responses; what lies deeper is in the
# components that `$ref`s name, and a limit also keeps recursive or very deep schemas cheap.
SCHEMA_LEVELS = 2

LoadFile = Callable[[str], object | None]
# How the top-level key of an OpenAPI or Swagger document is written in JSON or block YAML.
_MARKS = ('"openapi"', "'openapi'", "\nopenapi:", '"swagger"', "'swagger'", "\nswagger:")


def looks_like_openapi(text: str) -> bool:
    """Whether a JSON or YAML text may be an OpenAPI document, by a substring test that costs milliseconds on
    megabytes: only such texts are worth parsing. `is_openapi` decides on the parsed value."""
    return text.startswith(("openapi:", "swagger:")) or any(mark in text for mark in _MARKS)


def is_openapi(data: object) -> bool:
    return isinstance(data, dict) and ("openapi" in data or "swagger" in data)


def read_openapi(path: str, data: object, load_file: LoadFile) -> tuple[list[Operation], ApiDocument | None, list[Note]]:
    """The operations and the document description of the OpenAPI document at `path` (root-relative).

    `load_file(path)` gives the loaded value of another file of the repository, by root-relative path, or None
    when it is missing or unreadable; it is called once per file that a cross-file `$ref` needs.
    """
    if not is_openapi(data):
        return [], None, []
    reader = _Reader(path, data, load_file)
    operations = list(reader.operations())
    document = reader.document()
    reader.check_references(document.referenced)
    return operations, document, reader.notes


@dataclass(frozen=True, slots=True)
class _Node:
    """A value of a document, with the file and the JSON pointer where it stands."""

    file: str
    pointer: str
    value: object

    def at(self, key: str) -> _Node | None:
        """The child under `key`: a mapping key, or a list index written as text, as in a JSON pointer."""
        value = self.value
        if isinstance(value, dict):
            # YAML reads `200:` as a number
            actual: object = int(key) if key not in value and key.isdigit() and int(key) in value else key
            return _Node(self.file, f"{self.pointer}/{_escape(key)}", value[actual]) if actual in value else None
        if isinstance(value, list) and key.isdigit() and int(key) < len(value):
            return _Node(self.file, f"{self.pointer}/{key}", value[int(key)])
        return None

    def get(self, key: str) -> object:
        return self.value.get(key) if isinstance(self.value, dict) else None

    def entries(self) -> Iterator[tuple[str, _Node]]:
        """The (key, child) pairs of a mapping; keys as text (YAML reads `200:` as a number)."""
        if isinstance(self.value, dict):
            for key, value in self.value.items():
                yield str(key), _Node(self.file, f"{self.pointer}/{_escape(str(key))}", value)

    def elements(self) -> Iterator[_Node]:
        if isinstance(self.value, list):
            for index, value in enumerate(self.value):
                yield _Node(self.file, f"{self.pointer}/{index}", value)

    @property
    def location(self) -> Location:
        return Location(self.file, 0, pointer=self.pointer)


class _Reader:
    """One read of one document: the files it reached, the components it converted and the notes it made."""

    def __init__(self, path: str, data: dict, load_file: LoadFile) -> None:
        self.path = path
        self.root = _Node(path, "", data)
        self.swagger = "openapi" not in data
        self.notes: list[Note] = []
        self._load_file = load_file
        self._files: dict[str, object | None] = {path: data}
        self._targets: dict[tuple[str, str], _Node | str] = {}
        self._reported: set[tuple[str, str]] = set()
        self._components: dict[tuple[str, str], Schema] = {}
        self._converting: set[tuple[str, str]] = set()

    # The operations

    def operations(self) -> Iterator[Operation]:
        paths = self.root.at("paths")
        for route, item in paths.entries() if paths else ():
            item = self.resolve(item)
            if item is None or not isinstance(item.value, dict):
                continue
            shared = self._parameter_nodes(item.at("parameters"))
            for method in HTTP_METHODS:
                operation = item.at(method)
                if operation is not None and isinstance(operation.value, dict):
                    yield self._operation(route, method, operation, shared)

    def _operation(self, route: str, method: str, node: _Node, shared: list[_Node]) -> Operation:
        parameters = _merged(shared, self._parameter_nodes(node.at("parameters")))
        summary, operation_id = node.get("summary"), node.get("operationId")
        return Operation(
            method=method.upper(),
            path=route,
            location=node.location,
            origin="openapi",
            operation_id=str(operation_id) if operation_id is not None else None,
            parameters=tuple(self._parameter(p) for p in parameters if p.get("in") not in ("body", "formData")),
            request_body=self._swagger_body(node, parameters) if self.swagger else self._request_body(node),
            responses=tuple(self._response(status, r, node) for status, r in _entries(node.at("responses"))),
            security=_security(node.get("security")) if "security" in node.value else _security(self.root.get("security")),
            tags=tuple(str(tag) for tag in node.get("tags") or () if isinstance(tag, str)),
            summary=summary if isinstance(summary, str) else "",
            deprecated=node.get("deprecated") is True,
            document=self.path,
        )

    def _parameter_nodes(self, node: _Node | None) -> list[_Node]:
        resolved = (self.resolve(element) for element in node.elements()) if node else ()
        return [p for p in resolved if p is not None and isinstance(p.get("name"), str) and isinstance(p.get("in"), str)]

    def _parameter(self, node: _Node) -> ApiParameter:
        if self.swagger:
            schema = self.schema(node)  # a Swagger 2.0 parameter carries its type, format, enum… itself
        elif node.at("schema") is not None:
            schema = self.schema(node.at("schema"))
        else:
            media = _preferred_media(node.at("content"))
            schema = self.schema(media.at("schema")) if media else None
        return ApiParameter(node.get("name"), node.get("in"), node.get("required") is True, schema, node.location)

    def _request_body(self, operation: _Node) -> Body | None:
        node = self.resolve(operation.at("requestBody")) if operation.at("requestBody") else None
        if node is None or not isinstance(node.value, dict):
            return None
        content = node.at("content")
        media = _preferred_media(content)
        schema = self.schema(media.at("schema")) if media else None
        return Body(_keys(content), schema, node.get("required") is True, _media_has_example(content, schema))

    def _swagger_body(self, operation: _Node, parameters: list[_Node]) -> Body | None:
        consumes = _strings(operation.get("consumes") if "consumes" in operation.value else self.root.get("consumes"))
        body = next((p for p in parameters if p.get("in") == "body"), None)
        if body is not None:
            schema = self.schema(body.at("schema"))
            return Body(consumes, schema, body.get("required") is True, bool(schema and schema.has_example))
        form = [p for p in parameters if p.get("in") == "formData"]
        if not form:
            return None
        if not consumes:
            uploads = any(p.get("type") == "file" for p in form)
            consumes = ("multipart/form-data",) if uploads else ("application/x-www-form-urlencoded",)
        form_fields = tuple((p.get("name"), self.schema(p)) for p in form)
        required = tuple(p.get("name") for p in form if p.get("required") is True)
        schema = Schema(type="object", properties=form_fields, required=required, location=form[0].location)
        return Body(consumes, schema, bool(required), any(s and s.has_example for _, s in form_fields))

    def _response(self, status: str, node: _Node, operation: _Node) -> Response:
        resolved = self.resolve(node)
        if resolved is None or not isinstance(resolved.value, dict):
            return Response(status)
        description = resolved.get("description")
        headers = tuple(name for name, _ in resolved.at("headers").entries()) if resolved.at("headers") else ()
        if self.swagger:
            schema = self.schema(resolved.at("schema"))
            produces = operation.get("produces") if "produces" in operation.value else self.root.get("produces")
            has_example = bool(resolved.get("examples")) or bool(schema and schema.has_example)
            content_types = _strings(produces) if schema else ()
        else:
            content = resolved.at("content")
            media = _preferred_media(content)
            schema = self.schema(media.at("schema")) if media else None
            content_types, has_example = _keys(content), _media_has_example(content, schema)
        return Response(status, description if isinstance(description, str) else "", content_types, schema, headers, has_example)

    # Schemas

    def schema(self, node: _Node | None, expand: bool = True, level: int = 0) -> Schema | None:
        """The Schema at `node`, `level` deep in the schema being converted. With `expand`, a `$ref` within the
        levels becomes its component's Schema; otherwise it stays a name, `Schema(ref=…)`."""
        value = node.value if node is not None else None
        if not isinstance(value, dict):
            return None
        if isinstance(value.get("$ref"), str):
            if expand and level <= SCHEMA_LEVELS:
                return self._component(node)
            return Schema(ref=self._name_of_ref(node), location=node.location)
        if "anyOf" in value or "oneOf" in value:
            alternative = self._nullable_alternative(node, expand, level)
            if alternative is not None:
                return alternative
        own = self._own_schema(node, expand, level)
        return self._with_all_of(node, own, expand, level) if "allOf" in value else own

    def _own_schema(self, node: _Node, expand: bool, level: int) -> Schema:
        value = node.value
        kind, null_in_type = _type(value)
        enum = value.get("enum")
        deeper = level < SCHEMA_LEVELS
        return Schema(
            type=kind,
            format=_text(value.get("format")),
            properties=self._properties(node, expand, level + 1) if deeper and isinstance(value.get("properties"), dict) else (),
            required=_strings(value.get("required")),
            items=self.schema(node.at("items"), expand, level + 1) if deeper and "items" in value else None,
            enum=tuple(_enum_text(v) for v in enum if v is not None) if isinstance(enum, list) else (),
            max_length=_integer(value.get("maxLength")),
            minimum=_bound(value, "minimum", "exclusiveMinimum"),
            maximum=_bound(value, "maximum", "exclusiveMaximum"),
            max_items=_integer(value.get("maxItems")),
            pattern=_text(value.get("pattern")),
            nullable=null_in_type or value.get("nullable") is True or value.get("x-nullable") is True,
            has_example="example" in value or "examples" in value,
            location=node.location,
            composed="oneOf" in value or "anyOf" in value,
        )

    def _properties(self, node: _Node, expand: bool, level: int) -> tuple[tuple[str, Schema], ...]:
        base = node.pointer + "/properties/"
        return tuple(
            (str(name), self.schema(_Node(node.file, base + _escape(str(name)), value), expand, level) or Schema())
            for name, value in node.value["properties"].items()
        )

    def _nullable_alternative(self, node: _Node, expand: bool, level: int) -> Schema | None:
        """`anyOf`/`oneOf` of one schema and `{type: "null"}`: how OpenAPI 3.1 (and FastAPI) spell an optional value."""
        for keyword in ("anyOf", "oneOf"):
            options = list(node.at(keyword).elements()) if node.at(keyword) else []
            others = [o for o in options if not (isinstance(o.value, dict) and o.value.get("type") == "null")]
            if len(options) == 2 and len(others) == 1:
                inner = self.schema(others[0], expand, level)
                return replace(inner, nullable=True) if inner else None
        return None

    def _with_all_of(self, node: _Node, own: Schema, expand: bool, level: int) -> Schema:
        """A schema composed with `allOf` has the properties of every part: the usual way to extend a component."""
        parts = node.at("allOf")
        # A part named by reference is expanded even inside a component: its properties are the component's own.
        converted = (self._component(p) if isinstance(p.get("$ref"), str) else self.schema(p, expand, level) for p in parts.elements())
        return _merge(own, [part for part in converted if part is not None])

    def _component(self, node: _Node) -> Schema | None:
        """The schema a `$ref` names, with its own properties converted and the references in them kept as names."""
        target = self.resolve(node)
        if target is None:
            return Schema(ref=self._name_of_ref(node), location=node.location)
        return self._component_at(target)

    def _component_at(self, target: _Node) -> Schema | None:
        key = (target.file, target.pointer)
        cached = self._components.get(key)
        if cached is not None:
            return cached
        if key in self._converting:  # an `allOf` that leads back to a schema being converted: nothing new to add
            return None
        self._converting.add(key)
        try:
            # A component counts as one level down, so that it holds its properties by their own facts only.
            converted = self.schema(target, False, SCHEMA_LEVELS - 1) or Schema(location=target.location)
        finally:
            self._converting.discard(key)
        converted = self._components[key] = replace(converted, ref=self._name(target.file, target.pointer))
        return converted

    # References

    def resolve(self, node: _Node | None) -> _Node | None:
        """The value `node` stands for: itself, or what its chain of `$ref`s leads to; None when a reference breaks."""
        seen: set[tuple[str, str]] = set()
        while node is not None and isinstance(node.get("$ref"), str):
            if (node.file, node.pointer) in seen:
                self._report(node, "it leads back to itself")
                return None
            seen.add((node.file, node.pointer))
            target = self._target(node.file, node.get("$ref"))
            if isinstance(target, str):
                self._report(node, target)
                return None
            node = target
        return node

    def _target(self, file: str, ref: str) -> _Node | str:
        """What `ref`, written in `file`, points at; or why it cannot be followed. Each is worked out once."""
        key = (file, ref)
        if key not in self._targets:
            self._targets[key] = self._locate(file, ref)
        return self._targets[key]

    def _locate(self, base: str, ref: str) -> _Node | str:
        address = _address(base, ref)
        if isinstance(address, str):
            return address
        file, segments = address
        data = self._document(file)
        if data is None:
            return f"{file} is missing or unreadable"
        target: _Node | None = _Node(file, "", data)
        for segment in segments:
            target = target.at(segment) if target is not None else None
        return target if target is not None else f"{file} has no {pointer_of(segments)}"

    def _document(self, file: str) -> object | None:
        if file not in self._files:
            self._files[file] = self._load_file(file)
        return self._files[file]

    def _report(self, node: _Node, reason: str) -> None:
        ref = node.get("$ref")
        if (node.file, ref) not in self._reported:
            self._reported.add((node.file, ref))
            where = Location(node.file, 0, pointer=f"{node.pointer}/$ref")
            self.notes.append(Note("unreadable-file", where, f"{node.file}: $ref '{ref}' cannot be resolved: {reason}"))

    def check_references(self, references: frozenset[str]) -> None:
        """Follow every `$ref` within the document once, so that a broken one is noted even where no operation
        looks. References to other files are checked when followed: checking them here would load every file."""
        for ref in sorted(r for r in references if r.startswith("#")):
            if (self.path, ref) not in self._reported and isinstance(self._target(self.path, ref), str):
                self.resolve(_Node(self.path, _site_of(self.root.value, ref), {"$ref": ref}))

    def _name_of_ref(self, node: _Node) -> str:
        address = _address(node.file, node.get("$ref"))
        return node.get("$ref") if isinstance(address, str) else self._name(address[0], pointer_of(address[1]))

    def _name(self, file: str, pointer: str) -> str:
        """A component schema of the document itself is named as in `ApiDocument.schemas`; anything else by address."""
        if file == self.path:
            segments = pointer_segments(pointer)
            if len(segments) == 3 and segments[:2] == ["components", "schemas"] or len(segments) == 2 and segments[0] == "definitions":
                return segments[-1]
            return "#" + pointer
        return f"{file}#{pointer}" if pointer else file

    # The document

    def document(self) -> ApiDocument:
        root = self.root
        info = root.get("info")
        title = info.get("title") if isinstance(info, dict) else None
        return ApiDocument(
            path=self.path,
            version=str(root.get("swagger") if self.swagger else root.get("openapi")),
            location=Location(self.path, 1),
            title=title if isinstance(title, str) else "",
            servers=self._swagger_servers() if self.swagger else _server_urls(root.get("servers")),
            security=_security(root.get("security")),
            security_schemes=tuple(self._security_schemes()),
            schemas=tuple((name, self._component_at(node)) for name, node in self._component_schemas()),
            referenced=_references(root.value),
            components=tuple(self._component_pointers()),
        )

    def _component_pointers(self) -> Iterator[str]:
        if self.swagger:
            containers = [self.root.at(kind) for kind in ("definitions", "parameters", "responses")]
        else:
            components = self.root.at("components")
            containers = [node for kind, node in _entries(components) if kind != "securitySchemes"]
        for container in containers:
            yield from (node.pointer for _, node in _entries(container))

    def _component_schemas(self) -> Iterator[tuple[str, _Node]]:
        container = self.root.at("definitions") if self.swagger else _at(self.root, "components", "schemas")
        return (entry for entry in _entries(container) if isinstance(entry[1].value, dict))

    def _security_schemes(self) -> Iterator[SecurityScheme]:
        container = self.root.at("securityDefinitions") if self.swagger else _at(self.root, "components", "securitySchemes")
        for name, node in _entries(container):
            scheme = self.resolve(node)
            if scheme is not None and isinstance(scheme.value, dict):
                kind = str(scheme.get("type") or "")
                where, parameter = (_text(scheme.get("in")), _text(scheme.get("name"))) if kind == "apiKey" else (None, None)
                yield SecurityScheme(name, kind, node.location, _text(scheme.get("scheme")), where, parameter)

    def _swagger_servers(self) -> tuple[str, ...]:
        host, base = _text(self.root.get("host")) or "", _text(self.root.get("basePath")) or ""
        if not host:
            return (base,) if base else ()
        return tuple(f"{scheme}://{host}{base}" for scheme in _strings(self.root.get("schemes"))) or (f"{host}{base}",)


def _escape(key: str) -> str:
    if "~" not in key and "/" not in key:  # most keys: skip building two new strings
        return key
    return key.replace("~", "~0").replace("/", "~1")


def _at(node: _Node, *keys: str) -> _Node | None:
    for key in keys:
        node = node.at(key) if node is not None else None
    return node


def _entries(node: _Node | None) -> Iterator[tuple[str, _Node]]:
    return node.entries() if node is not None else iter(())


def _keys(node: _Node | None) -> tuple[str, ...]:
    return tuple(key for key, _ in _entries(node))


def _merged(shared: list[_Node], own: list[_Node]) -> list[_Node]:
    """Path-level parameters, each replaced by an operation-level one of the same name and place."""
    by_key = {(p.get("name"), p.get("in")): p for p in shared}
    by_key.update({(p.get("name"), p.get("in")): p for p in own})
    return list(by_key.values())


def _preferred_media(content: _Node | None) -> _Node | None:
    """The media type whose schema stands for a body: JSON when offered, else the first one."""
    media = [(name, node) for name, node in _entries(content) if isinstance(node.value, dict)]
    json_like = [node for name, node in media if name.split(";")[0].strip().lower().endswith(("/json", "+json"))]
    return json_like[0] if json_like else media[0][1] if media else None


def _media_has_example(content: _Node | None, schema: Schema | None) -> bool:
    in_media = any("example" in node.value or "examples" in node.value for _, node in _entries(content) if isinstance(node.value, dict))
    return in_media or bool(schema and schema.has_example)


def _security(requirements: object) -> tuple[str, ...] | None:
    """Scheme names of a `security` list; () when anyone may call (`[]`, or an empty alternative `{}`); None when unsaid."""
    if not isinstance(requirements, list):
        return None
    names: list[str] = []
    for requirement in requirements:
        if isinstance(requirement, dict) and not requirement:
            return ()
        if isinstance(requirement, dict):
            names += [str(name) for name in requirement if str(name) not in names]
    return tuple(names)


def _server_urls(servers: object) -> tuple[str, ...]:
    entries = servers if isinstance(servers, list) else []
    return tuple(s["url"] for s in entries if isinstance(s, dict) and isinstance(s.get("url"), str))


def _type(value: dict) -> tuple[str | None, bool]:
    """The type, and whether `null` is among the types (OpenAPI 3.1 writes `type: [string, "null"]`)."""
    kind = value.get("type")
    if isinstance(kind, list):
        # Several non-null types have no single name; the first stands for them, as most generators list the main one first.
        named = [k for k in kind if isinstance(k, str) and k != "null"]
        return (named[0] if named else None), "null" in kind
    return (kind if isinstance(kind, str) else None), False


def _bound(value: dict, inclusive: str, exclusive: str) -> float | None:
    # OpenAPI 3.0 marks `exclusiveMinimum: true` beside `minimum`; 3.1 (JSON Schema 2020-12) gives the bound itself.
    for key in (exclusive, inclusive):
        bound = value.get(key)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            return float(bound)
    return None


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _enum_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _merge(own: Schema, parts: list[Schema]) -> Schema:
    """`own` completed by its `allOf` parts: properties and required names of all, other facts from the first that has them."""
    merged = {}
    for field in fields(Schema):
        if field.name in ("properties", "required", "ref", "location", "nullable", "has_example"):
            continue
        mine = getattr(own, field.name)
        if mine in (None, ()):
            merged[field.name] = next((getattr(p, field.name) for p in parts if getattr(p, field.name) not in (None, ())), mine)
    properties = dict(prop for part in parts for prop in part.properties)
    properties.update(own.properties)
    required = dict.fromkeys([name for part in parts for name in part.required] + list(own.required))
    has_example = own.has_example or any(p.has_example for p in parts)
    return replace(own, properties=tuple(properties.items()), required=tuple(required), has_example=has_example, **merged)


def _address(base: str, ref: str) -> tuple[str, list[str]] | str:
    """The root-relative file and the pointer segments `ref` names when written in `base`; or why it cannot be followed."""
    location, _, fragment = ref.partition("#")
    if location.startswith(("http://", "https://", "//")):
        return "remote references are not followed (vitruvius never uses the network)"
    if not location:
        return base, pointer_segments("#" + fragment)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), location))
    if location.startswith("/") or joined == ".." or joined.startswith("../"):
        return f"{location} is outside the reviewed folder"
    return joined, pointer_segments("#" + fragment)


def _references(data: object) -> frozenset[str]:
    """Every `$ref` value in the document, found level by level: a scan, not a resolution."""
    found: set[str] = set()
    level = [data]
    while level:
        below: list[object] = []
        for node in level:
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    found.add(ref)
                below += [v for v in node.values() if isinstance(v, (dict, list))]
            else:
                below += [v for v in node if isinstance(v, (dict, list))]
        level = below
    return frozenset(found)


def _site_of(data: object, ref: str) -> str:
    """The pointer of the first object holding `$ref: ref`, for a note about it; only ever run for broken ones."""
    stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            if node.get("$ref") == ref:
                return pointer_of(path)
            stack += [(v, (*path, str(k))) for k, v in reversed(node.items()) if isinstance(v, (dict, list))]
        elif isinstance(node, list):
            stack += [(v, (*path, str(i))) for i, v in reversed(list(enumerate(node))) if isinstance(v, (dict, list))]
    return ""
