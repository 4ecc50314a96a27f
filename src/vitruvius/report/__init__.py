"""Reporters: each format is one pure module, `render(review) -> str`. They only render; they never read
sources or run rules."""

from __future__ import annotations

from importlib import import_module

from ..findings import Review
from .json import json_schema_path

__all__ = ["FORMATS", "json_schema_path", "render"]

FORMATS = ("terminal", "json", "sarif", "markdown")


def render(review: Review, format: str, *, color: bool = False) -> str:
    """Render `review` in `format`; `color` only matters to the terminal format."""
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}; choose one of {', '.join(FORMATS)}")
    # Imported on demand: rich and jinja2 cost start-up time that a json run should not pay.
    module = import_module(f"{__name__}.{format}")
    if format == "terminal":
        return module.render(review, color=color)
    return module.render(review)

