"""The API pack on real and generated input: GitHub's REST API description, a document over the size bound, and
code routes whose facts are partly unknown.

The GitHub facts below were checked by reading `github-rest-api.json` (octokit/openapi @ 4c6354a6) itself.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from vitruvius.model import Body, Location, Operation, Response, Schema, SystemModel
from vitruvius.readers.files import DEFAULT_MAX_BYTES
from vitruvius.review import review
from vitruvius.rules import all_rules

API_RULES = {code: r for code, r in all_rules().items() if code.startswith("API") and int(code[3:]) < 100}


@pytest.fixture(scope="module")
def github(tmp_path_factory: pytest.TempPathFactory):
    """One review of a folder that holds only GitHub's document, with the default configuration."""
    from .conftest import CORPUS

    source = CORPUS / "openapi" / "github-rest-api.json"
    if not source.is_file():
        pytest.skip(f"needs the shared corpus at {CORPUS} (check out shared/ beside the repository)")
    root = tmp_path_factory.mktemp("github")
    shutil.copy(source, root / source.name)
    return review(root)


def by_code(result, code: str) -> list:
    return [f for f in result.findings if f.code == code]


def test_github_gets_few_findings_per_operation_most_of_them_design(github) -> None:
    operations = len(github.model.operations)
    assert operations == 1223
    assert len(github.findings) / operations <= 5
    counts = Counter(f.code for f in github.findings)
    hygiene = sum(counts[c] for c in ("API026", "API028", "API029", "API031", "API032", "API033"))
    assert hygiene * 10 < len(github.findings), counts
    assert all(f.fix for f in github.findings if f.code.startswith("API"))


def test_github_facts_read_from_the_document(github) -> None:
    # `/orgs/{org}/attestations/{attestation_id}` (DELETE) and `…/{subject_digest}` (GET) are one template, twice.
    assert sorted(f.message.split(":")[0] for f in by_code(github, "API034")) == [
        "GET /orgs/{org}/attestations/{subject_digest}",
        "GET /users/{username}/attestations/{subject_digest}",
    ]
    # Singular collections in front of their items' ids: `/git/ref/{ref}` beside `/git/refs`, `/user/{user_id}`, `/cluster/{cluster}`.
    assert sorted(f.fix.rsplit(": ", 1)[1] for f in by_code(github, "API001")) == [
        "/orgs/{org}/artifacts/metadata/deployment-record/clusters/{cluster}",
        "/repos/{owner}/{repo}/git/refs/{ref}",
        "/users/{user_id}",
    ]
    # No securitySchemes at all: nothing to require or to misspell.
    assert not by_code(github, "API022") and not by_code(github, "API023")
    # 20 DELETEs take a body (`DELETE /user/emails`, …); no GET does.
    bodies = by_code(github, "API006")
    assert len(bodies) == 20 and all(f.message.startswith("DELETE ") for f in bodies)
    # GitHub versions by an `X-GitHub-Api-Version` header that the document never declares.
    assert len(by_code(github, "API020")) == 1
    # Five component schemas that no `$ref` names.
    assert sorted(f.message.split("schemas/")[1].split(" ")[0] for f in by_code(github, "API032")) == [
        "campaign-alert-type", "git-user", "repository-rule-params-restricted-commits", "rule-suite-pull-request",
        "rule-suite-required-status-checks",
    ]
    # The shared `per_page` (no maximum; "max 100" only in its description) is reported once, at the component.
    shared = [f for f in by_code(github, "API016") if f.location.pointer == "/components/parameters/per-page"]
    assert len(shared) == 1 and "shared by" in shared[0].message
    # Paths are mostly kebab-case; `access_tokens` and the other snake_case segments are reported once each.
    assert any("'access_tokens' is snake_case" in f.message for f in by_code(github, "API003"))
    assert not by_code(github, "API029")  # operationIds are unique
    # Two 200s say nothing of their content; `GET /user` answers `oneOf` two schemas, which is a shape.
    assert sorted(f.message.split(":")[0] for f in by_code(github, "API031")) == [
        "POST /orgs/{org}/attestations/delete-request", "POST /users/{username}/attestations/delete-request",
    ]
    # "Verbs" that are actions or nouns (`merge`, `dispatches`, `remove-token`) are not reported; `/memberships/add` is.
    verbs = " ".join(f.message for f in by_code(github, "API002"))
    assert "/memberships/add" in verbs and "/merge" not in verbs and "dispatches" not in verbs and "remove-token" not in verbs


def test_github_json_keeps_one_finding_per_place(github) -> None:
    places = [(f.code, f.key, f.location.line) for f in github.findings]
    assert len(places) == len(set(places))
    assert len(by_code(github, "API012")) > 10  # grouped by the terminal and markdown reports, not here


def test_a_document_over_the_size_bound_is_one_note_and_the_review_goes_on(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    operation = '{"get": {"description": "%s", "responses": {"200": {"description": "OK"}}}}' % ("x" * 1024)
    with huge.open("w") as out:
        out.write('{"openapi": "3.0.3", "info": {"title": "Huge", "version": "1"}, "paths": {')
        out.write(",".join(f'"/items{i}": {operation}' for i in range(52_000)))
        out.write("}}")
    assert huge.stat().st_size > 50 * 1024 * 1024
    (tmp_path / "openapi.yaml").write_text(
        'openapi: 3.0.3\ninfo: {title: Shop, version: "1"}\npaths:\n  /orders/create:\n    post: {responses: {"201": {description: OK}}}\n'
    )
    result = review(tmp_path)
    notes = by_code(result, "VIT001")
    assert len(notes) == 1
    assert notes[0].location.path == "huge.json" and f"{DEFAULT_MAX_BYTES}-byte bound" in notes[0].message
    assert [f.location.path for f in by_code(result, "API002")] == ["openapi.yaml"]


def code_route(method: str, path: str, *statuses: str, body: Body | None = None, **facts) -> Operation:
    """An operation as a code reader gives it: security unknown, only the declared status."""
    return Operation(
        method, path, Location("app/api.py", 10), "code", handler=f"app.api.{method.lower()}_handler",
        request_body=body, responses=tuple(Response(s) for s in statuses), **facts,
    )


def run_api_rules(operations: list[Operation]) -> list:
    model = SystemModel(operations=tuple(operations))
    return [(code, f.message) for code, rule in API_RULES.items() for f in rule.run(model)]


def test_code_routes_are_not_judged_on_what_is_merely_unknown() -> None:
    loose = Body(("application/json",), Schema(type="object", properties=(("note", Schema(type="string")),)))
    routes = [
        code_route("GET", "/orders", "200"),
        code_route("POST", "/orders", "201", body=loose),
        code_route("GET", "/orders/{order_id}", "200"),
        code_route("PATCH", "/orders/{order_id}", "200", body=loose),
        code_route("DELETE", "/orders/{order_id}", "204"),
        code_route("POST", "/orders/{order_id}/cancel", "202"),
        code_route("GET", "/health", "200"),
    ]
    assert run_api_rules(routes) == []
    assert run_api_rules([]) == []


def test_code_routes_are_judged_on_what_they_show() -> None:
    found = run_api_rules([
        code_route("POST", "/orders/create", "201"),
        code_route("GET", "/orders", "200", paginated=False),
        code_route("GET", "/v1/customers", "200"),
        code_route("GET", "/v1/invoices", "200"),
        code_route("GET", "/v1/payments", "200"),
    ])
    assert {code for code, _ in found} == {"API002", "API015", "API021"}
