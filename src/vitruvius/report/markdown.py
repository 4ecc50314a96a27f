"""The markdown report: an architect's review of the findings, written with the jinja2 template in `templates/`.

This module turns a Review into small views (per area, per rule); the template only lays them out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath

import jinja2

from ..findings import PACKS, Finding, Review
from ..model import SystemModel
from .advice import SCALABILITY, TRADE_OFFS
from .common import (
    RepeatedGroup,
    findings_by_code,
    place,
    plural,
    severity_counts,
    severity_rank,
    split_repeated,
)
from .docs import split_doc

TOP_RISKS = 3

# analysed() area → (title, the model section counted, its noun, why it may be empty).
AREAS = {
    "code": ("Code", "modules", "module", "no Python modules found"),
    "api": ("HTTP API", "operations", "operation",
            "no routes (FastAPI, Flask, Django/DRF) or OpenAPI documents found"),
    "data": ("Data", "tables", "table", "no SQL schema, migrations or ORM models found"),
    "migrations": ("Migrations", "migrations", "migration", "no SQL, Alembic or Django migrations found"),
    "queries": ("Queries", "queries", "query", "no ORM or SQL queries found in code"),
    "deploy": ("Deployment", "services", "service", "no docker-compose files or Kubernetes manifests found"),
    "settings": ("Settings", "settings", "setting",
                 "no framework settings found (DEBUG, CORS, secrets, logging)"),
}


@dataclass(frozen=True)
class Area:
    title: str
    analysed: bool
    detail: str


@dataclass(frozen=True)
class RuleView:
    """One rule's findings with what the reader needs to act on them."""

    code: str
    name: str
    severity: str
    pack: str
    summary: str
    why: str
    use_instead: str
    findings: tuple[Finding, ...]
    group: RepeatedGroup | None

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def files(self) -> int:
        return len({f.location.path for f in self.findings})

    @property
    def common_fix(self) -> str | None:
        """The one fix to state for the rule: the same fix everywhere, or the first for a repeated group."""
        fixes = {f.fix for f in self.findings}
        if len(fixes) == 1 or self.group is not None:
            return self.findings[0].fix
        return None

    @property
    def place_fixes(self) -> list[tuple[str, str]]:
        return [(place(f.location), f.fix) for f in self.findings if f.fix]

    @property
    def headline(self) -> str:
        return self.summary or self.findings[0].message

    @property
    def priority(self) -> tuple:
        return (severity_rank(self.severity), -self.count, self.code)


@dataclass(frozen=True)
class PackView:
    pack: str
    title: str
    rules: tuple[RuleView, ...]

    @property
    def findings(self) -> list[Finding]:
        return [f for rule in self.rules for f in rule.findings]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def render(review: Review) -> str:
    return _template().render(**_context(review)).strip() + "\n"


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("vitruvius.report", "templates"),
        autoescape=False,  # markdown, not HTML: messages are escaped for markdown by the `md` filter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters.update(md=escape_markdown, fix=markdown_fix, plural=plural, place=place)
    return environment.get_template("review.md.j2")


def escape_markdown(text: str) -> str:
    """Keep a message's `*`, `<` and `\\` from turning into emphasis, HTML or escapes; backticks are left
    alone because rules use them to mark code."""
    return re.sub(r"([\\*<])", r"\\\1", text)


def markdown_fix(text: str, indent: int = 0) -> str:
    """A one-line fix reads inline; a longer one (a migration's steps) keeps its lines in a code block."""
    if "\n" not in text:
        return escape_markdown(text)
    pad = " " * indent
    return "\n\n" + "\n".join(pad + line if line else "" for line in ["```", *text.splitlines(), "```"])


