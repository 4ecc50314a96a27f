from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Operation, Schema, SystemModel
from .common import apis, error_schemas, label, place_key, property_names

MEMBERS = frozenset({"type", "title", "status", "detail", "instance"})


@rule("API019", "error-not-problem-details", severity="info")
def error_not_problem_details(model: SystemModel, *, require_media_type: bool = False) -> Iterator[Finding]:
    """An error body that is not RFC 9457 problem details (`type`, `title`, `status`, `detail`, `instance`).

    ## Why is this bad?
    Problem details are the IETF's standard error format: one shape that generic clients, gateways,
    API consoles and libraries (Spring, ASP.NET Core, FastAPI add-ons) already understand, with a `type`
    URI that names the error class for code and a `detail` for people. A home-grown shape costs every
    client a custom parser and keeps errors out of standard tooling.

    A schema counts as problem details when its media type is `application/problem+json` or it declares
    `title` or `type` together with another member; with `require_media_type` the media type is required
    too. When no error of the API is problem details, one finding says so, at the error schema most
    operations use; otherwise each error schema that differs is reported.

    ## Example
    ```yaml
    components:
      schemas:
        Error: {properties: {code: {type: integer}, message: {type: string}}}
    ```

    Use instead:
    ```yaml
    components:
      schemas:
        Problem:
          properties:
            type: {type: string, format: uri}
            title: {type: string}
            status: {type: integer}
            detail: {type: string}
            instance: {type: string, format: uri}
    ```
    served as `application/problem+json`.

    ## Known problems
    Teams with an established error format of their own can switch the rule off
    (`ignore = ["API019"]`); inconsistent-error-format still checks that the format is used throughout.

    ## References
    - RFC 9457 (Problem Details for HTTP APIs), which obsoletes RFC 7807; Zalando RESTful API guidelines, rule 176.
    """
    for api in apis(model):
        schemas = list(error_schemas(op for op in api if op.origin == "openapi").values())
        # A body of no declared shape says nothing either way, unless its media type says problem details.
        judged = [(s, ops, _conforms(s, media, require_media_type)) for s, media, ops in schemas if s.properties or "problem+" in media]
        others = sorted(((s, ops) for s, ops, ok in judged if not ok), key=lambda entry: -len(entry[1]))
        if not others:
            continue
        if not any(ok for _, _, ok in judged):
            # No error of the API is problem details: one convention to change, one finding where most errors come from.
            schema, ops = others[0]
            named = [s.ref for s, _ in others if s.ref][:3]
            names = ", ".join(named) + (f" and {len(others) - len(named)} more" if len(others) > len(named) else "")
            count = len({id(op) for _, users in others for op in users})
            yield _finding(schema, ops, f"the API's error bodies ({names}; {count} operations) are not RFC 9457 problem details")
            continue
        for schema, ops in others:
            name = schema.ref or "an inline error schema"
            yield _finding(schema, ops, f"{name} is not RFC 9457 problem details, unlike the API's other errors")


def _conforms(schema: Schema, media: str, require_media_type: bool) -> bool:
    members = property_names(schema) & MEMBERS
    shaped = bool(members & {"title", "type"}) and len(members) >= 2
    return "problem+" in media or (shaped and not require_media_type)


def _finding(schema: Schema, operations: list[Operation], what: str) -> Finding:
    return Finding(
        schema,
        f"{label(operations[0])}: {what}",
        fix="answer errors as application/problem+json with type, title, status and detail (extension members keep today's fields)",
        key=f"error-schema:{place_key(schema.location)}",
    )
