"""The command line: exit codes, formats, rules, explain, baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vitruvius.cli import main


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "service.py").write_text("def submit():\n    print('submitted')\n")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_exit_codes_follow_fail_on(repo: Path) -> None:
    assert run("review", str(repo)).exit_code == 0  # a warning is below the default --fail-on error
    assert run("review", str(repo), "--fail-on", "warning").exit_code == 1
    assert run("review", str(repo), "--fail-on", "never", "--format", "json").exit_code == 0
    assert run("review", str(repo), "--select", "NOPE").exit_code == 2
    assert run("review", str(repo), "--format", "xml").exit_code == 2


def test_json_output_and_output_file(repo: Path, tmp_path: Path) -> None:
    result = run("review", str(repo), "--format", "json")
    document = json.loads(result.output)
    assert [f["code"] for f in document["findings"]] == ["OBS001"]
    out = tmp_path / "report.sarif"
    assert run("review", str(repo), "--format", "sarif", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_a_bad_configuration_exits_2_naming_the_file_and_key(repo: Path) -> None:
    (repo / "vitruvius.toml").write_text("[rules.OBS001]\nlevel = 3\n")
    result = CliRunner().invoke(main, ["review", str(repo)])
    assert result.exit_code == 2
    assert "vitruvius.toml: rules.OBS001.level: OBS001 has no option 'level'" in result.output


def test_rules_and_explain() -> None:
    listing = json.loads(run("rules", "--format", "json").output)
    assert {"LAY001", "PERF001", "SEC001", "OBS001", "VIT001"} <= {r["code"] for r in listing}
    text = run("explain", "PERF001").output
    assert "## Why is this bad?" in text and "outbound-http-without-timeout" in text
    assert run("explain", "print-in-application-code").exit_code == 0
    assert run("explain", "NOPE1").exit_code == 2


def test_baseline_round_trip(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert run("baseline", str(repo), "-o", str(baseline)).exit_code == 0
    result = run("review", str(repo), "--format", "json", "--baseline", str(baseline), "--fail-on", "info")
    assert result.exit_code == 0 and json.loads(result.output)["findings"] == []


def test_output_is_byte_identical_across_runs_timings_aside(repo: Path) -> None:
    import re

    def report(fmt: str) -> str:
        text = run("review", str(repo), "--format", fmt).output
        return re.sub(r'"seconds": [0-9.]+|read in [0-9.]+ s', "<time>", text)

    for fmt in ("json", "sarif", "markdown", "terminal"):
        assert report(fmt) == report(fmt), fmt


def test_an_unwritable_output_file_is_a_clear_error(repo: Path) -> None:
    result = CliRunner().invoke(main, ["review", str(repo), "-o", str(repo / "missing" / "report.json")])
    assert result.exit_code == 2 and "cannot write" in result.output


def test_every_command_reports_an_unwritable_output_file(repo: Path) -> None:
    for command in (["baseline", str(repo)], ["openapi", str(repo)]):
        result = CliRunner().invoke(main, [*command, "-o", str(repo / "missing" / "out.json")])
        assert result.exit_code == 2 and "cannot write" in result.output, command
