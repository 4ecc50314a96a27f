from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import documented, label, shaped, successes


@rule("API026", "missing-examples", severity="info")
def missing_examples(model: SystemModel) -> Iterator[Finding]:
    """A documented operation whose JSON request body or success response has no example.

    ## Why is this bad?
    Examples are what people read first and what mock servers, API consoles, contract tests and SDK docs
    are built from. A schema alone says which fields exist, not what a realistic order looks like
    (which ids, which formats, which fields usually come together), so integrators guess and the first
    real request fails. Contract-first teams write the example with the schema.

    An example counts wherever OpenAPI allows it: on the media type (`example`, `examples`), or on the
    schema or a component it names. One finding per operation.

    ## Example
    ```yaml
    responses:
      "200":
        content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
    ```

    Use instead:
    ```yaml
    responses:
      "200":
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Order"}
            example: {id: ord_8f2k, status: open, total: {amount: 1999, currency: EUR}}
    ```

    ## References
    - Zalando RESTful API guidelines (API first). Spectral's `oas3-valid-media-example` validates the examples that exist;
      this rule asks for them to exist and validates none (see the pack's notes).
    """
    for op in documented(model):
        lacking = []
        body = op.request_body
        if body is not None and shaped(body.schema) and _json(body.content_types) and not body.has_example:
            lacking.append("request body")
        lacking += [f"{r.status} response" for r in successes(op) if shaped(r.schema) and _json(r.content_types) and not r.has_example]
        if lacking:
            yield Finding(
                op,
                f"{label(op)}: no example for its {' or '.join(lacking)}",
                fix="add an example (or named examples) beside the schema of each, with realistic values",
            )


def _json(content_types: tuple[str, ...]) -> bool:
    return any(c.split(";")[0].strip().lower().endswith(("/json", "+json")) for c in content_types)
