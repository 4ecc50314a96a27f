from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import documented, has_body, label

NO_CONTENT = ("204", "205", "304")


@rule("API037", "body-on-no-content-status", severity="error")
def body_on_no_content_status(model: SystemModel) -> Iterator[Finding]:
    """A 204, 205 or 304 response, or a response to HEAD, that declares content.

    ## Why is this bad?
    These responses end at their headers by definition (RFC 9110): servers and proxies strip or refuse
    a body, and clients never read one. Declaring content means the contract promises data that can
    never arrive; generated clients wait for it or model a type that is always empty. Either the status is
    wrong (200 with the content) or the content is.

    ## Example
    ```yaml
    responses:
      "204":
        description: Updated
        content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
    ```

    Use instead:
    ```yaml
    responses:
      "200":
        description: Updated
        content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
    ```

    ## References
    - RFC 9110 §15.3.5 (204), §15.3.6 (205), §15.4.5 (304), §9.3.2 (HEAD).
    """
    for op in documented(model):
        for response in op.responses:
            head = op.method.upper() == "HEAD"
            if (response.status in NO_CONTENT or head) and has_body(response):
                yield Finding(
                    op,
                    f"{label(op)}: its {response.status} response declares content, which {'HEAD' if head else response.status} never has",
                    fix="answer 200 with the content, or drop the content from this response",
                )
