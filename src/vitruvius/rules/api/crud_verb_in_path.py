from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import CRUD_VERBS, apis, by_path, is_parameter, path_key, path_location, segments, words


@rule("API002", "crud-verb-in-path", severity="warning")
def crud_verb_in_path(model: SystemModel) -> Iterator[Finding]:
    """A path segment that restates the method: `POST /orders/create`, `GET /getOrders`, `POST /members/remove`.

    ## Why is this bad?
    In REST the path names a resource and the method says what to do with it. A verb that repeats the method
    (`get`, `create`, `update`, `delete`…) turns one resource into several RPC endpoints (`/orders/create`,
    `/orders/delete`) that caches, proxies, client generators and people can no longer reason about by method,
    and a `POST …/remove` hides a deletion from everything that treats DELETE specially.

    A segment that is only such a verb is reported whatever the method; a compound one (`getOrders`,
    `update-branch`) when its verb is the method's own (`GET /fetch-report`), so `POST /runners/remove-token`,
    a token for removing a runner, is a noun and passes. Custom actions that no method expresses
    (`POST /runs/{id}/cancel`, `/merge`, `/dispatches`) are sound controller resources and pass too.

    ## Example
    ```yaml
    paths:
      /orders/create:
        post: {responses: {"201": {description: Created}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders:
        post: {responses: {"201": {description: Created}}}
    ```

    ## References
    - Redocly `no-http-verbs-in-paths`; Zalando RESTful API guidelines (keep URLs verb-free); Google AIP-136 (custom
      methods, for the actions no method expresses).
    """
    for api in apis(model):
        for path, operations in by_path(api).items():
            for segment in segments(path):
                parts = words(segment)
                verb = parts[0] if parts and not is_parameter(segment) else ""
                if verb not in CRUD_VERBS:
                    continue
                restating = [op for op in operations if len(parts) == 1 or op.method.upper() in CRUD_VERBS[verb]]
                if restating:
                    op = restating[0]
                    yield Finding(
                        op,
                        f"{op.method} {path}: the segment '{segment}' restates the method with the verb '{verb}'",
                        fix=_fix(verb, path, segment),
                        location=path_location(op),
                        key=path_key(op, path),
                    )
                    break


def _fix(verb: str, path: str, segment: str) -> str:
    """The request said by the method: `POST /orders/create` → `POST /orders`, `POST /members/remove` → `DELETE /members/{id}`."""
    method = CRUD_VERBS[verb][0]
    rest = "-".join(words(segment)[1:])
    at = path.find("/" + segment)
    base = path[:at] if at >= 0 else ""
    target = f"{base}/{rest}" if rest else base or "/"
    if method == "DELETE" and not target.endswith("}"):
        target += "/{id}"
    return f"drop the verb and let the method say it: {method} {target}"
