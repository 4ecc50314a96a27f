"""Every format against golden files, plus the contracts: the JSON schema we ship and the official SARIF schema.

Regenerate the golden files after an intended change with `VITRUVIUS_UPDATE_GOLDEN=1 pytest tests/report`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

from vitruvius.findings import Review
from vitruvius.report import FORMATS, json_schema_path, render
from vitruvius.report.markdown import markdown_fix
from vitruvius.report.sarif import fingerprint

GOLDEN = Path(__file__).parent / "golden"
REPO_ROOT = Path(__file__).parents[2]
SARIF_SCHEMA = REPO_ROOT.parent / "shared" / "corpus" / "schemas" / "sarif-2.1.0-rtm.5.json"

CASES = {
    "review.json": ("json", False),
    "review.sarif": ("sarif", False),
    "review.txt": ("terminal", False),
    "review.ansi": ("terminal", True),
    "review.md": ("markdown", False),
}


def assert_matches_golden(name: str, output: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("VITRUVIUS_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(output, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing: run with VITRUVIUS_UPDATE_GOLDEN=1 to write it"
    assert output == golden.read_text(encoding="utf-8")


def normalise_seconds(text: str) -> str:
    return re.sub(r'"seconds": [0-9.e+-]+', '"seconds": 0.0', text)


@pytest.mark.parametrize("name", CASES)
def test_golden(review: Review, name: str) -> None:
    format, color = CASES[name]
    assert_matches_golden(name, render(review, format, color=color))


@pytest.mark.parametrize("format", FORMATS)
def test_output_is_deterministic(review: Review, format: str) -> None:
    assert render(review, format) == render(review, format)


@pytest.mark.parametrize("format", ["json", "sarif"])
def test_only_the_timing_depends_on_the_run(review: Review, format: str) -> None:
    slower = dataclasses.replace(review, seconds=12.5)
    first, second = render(review, format), render(slower, format)
    assert first != second
    assert normalise_seconds(first) == normalise_seconds(second)


def test_unknown_format_is_refused(review: Review) -> None:
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render(review, "xml")


# json

def test_json_validates_against_the_shipped_schema(review: Review, clean_review: Review) -> None:
    schema = json.loads(json_schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(":v1")
    for each in (review, clean_review):
        jsonschema.Draft202012Validator(schema).validate(json.loads(render(each, "json")))


def test_json_keeps_every_finding_in_review_order(review: Review) -> None:
    report = json.loads(render(review, "json"))
    assert [f["key"] for f in report["findings"]] == [f.key for f in review.findings]
    assert list(report["findings"][0]) == [
        "code", "name", "severity", "path", "line", "column", "end_line", "message", "fix", "related", "key",
    ]
    assert report["summary"] == {
        "files": 7, "findings": 18, "by_severity": {"error": 1, "warning": 16, "info": 1}, "seconds": 0.25,
    }


def test_json_schema_rejects_an_unknown_field(review: Review) -> None:
    schema = json.loads(json_schema_path().read_text(encoding="utf-8"))
    report = json.loads(render(review, "json"))
    report["findings"][0]["url"] = "https://example.invalid"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)


# sarif

def sarif_validator() -> jsonschema.Draft4Validator:
    if not SARIF_SCHEMA.exists():
        pytest.skip(
            f"the SARIF 2.1.0 schema from ../shared/corpus is needed ({SARIF_SCHEMA}); "
            "check out the shared corpus beside the repository to run this test"
        )
    return jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("which", ["review", "clean_review"])
def test_sarif_validates_against_the_official_schema(which: str, request: pytest.FixtureRequest) -> None:
    validator = sarif_validator()
    log = json.loads(render(request.getfixturevalue(which), "sarif"))
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_sarif_results_point_at_their_rules(review: Review) -> None:
    run = json.loads(render(review, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result, finding in zip(run["results"], review.findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.code
        assert result["partialFingerprints"] == {"vitruvius/v1": fingerprint(finding)}
    assert {result["level"] for result in run["results"]} == {"error", "warning", "note"}


def test_sarif_leaves_out_the_region_of_a_whole_file_finding(review: Review) -> None:
    run = json.loads(render(review, "sarif"))["runs"][0]
    unreadable = next(r for r in run["results"] if r["ruleId"] == "VIT001")
    assert "region" not in unreadable["locations"][0]["physicalLocation"]


# terminal and markdown

def test_terminal_shows_a_repeated_rule_once(review: Review) -> None:
    output = render(review, "terminal")
    assert output.count("DB003") == 1
    assert "DB003 foreign-key-without-index — 13 places: order_lines(order_id) has no index" in output
    assert "… and 8 more" in output
    assert "\x1b[" not in output


def test_markdown_groups_a_repeated_rule_and_lists_each_other_finding(review: Review) -> None:
    output = render(review, "markdown")
    assert "13 places; the first: order_lines(order_id) has no index" in output
    assert "- … and 8 more" in output
    assert "migrations/0001_initial.sql:70:5" not in output  # the sixth place: beyond the first five


def test_markdown_keeps_a_multi_line_fix_in_a_code_block() -> None:
    assert markdown_fix("a *b* <c>") == "a \\*b\\* \\<c>"
    assert markdown_fix("BEGIN;\nCOMMIT;", 2) == "\n\n  ```\n  BEGIN;\n  COMMIT;\n  ```"


def test_markdown_says_what_was_not_analysed(review: Review) -> None:
    output = render(review, "markdown")
    assert "| Deployment | no | no docker-compose files or Kubernetes manifests found |" in output
    assert "| Data | yes | 1 table |" in output


@pytest.mark.parametrize(
    ("format", "expected"),
    [
        ("terminal", "No findings."),
        ("markdown", "No findings, but there was nothing to analyse either"),
        ("json", '"findings": []'),
        ("sarif", '"results": []'),
    ],
)
def test_a_clean_review_renders_sensibly(clean_review: Review, format: str, expected: str) -> None:
    output = render(clean_review, format)
    assert expected in output
    assert output.endswith("\n") and not output.endswith("\n\n")
