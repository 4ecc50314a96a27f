import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import apis, by_path, path_key, path_location, segments

# Files whose names are fixed by a convention outside the API: they are documents, not representations.
WELL_KNOWN = frozenset({
    "openapi.json", "openapi.yaml", "openapi.yml", "swagger.json", "swagger.yaml", "robots.txt", "sitemap.xml",
    "favicon.ico", "security.txt", "humans.txt", "manifest.json", "ads.txt", "apple-app-site-association",
})
EXTENSIONS = ("json", "xml", "yaml", "yml", "csv", "html", "htm", "txt", "php", "asp", "aspx", "jsp", "cgi")


@rule("API004", "file-extension-in-path", severity="warning")
def file_extension_in_path(model: SystemModel, *, extensions: tuple[str, ...] = EXTENSIONS) -> Iterator[Finding]:
    """A path that ends in a file extension: `/orders.json`, `/orders/{id}.xml`.

    ## Why is this bad?
    The URL names the resource; which representation the client gets is content negotiation's business
    (`Accept: application/json`). An extension freezes one format (or a server technology, `.php`) into
    every URL, so adding a format adds URLs, and retiring one breaks links. Well-known documents whose
    names are fixed elsewhere (`/openapi.json`, `/robots.txt`) are not resources and pass. `extensions`
    lists the extensions judged.

    ## Example
    ```yaml
    paths:
      /orders/{id}.json:
        get: {responses: {"200": {description: The order}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{id}:
        get: {responses: {"200": {description: The order, content: {application/json: {}}}}}
    ```

    ## References
    - RFC 9110 §12 (content negotiation).
    """
    pattern = re.compile(r"\.(" + "|".join(re.escape(e) for e in extensions) + r")$", re.IGNORECASE)
    for api in apis(model):
        for path, operations in by_path(api).items():
            last = (segments(path) or [""])[-1]
            found = pattern.search(last)
            if found is None or last.lower() in WELL_KNOWN:
                continue
            op, bare = operations[0], path.rstrip("/")[: -len(found.group())]
            yield Finding(
                op,
                f"{op.method} {path}: the path ends in the file extension '{found.group()}'",
                fix=f"drop the extension ({bare}) and let the Accept header choose the format",
                location=path_location(op),
                key=path_key(op, path),
            )
