"""The terminal report: findings grouped by file, rules with many findings shown once, then a summary.

Each finding is one unwrapped line (`line:col CODE [severity] message`) so it can be grepped and clicked;
the terminal wraps it, not us.
"""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.text import Text

from ..findings import SEVERITIES, Finding, Review
from .common import RepeatedGroup, place, plural, position, split_repeated

WIDTH = 100
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_SEVERITY_WIDTH = max(len(s) for s in SEVERITIES) + 2


def render(review: Review, *, color: bool = False) -> str:
    buffer = StringIO()
    console = _console(buffer, color)
    singles, groups = split_repeated(review.findings)
    for path, findings in _by_path(singles).items():
        _print_file(console, path, findings)
    for group in groups:
        _print_group(console, group)
    _print_summary(console, review)
    return buffer.getvalue()


def _console(buffer: StringIO, color: bool) -> Console:
    # An empty environment: NO_COLOR, FORCE_COLOR, TERM or COLUMNS must not change a report;
    # the caller has already decided about colour.
    return Console(
        file=buffer,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        width=WIDTH,
        highlight=False,
        emoji=False,
        legacy_windows=False,
        force_jupyter=False,
        force_interactive=False,
        _environ={},
    )


def _by_path(findings: list[Finding]) -> dict[str, list[Finding]]:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.location.path, []).append(finding)
    return by_path


def _print_file(console: Console, path: str, findings: list[Finding]) -> None:
    console.print(Text(path, style="bold underline"), soft_wrap=True)
    position_width = max(len(position(f.location)) for f in findings)
    code_width = max(len(f.code) for f in findings)
    for finding in findings:
        line = Text("  ")
        line.append(position(finding.location).ljust(position_width), style="dim")
        line.append(" ")
        line.append(finding.code.ljust(code_width), style="bold")
        line.append(" ")
        label = f"[{finding.severity}]"
        line.append(label, style=_severity_style(finding.severity))
        line.append(" " * (_SEVERITY_WIDTH - len(label) + 1))
        indent = len(line.plain)
        line.append(finding.message)
        console.print(line, soft_wrap=True)
        _print_details(console, finding, indent)
    console.print()


def _print_details(console: Console, finding: Finding, indent: int) -> None:
    if finding.fix:
        console.print(_labelled(indent, "fix: ", finding.fix), soft_wrap=True)
    if finding.related:
        related = ", ".join(place(location) for location in finding.related)
        console.print(_labelled(indent, "related: ", related), soft_wrap=True)


def _labelled(indent: int, label: str, value: str) -> Text:
    text = Text(" " * indent)
    text.append(label, style="green")
    text.append(value)
    return text


def _print_group(console: Console, group: RepeatedGroup) -> None:
    first = group.first
    header = Text()
    header.append(group.code, style="bold")
    header.append(" ")
    header.append(group.name, style=_severity_style(first.severity))
    header.append(f" — {len(group.findings)} places: ")
    header.append(first.message)
    console.print(header, soft_wrap=True)
    if first.fix:
        console.print(_labelled(2, "fix: ", first.fix), soft_wrap=True)
    for finding in group.shown:
        console.print(Text("  " + place(finding.location), style="dim"), soft_wrap=True)
    if group.hidden:
        console.print(Text(f"  … and {group.hidden} more"), soft_wrap=True)
    console.print()


def _print_summary(console: Console, review: Review) -> None:
    if review.findings:
        summary = Text(f"{plural(len(review.findings), 'finding')}: ", style="bold")
        summary.append_text(_severity_counts(review))
    else:
        summary = Text("No findings", style="bold green")
    hidden = _hidden_counts(review)
    summary.append(f" ({hidden})." if hidden else ".")
    console.print(summary, soft_wrap=True)
    console.print(f"{plural(len(review.model.files), 'file')} read in {review.seconds:.2f} s.", soft_wrap=True)


def _severity_counts(review: Review) -> Text:
    counts = Text()
    for index, (severity, count) in enumerate(review.counts_by_severity().items()):
        if index:
            counts.append(", ")
        counts.append(plural(count, severity), style=_severity_style(severity))
    return counts


def _hidden_counts(review: Review) -> str:
    """Findings the user chose not to see still count: saying how many keeps a baseline honest."""
    hidden = ((review.suppressed, "suppressed"), (review.baselined, "baselined"))
    return ", ".join(f"{count} {what}" for count, what in hidden if count)


def _severity_style(severity: str) -> str:
    return SEVERITY_STYLES.get(severity, "")
