"""The rule catalog: unique codes and names, codes that match their pack, documented rules with cases."""

from __future__ import annotations

import re

import pytest

from vitruvius.findings import PACKS, SEVERITIES
from vitruvius.rules import all_rules

from .test_rule_cases import cases_of, rule_markdown

RULES = all_rules()
# Reported only when a rule itself crashes, which no rule case can provoke; test_review covers it.
WITHOUT_FLAGGED_CASE = {"VIT000"}


def test_codes_and_names_are_unique_and_well_formed() -> None:
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))
    for code, rule in RULES.items():
        assert re.fullmatch(r"[A-Z]+[0-9]{3}", code), code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert code.startswith(PACKS[rule.pack][0]), f"{code} is in pack {rule.pack}"
        assert rule.severity in SEVERITIES


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_documented(code: str) -> None:
    doc = RULES[code].doc
    assert doc.splitlines()[0].endswith("."), f"{code}: the summary line is one sentence"
    for section in ("## Why is this bad?", "## Example", "Use instead:"):
        assert section in doc, f"{code}: its docstring lacks {section!r}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_flagged_and_clean_cases(code: str) -> None:
    md = rule_markdown(code)
    if code in WITHOUT_FLAGGED_CASE:
        return
    assert md.exists(), f"{code}: no cases file {md.name} beside the rule"
    cases = cases_of(md, code)
    flagged = [c for c in cases if any(e[2] == code for e in c.expected)]
    clean = [c for c in cases if not any(e[2] == code for e in c.expected)]
    assert flagged, f"{code}: no case expects a finding"
    assert clean, f"{code}: no case expects silence"
