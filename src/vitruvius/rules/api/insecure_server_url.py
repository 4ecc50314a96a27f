from collections.abc import Iterator
from urllib.parse import urlsplit

from ...findings import Finding, rule
from ...model import Location, SystemModel

LOCAL = ("localhost", "127.0.0.1", "0.0.0.0", "[::1]", "host.docker.internal")


@rule("API036", "insecure-server-url", severity="warning")
def insecure_server_url(model: SystemModel) -> Iterator[Finding]:
    """A server URL in the document that uses plain `http://` for a host other than the local machine.

    ## Why is this bad?
    Every request to that server, with its credentials and data, crosses the network readable and
    changeable by anyone on the path. Clients generated from the document use the URL as given, so a
    single `http://` entry is enough to send real tokens in the clear. A local development server
    (`localhost`, `127.0.0.1`) is fine and passes.

    ## Example
    ```yaml
    servers: [{url: "http://api.example.com/v1"}]
    ```

    Use instead:
    ```yaml
    servers: [{url: "https://api.example.com/v1"}]
    ```

    ## References
    - OWASP API Security Top 10, API8:2023 (security misconfiguration); RFC 6797 (HSTS).
    """
    for document in model.api_documents:
        for index, url in enumerate(document.servers):
            host = urlsplit(url).hostname or ""
            if url.lower().startswith("http://") and not host.startswith(LOCAL) and f"[{host}]" not in LOCAL and "{" not in url:
                # OpenAPI 3 lists servers; Swagger 2 spells the URL out of `schemes` and `host`.
                where = Location(document.path, 0, pointer=f"/servers/{index}" if document.version.startswith("3") else "/host")
                yield Finding(
                    document,
                    f"{document.path}: the server {url} is plain HTTP",
                    fix=f"serve it over TLS and list it as {'https://' + url[len('http://'):]}",
                    location=where,
                    key=f"server:{document.path}:{url}",
                )
