"""Finding the files of a repository and the role each plays, before any of them is parsed."""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model import FileKind, Location, Note

# Folders no backend review wants: environments, dependencies, build output, caches, vendored code.
SKIPPED_FOLDERS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "env", ".env", ".tox", ".nox", "node_modules", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "build", "dist", ".eggs", "vendor",
    "vendored", "third_party", "_vendor", "htmlcov", ".idea", ".vscode", "bower_components", "locale",
})
LANGUAGES = {".py": "python", ".pyi": "python", ".sql": "sql", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

_TEST_NAME = re.compile(r"(^test_.*\.py$)|(.*_tests?\.py$)|(^conftest\.py$)|(^tests?\.py$)")
_TEST_FOLDERS = frozenset({"tests", "test", "testing", "functional_tests", "integration_tests"})
_MIGRATION_FOLDERS = frozenset({"migrations", "alembic", "migrate", "db_migrations", "flyway"})
_SCHEMA_FOLDERS = frozenset({"schema", "schemas", "ddl", "initdb", "docker-entrypoint-initdb.d"})
_SCRIPT_FOLDERS = frozenset({"scripts", "bin", "tools", "management"})
_SCRIPT_NAMES = frozenset({"manage.py", "__main__.py", "cli.py", "setup.py", "noxfile.py", "fabfile.py"})
_COMPOSE_NAME = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_CONFIG_NAMES = frozenset({"settings.py", "config.py", "conf.py"})


@dataclass(frozen=True, slots=True)
class SourceText:
    """A file's path relative to the root (with `/`) and its bytes, not yet decoded."""

    path: str
    data: bytes


def language(path: str) -> str | None:
    """The language a file's suffix says (`python`, `sql`, `json`, `yaml`), None for any other file."""
    return LANGUAGES.get(posixpath.splitext(path)[1].lower())


def classify(path: str) -> FileKind:
    """The role of a file from its path alone; readers may refine it from content (a `__main__` guard)."""
    *parents, name = path.split("/")  # paths of the model: relative, `/`-separated, normalised
    folders = {part.lower() for part in parents}
    name = name.lower()
    suffix = posixpath.splitext(name)[1]
    if suffix in (".py", ".pyi"):
        if folders & _TEST_FOLDERS or _TEST_NAME.match(name):
            return "test"
        if folders & _MIGRATION_FOLDERS or any("migrations" in f for f in folders):
            return "migration"  # also prefect's `_migrations/versions/...`, `db_migrations`, `migrations_v2`
        if folders & _SCRIPT_FOLDERS or name in _SCRIPT_NAMES:
            return "script"
        if name in _CONFIG_NAMES or "settings" in folders:
            return "config"
        return "app"
    if suffix == ".sql":
        if folders & _MIGRATION_FOLDERS:
            return "migration"
        if folders & _SCHEMA_FOLDERS:
            return "schema"
        if re.match(r"^(v\d+[._]|\d+[-_.])", name):
            return "migration"
        return "schema"
    if suffix in (".yaml", ".yml", ".json"):
        if _COMPOSE_NAME.match(name) or folders & {"k8s", "kubernetes", "manifests", "deploy", "helm", "charts"}:
            return "deploy"
        return "other"
    return "other"


def in_memory(files: Mapping[str, str | bytes]) -> list[SourceText]:
    """An in-memory repository (the rule cases, tests, the MCP server): path → text."""
    return sorted(
        (SourceText(p.replace(os.sep, "/").lstrip("/"), t.encode() if isinstance(t, str) else t) for p, t in files.items()),
        key=lambda s: s.path,
    )


# A .gitignore larger than this is not a .gitignore (or a link to one outside the root): not read.
MAX_GITIGNORE_BYTES = 1024 * 1024


def gitignore_spec(lines: Iterable[str]) -> tuple[object, list[str]]:
    """A gitignore matcher from pattern lines, and the lines that are not valid patterns (left out)."""
    import pathspec

    valid, invalid = [], []
    for line in lines:
        try:
            pathspec.GitIgnoreSpec.from_lines([line])
            valid.append(line)
        except (ValueError, re.error):
            invalid.append(line)
    return pathspec.GitIgnoreSpec.from_lines(valid), invalid


def discover(root: Path, exclude: Iterable[str] = ()) -> tuple[list[str], list[Note]]:
    """Paths (relative, `/`-separated, sorted) of the regular files worth reading under root, and notes on
    what could not be considered (an invalid .gitignore line, a file name that is not UTF-8).

    Honours `.gitignore` files at any depth and the `exclude` patterns (gitignore syntax, checked by the
    configuration), skips the folders in SKIPPED_FOLDERS, and never follows a symbolic link.
    """
    exclude = list(exclude)
    user_spec = gitignore_spec(exclude)[0] if exclude else None  # pathspec is loaded only when there are patterns
    ignore_specs: list[tuple[str, object]] = []
    notes: list[Note] = []

    def ignored(rel: str, is_dir: bool) -> bool:
        candidate = rel + "/" if is_dir else rel
        if user_spec is not None and user_spec.match_file(candidate):
            return True
        for base, spec in ignore_specs:
            if base == "" or candidate.startswith(base + "/"):
                if spec.match_file(candidate[len(base) + 1 :] if base else candidate):
                    return True
        return False

    found: list[str] = []
    for current, dirs, files in os.walk(root, followlinks=False):
        rel_dir = Path(current).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        if ".gitignore" in files:
            ignore_specs.extend(_gitignore(Path(current) / ".gitignore", rel_dir, notes))
        kept = []
        for d in sorted(dirs):
            rel = f"{rel_dir}/{d}" if rel_dir else d
            if d in SKIPPED_FOLDERS or d.endswith(".egg-info") or (Path(current) / d).is_symlink():
                continue
            if not ignored(rel, True):
                kept.append(d)
        dirs[:] = kept
        for f in files:
            rel = f"{rel_dir}/{f}" if rel_dir else f
            if language(f) is None or not _regular(Path(current) / f) or ignored(rel, False):
                continue
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                notes.append(Note("unreadable-file", Location(shown, 1), f"{shown}: the file name is not valid UTF-8; not read"))
                continue
            found.append(rel)
    return sorted(found), notes


def _regular(path: Path) -> bool:
    """A regular file, not a link, a pipe (reading a FIFO would block forever) or a device."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _gitignore(path: Path, rel_dir: str, notes: list[Note]) -> list[tuple[str, object]]:
    where = f"{rel_dir}/.gitignore" if rel_dir else ".gitignore"
    if not _regular(path) or path.stat().st_size > MAX_GITIGNORE_BYTES:
        return []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    spec, invalid = gitignore_spec(lines)
    for line in invalid:
        number = lines.index(line) + 1
        notes.append(Note("unreadable-file", Location(where, number), f"{where}:{number}: not a valid gitignore pattern; the line is ignored"))
    return [(rel_dir, spec)]
