"""HTTP API facts: operations from code routes and from OpenAPI documents alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .location import Location

Origin = Literal["code", "openapi"]


@dataclass(frozen=True, slots=True)
class Schema:
    """The parts of a JSON Schema that design rules judge. `ref` names a component (`#/components/schemas/X`)
    when the schema is a reference; `properties` are (name, schema) pairs in document order."""

    type: str | None = None
    format: str | None = None
    ref: str | None = None
    properties: tuple[tuple[str, Schema], ...] = ()
    required: tuple[str, ...] = ()
    items: Schema | None = None
    enum: tuple[str, ...] = ()
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_items: int | None = None
    pattern: str | None = None
    nullable: bool = False
    has_example: bool = False
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class ApiParameter:
    """A request parameter; `where` is path, query, header or cookie."""

    name: str
    where: str
    required: bool = False
    schema: Schema | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Body:
    content_types: tuple[str, ...] = ()
    schema: Schema | None = None
    required: bool = False
    has_example: bool = False


@dataclass(frozen=True, slots=True)
class Response:
    status: str
    description: str = ""
    content_types: tuple[str, ...] = ()
    schema: Schema | None = None
    headers: tuple[str, ...] = ()
    has_example: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    """One method on one path. `security` is None when nothing is known (a code route with no auth facts),
    an empty tuple when the operation is explicitly public, else the names of the schemes or dependencies.
    `handler` is the qualified name of the handling function for code routes."""

    method: str
    path: str
    location: Location
    origin: Origin
    handler: str | None = None
    operation_id: str | None = None
    parameters: tuple[ApiParameter, ...] = ()
    request_body: Body | None = None
    responses: tuple[Response, ...] = ()
    security: tuple[str, ...] | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    deprecated: bool = False
    framework: str | None = None
    document: str | None = None

    @property
    def key(self) -> str:
        return f"op:{self.method.upper()} {self.path}"

    def response(self, status: str) -> Response | None:
        return next((r for r in self.responses if r.status == status), None)


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str
    type: str
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class ApiDocument:
    """An OpenAPI (or Swagger) document: its version, global security and components."""

    path: str
    version: str
    location: Location
    title: str = ""
    servers: tuple[str, ...] = ()
    security: tuple[str, ...] | None = None
    security_schemes: tuple[SecurityScheme, ...] = ()
    schemas: tuple[tuple[str, Schema], ...] = ()
    referenced: frozenset[str] = field(default_factory=frozenset)

    @property
    def key(self) -> str:
        return f"openapi:{self.path}"
