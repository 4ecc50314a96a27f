"""What the API rules share: path segments and their words, the conventions one API follows, collections, error
bodies and versions. Not a rule: nothing here is registered.

Operations are grouped into APIs (`apis`): the operations of one OpenAPI document, or the code routes of one
application. A convention (a case style, a trailing slash, a versioning style) is judged within one API, where a
team sets it once; two documents in one repository may rightly follow two conventions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal
from urllib.parse import urlsplit

from ...model import ApiDocument, Location, Operation, Response, Schema, SystemModel

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
STYLES = ("kebab-case", "snake_case", "camelCase", "PascalCase")
# Option types: config rejects any other value before the review starts (exit 2, naming the key).
CaseStyle = Literal["auto", "kebab-case", "snake_case", "camelCase", "PascalCase"]
VersionStyle = Literal["auto", "path", "header", "query", "media-type"]

# Query parameters that page through a collection, by `squash`ed name: those that set the page size, and those
# that say where the page starts.
PAGE_SIZE = frozenset({"limit", "perpage", "pagesize", "size", "maxresults", "top", "first", "last", "take", "pagelimit", "count"})
PAGE_POSITION = frozenset({
    "page", "offset", "skip", "cursor", "after", "before", "since", "pagetoken", "nextpagetoken", "pagenumber",
    "startingafter", "endingbefore", "start", "marker", "continuationtoken", "continuation", "pagecursor", "from",
})
# A list envelope: its one array, by name or beside facts about the list (`{"total_count": 3, "runs": [...]}`).
ENVELOPE_ARRAYS = frozenset({"items", "data", "results", "values", "entries", "records", "content", "elements", "list", "nodes"})
ENVELOPE_FACTS = frozenset({
    "totalcount", "total", "count", "totalitems", "totalresults", "next", "nextcursor", "cursor", "hasmore",
    "nextpagetoken", "nextlink", "links", "page", "pageinfo",
})

# Nouns with no plural, or whose plural ends in no `s`: fine in front of an identifier as they are.
UNCOUNTABLE = frozenset({
    "data", "metadata", "media", "information", "info", "history", "feedback", "news", "software", "hardware",
    "equipment", "staff", "people", "children", "men", "women", "criteria", "analytics", "config", "search",
    "inventory", "stock", "content", "traffic", "billing", "money", "music", "mail", "evidence", "me", "self",
})
# Words that qualify rather than name: `/images/custom/{id}`, `/merge-async/{uuid}`.
QUALIFIERS = frozenset({"async", "sync", "custom", "public", "private", "latest", "current", "default", "all", "by", "new", "own", "mine"})
GENERIC_IDS = frozenset({"id", "uuid", "guid", "key", "name", "slug", "code", "number"})
# Verbs that restate a method, and the methods each restates: `POST /orders/create`, `GET /getOrders`.
CRUD_VERBS = {
    "get": ("GET",), "list": ("GET",), "fetch": ("GET",), "retrieve": ("GET",), "find": ("GET",),
    "create": ("POST", "PUT"), "add": ("POST", "PUT"), "insert": ("POST", "PUT"),
    "update": ("PATCH", "PUT", "POST"), "edit": ("PATCH", "PUT", "POST"), "modify": ("PATCH", "PUT", "POST"),
    "set": ("PUT", "PATCH", "POST"), "save": ("PUT", "PATCH", "POST"), "replace": ("PUT",), "patch": ("PATCH",),
    "delete": ("DELETE",), "remove": ("DELETE",), "destroy": ("DELETE",), "erase": ("DELETE",),
}

# Versions: a `/v1` or dated segment, a versioned vendor media type or a `version=` media-type parameter.
VERSION_STYLES = ("path", "header", "query", "media-type")
VERSION_SEGMENT = re.compile(r"^v\d+(\.\d+)*([a-z]+\d*)?$|^\d{4}-\d{2}-\d{2}$")
VERSION_MEDIA = re.compile(r"^application/vnd\.[a-z0-9-]+\.v\d+|;\s*(api-)?version=", re.IGNORECASE)
# Endpoints for operators rather than clients: they live outside the API's versions.
OPERATIONAL = frozenset({"health", "healthz", "livez", "readyz", "ready", "live", "ping", "metrics", "status", "version", "docs", "redoc"})

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


# APIs, operations and places


# Code routes that serve web pages rather than an API: plain Django views render templates (Django REST
# framework's are "drf"), and judging a control panel's URLs by REST conventions buries the API's findings.
PAGE_FRAMEWORKS = frozenset({"django"})


def api_operations(model: SystemModel) -> list[Operation]:
    """The operations of HTTP APIs: every documented one, and code routes of API frameworks."""
    return [op for op in model.operations if op.origin == "openapi" or op.framework not in PAGE_FRAMEWORKS]


def apis(model: SystemModel) -> list[list[Operation]]:
    """The operations of each API: one OpenAPI document, or the code routes of one application."""
    groups: dict[tuple[str, str], list[Operation]] = {}
    for op in api_operations(model):
        key = ("document", op.document) if op.document else ("code", op.application or "")
        groups.setdefault(key, []).append(op)
    return [groups[key] for key in sorted(groups)]


def documented(model: SystemModel) -> list[Operation]:
    """The operations that an OpenAPI document describes: where a missing fact is really missing."""
    return [op for op in model.operations if op.origin == "openapi"]


def document_of(model: SystemModel, op: Operation) -> ApiDocument | None:
    return next((d for d in model.api_documents if d.path == op.document), None)


def by_path(operations: Iterable[Operation]) -> dict[str, list[Operation]]:
    """Operations per path, each path's in method order (GET first), paths sorted."""
    grouped: dict[str, list[Operation]] = {}
    for op in operations:
        grouped.setdefault(op.path, []).append(op)
    order = {m: i for i, m in enumerate(METHODS)}
    return {path: sorted(grouped[path], key=lambda o: order.get(o.method.upper(), 99)) for path in sorted(grouped)}


