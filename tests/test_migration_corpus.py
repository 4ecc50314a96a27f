"""The MIG pack on MusicBrainz's 349 real migration scripts (`updates/`), against facts read off the files.

Each number below was established by reading the scripts independently of vitruvius (statements split at
semicolons after blanking psql meta-commands, comments and dollar-quoted bodies) and holds for the corpus
at the commit its README names.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from vitruvius.findings import Review
from vitruvius.review import review


@cache
def _review(updates: Path) -> Review:
    files = {f"admin/sql/updates/{p.name}": p.read_text(encoding="utf-8") for p in sorted(updates.glob("*.sql"))}
    return review(files, select=["MIG"])


def _mig(corpus: Path) -> tuple[Review, Counter]:
    result = _review(corpus / "sql" / "musicbrainz" / "updates")
    return result, Counter(f.code for f in result.findings)


def test_every_update_is_a_migration(corpus: Path) -> None:
    result, _ = _mig(corpus)
    assert len(result.model.migrations) == 349
    # Scripts sharing a version are one release: the compiled 20.* to 31.* sets and same-day scripts.
    assert {m.release for m in result.model.migrations if m.id.startswith("27.")} == {"27"}


def test_create_index_on_existing_tables(corpus: Path) -> None:
    """1,017 CREATE INDEX without CONCURRENTLY; 674 of them index a table created earlier in the same script
    (or renamed from one, the `CREATE TABLE artist2013 AS ...; ALTER TABLE artist2013 RENAME TO artist` swap);
    343 lock an existing table."""
    result, counts = _mig(corpus)
    plain = [c for m in result.model.migrations for c in m.changes if c.kind == "create_index" and not c.option("concurrently")]
    assert len(plain) == 1017
    assert counts["MIG001"] == 343
    by_file = Counter(f.location.path.rpartition("/")[2] for f in result.findings if f.code == "MIG001")
    assert by_file["20140318-series.sql"] == 55  # re-creates the l_*_idx_uniq indexes of the existing link tables
    assert by_file["20130819-name-tables.sql"] == 0  # every index there is on a freshly swapped-in table


def test_concurrent_statements_run_outside_transactions(corpus: Path) -> None:
    """32 CREATE/DROP INDEX CONCURRENTLY, none of them between BEGIN and COMMIT."""
    result, counts = _mig(corpus)
    concurrent = [c for m in result.model.migrations for c in m.changes if c.option("concurrently")]
    assert len(concurrent) == 32
    assert counts["MIG002"] == 0


def test_renames(corpus: Path) -> None:
    """17 table renames, each of a table created earlier in the same script (never reported); 5 column
    renames of existing tables (all reported)."""
    result, counts = _mig(corpus)
    renames = [c for m in result.model.migrations for c in m.changes if c.kind == "rename_table"]
    assert len(renames) == 17
    assert counts["MIG008"] == 0
    places = {(f.location.path.rpartition("/")[2], f.location.line) for f in result.findings if f.code == "MIG007"}
    assert places == {
        ("20130225-rename-link_type.short_link_phrase.sql", 5),
        ("20130301-areas.sql", 241),
        ("20130301-areas.sql", 245),
        ("20130301-areas.sql", 250),
        ("20130314-activate-bcrypt.sql", 14),
    }


def test_release_context_follows_companion_scripts(corpus: Path) -> None:
    """`20210419-mbs-11456.sql` creates artist_credit_gid_redirect; its companion `-fks` script (same day, so
    the same release, though it sorts first) adds the table's foreign key: not reported."""
    result, _ = _mig(corpus)
    reported = {f.location.path.rpartition("/")[2] for f in result.findings if f.code == "MIG011"}
    assert "20210419-mbs-11456-fks.sql" not in reported
    assert "20130830-name-table-fks.sql" in reported  # foreign keys added to the long-existing artist, label, ...


def test_no_code_means_no_dropped_reference(corpus: Path) -> None:
    """MusicBrainz's updates drop tables and columns, but no ORM model or query is in the review: nothing
    says the code still uses them."""
    result, counts = _mig(corpus)
    assert any(c.kind == "drop_table" for m in result.model.migrations for c in m.changes)
    assert counts["MIG009"] == counts["MIG010"] == 0
