"""The expression shapes spelled in Python must read exactly as libpg_query's deparser spells them, and name the
same columns and functions as a walk of the whole tree: the schema compares expressions by that text."""

from __future__ import annotations

from pathlib import Path

import postgast
import pytest

from vitruvius.readers.sql import pg_expressions, postgres
from vitruvius.readers.sql.pg_expressions import Expression, _descendants, deparse

EXPRESSIONS = [
    "0", "-1", "1.50", "-2.5", "1e10", "9999999999999", "true", "false", "NULL", "''", "'it''s'", "'a\\b'",
    "E'x\\\\y'", "'{}'", "name", "t.name", "s.t.name", '"Name"', '"user"', "t.\"end\"", '"a$b"', "now()",
    "lower(name)", "lower(t.name)", "f(a, 'x', 1)", "f(g(a), b)", '"Lower"(a)', "left(a, 1)", "pg_catalog.now()",
    "count(*)", "count(DISTINCT a)", "sum(a) FILTER (WHERE a > 0)", "f(VARIADIC a)", "row_number() OVER ()",
    "a >= 0", "a <> ''", "a = b", "lower(a) <> ''", "a ~ E'^\\\\d{11}$'", "a ->> 'b'", "a || 'x'",
    "a OPERATOR(pg_catalog.=) b", "-a", "a + b * c", "(a + b) * c", "a IS NULL", "a IS NOT NULL",
    "lower(a) IS NOT NULL", "(a, b) IS NULL", "(a > 0) IS NULL", "a > 0 AND b < 1", "a IN (1, 2)",
    "a::text", "'{}'::text[]", "CURRENT_TIMESTAMP", "EXTRACT(year FROM a)", "COALESCE(a, '')", "a BETWEEN 1 AND 2",
    "position(a IN b)", "user_id", "_x1", "x1$", "a AND b", "a OR b AND c", "(a OR b) AND c", "NOT a",
    "NOT (a AND b)", "NOT (a = b)", "NOT (a IS NULL)", "a AND NOT b", "NOT NOT a", "a AND (b AND c)",
    "name <> '' AND (name IS NOT NULL OR credit IS NOT NULL)", "(a OR b) AND (c OR d::text = 'x')",
]


def _by_walk(node) -> Expression:
    """The reference: the deparser's text, and the columns and functions of a walk over every node."""
    saved = pg_expressions._simple
    pg_expressions._simple = lambda node: None
    try:
        return pg_expressions.expression(node)
    finally:
        pg_expressions._simple = saved


def _select_value(text: str):
    return postgast.parse(f"SELECT {text}").stmts[0].stmt.select_stmt.target_list[0].res_target.val


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_spelled_as_the_deparser_spells_it(text: str) -> None:
    node = _select_value(text)
    assert pg_expressions.expression(node) == _by_walk(node)


def test_the_common_shapes_skip_the_deparser() -> None:
    for text in ("0", "''", "lower(name)", "edits_pending >= 0", "comment IS NULL", "now()", "a > 0 AND (b OR NOT c)"):
        assert pg_expressions._simple(_select_value(text)) is not None, text
    for text in ('"Name"', "a::text", "a > 0 AND b::int < 1", "count(*)", "left(a, 1)"):
        assert pg_expressions._simple(_select_value(text)) is None, text


def test_the_deparser_reads_one_expression() -> None:
    assert deparse(_select_value("lower( name )  <>  ''")) == "lower(name) <> ''"
    assert [type(m).__name__ for m in _descendants(_select_value("f(a)"))][:2] == ["Node", "FuncCall"]


def test_every_expression_of_musicbrainz(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    monkeypatch.setattr(postgres, "expression", lambda node: seen.append(node) or pg_expressions.expression(node))
    for path in sorted((corpus / "sql" / "musicbrainz").rglob("*.sql")):
        postgres.read_postgres(path.name, path.read_text(encoding="utf-8"))
    assert len(seen) > 4000
    simple = [node for node in seen if pg_expressions._simple(node) is not None]
    assert len(simple) > 0.8 * len(seen)  # the point of the fast path: most expressions take it
    for node in simple:
        assert pg_expressions.expression(node) == _by_walk(node)
