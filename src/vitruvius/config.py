"""Configuration: `[tool.vitruvius]` in pyproject.toml, or a `vitruvius.toml` (which wins when both exist).

Everything is checked before the review starts: an unknown key, rule or rule option is a usage error that
names the file and the key (exit 2), because a silently ignored setting is worse than none.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .findings import SEVERITIES, Rule
from .model import Location, Note, SystemModel
from .rules import all_rules

CONFIG_FILES = ("vitruvius.toml", "pyproject.toml")
DIALECTS = ("postgres", "mysql", "mariadb", "sqlite")


class ConfigError(Exception):
    """A configuration problem the review cannot go on with: exit code 2."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...], int], ...] = ()
    exclude: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    rule_options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    dialect: str | None = None
    source: str | None = None

    def options_for(self, rule: Rule) -> dict[str, Any]:
        return dict(next((opts for code, opts in self.rule_options if code == rule.code), ()))

    def severity_for(self, rule: Rule) -> str:
        return next((sev for code, sev in self.severity if code == rule.code), rule.severity)

    def ignored_in(self, path: str) -> set[str]:
        """Codes (and prefixes) ignored for one file by `per-file-ignores`."""
        return {code for pattern, codes, _ in self.per_file_ignores if _matches(path, pattern) for code in codes}

    def selected(self, rules: dict[str, Rule]) -> list[Rule]:
        return [
            r for r in rules.values()
            if _covered(r.code, self.select) and not _covered(r.code, self.ignore)
        ]

    def notes(self, model: SystemModel) -> list[Note]:
        """Problems that do not stop the review: a per-file-ignores pattern that matches no file."""
        paths = [f.path for f in model.files]
        return [
            Note("configuration", Location(self.source or "pyproject.toml", line), f"per-file-ignores pattern {pattern!r} matches no file that was reviewed")
            for pattern, _, line in self.per_file_ignores
            if paths and not any(_matches(p, pattern) for p in paths)
        ]


def _matches(path: str, pattern: str) -> bool:
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.rstrip("/") + "/*") or path.startswith(pattern.rstrip("/") + "/")


def _covered(code: str, selectors: tuple[str, ...]) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def load(root: Path) -> Config:
    """The configuration that applies to a root folder: the first of CONFIG_FILES that configures vitruvius."""
    if not root.is_dir():
        return Config()
    for name in CONFIG_FILES:
        candidate = root / name
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise ConfigError(f"{candidate}: cannot be read: {error}") from None
            config = from_text(text, name)
            if config is not None:
                return config
    return Config()


def from_text(text: str, name: str) -> Config | None:
    """Parse a vitruvius.toml or a pyproject.toml's `[tool.vitruvius]`; None when it configures nothing."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name}: not valid TOML: {error}") from None
    tool = data.get("tool")
    table = data if Path(name).name == "vitruvius.toml" else tool.get("vitruvius") if isinstance(tool, dict) else None
    return None if table is None else parse(table, source=name, text=text)


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 1


def parse(table: dict[str, Any], *, source: str = "configuration", text: str = "") -> Config:
    """Check a `[tool.vitruvius]` table and turn it into a Config; every error names `source` and the key."""
    from pydantic import BaseModel, ConfigDict, Field, ValidationError

    class Schema(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        select: list[str] = ["ALL"]
        ignore: list[str] = []
        per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
        exclude: list[str] = []
        severity: dict[str, str] = {}
        rules: dict[str, dict[str, Any]] = {}
        dialect: str | None = None

    try:
        parsed = Schema.model_validate(table)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
        raise ConfigError(f"{source}: [tool.vitruvius] {problems}") from None

    rules = all_rules()
    by_name = {r.name: r for r in rules.values()}

    def rule_named(key: str, where: str) -> Rule:
        found = rules.get(key.upper()) or by_name.get(key)
        if found is None:
            raise ConfigError(f"{source}: {where}: unknown rule {key!r} (see `vitruvius rules`)")
        return found

    def check_selectors(selectors: list[str], where: str) -> tuple[str, ...]:
        for selector in selectors:
            if selector != "ALL" and not any(code.startswith(selector.upper()) for code in rules):
                raise ConfigError(f"{source}: {where}: {selector!r} matches no rule (see `vitruvius rules`)")
        return tuple(s.upper() if s != "ALL" else s for s in selectors)

    severities = []
    for key, value in parsed.severity.items():
        if value not in SEVERITIES:
            raise ConfigError(f"{source}: severity.{key}: {value!r} is not one of {', '.join(SEVERITIES)}")
        severities.append((rule_named(key, f"severity.{key}").code, value))

    options = []
    for key, values in parsed.rules.items():
        rule = rule_named(key, f"rules.{key}")
        accepted = rule.options
        for option, value in values.items():
            if option.replace("-", "_") not in accepted:
                known = ", ".join(sorted(accepted)) or "none"
                raise ConfigError(f"{source}: rules.{key}.{option}: {rule.code} has no option {option!r} (options: {known})")
            default = accepted[option.replace("-", "_")]
            if default is not None and not isinstance(value, type(default)) and not (isinstance(default, tuple) and isinstance(value, list)):
                raise ConfigError(f"{source}: rules.{key}.{option}: expected {type(default).__name__}, got {type(value).__name__}")
            allowed = rule.option_choices.get(option.replace("-", "_"))
            if allowed and value not in allowed:
                choices = ", ".join(repr(a) for a in allowed)
                raise ConfigError(f"{source}: rules.{key}.{option}: {value!r} is not one of {choices}")
        options.append((rule.code, tuple((o.replace("-", "_"), tuple(v) if isinstance(v, list) else v) for o, v in values.items())))

    from .readers.files import gitignore_spec

    _, invalid = gitignore_spec(parsed.exclude)
    if invalid:
        raise ConfigError(f"{source}: exclude: {invalid[0]!r} is not a valid gitignore pattern")
    if parsed.dialect is not None and parsed.dialect not in DIALECTS:
        raise ConfigError(f"{source}: dialect: {parsed.dialect!r} is not one of {', '.join(DIALECTS)}")

    return Config(
        select=check_selectors(parsed.select, "select"),
        ignore=check_selectors(parsed.ignore, "ignore"),
        per_file_ignores=tuple(
            (p, check_selectors(c, f"per-file-ignores.{p}"), _line_of(text, p)) for p, c in parsed.per_file_ignores.items()
        ),
        exclude=tuple(parsed.exclude),
        severity=tuple(severities),
        rule_options=tuple(options),
        dialect=parsed.dialect,
        source=source,
    )
