"""Dotted module names from file paths, and absolute names for relative imports."""

from __future__ import annotations

from pathlib import PurePosixPath


def module_name(path: str) -> tuple[str, bool]:
    """The import name of the module at `path` and whether it is a package (`pkg/__init__.py`).

    A leading `src/` is dropped: in the src layout it is a folder on `sys.path`, not a package.
    """
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    is_package = parts[-1] == "__init__" and len(parts) > 1
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def absolute_module(module: str, is_package: bool, level: int, relative: str | None) -> str:
    """The absolute module named by `from <level dots><relative> import ...` inside `module`.

    `from . import x` in `pkg/mod.py` is relative to `pkg`; in `pkg/__init__.py` it is relative to `pkg`
    itself. An import climbing above the root keeps its dots, so it resolves to no in-repo module.
    """
    if level == 0:
        return relative or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 >= len(package):
        return "." * level + (relative or "")
    base = package[: len(package) - (level - 1)]
    if relative:
        base.append(relative)
    return ".".join(base)
