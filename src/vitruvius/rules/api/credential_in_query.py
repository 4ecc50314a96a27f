from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import api_operations, label, place_key, squash

CREDENTIALS = frozenset({
    "password", "passwd", "pwd", "secret", "clientsecret", "apikey", "apitoken", "accesstoken", "refreshtoken",
    "idtoken", "token", "authtoken", "auth", "authorization", "sessionid", "session", "jwt", "bearer", "privatekey",
})


@rule("API035", "credential-in-query", severity="warning")
def credential_in_query(model: SystemModel) -> Iterator[Finding]:
    """A credential in the query string: a parameter named like a token or password, or an API key `in: query`.

    ## Why is this bad?
    URLs are logged everywhere: access logs of every proxy and load balancer, browser history, the
    `Referer` header sent to third parties, analytics, crash reports. A token in the query string ends up
    in all of them, readable by everyone with access to any of those logs, and it outlives its session
    there. Headers (`Authorization`, an API-key header) are not logged by default.

    ## Example
    ```yaml
    components:
      securitySchemes:
        key: {type: apiKey, in: query, name: api_key}
    ```

    Use instead:
    ```yaml
    components:
      securitySchemes:
        key: {type: apiKey, in: header, name: X-API-Key}
    ```

    ## Known problems
    Pre-signed URLs carry a signature in the query on purpose (short-lived, scoped); it is not named
    like a credential here and passes.

    ## References
    - OWASP API Security Top 10, API2:2023; OWASP ASVS 8.3.1 (sensitive data in the URL); RFC 6750 §5.3.
    """
    reported: set[str] = set()
    for document in model.api_documents:
        for scheme in document.security_schemes:
            if scheme.type == "apiKey" and scheme.where == "query":
                yield Finding(
                    scheme,
                    f"{document.path}: the API key scheme '{scheme.name}' travels in the query parameter '{scheme.parameter}'",
                    fix="send the key in a header (in: header, name: X-API-Key) or as Authorization: Bearer",
                    key=f"scheme:{document.path}:{scheme.name}",
                )
    for op in api_operations(model):
        for parameter in op.parameters:
            if parameter.where != "query" or squash(parameter.name) not in CREDENTIALS:
                continue
            shared = parameter.location is not None and parameter.location.pointer is not None
            key = place_key(parameter.location) if shared else f"{op.key}?{parameter.name}"
            if key not in reported:
                reported.add(key)
                yield Finding(
                    parameter if parameter.location else op,
                    f"{label(op)} takes the credential '{parameter.name}' in the query string, where logs keep it",
                    fix=f"take '{parameter.name}' in a header (Authorization, or a named header) or in the body of a POST",
                    key=key,
                )
