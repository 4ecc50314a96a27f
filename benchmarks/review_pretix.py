"""Review a real Django project (pretix, from its wheel) and compare with a bare `ast.parse` of its files.

    python benchmarks/review_pretix.py [--runs 3] [--project pretix] [--select CODES]

Downloads the wheel with `pip download --no-deps` into benchmarks/.cache/ (ignored by git) once, unpacks
it there, then times the whole `vitruvius review` CLI process and a bare-parse process on the same files:
wall seconds (median of --runs), peak memory (max RSS of the child process), files, lines, findings by code,
and the ratio review / bare parse (target: ≤ 3).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"

BARE_PARSE = """
import ast, sys
from pathlib import Path
root = Path(sys.argv[1])
for path in sorted(root.rglob("*.py")):
    try:
        ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        pass
"""


def fetch(project: str) -> Path:
    """The unpacked wheel of `project`, downloaded on first use."""
    target = CACHE / project
    if target.is_dir() and any(target.iterdir()):
        return target
    CACHE.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(CACHE / "wheels"), project], check=True)
    wheel = max((CACHE / "wheels").glob(f"{project.replace('-', '_')}-*.whl"), key=lambda p: p.stat().st_mtime)
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB (of this child alone) and stdout of one run of `command`."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "out = subprocess.run(sys.argv[1:], capture_output=True, text=True).stdout\n"
        "wall = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(f'{wall} {peak}'); sys.stdout.write(out)\n"
    )
    result = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    first, _, rest = result.stdout.partition("\n")
    wall, peak = map(float, first.split())
    return wall, peak, rest


def median_run(command: list[str], runs: int) -> tuple[float, float, str]:
    results = [timed(command) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results), results[-1][2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="pretix")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--select", default="")
    args = parser.parse_args()

    root = fetch(args.project)
    python_files = sorted(root.rglob("*.py"))
    lines = sum(p.read_bytes().count(b"\n") for p in python_files)
    vitruvius = [str(Path(sys.executable).with_name("vitruvius")), "review", str(root), "--format", "json", "--fail-on", "never"]
    if args.select:
        vitruvius += ["--select", args.select]

    parse_wall, parse_peak, _ = median_run([sys.executable, "-c", BARE_PARSE, str(root)], args.runs)
    review_wall, review_peak, output = median_run(vitruvius, args.runs)
    report = json.loads(output)
    by_code = Counter(f["code"] for f in report["findings"])

    print(f"project        {args.project} ({root})")
    print(f"python files   {len(python_files)}   lines {lines}   files reviewed {report['summary']['files']}")
    print(f"bare ast.parse {parse_wall:7.2f} s   peak {parse_peak:6.0f} MiB")
    print(f"review         {review_wall:7.2f} s   peak {review_peak:6.0f} MiB   (median of {args.runs})")
    print(f"ratio          {review_wall / parse_wall:7.2f}x  (target <= 3x)")
    print(f"findings       {sum(by_code.values())}")
    for code, count in sorted(by_code.items()):
        print(f"  {code:8} {count}")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"benchmark took {time.perf_counter() - start:.1f} s", file=sys.stderr)
