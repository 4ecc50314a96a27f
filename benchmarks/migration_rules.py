"""The DB and MIG packs beside squawk on MusicBrainz's SQL: wall time, peak memory, findings per rule.

    .venv/bin/python benchmarks/migration_rules.py [--corpus ../shared/corpus] [--runs 5] [--squawk PATH]

Both tools read the same files: a temporary copy of `sql/musicbrainz/schema/` (47 scripts) and `updates/` (349
migrations). Each is timed as a whole process, median of `--runs` runs that alternate the tools (so a busy
machine slows both alike), with two memory figures: the peak resident memory of the largest process (wait4's
ru_maxrss; vitruvius parses in a second process when there is much PostgreSQL) and the peak of the proportional
set size (PSS) summed over the process tree, sampled every 5 ms from /proc (Linux only; shared pages count once).

vitruvius runs as its installed `vitruvius` command, with its modules' bytecode compiled first (`compileall`),
as `pip install` leaves them: an environment with PYTHONDONTWRITEBYTECODE would otherwise compile every module
on every run.

squawk is not a dependency of vitruvius and this script installs nothing. Put it in a virtual environment
outside the repository and on PATH, or pass --squawk:

    python3 -m venv /tmp/squawk-venv && /tmp/squawk-venv/bin/pip install squawk-cli
    .venv/bin/python benchmarks/migration_rules.py --squawk /tmp/squawk-venv/bin/squawk

Without it the squawk columns are skipped with a message. squawk runs with `--pg-version 15.0`, the MIG pack's
default `postgres_version`.

`--stages` also says where vitruvius' time goes, each stage timed inside one process (median of `--runs`
processes): start-up, libpg_query alone, the parser process's work, reading the model, the rules, the report.

The closing lines say how many of squawk's findings on the migrations the MIG pack's release context leaves out
on purpose: those on a statement whose table (or index, or renamed column) was created earlier in the same
script or in another script of the same release. squawk also judges the schema/ scripts, which build the
schema from nothing; vitruvius reads them as the schema (the DB pack), not as migrations.
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
FOLDERS = ("schema", "updates")
# squawk rules and the MIG rule that judges the same operation.
SQUAWK_TO_MIG = {
    "require-concurrent-index-creation": "MIG001", "ban-concurrent-index-creation-in-transaction": "MIG002",
    "adding-required-field": "MIG004", "adding-field-with-default": "MIG005", "changing-column-type": "MIG006",
    "renaming-column": "MIG007", "renaming-table": "MIG008", "adding-foreign-key-constraint": "MIG011",
    "constraint-missing-not-valid": "MIG011/MIG012", "adding-not-nullable-field": "MIG013",
    "disallowed-unique-constraint": "MIG014", "adding-serial-primary-key-field": "MIG014",
    "require-lock-timeout": "MIG015", "require-concurrent-index-deletion": "MIG017", "transaction-nesting": "MIG020",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--squawk", default=shutil.which("squawk"), help="the squawk executable (default: squawk on PATH)")
    parser.add_argument("--stages", action="store_true", help="also time vitruvius' stages inside one process")
    args = parser.parse_args()
    source = args.corpus / "sql" / "musicbrainz"
    if not source.is_dir():
        sys.exit(f"no MusicBrainz corpus at {source}: pass --corpus")
    with tempfile.TemporaryDirectory(prefix="vitruvius-mig-") as tmp:
        root = Path(tmp)
        for folder in FOLDERS:
            (root / folder).mkdir()
            for path in sorted((source / folder).glob("*.sql")):
                shutil.copyfile(path, root / folder / path.name)
        files = sorted(str(p.relative_to(root)) for p in root.rglob("*.sql"))
        counts = ", ".join(f"{folder}/ {len(list((root / folder).glob('*.sql')))}" for folder in FOLDERS)
        print(f"MusicBrainz: {len(files)} files ({counts})")

        output = root.parent / f"{root.name}.json"
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True, stdout=subprocess.DEVNULL)
        script = Path(sys.executable).with_name("vitruvius")
        program = [str(script)] if script.exists() else [sys.executable, "-m", "vitruvius"]
        ours_command = [*program, "review", str(root), "--select", "DB,MIG", "--format", "json", "-o", str(output), "--fail-on", "never"]
        commands = {"vitruvius": (ours_command, None)}
        squawk = [args.squawk, "--reporter", "json", "--pg-version", "15.0", *files] if args.squawk else []
        if squawk and (Path(args.squawk).exists() or shutil.which(args.squawk)):
            commands["squawk"] = (squawk, root)
        timings = measure(commands, args.runs)
        ours = timings["vitruvius"]
        report = json.loads(output.read_text(encoding="utf-8"))
        output.unlink()
        by_code = Counter(f"{f['code']} {f['name']}" for f in report["findings"])
        print(
            f"\nvitruvius --select DB,MIG: {ours['seconds']:.2f} s (median of {args.runs}), peak {ours['mib']:.0f} MiB "
            f"(largest process), {ours['tree_mib']:.0f} MiB (PSS of all its processes), {sum(by_code.values())} findings"
        )
        for name, count in sorted(by_code.items()):
            print(f"  {count:6}  {name}")

        if args.stages:
            stages(root, args.runs)
        if "squawk" not in commands:
            print("\nsquawk: not found (pip install squawk-cli into a venv outside the repository; put it on PATH or pass --squawk)")
            return
        theirs = timings["squawk"]
        found = json.loads(subprocess.run(squawk, cwd=root, capture_output=True, text=True, check=False).stdout or "[]")
        by_rule = Counter(f["rule_name"] for f in found)
        version = subprocess.run([args.squawk, "--version"], capture_output=True, text=True, check=False).stdout.strip()
        print(f"\n{version}: {theirs['seconds']:.2f} s (median of {args.runs}), peak {theirs['mib']:.0f} MiB ({theirs['tree_mib']:.0f} MiB PSS), {len(found)} findings")
        for rule, count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0])):
            print(f"  {count:6}  {rule}{f'  (≈ {SQUAWK_TO_MIG[rule]})' if rule in SQUAWK_TO_MIG else ''}")
        print(f"\nratio vitruvius/squawk: wall {ours['seconds'] / theirs['seconds']:.1f}×, peak memory {ours['mib'] / theirs['mib']:.1f}×")
        release_context(root, found)


def measure(commands: dict[str, tuple[list[str], Path | None]], runs: int) -> dict[str, dict[str, float]]:
    """Median wall seconds, the largest peak resident memory of one process and the largest summed PSS of the
    process tree (MiB) of each command, over `runs` rounds that run every command once in turn."""
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    trees: dict[str, list[float]] = {name: [] for name in commands}
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for round_ in range(runs + 1):
        for name, (command, cwd) in commands.items():
            # The last round samples /proc instead of being timed: sampling takes a core of its own.
            sampled = round_ == runs
            start = time.perf_counter()
            process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if sampled:
                tree_peak = 0
                while not os.wait4(process.pid, os.WNOHANG)[0]:
                    tree_peak = max(tree_peak, _tree_pss_kib(process.pid))
                    time.sleep(0.005)
                trees[name].append(tree_peak / 1024)
            else:
                _, _, usage = os.wait4(process.pid, 0)
                seconds[name].append(time.perf_counter() - start)
                peaks[name].append(usage.ru_maxrss / 1024)  # kilobytes on Linux
            process.returncode = 0
    return {
        name: {"seconds": statistics.median(seconds[name]), "mib": max(peaks[name]), "tree_mib": max(trees[name])}
        for name in commands
    }


def _tree_pss_kib(pid: int) -> int:
    """The proportional set size of a process and all its descendants, in KiB (0 where /proc cannot tell)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        for task in os.listdir(f"/proc/{pid}/task"):
            for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split():
                total += _tree_pss_kib(int(child))
    except OSError:
        pass
    return total


