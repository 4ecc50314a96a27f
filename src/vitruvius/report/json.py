"""The JSON report: a public contract, described by the schema shipped in `schema/` (see `json_schema_path`).

The key order is part of the documented shape, so it is written as documented rather than sorted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson

from ..findings import Finding, Review
from ..model import Location

SCHEMA_FILE = "vitruvius-report-v1.json"


def json_schema_path() -> Path:
    """The JSON Schema of this report (draft 2020-12), shipped as package data."""
    return Path(__file__).with_name("schema") / SCHEMA_FILE


def render(review: Review) -> str:
    data = report_data(review)
    try:
        # orjson writes the same text as json.dumps(indent=2, ensure_ascii=False) for these values, 25x faster
        # (json's encoder turns pure Python once it indents).
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    except orjson.JSONEncodeError:  # a path that is not valid UTF-8 (a surrogate escape): json writes it anyway
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def report_data(review: Review) -> dict[str, Any]:
    return {
        "tool": {"name": "vitruvius", "version": review.version},
        "findings": [_finding(finding) for finding in review.findings],
        "summary": {
            "files": len(review.model.files),
            "findings": len(review.findings),
            "by_severity": review.counts_by_severity(),
            "seconds": float(review.seconds),
        },
    }


def _finding(finding: Finding) -> dict[str, Any]:
    location = finding.location
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        **_place(location),
        "message": finding.message,
        "fix": finding.fix,
        "related": [_place(related) for related in finding.related],
        "key": finding.key,
    }


def _place(location: Location) -> dict[str, Any]:
    return {"path": location.path, "line": location.line, "column": location.column, "end_line": location.end_line}
