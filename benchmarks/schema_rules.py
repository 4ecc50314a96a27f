"""The DB (schema) pack on MusicBrainz's SQL: wall time, peak memory and findings per rule.

    .venv/bin/python benchmarks/schema_rules.py [--corpus ../shared/corpus] [--runs 5]

Three inputs, each a temporary copy of part of `sql/musicbrainz/`: `schema/` (the 47 scripts that build the
schema), `updates/` (349 migrations; with no schema file beside them the tables are those the migrations
build), and both together (the schema files describe the tables; the migrations are read too). For each:

- the whole process, `vitruvius review <copy> --select DB`, median of `--runs` runs, with the peak resident
  memory of that process (wait4's ru_maxrss);
- in one process, the split between reading the files into the model and running the DB rules on it;
- the findings per rule.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = {"schema/": ("schema",), "updates/": ("updates",), "schema/ + updates/": ("schema", "updates")}


def run_process(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of one run of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{' '.join(command)} failed")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is in bytes on macOS, kilobytes on Linux
    return seconds, usage.ru_maxrss * scale


def split_in_process(root: Path) -> tuple[float, float, int, int]:
    """Seconds to read the model, seconds to run the DB rules, tables and migrations read."""
    from vitruvius.readers import read
    from vitruvius.rules import all_rules

    started = time.perf_counter()
    model = read(root)
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for rule in all_rules().values():
        if rule.pack == "db":
            list(rule.run(model))
    return read_seconds, time.perf_counter() - started, len(model.tables), len(model.migrations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = args.corpus / "sql" / "musicbrainz"
    if not source.is_dir():
        sys.exit(f"no MusicBrainz corpus at {source}: pass --corpus")
    for label, folders in INPUTS.items():
        with tempfile.TemporaryDirectory(prefix="vitruvius-db-") as tmp:
            root = Path(tmp)
            for folder in folders:
                shutil.copytree(source / folder, root / folder, ignore=shutil.ignore_patterns("*.txt", "*.md"))
            files = len(list(root.rglob("*.sql")))
            output = root.parent / f"{root.name}.json"
            command = [
                sys.executable, "-m", "vitruvius", "review", str(root), "--select", "DB", "--format", "json",
                "-o", str(output), "--fail-on", "never",
            ]
            runs = [run_process(command) for _ in range(args.runs)]
            report = json.loads(output.read_text(encoding="utf-8"))
            output.unlink()
            read_seconds, rule_seconds, tables, migrations = split_in_process(root)

        wall = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"\nMusicBrainz {label}: {files} files, {tables} tables, {migrations} migrations")
        print(f"  whole process (vitruvius review --select DB), median of {args.runs}: {wall:.2f} s, "
              f"peak memory {peak / 2**20:.0f} MiB")
        print(f"  in one process: reading {read_seconds:.2f} s, DB rules {rule_seconds:.3f} s")
        by_rule = Counter(f"{f['code']} {f['name']} ({f['severity']})" for f in report["findings"])
        for rule, count in sorted(by_rule.items()):
            print(f"  {count:6d}  {rule}")
        print(f"  {sum(by_rule.values()):6d}  findings")


if __name__ == "__main__":
    main()
