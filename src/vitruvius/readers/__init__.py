"""Readers turn sources into the system model; they are the only code that parses anything.

`read` is the one entry point: it discovers (or is handed) the files, reads each once, sends it to the
reader for its language and role, and freezes the result into one `SystemModel`.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import suppression
from ..model import Location, Module, Note, SourceFile, Suppression, SystemModel
from .files import DEFAULT_MAX_BYTES, SourceText, classify, discover, in_memory, language
from .processes import may_start_processes

# Below this many Python files a process pool costs more to start than it saves.
PARALLEL_THRESHOLD = 300


@dataclass
class Parts:
    """The model under construction: readers append, `freeze` sorts and makes it immutable."""

    files: list = field(default_factory=list)
    modules: list = field(default_factory=list)
    operations: list = field(default_factory=list)
    api_documents: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    migrations: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    services: list = field(default_factory=list)
    datastores: list = field(default_factory=list)
    dependencies: list = field(default_factory=list)
    settings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    suppressions: list = field(default_factory=list)
    handlers: dict = field(default_factory=dict)

    def freeze(self, root: str) -> SystemModel:
        by_location = lambda e: (e.location.path, e.location.line, e.location.column, e.key)  # noqa: E731
        return SystemModel(
            root=root,
            files=tuple(sorted(self.files, key=lambda f: f.path)),
            modules=tuple(sorted(self.modules, key=lambda m: m.name)),
            operations=tuple(sorted(self.operations, key=by_location)),
            api_documents=tuple(sorted(self.api_documents, key=by_location)),
            tables=tuple(sorted(self.tables, key=by_location)),
            migrations=tuple(sorted(self.migrations, key=lambda m: (m.order, m.path, m.id))),
            queries=tuple(sorted(self.queries, key=by_location)),
            services=tuple(sorted(self.services, key=by_location)),
            datastores=tuple(sorted(self.datastores, key=by_location)),
            dependencies=tuple(sorted(self.dependencies, key=by_location)),
            settings=tuple(sorted(self.settings, key=by_location)),
            notes=tuple(sorted(set(self.notes), key=lambda n: (n.location.path, n.location.line, n.kind, n.message))),
            suppressions=tuple(sorted(self.suppressions, key=lambda s: s.location)),
            handlers=tuple(sorted(self.handlers.items())),
        )


def read(
    source: Path | str | Mapping[str, str | bytes],
    *,
    exclude: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    sql_dialect: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SystemModel:
    """Read a repository folder, or an in-memory map of path → text, into one system model."""
    with cyclic_gc_paused():
        return _read(source, exclude, max_bytes, sql_dialect, progress)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the model is built.

    Reading allocates hundreds of thousands of small, acyclic objects (a Location for every element,
    a Call for every call site); each burst of allocations would make the collector rescan all of them.
    Measured on pretix: unpickling the worker processes' results took 2.1 s with the collector running
    and 0.5 s without. Nothing here is kept alive by a cycle, so reference counting frees it all.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _stage(name: str, parts: Parts) -> Iterator[None]:
    """A reading stage that spans files: a bug in it costs its facts, recorded as an internal-error note
    (VIT000), not the whole review."""
    try:
        yield
    except Exception as error:  # noqa: BLE001
        message = f"{name} failed ({type(error).__name__}: {error}); its facts are missing from this review"
        parts.notes.append(Note("internal-error", Location(".", 0), message))


def _read(
    source: Path | str | Mapping[str, str | bytes],
    exclude: Iterable[str],
    max_bytes: int,
    sql_dialect: str | None,
    progress: Callable[[int, int], None] | None,
) -> SystemModel:
    if isinstance(source, Mapping):
        root = "."
        sources = in_memory(source)
        notes: list[Note] = [Note("unreadable-file", Location(s.path, 1), f"{s.path} is {len(s.data)} bytes, over the {max_bytes}-byte bound; not read") for s in sources if len(s.data) > max_bytes]
        sources = [s for s in sources if len(s.data) <= max_bytes]
    else:
        root_path = Path(source)
        root = str(root_path)
        paths, notes = discover(root_path, exclude)
        sources, unread = _load(root_path, paths, max_bytes)
        notes += unread
    parts = Parts()
    parts.notes.extend(notes)
    texts: list[tuple[SourceText, str]] = []
    for src in sources:
        text = _decode(src, parts)
        if text is not None:
            texts.append((src, text))
            parts.suppressions.extend(suppression.scan(src.path, text))
    _read_python(parts, [(s.path, t) for s, t in texts if s.path.endswith((".py", ".pyi"))], progress)
    sql = [(s.path, t, classify(s.path)) for s, t in texts if s.path.lower().endswith(".sql")]
    if sql:
        with _stage("the SQL reader", parts):
            from .sql import read_sql_sources  # lazy: the PostgreSQL parser loads a native library

            result = read_sql_sources(sql, dialect=sql_dialect)
            parts.tables.extend(result.tables)
            parts.migrations.extend(result.migrations)
            parts.notes.extend(result.notes)
    documents = [(s.path, t) for s, t in texts if language(s.path) in ("json", "yaml")]
    with _stage("the OpenAPI reader", parts):
        _read_openapi_documents(parts, documents)
    contracts = {d.path for d in parts.api_documents}
    for src, text in texts:
        if not src.path.endswith((".py", ".pyi")):
            kind = "contract" if src.path in contracts else classify(src.path)
            parts.files.append(SourceFile(src.path, kind, language(src.path) or "other", text.count("\n") + (not text.endswith("\n"))))
    return parts.freeze(root)


def resolve_pointers(source: Path | str | Mapping[str, str | bytes], locations: Iterable[Location]) -> dict[Location, Location]:
    """Lines for locations that a reader gave only as a JSON pointer into a JSON or YAML document.

    Called by the review for the findings it reports, so a 13 MB document pays for line bookkeeping only
    when something in it is reported. Each document is read again once.
    """
    wanted: dict[str, list[Location]] = {}
    for location in locations:
        if location.pointer is not None and location.line == 0:
            wanted.setdefault(location.path, []).append(location)
    resolved: dict[Location, Location] = {}
    if not wanted:
        return resolved
    from .documents import line_of_pointer

    for path, group in wanted.items():
        try:
            raw = source[path] if isinstance(source, Mapping) else (Path(source) / path).read_bytes()
            text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        except (OSError, KeyError, UnicodeDecodeError):
            continue
        document_language = language(path) or "yaml"
        for location in group:
            line = line_of_pointer(text, location.pointer, document_language)
            resolved[location] = dataclasses.replace(location, line=line or 1)
    return resolved


def _read_openapi_documents(parts: Parts, documents: list[tuple[str, str]]) -> None:
    """Parse only the JSON/YAML files whose text names an `openapi`/`swagger` key; a `$ref` into another file of
    the review loads that file once, and never one outside the files discovered under the root."""
    if not documents:
        return
    from .documents import load_document  # lazy: only runs that meet JSON or YAML pay for the parsers
    from .openapi import looks_like_openapi, read_openapi

    texts = dict(documents)
    loaded: dict[str, object | None] = {}

    def load_file(path: str) -> object | None:
        if path not in loaded:
            loaded[path] = load_document(path, texts[path])[0] if path in texts else None
        return loaded[path]

    for path, text in documents:
        if not looks_like_openapi(text):
            continue
        data, note = load_document(path, text)
        if note is not None:
            parts.notes.append(note)
            continue
        loaded[path] = data
        parts.suppressions.extend(_document_suppressions(path, data))
        operations, document, notes = read_openapi(path, data, load_file)
        parts.operations.extend(operations)
        parts.api_documents.extend([document] if document else [])
        parts.notes.extend(notes)


def _document_suppressions(path: str, data: object) -> Iterator[Suppression]:
    """`x-vitruvius-ignore: [CODE, ...]` on the document, a path item or an operation: JSON has no comments,
    so a contract says what it accepts with an extension; it covers every finding inside that element."""
    from .documents import pointer_of

    def found(element: object, segments: tuple[str, ...]) -> Iterator[Suppression]:
        codes = element.get("x-vitruvius-ignore") if isinstance(element, dict) else None
        if isinstance(codes, list):
            pointer = pointer_of(segments)
            yield Suppression(Location(path, 0, pointer=pointer), tuple(str(c).strip().upper() for c in codes))

    yield from found(data, ())
    paths = data.get("paths") if isinstance(data, dict) else None
    for route, item in (paths.items() if isinstance(paths, dict) else ()):
        yield from found(item, ("paths", route))
        for method, operation in (item.items() if isinstance(item, dict) else ()):
            yield from found(operation, ("paths", route, method))


def _load(root: Path, paths: Iterable[str], max_bytes: int) -> tuple[list[SourceText], list[Note]]:
    loaded, notes = [], []
    for rel in paths:
        full = root / rel
        try:
            size = full.stat().st_size
            if size > max_bytes:
                notes.append(Note("unreadable-file", Location(rel, 1), f"{rel} is {size} bytes, over the {max_bytes}-byte bound; not read"))
                continue
            loaded.append(SourceText(rel, full.read_bytes()))
        except OSError as error:
            notes.append(Note("unreadable-file", Location(rel, 1), f"{rel} cannot be read: {error.strerror or error}"))
    return loaded, notes


def _decode(src: SourceText, parts: Parts) -> str | None:
    try:
        return src.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = src.data[: error.start].count(b"\n") + 1
        parts.notes.append(Note("unreadable-file", Location(src.path, line), f"{src.path} is not valid UTF-8 (byte {error.start}, line {line}); not analysed"))
        return None


def _read_one(item: tuple[str, str, frozenset[str]]) -> tuple[Module | None, tuple[Note, ...], tuple[tuple[str, object], ...]]:
    from .python import read_file

    path, text, frameworks = item
    return read_file(path, text, classify(path), frameworks=frameworks)


def _read_python(parts: Parts, items: list[tuple[str, str]], progress: Callable[[int, int], None] | None) -> None:
    if not items:
        return
    # Imported here: a repository of SQL files alone should not pay for loading every framework extractor.
    from concurrent.futures import ProcessPoolExecutor

    from .python import link_all, link_modules
    from .python.context import add_context
    from .python.frameworks import relevant

    workers = min(os.cpu_count() or 1, 8)
    frameworks = relevant([text for _, text in items])
    jobs = [(path, text, frameworks) for path, text in items]
    if len(items) >= PARALLEL_THRESHOLD and workers > 1 and may_start_processes():
        # Workers live for one read: the cyclic collector would only rescan their growing results.
        with ProcessPoolExecutor(workers, initializer=gc.disable) as pool:
            results = list(pool.map(_read_one, jobs, chunksize=max(1, len(items) // (workers * 8))))
    else:
        results = [_read_one(job) for job in jobs]
    modules, framework_facts = [], []
    for done, ((path, text), (module, notes, facts)) in enumerate(zip(items, results, strict=True), 1):
        parts.notes.extend(notes)
        kind = module.kind if module else classify(path)
        parts.files.append(SourceFile(path, kind, "python", text.count("\n") + (not text.endswith("\n"))))
        if module:
            modules.append(module)
            if facts:
                framework_facts.append((module, facts))
        if progress:
            progress(done, len(items))
    linked = link_modules(modules)
    parts.modules.extend(linked)
    contribution = link_all(framework_facts, linked)
    for section in ("tables", "migrations", "operations", "queries", "settings", "notes"):
        getattr(parts, section).extend(getattr(contribution, section))
    # Once every contribution is in: the tables, relationships and routes that give each query its context.
    with _stage("the query context pass", parts):
        parts.queries[:], parts.handlers = add_context(parts.queries, linked, parts.operations, parts.tables, framework_facts)
