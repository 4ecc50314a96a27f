from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import operational, version_styles, versioned_server


@rule("API020", "missing-versioning", severity="warning")
def missing_versioning(model: SystemModel) -> Iterator[Finding]:
    """An API document whose operations mostly carry no version in any form.

    ## Why is this bad?
    Every API changes incompatibly sooner or later. Without a version in the contract there is no way to
    ship the change beside the old behaviour: every client breaks at once, or the API freezes. The mechanism
    must be visible in the document so that clients (and generated SDKs) send it from day one; a header the
    server reads but the document never mentions is a convention only insiders know.

    Reported once per document when fewer than half of its operations carry a version in any style: a
    `/v1` segment in the path or in every server URL, a version header (`Api-Version`,
    `X-GitHub-Api-Version`), an `api-version` query parameter (Azure) or a versioned media type
    (`application/vnd.acme.v2+json`, `; version=2`). Operational endpoints (`/health`, `/metrics`) need no
    version and are not counted.

    ## Example
    ```yaml
    openapi: 3.0.3
    servers: [{url: "https://api.example.com"}]
    paths:
      /orders: {get: {responses: {"200": {description: OK}}}}
    ```

    Use instead:
    ```yaml
    openapi: 3.0.3
    servers: [{url: "https://api.example.com/v1"}]
    paths:
      /orders: {get: {responses: {"200": {description: OK}}}}
    ```
    (or a required `Api-Version` header parameter on every operation, as the team's convention says).

    ## References
    - IBM API Handbook (version in the path); Microsoft Azure (api-version query parameter); Stripe and
      GitHub (a version header); Zalando RESTful API guidelines (media-type versioning; rule 115, no URL versioning).
    """
    for document in model.api_documents:
        server = versioned_server(document)
        operations = [op for op in model.operations if op.document == document.path and not operational(op)]
        versioned = sum(1 for op in operations if version_styles(op, server))
        if operations and versioned * 2 < len(operations):
            yield Finding(
                document,
                f"{document.path}: {len(operations) - versioned} of {len(operations)} operations carry no API version "
                "(in the path, the server URL, a header, a query parameter or the media type)",
                fix="choose one versioning style and declare it: a /v1 base path in servers, or a required version header "
                "parameter (a shared component) on every operation",
            )
