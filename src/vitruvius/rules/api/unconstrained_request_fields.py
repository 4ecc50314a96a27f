from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Schema, SystemModel
from .common import documented, label, words

# String formats that bound a string's length and shape by themselves; `binary` is an upload, bounded by the request size.
BOUNDED = frozenset({"date", "date-time", "time", "duration", "uuid", "ipv4", "ipv6", "email", "hostname", "binary"})


@rule("API025", "unconstrained-request-fields", severity="warning")
def unconstrained_request_fields(model: SystemModel, *, listed: int = 5) -> Iterator[Finding]:
    """A request body with strings that have no `maxLength` and numbers that have no bounds.

    ## Why is this bad?
    The schema is the first line of validation, and the only one clients can see. A `name` without
    `maxLength` accepts a 50 MB string that the database column (varchar(100)) rejects later with a 500, or
    that fills logs, caches and search indexes; a `quantity` without `minimum` accepts -5 and ships a refund.
    Bounds in the contract are enforced by the validating middleware, show up in generated clients and
    forms, and document what the storage really allows.

    A string passes with `maxLength`, `enum`, `pattern` or a format that bounds it (`date-time`, `uuid`,
    `email`…); a number with `minimum` or `maximum` (or `enum`), or when it is an identifier (`customer_id`),
    which the lookup bounds. Fields are looked at in the body and one
    level down (nested objects, array items). One finding per operation, naming up to `listed` fields.

    ## Example
    ```yaml
    requestBody:
      content:
        application/json:
          schema:
            properties: {name: {type: string}, quantity: {type: integer}}
    ```

    Use instead:
    ```yaml
    requestBody:
      content:
        application/json:
          schema:
            properties:
              name: {type: string, maxLength: 100}
              quantity: {type: integer, minimum: 1, maximum: 1000}
    ```

    ## References
    - OWASP API Security Top 10, API4:2023 (unrestricted resource consumption); OWASP ASVS 5.1.4; the
      OWASP ruleset for Spectral (`owasp:api4:2019-string-limit`, `…-integer-limit`).
    """
    for op in documented(model):
        schema = op.request_body.schema if op.request_body else None
        loose = list(_unbounded(schema, "")) if schema is not None else []
        if loose:
            names = ", ".join(loose[:listed]) + (f" and {len(loose) - listed} more" if len(loose) > listed else "")
            yield Finding(
                op,
                f"{label(op)}: {len(loose)} request field{'s' if len(loose) > 1 else ''} without bounds: {names}",
                fix="give each string a maxLength (the storage's size) or an enum, pattern or format; each number a minimum and maximum",
            )


def _unbounded(schema: Schema, path: str) -> Iterator[str]:
    if schema.enum:
        return
    # A body that is one string or number (text/plain) is bounded by the request size limit, not by its schema.
    if path and schema.type == "string" and schema.max_length is None and schema.pattern is None and schema.format not in BOUNDED:
        yield f"{path} (string)"
    elif path and schema.type in ("integer", "number") and schema.minimum is None and schema.maximum is None and not _an_id(path):
        yield f"{path} ({schema.type})"
    for name, prop in schema.properties:
        yield from _unbounded(prop, f"{path}.{name}" if path else name)
    if schema.items is not None:
        yield from _unbounded(schema.items, f"{path}[]" if path else "[]")


def _an_id(path: str) -> bool:
    """A numeric identifier (`customer_id`, `repository_ids[]`) is bounded by the lookup that resolves it."""
    last = path.rsplit(".", 1)[-1].rstrip("[]")
    return (words(last) or [""])[-1] in ("id", "ids")
