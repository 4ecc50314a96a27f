from collections.abc import Iterator
from typing import Literal

from ...findings import Finding, rule
from ...model import SystemModel
from .common import apis, by_path, convention, path_key, path_location

STYLES = ("never", "always")


@rule("API005", "inconsistent-trailing-slash", severity="warning")
def inconsistent_trailing_slash(model: SystemModel, *, trailing_slash: Literal["auto", "never", "always"] = "auto") -> Iterator[Finding]:
    """A path whose trailing slash differs from the API's convention: `/orders/` among `/customers`.

    ## Why is this bad?
    `/orders` and `/orders/` are different URLs. Frameworks answer the other spelling with a redirect (which
    turns a POST into a GET in many clients and loses its body), a 404 or a second route, and caches and
    rate limiters count them apart. An API should spell every path the same way.

    `trailing_slash` sets the convention: `never` or `always`. With `auto` (the default) it is what most of
    the API's paths do (ties go to `never`). The root path `/` is left alone.

    ## Example
    ```yaml
    paths:
      /customers: {get: {responses: {"200": {description: OK}}}}
      /invoices: {get: {responses: {"200": {description: OK}}}}
      /orders/: {get: {responses: {"200": {description: OK}}}}
    ```

    Use instead:
    ```yaml
    paths:
      /customers: {get: {responses: {"200": {description: OK}}}}
      /invoices: {get: {responses: {"200": {description: OK}}}}
      /orders: {get: {responses: {"200": {description: OK}}}}
    ```

    ## References
    - Spectral `path-keys-no-trailing-slash` (which knows only `never`); Redocly `no-path-trailing-slash`; Zalando
      RESTful API guidelines, rule 136.
    """
    for api in apis(model):
        paths = {path: ops for path, ops in by_path(api).items() if path.rstrip("/")}
        chosen = convention(trailing_slash, ("always" if p.endswith("/") else "never" for p in paths), STYLES, "trailing_slash")
        for path, operations in paths.items():
            if chosen is None or path.endswith("/") == (chosen == "always"):
                continue
            op = operations[0]
            spelled = path + "/" if chosen == "always" else path.rstrip("/")
            yield Finding(
                op,
                f"{op.method} {path}: the path {'lacks' if chosen == 'always' else 'has'} a trailing slash; the API's is '{chosen}'",
                fix=f"spell it {spelled} (and redirect the old spelling with 308, which keeps the method and body)",
                location=path_location(op),
                key=path_key(op, path),
            )
