from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import document_of, documented, label


@rule("API023", "undefined-security-scheme", severity="error")
def undefined_security_scheme(model: SystemModel) -> Iterator[Finding]:
    """A security requirement that names a scheme the document does not define.

    ## Why is this bad?
    A requirement is only a name; the scheme under `components/securitySchemes` says what it means. An
    undefined name (often a typo, or a scheme renamed on one side only) leaves gateways, generated clients
    and API consoles without any way to authenticate: depending on the tool the operation is treated as
    public, or the whole document is rejected.

    A global requirement is reported once, at the document; an operation's own requirement at the operation.

    ## Example
    ```yaml
    security: [{bearerAuth: []}]
    components:
      securitySchemes: {bearer: {type: http, scheme: bearer}}
    ```

    Use instead:
    ```yaml
    security: [{bearer: []}]
    components:
      securitySchemes: {bearer: {type: http, scheme: bearer}}
    ```

    ## References
    - Spectral `oas2-operation-security-defined`, `oas3-operation-security-defined`; Redocly `security-defined`.
    """
    for document in model.api_documents:
        defined = {s.name for s in document.security_schemes}
        unknown = [name for name in document.security or () if name not in defined]
        if unknown:
            message = f"{document.path}: the global security requirement names undefined {', '.join(unknown)}"
            yield Finding(document, message, fix=_fix(unknown, defined))
    for op in documented(model):
        document = document_of(model, op)
        if document is None or op.security == document.security:
            continue
        defined = {s.name for s in document.security_schemes}
        unknown = [name for name in op.security or () if name not in defined]
        if unknown:
            yield Finding(op, f"{label(op)} requires the undefined scheme {', '.join(unknown)}", fix=_fix(unknown, defined))


def _fix(unknown: list[str], defined: set[str]) -> str:
    known = f" (defined: {', '.join(sorted(defined))})" if defined else ""
    return f"define {', '.join(unknown)} under components/securitySchemes, or name a defined scheme{known}"
