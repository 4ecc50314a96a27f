"""Which safe YAML loader vitruvius uses: load time, peak memory, correctness and safety, on the shared corpus.

    python benchmarks/yaml_loaders.py [--runs 3] [--corpus ../shared/corpus]

Loads the YAML form of GitHub's REST API description (10 MB) with each candidate that is installed, in a
fresh child process per candidate: seconds (median of --runs), peak memory growth (max RSS after the loads
minus max RSS before them), and correctness — the loaded value must equal the JSON form read with orjson;
every difference is counted and the first few are shown. Then small safety probes, each in its own child
process so that a crash is reported rather than fatal: an arbitrary-object tag, YAML 1.1 booleans, an alias
bomb, deep block nesting, and whether a syntax error names its line.

Candidates are installed with pip by their package names (pyyaml, yaml-rs, ryaml, rapidyaml, libfyaml,
py-yaml12); the ones missing are listed as such.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

# Each candidate is the source of a `load(text)` function, run in a child process.
CANDIDATES = {
    "pyyaml (C SafeLoader)": "import yaml\ndef load(text): return yaml.load(text, Loader=yaml.CSafeLoader)",
    "yaml-rs": "import yaml_rs\ndef load(text): return yaml_rs.loads(text, parse_datetime=False)",
    "ryaml": "import ryaml\ndef load(text): return ryaml.loads(text)",
    # rapidyaml's Python API gives a tree, not Python values: emitting JSON and reading that is its fast path.
    "rapidyaml (tree → JSON → orjson)": (
        "import ryml, orjson\n"
        "def load(text):\n"
        "    tree = ryml.parse_in_arena(text.encode())\n"
        "    return orjson.loads(ryml.emit_json_malloc(tree, tree.root_id()))"
    ),
    "libfyaml (YAML 1.1 mode)": "import libfyaml\ndef load(text): return libfyaml.loads(text, mode='yaml1.1').to_python()",
    "libfyaml (YAML 1.2 mode)": "import libfyaml\ndef load(text): return libfyaml.loads(text, mode='yaml').to_python()",
    "py-yaml12": "import yaml12\ndef load(text): return yaml12.parse_yaml(text)",
}

MEASURE = """
import json, resource, statistics, sys, time
import orjson
{loader}
yaml_path, json_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(yaml_path, encoding="utf-8").read()
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
seconds, data = [], None
for _ in range(runs):
    data = None
    started = time.perf_counter()
    data = load(text)
    seconds.append(time.perf_counter() - started)
rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
expected = orjson.loads(open(json_path, "rb").read())
differences = []

def compare(got, want, pointer):
    if type(got) is not type(want):
        differences.append(f"{{pointer}}: {{got!r:.40}} ({{type(got).__name__}}) != {{want!r:.40}} ({{type(want).__name__}})")
    elif isinstance(got, dict):
        if list(got) != list(want):
            differences.append(f"{{pointer}}: keys differ: {{sorted(map(str, set(got) ^ set(want)))[:3]}}")
        for key in got.keys() & want.keys():
            compare(got[key], want[key], f"{{pointer}}/{{key}}")
    elif isinstance(got, list):
        if len(got) != len(want):
            differences.append(f"{{pointer}}: {{len(got)}} items != {{len(want)}}")
        for index, (a, b) in enumerate(zip(got, want)):
            compare(a, b, f"{{pointer}}/{{index}}")
    elif got != want:
        differences.append(f"{{pointer}}: {{got!r:.40}} != {{want!r:.40}}")

compare(data, expected, "")
print(json.dumps({{"seconds": statistics.median(seconds), "peak_mb": (rss_after - rss_before) / 1024,
                  "differences": len(differences), "examples": differences[:3]}}))
"""

PROBES = {
    "python tag": "a: !!python/object/apply:os.getcwd []\n",
    "on: yes": "on: yes\n",
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)),
    "deep nesting": "- " * 100_000 + "x\n",
    "syntax error": "a: 1\nb: [1, 2\nc: 3\n",
}

PROBE = """
import sys, time
{loader}
name, text = sys.argv[1], sys.stdin.read()
started = time.perf_counter()
try:
    value = load(text)
except BaseException as error:
    message = str(error).replace(chr(10), " ")
    if name == "syntax error":
        print("names line 3" if "line 3" in message else "no line: " + message[:60])
    else:
        print(f"refused ({{type(error).__name__}}: {{message[:50]}})")
    raise SystemExit
elapsed = time.perf_counter() - started
if name == "python tag":
    print("plain value" if isinstance(value["a"], (list, str, type(None))) else f"constructed {{type(value['a']).__name__}}")
elif name == "on: yes":
    print(f"{{value!r}} (YAML 1.1 booleans)" if True in value else f"{{value!r}} (YAML 1.2: strings)")
elif name == "alias bomb":
    print(f"loaded in {{elapsed:.2f}} s (aliases shared or expanded: a walk of it visits 10^9 leaves)")
else:
    print("loaded" if name != "syntax error" else "accepted invalid YAML")
"""


def measure(loader: str, corpus: Path, runs: int) -> dict:
    yaml_path = corpus / "openapi" / "github-rest-api.yaml"
    json_path = corpus / "openapi" / "github-rest-api.json"
    done = subprocess.run(
        [sys.executable, "-c", MEASURE.format(loader=loader), str(yaml_path), str(json_path), str(runs)],
        capture_output=True, text=True, timeout=900,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout)


def probe(loader: str, name: str, text: str) -> str:
    try:
        done = subprocess.run([sys.executable, "-c", PROBE.format(loader=loader), name], input=text,
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "timed out (120 s)"
    if done.returncode < 0:
        return f"CRASHED (signal {-done.returncode})"
    return done.stdout.strip() or done.stderr.strip()[-80:]


def installed(loader: str) -> bool:
    first_line = loader.splitlines()[0]
    return subprocess.run([sys.executable, "-c", first_line], capture_output=True).returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not (args.corpus / "openapi" / "github-rest-api.yaml").is_file():
        raise SystemExit(f"needs the shared corpus at {args.corpus} (check out shared/ beside the repository)")
    print(f"{'loader':34} {'seconds':>8} {'peak MB':>8} {'differences from the JSON form':>31}")
    available = {name: loader for name, loader in CANDIDATES.items() if installed(loader)}
    for name, loader in available.items():
        result = measure(loader, args.corpus, args.runs)
        if "error" in result:
            print(f"{name:34} failed: {result['error']}")
            continue
        print(f"{name:34} {result['seconds']:8.2f} {result['peak_mb']:8.0f} {result['differences']:31d}")
        for example in result["examples"]:
            print(f"{'':36}{example}")
    for name in CANDIDATES:
        if name not in available:
            print(f"{name:34} not installed")
    print()
    for name, loader in available.items():
        print(name)
        for probe_name, text in PROBES.items():
            print(f"  {probe_name:13} {probe(loader, probe_name, text)}")


if __name__ == "__main__":
    main()
