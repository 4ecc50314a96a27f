from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import by_path, documented, label, words

UPDATE_VERBS = frozenset({"update", "modify", "edit", "change", "patch"})


@rule("API008", "put-for-partial-update", severity="warning")
def put_for_partial_update(model: SystemModel) -> Iterator[Finding]:
    """A PUT described as an update whose body makes every field optional, on a path with no PATCH.

    ## Why is this bad?
    PUT replaces the target's whole state with the body (RFC 9110): a field left out is reset, not kept.
    An "Update …" PUT whose fields are all optional is a partial update in disguise, and the two meanings
    collide in every client: one sends only the changed fields and expects the rest kept, a proxy or a
    retry library treats the request as a full replacement, and a later server that implements PUT
    correctly erases data. PATCH (with JSON Merge Patch, RFC 7396) says what is meant.

    Reported when a documented PUT's summary or operationId starts with update, modify, edit or change
    (not "create or update", not "set"), its JSON body has at least two properties and requires none, and
    the same path has no PATCH.

    ## Example
    ```yaml
    paths:
      /orders/{id}:
        put:
          summary: Update an order
          requestBody:
            content:
              application/json:
                schema: {type: object, properties: {note: {type: string}, due: {type: string}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{id}:
        patch:
          summary: Update an order
          requestBody:
            content:
              application/merge-patch+json:
                schema: {type: object, properties: {note: {type: string}, due: {type: string}}}
    ```
    or keep PUT and require the full representation.

    ## References
    - RFC 9110 §9.3.4 (PUT); RFC 5789 (PATCH); RFC 7396 (JSON Merge Patch).
    """
    for path, operations in by_path(documented(model)).items():
        if any(op.method.upper() == "PATCH" for op in operations):
            continue
        for op in operations:
            body = op.request_body.schema if op.method.upper() == "PUT" and op.request_body else None
            said = words(op.summary) or words((op.operation_id or "").rsplit("/", 1)[-1])
            if body is None or len(body.properties) < 2 or body.required or not said or said[0] not in UPDATE_VERBS:
                continue
            yield Finding(
                op,
                f"{label(op)} is an update whose {len(body.properties)} body fields are all optional: a partial update as PUT",
                fix=f"make it PATCH {path} (application/merge-patch+json), or keep PUT and require the representation's fields",
            )
