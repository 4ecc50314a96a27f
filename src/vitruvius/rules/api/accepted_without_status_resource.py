import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Operation, Response, SystemModel
from .common import documented, headers, is_parameter, label, property_names, segments

STATUS_HEADERS = frozenset({"location", "operation-location", "content-location", "azure-asyncoperation"})
LINKS = frozenset({"url", "href", "self", "links", "statusurl", "monitor", "monitorurl", "operationurl", "location"})


@rule("API014", "accepted-without-status-resource", severity="warning")
def accepted_without_status_resource(model: SystemModel) -> Iterator[Finding]:
    """A POST answered 202 Accepted that gives the client nothing to follow the work with.

    ## Why is this bad?
    202 says "started, not finished". Without a status resource the client cannot learn whether the work
    succeeded, failed or is still running: it polls something unrelated, sleeps and hopes, or starts the
    work again. The usual contract is `202` with `Location` (or `Operation-Location`) naming a status
    resource that reports progress and, when done, links the result.

    The status resource is found when the 202 declares such a header, when its body links one (`url`,
    `href`, `self`, `links`, a `…_url` property), or when it returns an id and the API has a GET for one
    item under the path. A POST that acts on an item (`POST /runs/{id}/cancel`) is followed through that
    item and passes; GET, PUT, PATCH and DELETE are followed through their own URL and are not judged.

    ## Example
    ```yaml
    paths:
      /reports:
        post:
          responses:
            "202": {description: The report is being generated}
    ```

    Use instead:
    ```yaml
    paths:
      /reports:
        post:
          responses:
            "202":
              description: The report is being generated
              headers: {Location: {description: "/report-jobs/{id}, polled until done", schema: {type: string}}}
      /report-jobs/{id}:
        get: {responses: {"200": {description: "Status: running, succeeded (with a link to the report) or failed"}}}
    ```

    ## References
    - RFC 9110 §15.3.3 (202 Accepted); Microsoft Azure REST API guidelines (long-running operations).
    """
    operations = documented(model)
    gettable = {(op.document, op.path) for op in operations if op.method.upper() == "GET"}
    for op in operations:
        accepted = op.response("202")
        if op.method.upper() == "POST" and accepted is not None and not _followable(op, accepted, gettable):
            yield Finding(
                op,
                f"{label(op)} answers 202 Accepted but names no status resource to follow the work",
                fix="return a Location (or Operation-Location) header naming a status resource (GET …/{id}) "
                "that reports progress and links the result",
            )


def _followable(op: Operation, accepted: Response, gettable: set[tuple[str | None, str]]) -> bool:
    if headers(accepted) & STATUS_HEADERS:
        return True
    names = property_names(accepted.schema)
    if names & LINKS or any(n.endswith("url") for n in names):
        return True
    one_item = re.compile(re.escape(op.path.rstrip("/")) + r"/\{[^}/]+\}$")
    if any(n.endswith("id") for n in names) and any(d == op.document and one_item.match(p) for d, p in gettable):
        return True
    parts = segments(op.path)  # an action on an item (`POST /runs/{id}/cancel`) is followed through the item
    return len(parts) > 1 and is_parameter(parts[-2]) and (op.document, "/" + "/".join(parts[:-1])) in gettable