def label(op: Operation) -> str:
    """How a finding names an operation: `GET /orders/{id}`."""
    return f"{op.method.upper()} {op.path}"


def path_location(op: Operation) -> Location:
    """The path item of an operation read from a document (`/paths/~1orders`), or the operation itself."""
    pointer = op.location.pointer
    if op.origin != "openapi" or not pointer or not pointer.startswith("/paths/") or pointer.count("/") != 3:
        return op.location
    return Location(op.location.path, 0, pointer=pointer.rsplit("/", 1)[0])


def path_key(op: Operation, path: str) -> str:
    """A stable key for a finding about a path (or a prefix of one) rather than one operation."""
    return f"path:{op.document}:{path}" if op.document else f"path:{path}"


def place_key(location: Location) -> str:
    """A stable key for a finding placed on a shared element (a component, a parameter) rather than an operation."""
    return f"{location.path}#{location.pointer}" if location.pointer is not None else f"{location.path}:{location.line}"


# Paths and words


def segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def is_parameter(segment: str) -> bool:
    return "{" in segment


def template_names(path: str) -> list[str]:
    return re.findall(r"\{([^}]*)\}", path)


def words(name: str) -> list[str]:
    """The lowercase words of a segment or parameter name, split at `-`, `_`, `.` and case changes."""
    return [w.lower() for w in _WORD.findall(name)]


def squash(name: str) -> str:
    """A name without case or separators, to compare `per_page`, `perPage` and `per-page`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def head_noun(segment: str) -> str:
    """The word a segment's meaning hangs on: its last, or the one before `of` (`codes_of_conduct`)."""
    parts = words(segment)
    return parts[parts.index("of") - 1] if "of" in parts[1:] else (parts or [""])[-1]


def is_plural(word: str) -> bool:
    """Whether an English noun reads as a plural (or has no plural): `orders`, `data`; not `order`, `status`."""
    if word in UNCOUNTABLE or not word.isalpha():
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s")


def pluralized(segment: str) -> str:
    """`segment` with its head noun in the plural, in the segment's own spelling: `order-item` → `order-items`."""
    found = list(_WORD.finditer(segment))
    head = next((m for m in reversed(found) if m.group().lower() == head_noun(segment)), found[-1])
    word = plural(head.group().lower())
    return segment[: head.start()] + (word.capitalize() if head.group()[:1].isupper() else word) + segment[head.end() :]


def identifies(parameter: str, noun: str) -> bool:
    """Whether a path parameter (`{order_id}`, `{id}`) names one item of the collection `noun`."""
    if parameter.count("{") != 1 or not (parameter.startswith("{") and parameter.endswith("}")):
        return False
    name = parameter[1:-1]
    return squash(name) in GENERIC_IDS or (words(name) or [""])[0] == noun


def suggested_operation_id(op: Operation) -> str:
    """A camelCase name from the method and the path's nouns: `GET /orders/{id}/items` → `getOrdersItems`."""
    nouns = "-".join(s for s in segments(op.path) if not is_parameter(s))
    return in_style(f"{op.method.lower()}-{nouns}", "camelCase")


# Conventions


def case_style(name: str) -> str | None:
    """kebab-case, snake_case, camelCase, PascalCase or mixed; None for one word in one case, which fits every style."""
    core = name.strip(".")
    dash, underscore = "-" in core, "_" in core
    one_word = not dash and not underscore
    if not any(c.isalpha() for c in core) or (one_word and core.lower() == core) or (one_word and core.upper() == core):
        return None
    if dash != underscore and core.lower() == core:
        return "kebab-case" if dash else "snake_case"
    if not dash and not underscore:
        return "camelCase" if core[:1].islower() else "PascalCase"
    return "mixed"


