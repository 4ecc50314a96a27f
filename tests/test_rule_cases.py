"""One runner for every rule case: each `##` section of a rule's sibling `.md` is a tiny repository.

Its fenced blocks with `title="path"` are files; a `toml` block is the `[tool.vitruvius]` configuration;
a line carrying `expect: CODE` in a `#` or `--` comment must be flagged with that code. The case passes
when the rule's findings are exactly the expected `(path, line, code)` set: no misses, no extras.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from vitruvius import config
from vitruvius.review import review
from vitruvius.rules import all_rules

FENCE = re.compile(r"^```(?P<lang>[\w+-]*)(?P<info>[^\n]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="(?P<path>[^"]+)"')
EXPECT = re.compile(r"(?:#|--).*?\bexpect:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")


@dataclass(frozen=True)
class Case:
    code: str
    title: str
    files: dict[str, str]
    options: dict
    config_file: str | None
    expected: frozenset[tuple[str, int, str]]


def cases_of(md: Path, code: str) -> list[Case]:
    sections = re.split(r"^## ", md.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    cases = []
    for section in sections:
        title, _, body = section.partition("\n")
        files, options, expected, config_file = {}, {}, set(), None
        for block in FENCE.finditer(body):
            if block["lang"] == "toml" and not TITLE.search(block["info"]):
                options = tomllib.loads(block["body"])
                continue
            path_match = TITLE.search(block["info"])
            if not path_match:
                continue
            path = path_match["path"]
            files[path] = block["body"]
            if Path(path).name in config.CONFIG_FILES:
                config_file = path
            for number, line in enumerate(block["body"].splitlines(), 1):
                for match in EXPECT.finditer(line):
                    expected.update((path, number, c.strip()) for c in match["codes"].split(","))
        cases.append(Case(code, title.strip(), files, options, config_file, frozenset(expected)))
    return cases


def rule_markdown(code: str) -> Path:
    function = all_rules()[code].function
    return Path(function.__code__.co_filename).with_suffix(".md")


ALL_CASES = [
    case
    for code in all_rules()
    if rule_markdown(code).exists()
    for case in cases_of(rule_markdown(code), code)
]


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: f"{c.code}-{re.sub(r'[^a-z0-9]+', '-', c.title.lower()).strip('-')}")
def test_rule_case(case: Case) -> None:
    if case.config_file:
        settings = config.from_text(case.files[case.config_file], case.config_file)
    else:
        settings = config.parse(case.options, source=f"{case.code} case") if case.options else None
    result = review(case.files, config=settings)
    found = {(f.location.path, f.location.line, f.code) for f in result.findings if f.code == case.code}
    expected = {e for e in case.expected if e[2] == case.code}
    missed, extra = expected - found, found - expected
    messages = {(f.location.path, f.location.line, f.code): f.message for f in result.findings}
    assert not missed and not extra, (
        f"\n{case.code} case {case.title!r}"
        + "".join(f"\n  missed: {m}" for m in sorted(missed))
        + "".join(f"\n  extra:  {e} {messages[e]}" for e in sorted(extra))
    )
