"""The SQL reader on MusicBrainz's real schema and migrations (../shared/corpus/sql/musicbrainz).

The figures are those of the live catalog after loading schema/ into PostgreSQL 15 (see the corpus README);
the set of foreign keys without a leading index was compared with the catalog's, table by table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vitruvius.readers.sql import SqlResult, read_sql_sources


def read_folder(corpus: Path, folder: str, kind: str) -> SqlResult:
    root = corpus / "sql" / "musicbrainz"
    files = sorted((root / folder).glob("*.sql"))
    return read_sql_sources([(f.relative_to(root).as_posix(), f.read_text(encoding="utf-8"), kind) for f in files])


@pytest.fixture(scope="module")
def corpus() -> Path:  # module-scoped, unlike conftest's, so each folder is read once for all tests
    path = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    if not path.is_dir():
        pytest.skip(f"needs the shared corpus at ../shared/corpus ({path}): check out shared/ beside the repository")
    return path


@pytest.fixture(scope="module")
def mb_schema(corpus: Path) -> SqlResult:
    return read_folder(corpus, "schema", "schema")


@pytest.fixture(scope="module")
def mb_updates(corpus: Path) -> SqlResult:
    return read_folder(corpus, "updates", "migration")


def test_the_schema_reads_without_notes(mb_schema: SqlResult) -> None:
    assert mb_schema.notes == []


def test_518_tables_20_without_a_primary_key(mb_schema: SqlResult) -> None:
    assert len(mb_schema.tables) == 518
    assert sum(1 for t in mb_schema.tables if not t.primary_key) == 20


def test_890_declared_foreign_keys_294_without_a_leading_index(mb_schema: SqlResult) -> None:
    foreign_keys = [(t, fk) for t in mb_schema.tables for fk in t.foreign_keys]
    unindexed = [(t, fk) for t, fk in foreign_keys if not t.has_index_starting_with(fk.columns)]

    assert len(foreign_keys) == 890
    assert len(unindexed) == 294


def test_tables_are_schema_qualified_where_their_script_says(mb_schema: SqlResult) -> None:
    schemas = {t.schema for t in mb_schema.tables}

    assert {"cover_art_archive", "event_art_archive", "documentation", "statistics"} <= schemas
    assert None in schemas  # 04-CreateTables.sql relies on the search_path psql is started with


def test_partitions_are_tables_and_carry_no_copied_foreign_keys(mb_schema: SqlResult) -> None:
    by_name = {t.name: t for t in mb_schema.tables}

    assert [f.columns for f in by_name["artist_release"].foreign_keys] == [("artist",), ("release",)]
    assert by_name["artist_release_va"].foreign_keys == ()
    assert by_name["artist_release_va"].has_index_starting_with(("release", "artist"))


def test_349_updates_and_the_9_that_postgresql_cannot_parse(mb_updates: SqlResult) -> None:
    noted = {n.location.path for n in mb_updates.notes}
    psql_variables = [n for n in mb_updates.notes if "psql variable" in n.message]

    assert len(mb_updates.migrations) == 349
    assert len(noted) == 9
    assert {n.location.path for n in psql_variables} == noted - {"updates/20130702-reconcile-master.sql"}
    assert all(n.kind == "unanalysable-statement" for n in mb_updates.notes)


def test_updates_are_ordered_by_their_version_numbers(mb_updates: SqlResult) -> None:
    ids = [m.id for m in mb_updates.migrations]

    assert ids[:2] == ["20.all", "20.master_and_standalone"]
    assert ids.index("20110602-merge-duplicate-tracklists") > ids.index("32.all")
    assert [m.order for m in mb_updates.migrations] == list(range(349))
