"""The README's rule list is generated from the rules: it must not drift from them."""

from __future__ import annotations

import re
from pathlib import Path

from vitruvius.cli import rule_table_markdown
from vitruvius.rules import all_rules

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_rule_list_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    listed = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.DOTALL)
    assert listed, "README lacks the rules:start/rules:end markers"
    expected = rule_table_markdown(all_rules().values())
    assert listed.group(1) == expected, "run: python -m vitruvius rules --format markdown, and paste it into README.md"