def in_style(name: str, style: str) -> str:
    """`name` rewritten in `style`, for a fix."""
    parts = words(name)
    if style in ("kebab-case", "snake_case"):
        return ("-" if style == "kebab-case" else "_").join(parts)
    joined = "".join(p.capitalize() for p in parts)
    return joined[:1].lower() + joined[1:] if style == "camelCase" else joined


def convention(configured: str, observed: Iterable[str], allowed: tuple[str, ...], option: str) -> str | None:
    """The convention one API follows: the configured one, or with "auto" the most common observed one (ties go
    to the first allowed); None when "auto" observes nothing."""
    if configured != "auto":
        if configured not in allowed:
            raise ValueError(f"{option} must be 'auto' or one of {', '.join(repr(a) for a in allowed)}, not {configured!r}")
        return configured
    counts = Counter(o for o in observed if o in allowed)
    return max(allowed, key=lambda a: (counts[a], -allowed.index(a))) if counts else None


# Responses, collections and errors


def successes(op: Operation) -> list[Response]:
    return [r for r in op.responses if r.status.startswith("2")]


def statuses(op: Operation) -> set[str]:
    return {r.status.upper() for r in op.responses}


def headers(response: Response) -> set[str]:
    return {h.lower() for h in response.headers}


def has_body(response: Response) -> bool:
    return bool(response.content_types) or response.schema is not None


def shaped(schema: Schema | None) -> bool:
    """Whether a schema says anything about its value: `{}` (what FastAPI writes for an untyped response) does not."""
    if schema is None:
        return False
    return bool(schema.type or schema.ref or schema.properties or schema.items or schema.enum or schema.format or schema.composed)


def property_names(schema: Schema | None) -> set[str]:
    return {squash(name) for name, _ in schema.properties} if schema else set()


def query_names(op: Operation) -> set[str]:
    return {squash(p.name) for p in op.parameters if p.where == "query"}


def collection_items(schema: Schema | None) -> Schema | None:
    """The item schema of a list response: a top-level array, or the one array of a list envelope."""
    if schema is None:
        return None
    if schema.type == "array":
        return schema.items or Schema()
    arrays = [(name, prop) for name, prop in schema.properties if prop.type == "array"]
    if len(arrays) == 1 and (squash(arrays[0][0]) in ENVELOPE_ARRAYS or property_names(schema) & ENVELOPE_FACTS):
        return arrays[0][1].items or Schema()
    return None


def lists_resources(op: Operation) -> bool:
    """A GET whose 200 response is a list of objects: a collection of resources, not a list of names."""
    response = op.response("200")
    items = collection_items(response.schema) if op.method.upper() == "GET" and response else None
    return items is not None and (items.ref is not None or items.type == "object" or bool(items.properties))


def error_schemas(operations: Iterable[Operation]) -> dict[str, tuple[Schema, str, list[Operation]]]:
    """The distinct bodies of 4xx/5xx responses, by component name or place: (schema, media type, operations)."""
    found: dict[str, tuple[Schema, str, list[Operation]]] = {}
    for op in operations:
        for response in op.responses:
            schema = response.schema
            if response.status[:1] not in "45" or schema is None or schema.location is None:
                continue
            media = next((c for c in response.content_types if "problem" in c), (response.content_types or ("",))[0])
            users = found.setdefault(schema.ref or place_key(schema.location), (schema, media, []))[2]
            if not users or users[-1] is not op:
                users.append(op)
    return found


# Versions


def versioned_server(document: ApiDocument | None) -> bool:
    """Whether every server URL of a document carries the version (`https://api.example.com/v1`)."""
    servers = document.servers if document is not None else ()
    return bool(servers) and all(any(VERSION_SEGMENT.match(s) for s in segments(urlsplit(url).path)) for url in servers)


def version_styles(op: Operation, server: bool = False) -> set[str]:
    """How an operation carries a version: in its path (or every server URL), a header, a query parameter, a media type."""
    found = {"path"} if server or any(VERSION_SEGMENT.match(s) for s in segments(op.path)) else set()
    for parameter in op.parameters:
        name = squash(parameter.name)
        if parameter.where == "header" and (name.endswith("apiversion") or name in ("version", "acceptversion")):
            found.add("header")
        elif parameter.where == "query" and name in ("apiversion", "version"):
            found.add("query")
    media = [*(op.request_body.content_types if op.request_body else ()), *(c for r in op.responses for c in r.content_types)]
    if any(VERSION_MEDIA.search(m) for m in media):
        found.add("media-type")
    return found


def operational(op: Operation) -> bool:
    """An endpoint for operators (`/health`, `/api/metrics`), which no API version covers."""
    parts = segments(op.path)
    return 0 < len(parts) <= 2 and parts[-1].lower() in OPERATIONAL
