from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Operation, SystemModel
from .common import api_operations, label, statuses, words

READ_VERBS = frozenset({"get", "list", "fetch", "retrieve", "read", "find", "search", "query", "lookup", "show", "view"})


@rule("API007", "post-for-read", severity="info")
def post_for_read(model: SystemModel) -> Iterator[Finding]:
    """A POST whose summary, operationId or handler says it reads: `POST /orders/list` "List orders".

    ## Why is this bad?
    POST is neither safe nor idempotent: caches will not store its answer, clients and proxies will not
    retry it after a network error, prefetchers and crawlers stay away, and the request cannot be
    bookmarked or linked. A read sent as POST gives all of that up and tells readers of the API that it
    changes something.

    An operation counts as a read when the first word of its summary, operationId or handler is a reading
    verb (get, list, fetch, search…) and it answers 200 without 201, 202 or 204.

    ## Example
    ```yaml
    paths:
      /orders/list:
        post:
          summary: List orders of a customer
          responses: {"200": {description: The orders}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders:
        get:
          summary: List orders of a customer
          parameters: [{name: customer_id, in: query, schema: {type: string}}]
          responses: {"200": {description: The orders}}
    ```

    ## Known problems
    A read whose criteria are too large for a URL (a thousand ids) is a fair reason for POST; say so by
    making it a resource (`POST /orders/searches`, answered 201 with the search's results) or suppress
    the finding there.
    """
    for op in api_operations(model):
        if op.method.upper() != "POST" or "200" not in statuses(op) or statuses(op) & {"201", "202", "204"}:
            continue
        verb = _reading_verb(op)
        if verb:
            yield Finding(
                op,
                f"{label(op)} reads ('{verb}…') but is a POST, so it is never cached and never retried",
                fix="make it a GET with query parameters; if the criteria cannot fit in a URL, POST a search resource (…/searches → 201)",
            )


def _reading_verb(op: Operation) -> str | None:
    for name in (op.summary, (op.operation_id or "").rsplit("/", 1)[-1], (op.handler or "").rsplit(".", 1)[-1]):
        first = (words(name) or [""])[0]
        if first in READ_VERBS:
            return first
    return None
