from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import VERSION_STYLES, VersionStyle, apis, convention, document_of, label, operational, version_styles, versioned_server


@rule("API021", "mixed-versioning", severity="warning")
def mixed_versioning(model: SystemModel, *, style: VersionStyle = "auto") -> Iterator[Finding]:
    """An operation versioned in another way than the rest of its API: `/v1/orders` beside a version header.

    ## Why is this bad?
    Two versioning mechanisms in one API mean two rules for clients, gateways and routing: which version
    does `GET /v1/orders` with `Api-Version: 2` get? An operation that stays out of a path-versioned API
    (`/orders` among `/v1/...`) cannot evolve with it, and moving it later breaks its clients.

    `style` sets the convention: `path`, `header`, `query` or `media-type`; with `auto` (the default) it is
    the style most versioned operations use. Reported: an operation versioned in another style, one that
    carries two styles at once, and, when the convention is `path` and most operations follow it, one
    with no version in its path (operational endpoints such as `/health` excepted). A code route is judged
    by its path and the parameters its reader sees; a header read elsewhere is not known and not held against it.

    ## Example
    ```yaml
    paths:
      /v1/orders: {get: {responses: {"200": {description: OK}}}}
      /v1/customers: {get: {responses: {"200": {description: OK}}}}
      /invoices: {get: {responses: {"200": {description: OK}}}}
    ```

    Use instead:
    ```yaml
    paths:
      /v1/orders: {get: {responses: {"200": {description: OK}}}}
      /v1/customers: {get: {responses: {"200": {description: OK}}}}
      /v1/invoices: {get: {responses: {"200": {description: OK}}}}
    ```
    """
    for api in apis(model):
        server = versioned_server(document_of(model, api[0]))
        judged = [(op, version_styles(op, server)) for op in api if not operational(op)]
        chosen = convention(style, (s for _, styles in judged for s in styles), VERSION_STYLES, "style")
        if chosen is None:
            continue
        following = sum(1 for _, styles in judged if chosen in styles)
        for op, styles in judged:
            named = " and ".join(sorted(styles))
            if styles and chosen not in styles:
                why, fix = f"is versioned by {named}, the API by {chosen}", f"version it by {chosen} as the rest of the API"
            elif len(styles) > 1:
                why, fix = f"carries a version twice ({named})", f"keep only the {chosen} version"
            elif not styles and chosen == "path" and (style == "path" or following * 2 > len(judged)):
                why, fix = "has no version in its path, unlike the API's other paths", "move it under the API's version prefix (/v1…)"
            else:
                continue
            yield Finding(op, f"{label(op)} {why}", fix=fix)
