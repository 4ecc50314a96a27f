from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .code_contract import contract, describe, normal


@rule("API104", "status-mismatch-with-openapi", severity="warning")
def status_mismatch_with_openapi(model: SystemModel) -> Iterator[Finding]:
    """An operation whose declared status codes are missing from its OpenAPI description.

    ## Why is this bad?
    Clients generated from the document treat an undocumented status as an error, or cannot read its body: a
    route that answers `201 Created` where the document promises `200 OK` breaks strict clients, and an error the
    route declares (`responses={409: ...}`) but the document omits is never handled on the other side.

    Compared for each operation the code and the document both have, using the statuses the code declares
    (FastAPI `status_code=` and `responses=`, DRF's standard actions); a document's `default` or `2XX`-style range
    covers every status of its class.

    ## Example
    ```python
    @router.post("/orders", status_code=201)     # the document lists only "200" for POST /orders
    def create_order(body: OrderIn): ...
    ```

    Use instead: document `"201"` (a creation's status), or return the status the document promises.

    ## Known problems
    Statuses a handler raises in its body (`raise HTTPException(404)`) are not declared, so they are not compared.
    """
    found = contract(model)
    if not found.exists:
        return
    for code, documented in found.pairs():
        statuses = {r.status.upper() for r in documented.responses}
        if "DEFAULT" in statuses:
            continue
        for response in code.responses:
            status = response.status
            if status in statuses or f"{status[:1]}XX" in statuses:
                continue
            listed = ", ".join(sorted(statuses)) or "no status"
            yield Finding(
                code,
                f"{describe(code)} declares status {status}, which {documented.document} does not list (it has {listed})",
                fix=f"add a \"{status}\" response to {documented.method} {documented.path} in the document, or return a documented status",
                key=f"drift:status:{code.method} {normal(code.path)}:{status}",
            )
