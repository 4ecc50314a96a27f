"""Inline suppressions: `# vitruvius: ignore[CODE, ...]` in Python and YAML, `-- vitruvius: ignore[CODE]` in SQL,
and `x-vitruvius-ignore: [CODE, ...]` on an OpenAPI document, path item or operation (JSON has no comments).

A comment silences the named codes on its own line; an `x-vitruvius-ignore` everything inside its element. Codes are required, so a suppression always says
what it accepts; one that silences nothing is reported (VIT002) so stale ones do not pile up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .findings import Finding
from .model import Location, Suppression

_MARKER = "vitruvius:"
_COMMENT = re.compile(r"(?:#|--)\s*vitruvius:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


def scan(path: str, text: str) -> list[Suppression]:
    """The suppression comments of one file, with their 1-based lines."""
    if _MARKER not in text.lower():
        return []
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if _MARKER not in line.lower():
            continue
        for match in _COMMENT.finditer(line):
            codes = tuple(c.strip().upper() for c in (match.group("codes") or "").split(",") if c.strip())
            found.append(Suppression(Location(path, number, match.start() + 1), codes))
    return found


def apply(findings: Iterable[Finding], suppressions: Iterable[Suppression]) -> tuple[list[Finding], int, list[Suppression]]:
    """Drop suppressed findings. Returns the kept findings, how many were suppressed, and the suppressions
    with the codes that silenced nothing (malformed codes and empty code lists count as unused)."""
    by_line: dict[tuple[str, int], list[Suppression]] = {}
    by_element: dict[str, list[Suppression]] = {}
    for suppression in suppressions:
        if suppression.location.pointer is not None:
            by_element.setdefault(suppression.location.path, []).append(suppression)
        else:
            by_line.setdefault((suppression.location.path, suppression.location.line), []).append(suppression)
    used: set[tuple[Location, str]] = set()
    kept, suppressed = [], 0
    for finding in findings:
        here = by_line.get((finding.location.path, finding.location.line), [])
        here = here + [s for s in by_element.get(finding.location.path, ()) if _inside(finding.location.pointer, s.location.pointer)]
        matching = [s for s in here if finding.code in s.codes]
        if matching:
            suppressed += 1
            used.update((s.location, finding.code) for s in matching)
        else:
            kept.append(finding)
    unused = []
    for group in [*by_line.values(), *by_element.values()]:
        for suppression in group:
            idle = tuple(c for c in suppression.codes if (suppression.location, c) not in used)
            if idle or not suppression.codes:
                unused.append(Suppression(suppression.location, suppression.codes, idle or ("",)))
    return kept, suppressed, unused


def _inside(pointer: str | None, element: str | None) -> bool:
    """Whether a finding's JSON pointer is the element's or lies under it (`/paths/~1a/get/responses`)."""
    return pointer is not None and element is not None and (pointer == element or pointer.startswith(element + "/") or element == "")