def _context(review: Review) -> dict:
    rules = _rule_views(review)
    by_priority = sorted(rules, key=lambda rule: rule.priority)
    packs = _pack_views(rules)
    fired = [pack.pack for pack in packs]
    areas = _areas(review.model)
    return {
        "review": review,
        "title": PurePath(review.root).name,
        "file_kinds": _file_kinds(review.model),
        "rule_packs": ", ".join(PACKS[p][0] if p in PACKS else p for p in _packs_run(review)),
        "areas": areas,
        "severity_counts": severity_counts(review.findings),
        "finding_files": len({f.location.path for f in review.findings}),
        "packs": packs,
        "clean_packs": [_pack_title(p) for p in _packs_run(review) if p not in fired],
        "top_risks": by_priority[:TOP_RISKS],
        "priorities": by_priority,
        "trade_offs": [(_pack_title(p), TRADE_OFFS[p]) for p in fired if p in TRADE_OFFS],
        # SCALABILITY lists the packs in the order things tend to break under load.
        "scalability": [(_pack_title(p), text) for p, text in SCALABILITY.items() if p in fired],
        "not_analysed": [area for area in areas if not area.analysed],
    }


def _rule_views(review: Review) -> list[RuleView]:
    """One view per rule that fired, in order of the rule's first finding."""
    _, groups = split_repeated(review.findings)
    group_of = {group.code: group for group in groups}
    return [
        _rule_view(review, code, findings, group_of.get(code))
        for code, findings in findings_by_code(review.findings).items()
    ]


def _rule_view(review: Review, code: str, findings: list[Finding], group: RepeatedGroup | None) -> RuleView:
    rule = review.rule(code)
    doc = split_doc(rule.doc) if rule else split_doc("")
    first = findings[0]
    return RuleView(
        code=code,
        name=rule.name if rule else first.name,
        severity=first.severity,
        pack=rule.pack if rule else _pack_of_code(code),
        summary=doc.summary,
        why=doc.why,
        use_instead=doc.use_instead,
        findings=tuple(findings),
        group=group,
    )


def _pack_views(rules: list[RuleView]) -> list[PackView]:
    """Areas with findings, in the order PACKS lists them; rules within an area by priority."""
    packs = sorted({rule.pack for rule in rules}, key=_pack_order)
    by_priority = sorted(rules, key=lambda rule: rule.priority)
    return [PackView(pack, _pack_title(pack), tuple(r for r in by_priority if r.pack == pack)) for pack in packs]


def _packs_run(review: Review) -> list[str]:
    return sorted({rule.pack for rule in review.rules}, key=_pack_order)


def _pack_order(pack: str) -> tuple[int, str]:
    """The order PACKS lists the packs in; packs this version does not know come last."""
    order = list(PACKS)
    return (order.index(pack) if pack in order else len(order), pack)


def _pack_title(pack: str) -> str:
    if pack not in PACKS:
        return pack
    prefix, label = PACKS[pack]
    if not label.startswith("vitruvius"):  # the tool's name stays lowercase, even at the start of a heading
        label = label[:1].upper() + label[1:]
    return f"{label} ({prefix})"


def _pack_of_code(code: str) -> str:
    """For a finding whose rule is not in the review: the pack whose prefix the code carries."""
    prefix = code.rstrip("0123456789")
    return next((pack for pack, (pack_prefix, _) in PACKS.items() if pack_prefix == prefix), "vit")


def _areas(model: SystemModel) -> list[Area]:
    return [_area(model, key, analysed) for key, analysed in model.analysed().items()]


def _area(model: SystemModel, key: str, analysed: bool) -> Area:
    if key not in AREAS:  # an area newer than this report: name it plainly, without a count
        return Area(key.capitalize(), analysed, "analysed" if analysed else "nothing found")
    title, section, noun, why_not = AREAS[key]
    return Area(title, analysed, plural(len(getattr(model, section)), noun) if analysed else why_not)


def _file_kinds(model: SystemModel) -> str:
    """`3 app, 1 test`: the most common kinds first, so the reader sees what the repository is made of."""
    kinds = sorted(Counter(f.kind for f in model.files).items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{count} {kind}" for kind, count in kinds)
