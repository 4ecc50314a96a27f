from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import documented, label, shaped

# Statuses that carry content by definition; 202 may have none, 204/205/304 must have none.
WITH_CONTENT = ("200", "201", "203", "206")


@rule("API031", "response-without-schema", severity="warning")
def response_without_schema(model: SystemModel) -> Iterator[Finding]:
    """A success response that carries content but declares no schema for it, or declares no content at all.

    ## Why is this bad?
    The response schema is most of the contract: without it generated clients return an untyped blob,
    validators and contract tests have nothing to check, and nobody notices when the server changes the
    shape. An empty schema (`{}`, which FastAPI writes for a route without a response model) says as little;
    `oneOf`/`anyOf` alternatives do say something and pass. A 200 that declares no content at all leaves open
    whether there is any; an empty success is a 204. HEAD responses and DELETEs (see delete-without-204) are
    not judged.

    ## Example
    ```yaml
    paths:
      /orders/{id}:
        get:
          responses:
            "200": {description: The order, content: {application/json: {}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{id}:
        get:
          responses:
            "200":
              description: The order
              content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
    ```

    ## References
    - Redocly `operation-2xx-response` asks for a 2xx; this rule asks that it say what it returns.
    """
    for op in documented(model):
        if op.method.upper() in ("HEAD", "DELETE"):
            continue
        for response in op.responses:
            if response.status in WITH_CONTENT and not shaped(response.schema):
                media = ", ".join(response.content_types)
                what = f"declares {media} without a schema (or an empty one)" if media else "declares no content"
                yield Finding(
                    op,
                    f"{label(op)}: its {response.status} response {what}",
                    fix="declare the schema of the content (a component), or answer 204 No Content if there is none",
                )
                break
