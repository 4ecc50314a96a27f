"""The SARIF 2.1.0 report, for code scanning: one result per finding, rule metadata from the rule docs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..findings import PACKS, Finding, Review, Rule
from ..model import Location
from .docs import split_doc

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "vitruvius/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render(review: Review) -> str:
    return json.dumps(sarif_log(review), indent=2, ensure_ascii=False) + "\n"


def sarif_log(review: Review) -> dict[str, Any]:
    rule_index = {rule.code: index for index, rule in enumerate(review.rules)}
    run = {
        "tool": {
            "driver": {
                "name": "vitruvius",
                "version": review.version,
                "rules": [_rule(rule) for rule in review.rules],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "properties": {
                    "seconds": float(review.seconds),
                    "suppressed": review.suppressed,
                    "baselined": review.baselined,
                },
            }
        ],
        "originalUriBaseIds": {SRCROOT: _root_location(review.root)},
        "results": [_result(finding, rule_index.get(finding.code)) for finding in review.findings],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def fingerprint(finding: Finding) -> str:
    """Stable across line moves: code scanning tracks a finding by its rule and its element's key."""
    return hashlib.sha256(f"{finding.code}:{finding.key}".encode()).hexdigest()


def rule_id_name(slug: str) -> str:
    """SARIF wants a rule name that reads as an identifier: `n-plus-one-query` becomes `NPlusOneQuery`."""
    return "".join(part[:1].upper() + part[1:] for part in slug.replace("_", "-").split("-"))


def _rule(rule: Rule) -> dict[str, Any]:
    doc = split_doc(rule.doc)
    summary = doc.summary or rule.name
    full = f"{summary}\n\n{doc.why}" if doc.why else summary
    return {
        "id": rule.code,
        "name": rule_id_name(rule.name),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": rule.doc or summary, "markdown": rule.doc or summary},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {"pack": rule.pack, "tags": [PACKS.get(rule.pack, (rule.pack, rule.pack))[1]]},
    }


def _result(finding: Finding, rule_index: int | None) -> dict[str, Any]:
    message = f"{finding.message} Fix: {finding.fix}" if finding.fix else finding.message
    result: dict[str, Any] = {"ruleId": finding.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result |= {
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": message},
        "locations": [_location(finding.location)],
    }
    if finding.related:
        result["relatedLocations"] = [_location(loc, location_id=i) for i, loc in enumerate(finding.related, start=1)]
    result["partialFingerprints"] = {FINGERPRINT: fingerprint(finding)}
    return result


def _location(location: Location, *, location_id: int | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(location.path, safe="/"), "uriBaseId": SRCROOT}}
    region = _region(location)
    if region:
        physical["region"] = region
    return {"physicalLocation": physical} if location_id is None else {"id": location_id, "physicalLocation": physical}


def _region(location: Location) -> dict[str, int]:
    """Only the fields we know: a line-less finding is about the whole file, and SARIF reads a column
    without a line as a character offset, so neither goes out without a line."""
    if location.line <= 0:
        return {}
    region = {"startLine": location.line}
    if location.column > 0:
        region["startColumn"] = location.column
    if location.end_line and location.end_line >= location.line:
        region["endLine"] = location.end_line
    return region


def _root_location(root: str) -> dict[str, Any]:
    """SARIF needs an absolute URI for the base; a relative root is only described, because resolving it
    would make the report depend on the directory it was rendered in."""
    path = Path(root)
    if path.is_absolute():
        return {"uri": path.as_uri().rstrip("/") + "/"}
    return {"description": {"text": f"The reviewed root: {root}"}}
