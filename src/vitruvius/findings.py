"""Findings and the rule registry: what rules yield, and how a rule declares itself."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .model import Location, SystemModel

SEVERITIES = ("error", "warning", "info")
PACKS = {
    "api": ("API", "REST API design"),
    "db": ("DB", "database schema"),
    "mig": ("MIG", "migration safety"),
    "perf": ("PERF", "performance"),
    "lay": ("LAY", "layering"),
    "sec": ("SEC", "security"),
    "obs": ("OBS", "observability"),
    "svc": ("SVC", "service topology"),
    "vit": ("VIT", "vitruvius itself"),
}
# Packs whose rules leave test code alone unless a rule says otherwise: a test's `print`, fake password or
# unpaginated query is not a production problem, and tests are most of the lines of a real project.
PACKS_SKIPPING_TESTS = frozenset({"perf", "sec", "obs"})


@dataclass(frozen=True)
class Finding:
    """One problem at one place. Rules give the element (for its location and key), a message naming the
    table, route, column or function, and a concrete fix; the review stamps code, name and severity."""

    element: Any = field(compare=False, repr=False)
    message: str
    fix: str | None = None
    related: tuple[Location, ...] = ()
    location: Location | None = None
    key: str | None = None
    code: str = ""
    name: str = ""
    severity: str = ""

    def __post_init__(self) -> None:
        if self.location is None:
            object.__setattr__(self, "location", getattr(self.element, "location", None) or Location("."))
        if self.key is None:
            object.__setattr__(self, "key", str(getattr(self.element, "key", "")) or self.location.path)

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.key or "", self.message)


RuleFunction = Callable[..., Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    pack: str
    function: RuleFunction
    tests: bool
    migrations: bool
    after_suppression: bool = False

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.function.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    @property
    def options(self) -> dict[str, Any]:
        """Keyword-only parameters and their defaults: the rule's configurable options."""
        return {
            p.name: p.default
            for p in inspect.signature(self.function).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }

    @property
    def option_choices(self) -> dict[str, tuple[Any, ...]]:
        """The allowed values of options annotated with `Literal[...]`."""
        hints = typing.get_type_hints(self.function)
        return {
            name: typing.get_args(hints[name])
            for name in self.options
            if name in hints and typing.get_origin(hints[name]) is typing.Literal
        }

    def run(self, model: SystemModel, options: dict[str, Any] | None = None, **inputs: Any) -> Iterator[Finding]:
        """Run on the model. Review-stage inputs (`suppressions`) are passed only to rules that ask for them."""
        wanted = inspect.signature(self.function).parameters
        return self.function(model, **{k: v for k, v in inputs.items() if k in wanted}, **(options or {}))


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    *,
    severity: str = "warning",
    tests: bool | None = None,
    migrations: bool = True,
    after_suppression: bool = False,
) -> Callable[[RuleFunction], RuleFunction]:
    """Declare a rule. The pack is the folder the rule's module lives in (`vitruvius.rules.<pack>.x`).

    `tests` says whether the rule reports findings located in test code (default: per pack);
    `migrations` whether it reports findings located in migration files. `after_suppression` rules run
    once suppressions are applied and receive the unused ones (only VIT002 needs this).
    """
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: unknown severity {severity!r}")

    def register(function: RuleFunction) -> RuleFunction:
        pack = function.__module__.split(".")[2] if function.__module__.startswith("vitruvius.rules.") else "vit"
        if code in REGISTRY and REGISTRY[code].function is not function:
            raise ValueError(f"rule code {code} is declared twice")
        REGISTRY[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            pack=pack,
            function=function,
            tests=(pack not in PACKS_SKIPPING_TESTS) if tests is None else tests,
            migrations=migrations,
            after_suppression=after_suppression,
        )
        return function

    return register


@dataclass(frozen=True)
class Review:
    """The result of one review: what reporters render. `rules` are the rules that ran."""

    root: str
    version: str
    findings: tuple[Finding, ...]
    model: SystemModel
    rules: tuple[Rule, ...]
    seconds: float = 0.0
    suppressed: int = 0
    baselined: int = 0

    def counts_by_severity(self) -> dict[str, int]:
        counts = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return {s: n for s, n in counts.items() if n}

    def rule(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)
