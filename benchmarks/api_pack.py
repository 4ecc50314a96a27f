"""The API pack beside Spectral and Redocly on GitHub's REST API description: wall time, peak memory, findings.

    .venv/bin/python benchmarks/api_pack.py [--corpus ../shared/corpus] [--runs 3] [--tools /tmp/apitools]

The three tools read the same file, a temporary copy of `openapi/github-rest-api.json` (13 MB, 1,223 operations):
`vitruvius review --select API`, Spectral with the `spectral:oas` ruleset and Redocly CLI with its default
(recommended) rules. Each is timed as a whole process, median of `--runs` runs, with the peak resident memory of
that process (wait4's ru_maxrss); Spectral, which takes minutes, runs `--spectral-runs` times (default 1; 0 leaves it out). A run
longer than `--timeout` seconds is stopped and reported as timed out.

Neither linter is a dependency of vitruvius and this script installs nothing. Install both from the npm registry
outside the repository, then point --tools at the folder:

    npm install --prefix /tmp/apitools @stoplight/spectral-cli @redocly/cli

A tool that is not there is skipped with a message. Redocly runs with its telemetry and update check off.
The target: the whole API pack in under 0.3x Redocly's time in the same run, and under 400 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = Path("openapi") / "github-rest-api.json"
QUIET_REDOCLY = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spectral-runs", type=int, default=1, help="0 leaves Spectral out")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is stopped")
    parser.add_argument("--tools", type=Path, default=Path("/tmp/apitools"), help="the npm --prefix holding both linters")
    args = parser.parse_args()
    source = args.corpus / DOCUMENT
    if not source.is_file():
        sys.exit(f"no GitHub document at {source}: pass --corpus")
    with tempfile.TemporaryDirectory(prefix="vitruvius-api-") as tmp:
        root = Path(tmp) / "github"
        root.mkdir()
        document = root / source.name
        shutil.copyfile(source, document)
        print(f"GitHub REST API description: {document.stat().st_size / 1e6:.1f} MB")
        rows = [vitruvius(root, Path(tmp), args)]
        rows.append(redocly(document, args))
        rows.append(spectral(document, Path(tmp), args))
    print(f"\n{'tool':<34}{'wall s':>10}{'peak MiB':>10}{'findings':>10}")
    for name, measured, findings in rows:
        if measured is None:
            continue
        wall = f"{measured['seconds']:.2f}" if not measured["timed_out"] else f">{args.timeout:.0f}"
        print(f"{name:<34}{wall:>10}{measured['mib']:>10.0f}{findings if findings is not None else '-':>10}")
    ours, theirs = rows[0][1], rows[1][1]
    if theirs is not None and not theirs["timed_out"]:
        ratio = ours["seconds"] / theirs["seconds"]
        verdict = "met" if ratio < 0.3 and ours["mib"] < 400 else "NOT met"
        print(f"\nvitruvius / Redocly wall time: {ratio:.2f}x (target < 0.3x); vitruvius peak {ours['mib']:.0f} MiB (target < 400): "
              f"{verdict}")


def vitruvius(root: Path, tmp: Path, args: argparse.Namespace) -> tuple[str, dict, int]:
    output = tmp / "vitruvius.json"
    command = [sys.executable, "-m", "vitruvius", "review", str(root), "--select", "API", "--format", "json", "-o", str(output)]
    command += ["--fail-on", "never"]
    measured = measure(command, args.runs, {"PYTHONPATH": str(ROOT / "src")}, timeout=args.timeout)
    findings = json.loads(output.read_text(encoding="utf-8"))["findings"]
    by_rule = Counter(f"{f['code']} {f['name']}" for f in findings)
    print(f"\nvitruvius --select API: {len(findings)} findings ({len(findings) / 1223:.2f} per operation), median of {args.runs}")
    for name, count in sorted(by_rule.items()):
        print(f"  {count:6}  {name}")
    return "vitruvius review --select API", measured, len(findings)


def redocly(document: Path, args: argparse.Namespace) -> tuple[str, dict | None, int | None]:
    executable = args.tools / "node_modules" / ".bin" / "redocly"
    if not executable.exists():
        print(f"\nRedocly: not found at {executable} (npm install --prefix {args.tools} @redocly/cli)")
        return "redocly lint (recommended)", None, None
    command = [str(executable), "lint", str(document), "--format", "json", "--max-problems", "1000000"]
    measured = measure(command, args.runs, QUIET_REDOCLY, timeout=args.timeout)
    if measured["timed_out"]:
        print(f"\nRedocly: timed out after {args.timeout:.0f} s")
        return "redocly lint (recommended)", measured, None
    environment = {**os.environ, **QUIET_REDOCLY}
    report = subprocess.run(command, capture_output=True, text=True, env=environment, check=False, timeout=args.timeout)
    problems = json.loads(report.stdout)["problems"]
    version = subprocess.run([str(executable), "--version"], capture_output=True, text=True, env=environment, check=False).stdout.strip()
    print(f"\nRedocly CLI {version} (default rules): {len(problems)} findings, median of {args.runs}")
    for rule, count in Counter(p["ruleId"] for p in problems).most_common():
        print(f"  {count:6}  {rule}")
    return f"redocly lint {version}", measured, len(problems)


def spectral(document: Path, tmp: Path, args: argparse.Namespace) -> tuple[str, dict | None, int | None]:
    executable = args.tools / "node_modules" / ".bin" / "spectral"
    if args.spectral_runs < 1:
        return "spectral lint (spectral:oas)", None, None
    if not executable.exists():
        print(f"\nSpectral: not found at {executable} (npm install --prefix {args.tools} @stoplight/spectral-cli)")
        return "spectral lint (spectral:oas)", None, None
    ruleset, output = tmp / ".spectral.yaml", tmp / "spectral.json"
    ruleset.write_text('extends: ["spectral:oas"]\n', encoding="utf-8")
    command = [str(executable), "lint", str(document), "--ruleset", str(ruleset), "--format", "json", "--output", str(output), "--quiet"]
    measured = measure(command, args.spectral_runs, {}, timeout=args.timeout)
    version = subprocess.run([str(executable), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    if measured["timed_out"] or not output.exists():
        print(f"\nSpectral {version}: " + (f"timed out after {args.timeout:.0f} s" if measured["timed_out"] else "wrote no report"))
        return f"spectral lint {version}", measured, None
    results = json.loads(output.read_text(encoding="utf-8") or "[]")
    print(f"\nSpectral {version} (spectral:oas): {len(results)} findings, {args.spectral_runs} run(s)")
    for rule, count in Counter(r["code"] for r in results).most_common():
        print(f"  {count:6}  {rule}")
    return f"spectral lint {version}", measured, len(results)


def measure(command: list[str], runs: int, env: dict[str, str], timeout: float) -> dict:
    """Median wall seconds and the largest peak resident memory (MiB) of `runs` runs of a process; a run past
    `timeout` is stopped (with its process group) and ends the measurement."""
    seconds, peaks = [], []
    environment = {**os.environ, **env}
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        process = subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        usage, timed_out = None, False
        while usage is None:
            pid, _, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                usage = rusage
            elif time.perf_counter() - start > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                _, _, usage = os.wait4(process.pid, 0)
                timed_out = True
            else:
                time.sleep(0.02)
        process.returncode = 0
        seconds.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)  # kilobytes on Linux
        if timed_out:
            return {"seconds": seconds[-1], "mib": max(peaks), "timed_out": True}
    return {"seconds": statistics.median(seconds), "mib": max(peaks), "timed_out": False}


if __name__ == "__main__":
    main()
