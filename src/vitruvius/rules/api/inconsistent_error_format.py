from collections.abc import Iterator
from typing import Literal

from ...findings import Finding, rule
from ...model import SystemModel
from .common import apis, convention, error_schemas, label, place_key, property_names

# Where an error body puts its human-readable explanation, in order of preference for a tie.
MESSAGE_FIELDS = ("detail", "message", "error", "title", "errordescription", "errors", "msg", "reason", "description")
MessageField = Literal["auto", "detail", "message", "error", "title", "errordescription", "errors", "msg", "reason", "description"]


@rule("API018", "inconsistent-error-format", severity="info")
def inconsistent_error_format(model: SystemModel, *, message_field: MessageField = "auto") -> Iterator[Finding]:
    """An error body that puts its explanation in another field than the API's other errors.

    ## Why is this bad?
    A client handles errors in one place: it reads the status, then the field that explains what went
    wrong. When most errors say `{"message": …}` and some say `{"error": …}` or `{"detail": …}`, the
    shared handler shows an empty message or crashes exactly on the rare errors, which are the ones that
    need explaining.

    Each distinct error schema (4xx/5xx body) is judged by the field that carries its explanation.
    `message_field` sets the API's convention (`detail`, `message`, `error`…); with `auto` (the default)
    it is the field that most operations' error bodies carry (names compare without case or separators).
    Each schema is reported once, with the number of operations that use it.

    ## Example
    ```yaml
    components:
      schemas:
        Error: {properties: {message: {type: string}}}
        ValidationError: {properties: {error: {type: string}, fields: {type: object}}}
    ```

    Use instead:
    ```yaml
    components:
      schemas:
        Error: {properties: {message: {type: string}}}
        ValidationError: {properties: {message: {type: string}, fields: {type: object}}}
    ```

    ## References
    - Zalando RESTful API guidelines, rule 176 (problem JSON); Microsoft REST API guidelines (one error shape).
    """
    for api in apis(model):
        schemas = error_schemas(op for op in api if op.origin == "openapi")
        carried = {key: property_names(schema) & set(MESSAGE_FIELDS) for key, (schema, _, _) in schemas.items()}
        weighted = [field for key, (_, _, ops) in schemas.items() for field in carried[key] for _ in ops]
        chosen = convention(message_field, weighted, MESSAGE_FIELDS, "message_field")
        for key, (schema, _, ops) in schemas.items():
            if chosen is None or not carried[key] or chosen in carried[key]:
                continue
            name = schema.ref or "an inline error schema"
            yield Finding(
                schema,
                f"{label(ops[0])}: {name} explains errors in '{', '.join(sorted(carried[key]))}', the API's errors in '{chosen}' "
                f"({len(ops)} operation{'s' if len(ops) > 1 else ''} use it)",
                fix=f"carry the explanation in '{chosen}' as the API's other error bodies do (or use one shared error schema)",
                key=f"error-schema:{place_key(schema.location)}",
            )

