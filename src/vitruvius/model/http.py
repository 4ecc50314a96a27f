"""HTTP API facts: operations from code routes and from OpenAPI documents alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .location import Location

Origin = Literal["code", "openapi"]


@dataclass(frozen=True)
class Schema:
    """The parts of a JSON Schema that design rules judge. `ref` names a component (`#/components/schemas/X`)
    when the schema is a reference; `properties` are (name, schema) pairs in document order. `composed` says
    that the schema offers alternatives (`oneOf`/`anyOf` of several schemas), which are not converted: such a
    schema has a shape even when its other fields are empty."""

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
    composed: bool = False


@dataclass(frozen=True)
class ApiParameter:
    """A request parameter; `where` is path, query, header or cookie."""

    name: str
    where: str
    required: bool = False
    schema: Schema | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Body:
    content_types: tuple[str, ...] = ()
    schema: Schema | None = None
    required: bool = False
    has_example: bool = False


@dataclass(frozen=True)
class Response:
    status: str
    description: str = ""
    content_types: tuple[str, ...] = ()
    schema: Schema | None = None
    headers: tuple[str, ...] = ()
    has_example: bool = False


@dataclass(frozen=True)
class Operation:
    """One method on one path. `security` is None when nothing is known (a code route with no auth facts),
    an empty tuple when the operation is explicitly public, else the names of the schemes or dependencies.
    `handler` is the qualified name of the handling function for code routes.

    For code routes (`origin="code"`), `security` names the auth dependencies seen (FastAPI `Depends`/`Security`
    on the route, its routers, their `include_router` calls and the app; Flask/Django decorators, mixins and
    hooks; DRF permission classes). It is `()` only when the reader saw the whole chain from the route up to
    its application and found no auth on it (DRF: `AllowAny`), and None when part of that chain is out of
    sight (a router never mounted, an unresolved reference, Django without settings).

    `framework` names what serves a code route: fastapi, flask, drf (Django REST framework) or django (a
    plain Django view, which usually renders a page rather than serving an API).

    The fields after `document` are set by code readers only; an OpenAPI document leaves them at their
    defaults. `schemes` describes the mechanisms behind `security` when the code shows them (an
    `OAuth2PasswordBearer`, a DRF authentication class). `application` names the application object (or root
    URL configuration) that serves the route, so that routes can be compared with their siblings; None for a
    route whose application is not known. `in_schema` is false for a route the code hides from generated
    documentation (FastAPI `include_in_schema=False`). `paginated` says whether a list operation's results
    are paginated (DRF `pagination_class` or `DEFAULT_PAGINATION_CLASS` with a page size); None when unknown
    or not a list. `filters` names the filter backends of a list operation (DRF `filter_backends`)."""

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
    schemes: tuple[SecurityScheme, ...] = ()
    application: str | None = None
    in_schema: bool = True
    paginated: bool | None = None
    filters: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"op:{self.method.upper()} {self.path}"

    def response(self, status: str) -> Response | None:
        return next((r for r in self.responses if r.status == status), None)


@dataclass(frozen=True)
class SecurityScheme:
    """A security scheme: `type` as OpenAPI spells it (apiKey, http, oauth2, openIdConnect), or "" when code
    shows that a route authenticates but not how. `scheme` is the HTTP scheme (bearer, basic); `where` and
    `parameter` say where an API key travels (header, query, cookie) and under which name; `token_url` is an
    OAuth2 password flow's token endpoint."""

    name: str
    type: str
    location: Location | None = None
    scheme: str | None = None
    where: str | None = None
    parameter: str | None = None
    token_url: str | None = None


@dataclass(frozen=True)
class ApiDocument:
    """An OpenAPI (or Swagger) document: its version, global security and components.

    `components` holds the JSON pointer of every reusable component (`/components/parameters/page`, Swagger's
    `/definitions/Order`…) but the security schemes, which security requirements name, so that a rule can compare
    them with `referenced`."""

    path: str
    version: str
    location: Location
    title: str = ""
    servers: tuple[str, ...] = ()
    security: tuple[str, ...] | None = None
    security_schemes: tuple[SecurityScheme, ...] = ()
    schemas: tuple[tuple[str, Schema], ...] = ()
    referenced: frozenset[str] = field(default_factory=frozenset)
    components: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"openapi:{self.path}"
