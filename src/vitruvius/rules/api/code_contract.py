"""Code routes against the OpenAPI documents of the same repository: which operations are twins. Not a rule:
the contract-drift rules (API100–API104) share it.

Paths are compared modulo parameter names (`/orders/{id}` ≡ `/orders/{order_id}`) and a trailing slash, after
the documents' server base paths (`servers: [{url: https://x/api/v1}]` → `/api/v1`) are put in front of their
paths. A prefix that one side has throughout and the other lacks (a router prefix the reader could not resolve, a
gateway's base path) is found by trying the prefix that makes the most paths meet. A document none of whose
paths meets a code route is taken to describe another API (a vendored client's, a test fixture) and is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ...model import Operation, SystemModel

_PARAMETER = re.compile(r"\{[^}/]*\}")


def normal(path: str) -> str:
    """`/orders/{order_id}/` → `/orders/{}`: the shape two routes must share to be twins."""
    shaped = _PARAMETER.sub("{}", path)
    return shaped.rstrip("/") or "/"


@dataclass
class Contract:
    """Code operations and documented operations by the shape of their path, for the documents that describe the code."""

    code: dict[str, list[Operation]] = field(default_factory=dict)
    documented: dict[str, list[Operation]] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return bool(self.code) and bool(self.documented)

    def pairs(self) -> Iterable[tuple[Operation, Operation]]:
        """(code operation, documented operation) pairs with the same path shape and method."""
        for shape, operations in self.code.items():
            documented = {o.method: o for o in self.documented.get(shape, [])}
            for operation in operations:
                twin = documented.get(operation.method)
                if twin is not None:
                    yield operation, twin


# The last model's contract: five rules ask for it in one review. Kept by identity, as hashing a model is costly.
_last: list[tuple[SystemModel, Contract]] = []


def contract(model: SystemModel) -> Contract:
    if not _last or _last[0][0] is not model:
        _last[:] = [(model, _contract(model))]
    return _last[0][1]


def _contract(model: SystemModel) -> Contract:
    code = [o for o in model.operations if o.origin == "code" and o.in_schema and model.file_kind(o.location.path) != "test"]
    result = Contract()
    if not code:
        return result
    for operation in code:
        result.code.setdefault(normal(operation.path), []).append(operation)
    by_document: dict[str, list[Operation]] = {}
    for operation in model.operations:
        if operation.origin == "openapi":
            by_document.setdefault(operation.document or "", []).append(operation)
    bases = {d.path: _base_paths(d.servers) for d in model.api_documents}
    for document, operations in sorted(by_document.items()):
        shapes = _document_shapes(operations, bases.get(document, ("",)), set(result.code))
        for operation, shape in shapes:
            result.documented.setdefault(shape, []).append(operation)
    return result


def _document_shapes(operations: list[Operation], bases: tuple[str, ...], code_shapes: set[str]) -> list[tuple[Operation, str]]:
    """Each documented operation with the shape it has in the code's terms, or [] when the document meets no route."""
    best: list[tuple[Operation, str]] = []
    best_hits = 0
    for base in bases:
        shapes = [normal(base + o.path) for o in operations]
        for transform in _transforms(shapes, code_shapes):
            moved = [transform(s) for s in shapes]
            hits = len(set(moved) & code_shapes)
            if hits > best_hits:
                best, best_hits = list(zip(operations, moved, strict=True)), hits
    return best


def _transforms(shapes: list[str], code_shapes: set[str]) -> list:
    """Identity, then the prefix additions or removals that make documented and code paths meet most often."""
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    for shape in set(shapes):
        for code_shape in code_shapes:
            if shape != "/" and code_shape.endswith(shape) and code_shape[: -len(shape)] and not code_shape[: -len(shape)].endswith("/"):
                added[code_shape[: -len(shape)]] += 1
            if code_shape != "/" and shape.endswith(code_shape) and shape[: -len(code_shape)] and not shape[: -len(code_shape)].endswith("/"):
                removed[shape[: -len(code_shape)]] += 1
    candidates = [lambda s: s]
    if added:
        prefix = min(added, key=lambda p: (-added[p], p))
        candidates.append(lambda s, p=prefix: normal(p + s))
    if removed:
        prefix = min(removed, key=lambda p: (-removed[p], p))
        candidates.append(lambda s, p=prefix: normal(s.removeprefix(p)) if s.startswith(p) else s)
    return candidates


def _base_paths(servers: tuple[str, ...]) -> tuple[str, ...]:
    """The path parts of the server URLs (`https://api.example.com/v1` → `/v1`), and the bare root."""
    paths = []
    for url in servers:
        path = urlsplit(url).path if "://" in url else url
        path = path.rstrip("/")
        if path and "{" not in path and path not in paths:
            paths.append(path)
    return (*paths, "")


def describe(operation: Operation) -> str:
    """`GET /orders/{id}` and, for a code route, its handler."""
    handler = f" ({operation.handler.rpartition('.')[2]})" if operation.handler else ""
    return f"{operation.method} {operation.path}{handler}"


def document_names(contract: Contract) -> str:
    names = sorted({o.document for ops in contract.documented.values() for o in ops if o.document})
    return ", ".join(names) or "the OpenAPI document"
