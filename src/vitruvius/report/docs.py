"""A rule's documentation, split into its sections.

A rule's docstring is its documentation: a summary line, optional paragraphs, then `## Why is this bad?`,
`## Example`, a `Use instead:` line, and `## References` / `## Known problems` when needed. `explain`, the
markdown report and SARIF's rule help all read the same sections from here.
"""

from __future__ import annotations

from dataclasses import dataclass

WHY = "Why is this bad?"
EXAMPLE = "Example"
USE_INSTEAD = "Use instead"
REFERENCES = "References"
KNOWN_PROBLEMS = "Known problems"

_USE_INSTEAD_LINE = "Use instead:"


@dataclass(frozen=True)
class RuleDoc:
    """`sections` keeps the doc's own order; `Use instead:` counts as a section of its own so the good
    example can be shown without the bad one."""

    summary: str
    intro: str
    sections: tuple[tuple[str, str], ...]

    def section(self, title: str) -> str:
        return next((body for heading, body in self.sections if heading == title), "")

    @property
    def why(self) -> str:
        return self.section(WHY)

    @property
    def example(self) -> str:
        return self.section(EXAMPLE)

    @property
    def use_instead(self) -> str:
        return self.section(USE_INSTEAD)

    @property
    def references(self) -> str:
        return self.section(REFERENCES)

    @property
    def known_problems(self) -> str:
        return self.section(KNOWN_PROBLEMS)


def split_doc(doc: str) -> RuleDoc:
    """Split a cleaned docstring (`Rule.doc`) into summary, intro paragraphs and titled sections."""
    lines = doc.strip().splitlines()
    if not lines:
        return RuleDoc(summary="", intro="", sections=())
    summary, body = lines[0].strip(), lines[1:]
    intro: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    in_fence = False
    for line in body:
        heading = None if in_fence else _heading(line)
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if heading is not None:
            sections.append((heading, []))
        elif sections:
            sections[-1][1].append(line)
        else:
            intro.append(line)
    return RuleDoc(
        summary=summary,
        intro=_text(intro),
        sections=tuple((title, _text(section_lines)) for title, section_lines in sections),
    )


def _heading(line: str) -> str | None:
    """The section title a line opens, if it opens one. Fenced code is skipped by the caller, because a
    Python comment such as `## cache this` inside an example is not a heading."""
    stripped = line.strip()
    if stripped.startswith("## "):
        return stripped[3:].strip()
    if stripped == _USE_INSTEAD_LINE:
        return USE_INSTEAD
    return None


def _text(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")
