from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import documented, has_body, label

FIX = "answer 204 No Content, or 200 with the deleted resource"


@rule("API011", "delete-without-204", severity="warning")
def delete_without_204(model: SystemModel) -> Iterator[Finding]:
    """A DELETE that answers 200 with no content, or 201 Created.

    ## Why is this bad?
    A DELETE that has nothing to say answers 204 No Content; 200 promises a body (the deleted resource or a
    status report), so clients wait for content and generated SDKs type a response that never comes. A 201
    after a deletion says something was created. A DELETE that returns the deleted resource with 200 is
    sound and passes, as does 202 for a deletion that finishes later.

    ## Example
    ```yaml
    paths:
      /orders/{id}:
        delete:
          responses:
            "200": {description: Deleted}
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{id}:
        delete:
          responses:
            "204": {description: Deleted}
    ```

    ## References
    - RFC 9110 §9.3.5 (DELETE) and §15.3.5 (204 No Content).
    """
    for op in documented(model):
        if op.method.upper() != "DELETE":
            continue
        empty = op.response("200")
        if empty is not None and not has_body(empty):
            yield Finding(op, f"{label(op)} answers 200 with no content", fix=FIX)
        elif op.response("201") is not None:
            yield Finding(op, f"{label(op)} answers 201 Created to a deletion", fix=FIX)
