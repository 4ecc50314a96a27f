from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import document_of, documented, is_parameter, label, operational, segments, squash

# Entry points that are public by their nature: one cannot be logged in before logging in.
PUBLIC = frozenset({
    "login", "logout", "signin", "signup", "register", "registration", "token", "oauth", "oauth2", "authorize",
    "callback", "passwordreset", "resetpassword", "forgotpassword", "jwks", "wellknown", "openidconfiguration",
})


@rule("API022", "operation-without-security", severity="warning")
def operation_without_security(model: SystemModel) -> Iterator[Finding]:
    """A documented operation with no security requirement, in a document that defines security schemes.

    ## Why is this bad?
    The document says how clients authenticate, then leaves this operation without a requirement and
    without a global default: either the endpoint really is open to anyone (often by accident: it was added
    after the others and nobody copied the `security` block), or the contract is wrong and every generated
    client calls it anonymously and fails. An intentionally public operation says so with `security: []`,
    which this rule accepts. Entry points that are public by nature (`/login`, `/token`, `/oauth/callback`,
    `/.well-known/…`) and operational endpoints (`/health`) pass.

    Code routes are judged by the code-route rules, which know the auth dependencies of a route.

    ## Example
    ```yaml
    components:
      securitySchemes: {bearer: {type: http, scheme: bearer}}
    paths:
      /orders/{id}:
        delete: {responses: {"204": {description: Deleted}}}
    ```

    Use instead:
    ```yaml
    security: [{bearer: []}]
    components:
      securitySchemes: {bearer: {type: http, scheme: bearer}}
    paths:
      /orders/{id}:
        delete: {responses: {"204": {description: Deleted}}}
      /health:
        get: {security: [], responses: {"200": {description: Up}}}
    ```

    ## Known problems
    Generators that leave public operations without any `security` key (FastAPI does) get a finding for
    each public operation; give them `security: []` (FastAPI: `openapi_extra={"security": []}`).

    ## References
    - OWASP API Security Top 10, API2:2023 (broken authentication), API5:2023 (broken function level
      authorization); Redocly `security-defined`.
    """
    for op in documented(model):
        document = document_of(model, op)
        public = operational(op) or any(squash(s) in PUBLIC for s in segments(op.path) if not is_parameter(s))
        if op.security is None and document is not None and document.security_schemes and not public:
            names = [s.name for s in document.security_schemes]
            yield Finding(
                op,
                f"{label(op)} has no security requirement, though the API defines {', '.join(names)}",
                fix=f"require a scheme (security: [{{{names[0]}: []}}]) here or as the global default; "
                "mark a deliberately public operation with security: []",
            )