STAGES = """
import gc, sys, time
start = time.perf_counter()
import postgast
from vitruvius.config import load
from vitruvius.findings import Review
from vitruvius.readers import read
from vitruvius.readers.sql import postgres
from vitruvius.readers.sql.psql import blank_psql_lines
from vitruvius.report import render
from vitruvius.review import _chosen, _run
from pathlib import Path
root = Path(sys.argv[1])
config = load(root)
rules = _chosen(config, ("DB", "MIG"), ())
imported = time.perf_counter()
texts = [path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.sql"))]
blanked = [blank_psql_lines(text) for text in texts]
prepared = time.perf_counter()
for text in blanked:
    try:
        postgast.parse(text)
    except postgast.PgQueryError:
        pass
parsed = time.perf_counter()
for text in texts:
    postgres.parse(text, serialized=True)
parser_process = time.perf_counter()
gc.disable()  # as review() does: the collector paused while reading, the model frozen out of its passes after
model = read(root)
gc.freeze()
gc.enable()
model_read = time.perf_counter()
findings = [f for rule in rules for f in _run(rule, model, config, [])]
judged = time.perf_counter()
render(Review(str(root), "", tuple(findings), model, tuple(rules)), "json")
rendered = time.perf_counter()
print(imported - start, parsed - prepared, parser_process - parsed, model_read - parser_process, judged - model_read, rendered - judged)
"""


