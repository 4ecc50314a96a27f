"""A review: read the sources once, run the selected rules on the model, stamp, filter and sort the findings."""

from __future__ import annotations

import dataclasses
import gc
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from . import __version__, suppression
from .config import Config, ConfigError, load
from .findings import Finding, Review, Rule
from .model import Location, Note, SystemModel
from .readers import cyclic_gc_paused, read, resolve_pointers
from .rules import all_rules


def review(
    source: Path | str | Mapping[str, str | bytes],
    *,
    config: Config | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    baseline: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Review:
    """Review a repository folder (or an in-memory map of path → text) and return what was found.

    `select`/`ignore` narrow the configuration's choice further (the command line's flags).
    Raises ConfigError for a configuration the review cannot go on with.
    """
    started = time.perf_counter()
    if config is None:
        config = load(Path(source)) if not isinstance(source, Mapping) else Config()
    rules = _chosen(config, tuple(select), tuple(ignore))
    recorded = _read_baseline(baseline) if baseline is not None else None
    model = _read_frozen(source, config, progress)
    try:
        return _judged(source, model, config, rules, recorded, started)
    finally:
        gc.unfreeze()


def _read_frozen(source: Path | str | Mapping[str, str | bytes], config: Config, progress: Callable[[int, int], None] | None) -> SystemModel:
    """Read the model with the cyclic collector paused, and keep what reading made out of its passes until
    the review ends (gc.freeze). Paused, the collector still counts every new object as young: the first
    collections after reading would walk the whole model, twice (0.1 s of 1.1 on MusicBrainz). The model holds
    no cycles, so reference counting frees it all the same."""
    with cyclic_gc_paused():
        model = read(source, exclude=config.exclude, progress=progress, sql_dialect=config.dialect)
        gc.freeze()
    return model


def _judged(
    source: Path | str | Mapping[str, str | bytes], model: SystemModel, config: Config, rules: list[Rule],
    recorded: Counter | None, started: float,
) -> Review:
    """Run the rules on the model, then apply suppressions, the review-stage rules and the baseline."""
    model = dataclasses.replace(model, notes=model.notes + tuple(config.notes(model)))

    failures: list[Note] = []
    findings = [f for rule in rules if not rule.after_suppression for f in _run(rule, model, config, failures)]
    model = dataclasses.replace(model, notes=model.notes + tuple(failures))
    findings = [f for f in findings if not _ignored_for_file(f, config)]
    findings = _with_lines(source, findings)
    findings, suppressed, unused = suppression.apply(findings, model.suppressions)
    chosen = {r.code for r in rules}
    known = set(all_rules())
    # An unused suppression of a rule that did not run (deselected) is not stale: it may be needed tomorrow.
    unused = [
        dataclasses.replace(s, unused=tuple(c for c in s.unused if c in chosen or c not in known))
        for s in unused
    ]
    unused = [s for s in unused if s.unused]
    # Review-stage rules, the internal-error one (VIT000) last, so that it also sees their failures.
    for rule in sorted((r for r in rules if r.after_suppression), key=lambda r: r.code == "VIT000"):
        if rule.code == "VIT000":
            model = dataclasses.replace(model, notes=model.notes + tuple(f for f in failures if f not in model.notes))
        produced = _with_lines(source, list(_run(rule, model, config, failures, suppressions=tuple(unused))))
        findings.extend(f for f in produced if not _ignored_for_file(f, config))

    baselined = 0
    if recorded is not None:
        findings, baselined = _apply_baseline(findings, recorded)
    findings = sorted(dict.fromkeys(findings), key=lambda f: f.sort_key)
    return Review(
        root=str(source) if not isinstance(source, Mapping) else ".",
        version=__version__,
        findings=tuple(findings),
        model=model,
        rules=tuple(rules),
        seconds=round(time.perf_counter() - started, 3),
        suppressed=suppressed,
        baselined=baselined,
    )


def _chosen(config: Config, select: tuple[str, ...], ignore: tuple[str, ...]) -> list[Rule]:
    rules = all_rules()
    for selector in select + ignore:
        if not any(code.startswith(selector.upper()) or r.name == selector for code, r in rules.items()):
            raise ConfigError(f"{selector!r} matches no rule (see `vitruvius rules`)")
    chosen = config.selected(rules)
    if select:
        chosen = [r for r in chosen if any(r.code.startswith(s.upper()) or r.name == s for s in select)]
    if ignore:
        chosen = [r for r in chosen if not any(r.code.startswith(s.upper()) or r.name == s for s in ignore)]
    return chosen


def _run(rule: Rule, model: SystemModel, config: Config, failures: list[Note], **inputs: object) -> Iterable[Finding]:
    """Run one rule and stamp its findings. A rule that crashes is our bug, not the user's: it is recorded
    as an internal-error note (reported by VIT000) and the review goes on with every other rule."""
    severity = config.severity_for(rule)
    try:
        produced = list(rule.run(model, config.options_for(rule), **inputs))
    except Exception as error:  # noqa: BLE001 - one broken rule must not lose the whole review
        failures.append(Note("internal-error", Location(".", 0), f"rule {rule.code} ({rule.name}) failed: {type(error).__name__}: {error}"))
        return []
    kept = []
    for finding in produced:
        kind = model.file_kind(finding.location.path)
        if (kind == "test" and not rule.tests) or (kind == "migration" and not rule.migrations):
            continue
        kept.append(dataclasses.replace(finding, code=rule.code, name=rule.name, severity=severity))
    return kept


def _with_lines(source: Path | str | Mapping[str, str | bytes], findings: list[Finding]) -> list[Finding]:
    """Give findings located by a JSON pointer their line (and their related locations too)."""
    places = [f.location for f in findings] + [r for f in findings for r in f.related]
    resolved = resolve_pointers(source, places)
    if not resolved:
        return findings
    return [
        dataclasses.replace(
            f,
            location=resolved.get(f.location, f.location),
            related=tuple(resolved.get(r, r) for r in f.related),
        )
        for f in findings
    ]


def _ignored_for_file(finding: Finding, config: Config) -> bool:
    return any(prefix == "ALL" or finding.code.startswith(prefix) for prefix in config.ignored_in(finding.location.path))


def _read_baseline(path: Path) -> Counter:
    """The (code, key) pairs a baseline records, with how often; read before the review so that a bad
    baseline stops the run at once."""
    import json

    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))["findings"]
        return Counter((entry["code"], entry["key"]) for entry in recorded)
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise ConfigError(f"{path}: not a vitruvius baseline ({type(error).__name__}: {error})") from None


def _apply_baseline(findings: list[Finding], recorded: Counter) -> tuple[list[Finding], int]:
    """Hide what the baseline records, matched on code + key (never lines), as many times as recorded."""
    budget = Counter(recorded)
    kept, hidden = [], 0
    for finding in findings:
        if budget[(finding.code, finding.key)] > 0:
            budget[(finding.code, finding.key)] -= 1
            hidden += 1
        else:
            kept.append(finding)
    return kept, hidden
