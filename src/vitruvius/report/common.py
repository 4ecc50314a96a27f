"""Presentation helpers the human-readable reports share: wording, locations, and grouping of repetition."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..findings import SEVERITIES, Finding
from ..model import Location

# A rule with more findings than this is shown once, as a block with a count and its first locations:
# thirty copies of the same advice bury the other findings. json and sarif keep every finding.
GROUP_ABOVE = 10
SHOWN_IN_GROUP = 5

_PLURALS = {"info": "info", "analysis": "analyses", "query": "queries"}


def plural(count: int, word: str) -> str:
    noun = word if count == 1 else _PLURALS.get(word, word + "s")
    return f"{count} {noun}"


def severity_rank(severity: str) -> int:
    """0 for the most severe; severities this version does not know come last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def position(location: Location) -> str:
    """`line:column`, or `file` for a finding about a whole file (line 0)."""
    return f"{location.line}:{location.column}" if location.line > 0 else "file"


def place(location: Location) -> str:
    return f"{location.path}:{position(location)}" if location.line > 0 else location.path


def severity_counts(findings: Iterable[Finding]) -> str:
    """`2 errors, 1 warning` in severity order, leaving out severities with no findings."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    ordered = sorted(counts, key=severity_rank)
    return ", ".join(plural(counts[severity], severity) for severity in ordered)


@dataclass(frozen=True)
class RepeatedGroup:
    """All findings of one rule, shown once because there are many of them."""

    code: str
    name: str
    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def shown(self) -> tuple[Finding, ...]:
        return self.findings[:SHOWN_IN_GROUP]

    @property
    def hidden(self) -> int:
        return len(self.findings) - len(self.shown)


def findings_by_code(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings per rule code, codes in order of first appearance, findings in review order."""
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    return by_code


def split_repeated(findings: Iterable[Finding]) -> tuple[list[Finding], list[RepeatedGroup]]:
    """Separate the findings of rules that fired more than GROUP_ABOVE times (as groups) from the rest
    (kept one by one, in review order)."""
    findings = list(findings)
    repeated = {code: group for code, group in findings_by_code(findings).items() if len(group) > GROUP_ABOVE}
    singles = [f for f in findings if f.code not in repeated]
    groups = [RepeatedGroup(code, group[0].name, tuple(group)) for code, group in repeated.items()]
    return singles, groups
