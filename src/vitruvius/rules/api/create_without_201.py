from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import apis, by_path, collection_items, head_noun, is_parameter, is_plural, label, lists_resources, segments, successes


@rule("API009", "create-without-201", severity="warning")
def create_without_201(model: SystemModel) -> Iterator[Finding]:
    """A POST that creates an item in a collection but answers 200 instead of 201 Created.

    ## Why is this bad?
    201 tells the client, every proxy and every log that a new resource exists, and pairs with `Location`
    to say where; 200 says "here is a result". Clients written against the status (retry logic, SDKs that
    return the created object, monitoring that counts creations) cannot tell a creation from a no-op or an
    action, and the API reads inconsistently where other creations answer 201.

    A POST counts as a creation when its path is a plural collection (`/orders`, `/orders/{id}/items`) whose
    GET lists objects, and it answers something other than the list: a POST that returns the collection back
    (adding labels to a set) or that answers 202 or 204 is not judged, nor is a code route whose list
    response is not known.

    ## Example
    ```yaml
    paths:
      /orders:
        get: {responses: {"200": {content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Order"}}}}}}}
        post: {responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders:
        get: {responses: {"200": {content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Order"}}}}}}}
        post:
          responses:
            "201":
              headers: {Location: {schema: {type: string, format: uri}}}
              content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
    ```

    ## References
    - RFC 9110 §9.3.3 (POST) and §15.3.2 (201 Created); Zalando RESTful API guidelines, rule 150 (use specific
      HTTP status codes).
    """
    for api in apis(model):
        for path, operations in by_path(api).items():
            last = (segments(path) or [""])[-1]
            if is_parameter(last) or not is_plural(head_noun(last)) or not any(lists_resources(o) for o in operations):
                continue
            for op in operations:
                ok = op.response("200")
                if op.method.upper() != "POST" or ok is None or len(successes(op)) > 1:
                    continue
                if collection_items(ok.schema) is not None:
                    continue  # it answers with the collection: an addition to a set, not a new item
                yield Finding(
                    op,
                    f"{label(op)} creates an item of the collection but answers 200, not 201 Created",
                    fix=f"answer 201 Created with a Location header naming the new item ({path.rstrip('/')}/{{id}})",
                )