def stages(root: Path, runs: int) -> None:
    """Median seconds of each stage, each run in a new process."""
    names = (
        "start-up: the imports a review of SQL needs, libpg_query's binding included",
        "libpg_query alone, every script in one process (the 9 it rejects whole stop at their error)",
        "the parser process's work, in one process: psql lines blanked, trees serialized, rejected scripts split",
        "reading the model (with the parser process)",
        "the DB and MIG rules",
        "the JSON report",
    )
    seen = []
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STAGES, str(root)], env=environment, capture_output=True, text=True, check=True).stdout
        seen.append([float(v) for v in out.split()])
    print(f"\nvitruvius stages, each timed inside one process (median of {runs} processes):")
    for i, name in enumerate(names):
        print(f"  {statistics.median(r[i] for r in seen):6.3f} s  {name}")


def release_context(root: Path, found: list[dict]) -> None:
    """Which of squawk's findings on the migrations sit on a statement the MIG pack knows to be new."""
    sys.path.insert(0, str(ROOT / "src"))
    from vitruvius.readers import read
    from vitruvius.rules.mig.context import steps

    model = read(root)
    by_file: dict[str, list] = {}
    for step in steps(model):
        by_file.setdefault(step.change.location.path, []).append(step)

    def on_new(finding: dict) -> bool:
        line = finding["line"] + 1  # squawk counts lines from 0
        step = next(
            (s for s in by_file.get(finding["file"], []) if s.change.location.line <= line <= (s.change.location.end_line or s.change.location.line)),
            None,
        )
        return bool(step and (step.new_table or step.new_index or (step.change.kind == "rename_column" and step.new_column)))

    judged = [f for f in found if f["rule_name"] in SQUAWK_TO_MIG]
    on_migrations = [f for f in judged if f["file"].startswith("updates/")]
    new = Counter(f["rule_name"] for f in on_migrations if on_new(f))
    total = sum(new.values())
    every = [f for f in found if f["file"].startswith("updates/")]
    every_new = sum(map(on_new, every))
    print(f"\nsquawk findings on updates/, all rules: {len(every)}, of which {every_new} ({every_new / max(len(every), 1):.0%}) sit on a new table or index")
    print(
        f"\nsquawk findings of the rules the MIG pack shares: {len(judged)}; {len(judged) - len(on_migrations)} on schema/ (not migrations), "
        f"{len(on_migrations)} on updates/, of which {total} ({total / max(len(on_migrations), 1):.0%}) are on a table, index or column "
        "the release context knows to be new (created earlier in the same script or release), left out on purpose:"
    )
    for rule, count in new.most_common():
        print(f"  {count:6}  {rule}")


if __name__ == "__main__":
    main()
