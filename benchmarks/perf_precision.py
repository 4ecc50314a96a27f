"""Draw a fixed random sample of PERF findings from a real project, to label by reading the code.

    python benchmarks/perf_precision.py PROJECT_DIR [--size 30] [--labels benchmarks/perf_labels/NAME.csv]

Reviews PROJECT_DIR (an unpacked wheel: `pip download --no-deps NAME -d /tmp/NAME-whl` and unzip it outside
the repository) with `vitruvius review --select PERF --format json`, draws `--size` findings with
random.Random(20261122) and prints each with its code, location, message and the source lines around it.

With `--labels`, it reads a CSV of labels (project, version, finding, real, why), where `finding` is
`CODE|path|line|key`, reports the labels that no longer match a finding, and prints the share of real
findings per rule; the sample is drawn the same way, so the figure can be re-run after a change.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

SEED = 20261122


def review(root: Path) -> list[dict]:
    command = [str(Path(sys.executable).with_name("vitruvius")), "review", str(root), "--select", "PERF",
               "--format", "json", "--fail-on", "never"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output)["findings"]


def finding_id(finding: dict) -> str:
    return f"{finding['code']}|{finding['path']}|{finding['line']}|{finding['key']}"


def sample(findings: list[dict], size: int) -> list[dict]:
    ordered = sorted(findings, key=finding_id)
    return sorted(random.Random(SEED).sample(ordered, min(size, len(ordered))), key=finding_id)


def show(root: Path, finding: dict, context: int = 3) -> str:
    try:
        lines = (root / finding["path"]).read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    first, last = max(finding["line"] - context, 1), min(finding["line"] + context, len(lines))
    return "\n".join(f"    {n:5} {'>' if n == finding['line'] else ' '} {lines[n - 1]}" for n in range(first, last + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--size", type=int, default=30)
    parser.add_argument("--labels", type=Path)
    args = parser.parse_args()

    findings = review(args.root)
    drawn = sample(findings, args.size)
    print(f"{len(findings)} PERF findings: {dict(sorted(Counter(f['code'] for f in findings).items()))}; drawn {len(drawn)}")
    labels = {}
    if args.labels and args.labels.exists():
        with args.labels.open(encoding="utf-8") as handle:
            labels = {row["finding"]: row for row in csv.DictReader(handle)}
    for finding in drawn:
        label = labels.get(finding_id(finding))
        verdict = f"  [{label['real']}: {label['why']}]" if label else ""
        print(f"\n{finding_id(finding)}{verdict}\n  {finding['message']}\n  fix: {finding.get('fix')}\n{show(args.root, finding)}")
    if labels:
        drawn_ids = {finding_id(f) for f in drawn}
        stale = sorted(set(labels) - drawn_ids)
        missing = sorted(drawn_ids - set(labels))
        print(f"\nlabels not in the sample: {len(stale)}; sampled findings without a label: {len(missing)}")
        totals, real = Counter(), Counter()
        for finding in drawn:
            label = labels.get(finding_id(finding))
            if label:
                totals[finding["code"]] += 1
                real[finding["code"]] += label["real"] == "yes"
        for code in sorted(totals):
            print(f"  {code}: {real[code]}/{totals[code]} real ({100 * real[code] / totals[code]:.0f}%)")
        print(f"  all: {sum(real.values())}/{sum(totals.values())} real ({100 * sum(real.values()) / max(sum(totals.values()), 1):.0f}%)")


if __name__ == "__main__":
    main()
