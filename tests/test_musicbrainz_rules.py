"""The DB pack on MusicBrainz's real schema (../shared/corpus/sql/musicbrainz/schema): what the rules report
statically, and, where a PostgreSQL server is available, that the catalog of the loaded schema agrees.

The live test loads the 47 scripts with psql into a scratch database, as MusicBrainz's InitDb.pl does (one psql
session per script, the schemas created first, search_path = musicbrainz, public), asks the catalog which
foreign keys no index serves and which indexes are exact duplicates, and compares with DB002 and DB003.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from vitruvius.findings import Review
from vitruvius.review import review

from .conftest import CORPUS

SCHEMA = CORPUS / "sql" / "musicbrainz" / "schema"
SCHEMAS = (
    "musicbrainz", "cover_art_archive", "documentation", "event_art_archive", "json_dump", "report", "sitemaps",
    "statistics", "wikidocs", "dbmirror2",
)

# Foreign keys declared by the user (not the copies PostgreSQL makes on partitions) that no index serves: no
# B-tree (or, for one column, hash) index whose leading key columns are the key's columns in any order, with the
# column's own collation, and without a predicate other than "these columns IS NOT NULL". DB002's definition.
FOREIGN_KEYS_WITHOUT_INDEX = """
SELECT c.conrelid::regclass::text,
       array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n), ',')
FROM pg_constraint c
WHERE c.contype = 'f' AND c.conparentid = 0
  AND NOT EXISTS (
    SELECT 1
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    WHERE i.indrelid = c.conrelid
      AND (am.amname = 'btree' OR (am.amname = 'hash' AND cardinality(c.conkey) = 1))
      AND i.indnkeyatts >= cardinality(c.conkey)
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey
      AND NOT EXISTS (
            SELECT 1
            FROM unnest(string_to_array(i.indkey::text, ' ')::int2[], string_to_array(i.indcollation::text, ' ')::oid[])
                 AS k(attnum, coll)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE a.attnum = ANY (c.conkey) AND k.coll <> a.attcollation)
      AND (i.indpred IS NULL OR NOT EXISTS (
            SELECT 1
            FROM regexp_split_to_table(regexp_replace(pg_get_expr(i.indpred, i.indrelid), '[()]', '', 'g'), ' AND ') AS cond
            WHERE cond NOT IN (SELECT quote_ident(a.attname) || ' IS NOT NULL' FROM pg_attribute a
                               WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)))))
"""
ALL_FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text,
       array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n), ',')
FROM pg_constraint c
WHERE c.contype = 'f' AND c.conparentid = 0
"""
_USER_INDEXES = """
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
"""
# Indexes of one table that are the same index: method, key and included columns, operator classes, collations,
# sort options, expressions and predicate all equal.
EXACT_DUPLICATE_INDEXES = f"""
SELECT i.indrelid::regclass::text, string_agg(i.indexrelid::regclass::text, ',' ORDER BY i.indexrelid)
{_USER_INDEXES}
GROUP BY i.indrelid, ic.relam, i.indkey::text, i.indnkeyatts, i.indclass::text, i.indcollation::text, i.indoption::text,
         coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), coalesce(pg_get_expr(i.indpred, i.indrelid), '')
HAVING count(*) > 1
"""
# The naive question: other indexes (not the primary key) on the same plain columns, whatever their collation,
# operator class or predicate.
NAIVE_DUPLICATE_INDEXES = f"""
SELECT i.indrelid::regclass::text, string_agg(i.indexrelid::regclass::text, ',' ORDER BY i.indexrelid)
{_USER_INDEXES} AND i.indexprs IS NULL AND NOT i.indisprimary
GROUP BY i.indrelid, i.indkey::text
HAVING count(*) > 1
"""
TABLES_WITHOUT_PRIMARY_KEY = """
SELECT t.oid::regclass::text
FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE t.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = t.oid AND c.contype = 'p')
"""


def _unqualified(name: str) -> str:
    """A table name as the model spells it: MusicBrainz's own schema is the search path, so unqualified."""
    return name.removeprefix("musicbrainz.")


@cache
def _review_of_schema() -> Review:
    files = {f"schema/{path.name}": path.read_text(encoding="utf-8") for path in sorted(SCHEMA.glob("*.sql"))}
    return review(files, select=["DB"])


def _fk_findings(result: Review, code: str) -> set[tuple[str, str]]:
    """(table, columns) of the findings of a foreign key rule, from their keys (`table:t/fk:a,b`)."""
    pairs = set()
    for finding in result.findings:
        if finding.code == code:
            table, _, columns = (finding.key or "").removeprefix("table:").partition("/fk:")
            pairs.add((_unqualified(table), columns))
    return pairs


