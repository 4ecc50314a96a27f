from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import collection_items, documented, headers, label


@rule("API010", "created-without-location", severity="warning")
def created_without_location(model: SystemModel) -> Iterator[Finding]:
    """A POST that answers 201 Created without a `Location` header naming the new resource.

    ## Why is this bad?
    A 201 without `Location` says, by RFC 9110, that the created resource is the request's target: for a
    POST to `/orders` that is the collection, which is wrong. Clients then dig an id out of the body and
    build the URL themselves, which couples them to the URL scheme and breaks when it changes. A PUT
    creates the resource at its own URL, so PUT is not judged, nor is a 201 that answers with a list
    (several resources, which no single Location names); code routes are not judged either, since their
    response headers are not known.

    ## Example
    ```yaml
    paths:
      /orders:
        post:
          responses:
            "201": {description: The order}
    ```

    Use instead:
    ```yaml
    paths:
      /orders:
        post:
          responses:
            "201":
              description: The order
              headers:
                Location: {description: URL of the new order, schema: {type: string, format: uri}}
    ```

    ## Known problems
    Many APIs return the new resource's URL in the body (`url`, `self`) instead; that serves clients that
    read the body, but the header is what generic clients and RFC 9110 expect.

    ## References
    - RFC 9110 §10.2.2 (Location) and §15.3.2 (201 Created).
    """
    for op in documented(model):
        created = op.response("201")
        if op.method.upper() != "POST" or created is None or "location" in headers(created):
            continue
        if collection_items(created.schema) is None:  # a list answers several creations, which no one Location names
            yield Finding(
                op,
                f"{label(op)} answers 201 Created without a Location header",
                fix="declare a Location header on the 201 response, set to the new resource's URL",
            )
