"""Framework extractors: the facts a framework's conventions put in Python code beyond the generic
`Module` — ORM models, migrations, routes, queries, settings.

Each extractor runs on the syntax tree the core reader already parsed, in the same worker process, so a
file is still parsed once. `extract` returns picklable per-file facts (or None when the file has nothing
for it); `link` then sees the facts of every file together, because a model's foreign key, a router's
prefix or a migration's parent is often declared in another file, and turns them into model elements.

To add a framework: write a module here with an `EXTRACTOR = Extractor(...)` and list it in `MODULES`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from ....model import Location, Module, Note
from .qualify import Names

__all__ = ["relevant", "Contribution", "Extractor", "Names", "extract_all", "link_all"]


@dataclass
class Contribution:
    """What linking adds to the model."""

    tables: list = field(default_factory=list)
    migrations: list = field(default_factory=list)
    operations: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    settings: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass(frozen=True)
class Extractor:
    """`wants` is a cheap test on the Module (its imports, its kind) that spares most files the walk.
    `markers` (import statements, e.g. "from fastapi") spare whole repositories: when none of them occurs
    in any Python file of the review, the extractor does not run at all. No markers: it always runs."""

    name: str
    wants: Callable[[Module], bool]
    extract: Callable[[ast.Module, Module, Names], object | None]
    link: Callable[[Sequence[tuple[Module, object]], Sequence[Module]], Contribution]
    markers: tuple[str, ...] = ()


def relevant(texts: Sequence[str]) -> frozenset[str]:
    """The names of the extractors whose framework the repository mentions at all."""
    return frozenset(
        e.name for e in extractors() if not e.markers or any(m in text for m in e.markers for text in texts)
    )


# Listed, not discovered: the order is the order facts are linked in, and it must be deterministic.
MODULES: tuple[str, ...] = (
    "fastapi_routes",
    "flask_routes",
    "django_routes",
    "sqlalchemy_models",
    "alembic_migrations",
    "django_models",
    "queries",
    "django_migrations",
)


@cache
def extractors() -> tuple[Extractor, ...]:
    return tuple(import_module(f"{__name__}.{name}").EXTRACTOR for name in MODULES)


def extract_all(tree: ast.Module, module: Module, enabled: frozenset[str] | None = None) -> tuple[tuple[str, object], ...]:
    """Every (enabled) extractor's facts for one file, as (extractor name, facts) pairs."""
    wanted = [e for e in extractors() if (enabled is None or e.name in enabled) and e.wants(module)]
    if not wanted:
        return ()
    names = Names(module)
    found = []
    for extractor in wanted:
        facts = extractor.extract(tree, module, names)
        if facts is not None:
            found.append((extractor.name, facts))
    return tuple(found)


def link_all(per_file: Sequence[tuple[Module, tuple[tuple[str, object], ...]]], modules: Sequence[Module]) -> Contribution:
    """Join each extractor's facts across files into one contribution to the model."""
    total = Contribution()
    for extractor in extractors():
        facts = [(module, f) for module, found in per_file for name, f in found if name == extractor.name]
        if not facts:
            continue
        try:
            part = extractor.link(facts, modules)
        except Exception as error:  # noqa: BLE001 - one framework's bug must not cost the others their facts
            message = f"linking the {extractor.name} facts failed ({type(error).__name__}: {error}); they are missing from this review"
            total.notes.append(Note("internal-error", Location(".", 0), message))
            continue
        for section in ("tables", "migrations", "operations", "queries", "settings", "notes"):
            getattr(total, section).extend(getattr(part, section))
    return total
