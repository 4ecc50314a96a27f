"""The review pipeline: configuration, selection, file roles, suppressions, baselines, robustness."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from vitruvius import config
from vitruvius.config import ConfigError
from vitruvius.findings import REGISTRY, Finding, rule
from vitruvius.review import review

PRINTING_SERVICE = {"app/service.py": "def submit():\n    print('submitted')\n"}


def codes(result) -> list[tuple[str, int, str]]:
    return [(f.location.path, f.location.line, f.code) for f in result.findings]


def test_findings_are_stamped_with_code_name_and_severity() -> None:
    (finding,) = review(PRINTING_SERVICE).findings
    assert (finding.code, finding.name, finding.severity) == ("OBS001", "print-in-application-code", "warning")
    assert finding.key == "call:app/service.py:app.service.submit:print"
    assert finding.fix


def test_select_and_ignore_narrow_the_rules() -> None:
    assert codes(review(PRINTING_SERVICE, select=["SEC"])) == []
    assert codes(review(PRINTING_SERVICE, ignore=["OBS001"])) == []
    assert codes(review(PRINTING_SERVICE, select=["OBS"])) == [("app/service.py", 2, "OBS001")]
    with pytest.raises(ConfigError, match="matches no rule"):
        review(PRINTING_SERVICE, select=["NOPE"])


def test_configuration_is_checked_and_applied() -> None:
    settings = config.parse({"severity": {"OBS001": "error"}, "rules": {"SEC001": {"min-length": 20}}})
    (finding,) = review(PRINTING_SERVICE, config=settings).findings
    assert finding.severity == "error"
    with pytest.raises(ConfigError, match=r"rules\.SEC001\.length: SEC001 has no option 'length'"):
        config.parse({"rules": {"SEC001": {"length": 3}}}, source="pyproject.toml")
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.vitruvius\] colour"):
        config.parse({"colour": True}, source="pyproject.toml")
    with pytest.raises(ConfigError, match="unknown rule 'XYZ001'"):
        config.parse({"severity": {"XYZ001": "info"}})
    with pytest.raises(ConfigError, match=r"rules\.API003\.style: 'kebab' is not one of 'auto', 'kebab-case'"):
        config.parse({"rules": {"API003": {"style": "kebab"}}})
    with pytest.raises(ConfigError, match="expected int"):
        config.parse({"rules": {"hard-coded-secret": {"min_length": "long"}}})


def test_configuration_file_is_found_in_the_root(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "service.py").write_text(PRINTING_SERVICE["app/service.py"])
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.vitruvius]\nignore = ["OBS"]\n')
    assert codes(review(tmp_path)) == []
    (tmp_path / "vitruvius.toml").write_text("select = ['OBS']\n")
    assert codes(review(tmp_path)) == [("app/service.py", 2, "OBS001")]
    (tmp_path / "vitruvius.toml").write_text("select = [\n")
    with pytest.raises(ConfigError, match="vitruvius.toml: not valid TOML"):
        review(tmp_path)


def test_per_file_ignores() -> None:
    settings = config.parse({"per-file-ignores": {"app/*": ["OBS001"]}})
    assert codes(review(PRINTING_SERVICE, config=settings)) == []


def test_rules_leave_tests_alone_by_pack() -> None:
    files = {"tests/test_x.py": "def test_a():\n    print('x')\n", "tests/helpers.py": "import requests\nrequests.get('u')\n"}
    assert codes(review(files)) == []


def test_discovery_respects_gitignore_exclude_and_skipped_folders(tmp_path: Path) -> None:
    for path in ("app/a.py", "app/generated/b.py", ".venv/lib/c.py", "node_modules/d.py", "legacy/e.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("print('x')\n")
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "vitruvius.toml").write_text("exclude = ['legacy/']\n")
    result = review(tmp_path)
    assert [f.path for f in result.model.files] == ["app/a.py"]


def test_an_unreadable_file_is_reported_and_the_review_goes_on() -> None:
    files = {"app/bad.py": b"name = '\xff\xfe'\n", "app/service.py": PRINTING_SERVICE["app/service.py"]}
    result = review(files)
    assert [(c, p) for p, _, c in codes(result)] == [("VIT001", "app/bad.py"), ("OBS001", "app/service.py")]
    assert "not valid UTF-8" in result.findings[0].message


def test_a_file_over_the_size_bound_is_reported(tmp_path: Path) -> None:
    from vitruvius.readers import read

    (tmp_path / "big.py").write_text("x = 1\n" * 100)
    model = read(tmp_path, max_bytes=100)
    assert [n.message for n in model.notes] == ["big.py is 600 bytes, over the 100-byte bound; not read"]


def test_a_review_leaves_the_cyclic_collector_as_it_found_it() -> None:
    # The review keeps the model out of the collector's passes while it runs (gc.freeze), not after.
    assert gc.isenabled() and gc.get_freeze_count() == 0
    review(PRINTING_SERVICE)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        review(PRINTING_SERVICE)
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_a_crashing_rule_becomes_an_internal_error_note(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = dict(REGISTRY)

    @rule("OBS999", "always-crashes")
    def always_crashes(model):
        """Crashes."""
        raise KeyError("boom")

    try:
        result = review(PRINTING_SERVICE)
    finally:
        REGISTRY.clear()
        REGISTRY.update(registry)
    assert [f.code for f in result.findings] == ["OBS001", "VIT000"] or [f.code for f in result.findings] == ["VIT000", "OBS001"]
    assert any("rule OBS999 (always-crashes) failed: KeyError" in f.message for f in result.findings)


def test_baseline_hides_recorded_findings_by_key_not_line(tmp_path: Path) -> None:
    first = review(PRINTING_SERVICE)
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"findings": [{"code": f.code, "key": f.key} for f in first.findings]}))
    moved = {"app/service.py": "\n\n\ndef submit():\n    print('submitted')\n"}
    result = review(moved, baseline=baseline)
    assert result.findings == () and result.baselined == 1
    added = {"app/service.py": moved["app/service.py"] + "\n\ndef cancel():\n    print('cancelled')\n"}
    assert codes(review(added, baseline=baseline)) == [("app/service.py", 9, "OBS001")]
    baseline.write_text("{}")
    with pytest.raises(ConfigError, match="not a vitruvius baseline"):
        review(PRINTING_SERVICE, baseline=baseline)


def test_unused_suppressions_of_deselected_rules_are_not_reported() -> None:
    files = {"app/service.py": "def submit():\n    return 1  # vitruvius: ignore[OBS001]\n"}
    assert codes(review(files)) == [("app/service.py", 2, "VIT002")]
    assert codes(review(files, select=["VIT", "SEC"])) == []


def test_output_is_deterministic() -> None:
    files = {**PRINTING_SERVICE, "app/config.py": "API_TOKEN = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFi'\n"}
    first, second = review(files), review(files)
    assert [(f.code, f.key, f.message) for f in first.findings] == [(f.code, f.key, f.message) for f in second.findings]


def test_secret_values_never_appear_whole() -> None:
    secret = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFi"
    (finding,) = review({"app/config.py": f"API_TOKEN = '{secret}'\n"}).findings
    assert secret not in finding.message and secret not in (finding.fix or "") and "Zm9v…" in finding.message


def test_finding_takes_location_and_key_from_its_element() -> None:
    class Element:
        location = None
        key = "table:orders"

    finding = Finding(Element(), "orders has no primary key")
    assert finding.key == "table:orders" and finding.location.path == "."


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("app/services/orders.py", "app"),
        ("tests/test_orders.py", "test"),
        ("app/orders_test.py", "test"),
        ("conftest.py", "test"),
        ("shop/migrations/0001_initial.py", "migration"),
        ("alembic/versions/1a2b_add_orders.py", "migration"),
        ("src/prefect/server/database/_migrations/versions/postgresql/2022_01_20_add_flow.py", "migration"),
        ("scripts/seed.py", "script"),
        ("manage.py", "script"),
        ("db/schema/04-CreateTables.sql", "schema"),
        ("db/V3__add_orders.sql", "migration"),
        ("docker-compose.yml", "deploy"),
    ],
)
def test_files_are_classified_by_role(path: str, kind: str) -> None:
    from vitruvius.readers.files import classify

    assert classify(path) == kind


def test_odd_files_neither_hang_nor_crash_the_review(tmp_path: Path) -> None:
    import os

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "service.py").write_text("def submit():\n    print('x')\n")
    os.mkfifo(tmp_path / "app" / "pipe.py")  # reading a FIFO would block forever
    outside = tmp_path.parent / f"{tmp_path.name}-secret"
    outside.write_text("TOP_SECRET_PASSWORD_123\\\n")
    (tmp_path / ".gitignore").symlink_to(outside)  # a link out of the root is never read
    (tmp_path / "app" / ".gitignore").write_text("[z-a]\n*.tmp\n")
    (tmp_path / os.fsdecode(b"bad\xff.py")).write_text("x = 1\n")
    result = review(tmp_path)
    messages = [f.message for f in result.findings]
    assert ("app/service.py", 2, "OBS001") in codes(result)
    assert any("app/.gitignore:1: not a valid gitignore pattern" in m for m in messages)
    assert any("the file name is not valid UTF-8" in m for m in messages)
    assert not any("TOP_SECRET" in m for m in messages)


def test_configuration_edge_cases() -> None:
    assert config.from_text("tool = 3\n", "pyproject.toml") is None
    with pytest.raises(ConfigError, match="exclude: '\\[z-a\\]' is not a valid gitignore pattern"):
        config.parse({"exclude": ["[z-a]"]})
    settings = config.parse({"per-file-ignores": {"app/*": ["ALL"]}})
    assert codes(review(PRINTING_SERVICE, config=settings)) == []


def test_suppressions_in_any_letter_case_are_honoured() -> None:
    files = {"app/service.py": "def submit():\n    print('x')  # Vitruvius: ignore[OBS001]\n"}
    assert codes(review(files)) == []


def test_note_keys_do_not_change_when_the_file_moves_down() -> None:
    first = review({"app/bad.py": "def f(:\n"}).findings[0]
    moved = review({"app/bad.py": "\n\n\ndef f(:\n"}).findings[0]
    assert first.code == moved.code == "VIT001" and first.key == moved.key


def test_x_vitruvius_ignore_accepts_findings_inside_its_element() -> None:
    operation = '{"x-vitruvius-ignore": ["API028"], "responses": {"200": {"description": "OK"}}}'
    document = '{"openapi": "3.0.3", "info": {"title": "Shop", "version": "1"}, "paths": {"/orders": {"get": %s}}}'
    plain = review({"openapi.json": document % operation.replace('"x-vitruvius-ignore": ["API028"], ', "")})
    accepted = review({"openapi.json": document % operation})
    assert "API028" in [f.code for f in plain.findings]
    assert "API028" not in [f.code for f in accepted.findings] and accepted.suppressed == 1
    assert "VIT002" not in [f.code for f in accepted.findings]
