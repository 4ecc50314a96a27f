"""Measure the SQL reader and the libpg_query bindings on the shared MusicBrainz corpus.

    .venv/bin/python benchmarks/sql_parsers.py [--corpus ../shared/corpus] [--runs 5]

For each folder (schema/ as schema files, updates/ as migrations) it reports, each in a fresh process:
- each installed binding (postgast, pgparse) parsing every file whole after blanking psql meta-command
  lines: statements, files rejected, median seconds;
- the reader (`read_sql_sources`: parse, walk, build the schema): median seconds of the timed runs (after one
  warm-up run that pays for imports), peak Python heap (tracemalloc, one extra run) and peak resident memory
  of the process (getrusage; includes the interpreter and the libraries).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"schema": "schema", "updates": "migration"}
BINDINGS = ("postgast", "pgparse")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one measurement in this process
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    musicbrainz = args.corpus / "sql" / "musicbrainz"
    if args.case:
        print(json.dumps(measure(args.case, musicbrainz / args.folder, FOLDERS[args.folder], args.runs)))
        return
    if not musicbrainz.is_dir():
        sys.exit(f"no MusicBrainz corpus at {musicbrainz}: pass --corpus")
    for folder in FOLDERS:
        for case in (*BINDINGS, "reader"):
            command = [sys.executable, __file__, "--corpus", str(args.corpus), "--runs", str(args.runs), "--case", case, "--folder", folder]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            result = json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr.strip().splitlines()[-1:]}
            print(f"{folder:8} {case:9} {json.dumps(result)}")


def measure(case: str, folder: Path, kind: str, runs: int) -> dict[str, object]:
    paths = sorted(folder.glob("*.sql"))
    texts = [(f"{folder.name}/{p.name}", p.read_text(encoding="utf-8"), kind) for p in paths]
    if case == "reader":
        return measure_reader(texts, runs)
    return measure_binding(case, texts, runs)


def measure_reader(texts: list[tuple[str, str, str]], runs: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "src"))
    from vitruvius.readers.sql import read_sql_sources

    result = read_sql_sources(texts)  # warm-up: imports and first-call costs
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        read_sql_sources(texts)
        seconds.append(time.perf_counter() - start)
    tracemalloc.start()
    read_sql_sources(texts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "files": len(texts),
        "tables": len(result.tables),
        "migrations": len(result.migrations),
        "changes": sum(len(m.changes) for m in result.migrations),
        "notes": len(result.notes),
        "median_seconds": round(statistics.median(seconds), 3),
        "peak_python_heap_mb": round(peak / 2**20, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def measure_binding(binding: str, texts: list[tuple[str, str, str]], runs: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "src"))
    from vitruvius.readers.sql.psql import blank_psql_lines

    module = __import__(binding)
    count = (lambda tree: len(tree.stmts)) if binding == "postgast" else len
    scripts = [blank_psql_lines(text) for _, text, _ in texts]
    seconds, statements, rejected = [], 0, 0
    for _ in range(runs):
        statements, rejected = 0, 0
        start = time.perf_counter()
        for script in scripts:
            try:
                statements += count(module.parse(script))
            except Exception:  # noqa: BLE001 - each binding raises its own error type
                rejected += 1
        seconds.append(time.perf_counter() - start)
    return {"files": len(scripts), "statements": statements, "rejected_files": rejected, "median_seconds": round(statistics.median(seconds), 3)}


if __name__ == "__main__":
    main()
