"""The command line: arguments → the library → a renderer. Exit 0 clean, 1 findings at --fail-on, 2 usage."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import __version__

FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("terminal", "json", "sarif", "markdown")


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(c.strip() for c in (value or "").split(",") if c.strip())


class Progress:
    """A progress bar on stderr, shown only on a terminal and only once a run has taken over a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < 1.0 or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress as Bar

            self.bar = Bar(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("reading", total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run() -> None:
    """The `vitruvius` command: the CLI, then an exit that skips tearing down the heap.

    A review of a large repository leaves a model of a million small objects; freeing them one by one at
    interpreter shutdown took 1.5 s on pretix, after the report was already written. Output is flushed first.
    """
    import os

    try:
        main()
        code: int | str | None = 0
    except SystemExit as exit_:
        code = exit_.code
    except Exception as error:  # a bug of ours: one line, not a traceback; VITRUVIUS_DEBUG=1 shows it
        if os.environ.get("VITRUVIUS_DEBUG"):
            raise
        click.echo(f"vitruvius: internal error: {type(error).__name__}: {error} (set VITRUVIUS_DEBUG=1 for the traceback)", err=True)
        code = 2
    if isinstance(code, str):
        click.echo(code, err=True)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


def _write(output: Path, text: str) -> None:
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")


def _fail(message: str) -> None:
    click.echo(f"vitruvius: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vitruvius")
def main() -> None:
    """vitruvius reviews a backend repository the way a senior backend architect would."""


@main.command("review")
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--select", help="Only these rule codes or prefixes (comma-separated), e.g. PERF,SEC001.")
@click.option("--ignore", help="Leave out these rule codes or prefixes (comma-separated).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="terminal", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a finding has this severity or a higher one.")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Hide the findings recorded in this baseline (matched on code and key).")
@click.option("--color/--no-color", default=None, help="Colour the terminal report (default: when stdout is a terminal).")
def review_command(path: Path, select: str | None, ignore: str | None, output_format: str, output: Path | None,
                   fail_on: str, baseline: Path | None, color: bool | None) -> None:
    """Review the repository at PATH (default: the current folder)."""
    from .config import ConfigError
    from .report import render
    from .review import review

    progress = Progress()
    try:
        result = review(path, select=_codes(select), ignore=_codes(ignore), baseline=baseline, progress=progress)
    except ConfigError as error:
        progress.close()
        _fail(str(error))
    progress.close()
    use_color = (sys.stdout.isatty() and output is None) if color is None else color
    text = render(result, output_format, color=use_color and output_format == "terminal")
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    sys.exit(1 if _fails(result.findings, fail_on) else 0)


def _fails(findings, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = FAIL_ON.index(fail_on)
    return any(FAIL_ON.index(f.severity) <= threshold for f in findings)


@main.command("baseline")
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The baseline file to write.")
def baseline_command(path: Path, output: Path) -> None:
    """Record today's findings of PATH so that `review --baseline` shows only new ones."""
    from .config import ConfigError
    from .review import review

    try:
        result = review(path)
    except ConfigError as error:
        _fail(str(error))
    entries = [{"code": f.code, "key": f.key, "path": f.location.path, "message": f.message} for f in result.findings]
    document = {"tool": {"name": "vitruvius", "version": __version__}, "findings": entries}
    _write(output, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    click.echo(f"wrote {len(entries)} findings to {output}", err=True)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule: code, name, pack, default severity and summary."""
    from .findings import PACKS
    from .rules import all_rules

    rules = all_rules().values()
    if output_format == "markdown":
        click.echo(rule_table_markdown(rules), nl=False)
        return
    if output_format == "json":
        rows = [
            {"code": r.code, "name": r.name, "pack": r.pack, "area": PACKS[r.pack][1], "severity": r.severity,
             "summary": r.summary, "options": {k: v for k, v in r.options.items()}}
            for r in rules
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=list))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("code", "name", "pack", "severity", "summary", box=None, pad_edge=False)
    for r in rules:
        table.add_row(r.code, r.name, r.pack, r.severity, r.summary)
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def rule_table_markdown(rules) -> str:
    """The rule list of the README (kept in sync by a test)."""
    rows = ["| code | name | area | severity | what it finds |", "|---|---|---|---|---|"]
    from .findings import PACKS

    for r in rules:
        rows.append(f"| {r.code} | {r.name} | {PACKS[r.pack][1]} | {r.severity} | {r.summary.replace('|', '/')} |")
    return "\n".join(rows) + "\n"


@main.command("explain")
@click.argument("rule")
def explain_command(rule: str) -> None:
    """Show a rule's documentation, by code (PERF001) or name (outbound-http-without-timeout)."""
    from .rules import all_rules

    rules = all_rules()
    found = rules.get(rule.upper()) or next((r for r in rules.values() if r.name == rule), None)
    if found is None:
        _fail(f"no rule {rule!r} (see `vitruvius rules`)")
    header = f"# {found.code} {found.name}\n\npack: {found.pack} · default severity: {found.severity}"
    if found.options:
        header += " · options: " + ", ".join(f"{k} = {v!r}" for k, v in found.options.items())
    text = f"{header}\n\n{found.doc}\n"
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text, nl=False)


@main.command("openapi")
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="The document to write: YAML when it ends in .yaml or .yml, else JSON (default: JSON on stdout).")
@click.option("--title", help="The API's title (default: the folder's name).")
@click.option("--api-version", default="0.1.0", show_default=True, help="The API's version, for info.version.")
def openapi_command(path: Path, output: Path | None, title: str | None, api_version: str) -> None:
    """Write an OpenAPI 3.1 document reverse-engineered from the code routes of PATH (FastAPI, Flask, Django/DRF)."""
    from .config import ConfigError, load
    from .design.emit.openapi import code_operations, dumps, emit_openapi
    from .readers import read

    try:
        config = load(path)
    except ConfigError as error:
        _fail(str(error))
    model = read(path, exclude=config.exclude, sql_dialect=config.dialect)
    document = emit_openapi(model, title=title or path.resolve().name, version=api_version)
    text = dumps(document, yaml=output is not None and output.suffix.lower() in (".yaml", ".yml"))
    count = len(code_operations(model))
    if output is None:
        click.echo(text, nl=False)
    else:
        _write(output, text)
        click.echo(f"wrote {count} operations to {output}", err=True)
    if count == 0:
        click.echo("vitruvius: no code routes found (FastAPI, Flask or Django)", err=True)