def test_static_review_of_the_musicbrainz_schema(corpus: Path) -> None:
    result = _review_of_schema()
    counts = Counter(f.code for f in result.findings)
    assert len(result.model.tables) == 518
    assert sum(len(t.foreign_keys) for t in result.model.tables) == 890
    assert counts["DB001"] == 20, "518 tables, 20 of them without a primary key"
    assert counts["DB002"] == 294, "294 of the 890 declared foreign keys have no index that serves them"
    assert counts["DB003"] == 0, "compared with collation, operator class, expressions and predicate: no duplicates"
    assert len(_fk_findings(result, "DB002")) == 294, "one finding per foreign key"


# --- live: the catalog of the loaded schema ------------------------------------------------------------------


def _psql(url: str, *args: str, sql: str | None = None) -> str:
    command = ["psql", "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-d", url, *args]
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    done = subprocess.run(command, input=sql, capture_output=True, text=True, env=env, timeout=120, check=False)
    if done.returncode != 0:
        raise AssertionError(f"psql {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _rows(url: str, sql: str) -> list[tuple[str, ...]]:
    return [tuple(line.split("|")) for line in _psql(url, sql=sql).splitlines() if line]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def musicbrainz_database() -> Iterator[str]:
    """A scratch database with MusicBrainz's schema loaded, dropped afterwards; its URL."""
    server = os.environ.get("VITRUVIUS_TEST_POSTGRES")
    if not server:
        pytest.skip("set VITRUVIUS_TEST_POSTGRES=postgresql://user@host:port/db to run the live PostgreSQL tests")
    if shutil.which("psql") is None:
        pytest.skip("the live MusicBrainz test loads the schema with psql, which is not on PATH (install postgresql-client)")
    if not SCHEMA.is_dir():
        pytest.skip(f"needs the shared corpus at {CORPUS} (check out shared/ beside the repository)")
    name = f"vitruvius_musicbrainz_{uuid.uuid4().hex[:12]}"
    _psql(server, "-c", f"CREATE DATABASE {name}")
    url = _with_database(server, name)
    try:
        schemas = " ".join(f"CREATE SCHEMA {schema};" for schema in SCHEMAS)
        _psql(url, "-c", f"{schemas} ALTER DATABASE {name} SET search_path = musicbrainz, public;")
        for script in sorted(SCHEMA.glob("*.sql")):  # one session per script, as InitDb.pl runs them
            _psql(url, "-f", str(script))
        yield url
    finally:
        _psql(server, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_foreign_keys_without_index_match_the_catalog(corpus: Path, musicbrainz_database: str) -> None:
    result = _review_of_schema()
    declared = {(_unqualified(t.qualified_name), ",".join(fk.columns)) for t in result.model.tables for fk in t.foreign_keys}
    in_catalog = {(_unqualified(table), columns) for table, columns in _rows(musicbrainz_database, ALL_FOREIGN_KEYS)}
    assert declared == in_catalog, "the model holds the foreign keys the catalog holds"

    unserved = {(_unqualified(table), columns) for table, columns in _rows(musicbrainz_database, FOREIGN_KEYS_WITHOUT_INDEX)}
    assert len(unserved) == 294
    reported = _fk_findings(result, "DB002")
    assert reported == unserved, f"DB002 only: {sorted(reported - unserved)[:5]}; catalog only: {sorted(unserved - reported)[:5]}"


def test_duplicate_indexes_match_the_catalog(corpus: Path, musicbrainz_database: str) -> None:
    exact = _rows(musicbrainz_database, EXACT_DUPLICATE_INDEXES)
    naive = _rows(musicbrainz_database, NAIVE_DUPLICATE_INDEXES)
    assert exact == [], "the catalog knows no two indexes of one table that are the same index"
    assert len(naive) == 6, "a comparison of column lists alone finds 6 tables with 'duplicates'"
    assert [f for f in _review_of_schema().findings if f.code == "DB003"] == []


def test_tables_without_primary_key_match_the_catalog(corpus: Path, musicbrainz_database: str) -> None:
    without = {_unqualified(table) for (table,) in _rows(musicbrainz_database, TABLES_WITHOUT_PRIMARY_KEY)}
    reported = {_unqualified((f.key or "").removeprefix("table:")) for f in _review_of_schema().findings if f.code == "DB001"}
    assert len(without) == 20
    assert reported == without
