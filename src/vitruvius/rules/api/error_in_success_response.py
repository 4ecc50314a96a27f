from collections import Counter
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import apis, label, property_names, squash, successes

SUCCESS_FLAGS = frozenset({"success", "succeeded", "ok", "issuccess", "successful"})
ERROR_FIELDS = frozenset({"error", "errors", "errorcode", "errormessage", "errormsg", "message", "code", "reason"})


@rule("API013", "error-in-success-response", severity="warning")
def error_in_success_response(model: SystemModel) -> Iterator[Finding]:
    """A 2xx response built to carry an error: the API's error schema, or a `success` flag beside an error field.

    ## Why is this bad?
    When `200 {"success": false, "error": "card declined"}` is how failures arrive, every HTTP-level tool is
    blind to them: retries, circuit breakers, load-balancer health, dashboards of error rates, caches (which
    store the failure as a success) and client libraries that raise on 4xx/5xx. Each client must re-implement
    error detection by reading bodies.

    Reported when a 2xx response uses the API's error schema (a component that more 4xx/5xx responses
    use than 2xx ones), or when
    its schema has a boolean success flag (`success`, `ok`) together with an error field (`error`,
    `errors`, `error_code`, `message`). Bodies that report on finished work (`{"status": "failed",
    "errors": [...]}` for a job, 207 Multi-Status) are sound and pass.

    ## Example
    ```yaml
    paths:
      /payments:
        post:
          responses:
            "200":
              description: The payment, or why it failed
              content:
                application/json:
                  schema:
                    properties: {success: {type: boolean}, error: {type: string}, payment: {$ref: "#/components/schemas/Payment"}}
    ```

    Use instead:
    ```yaml
    paths:
      /payments:
        post:
          responses:
            "201": {description: The payment, content: {application/json: {schema: {$ref: "#/components/schemas/Payment"}}}}
            "402":
              description: Card declined
              content: {application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}}
    ```
    """
    for api in apis(model):
        uses = Counter((r.schema.ref, r.status[:1] in "45") for op in api for r in op.responses if r.schema and r.schema.ref)
        error_refs = {ref for ref, error in uses if error and uses[(ref, True)] > uses[(ref, False)]}
        for op in api:
            for response in successes(op):
                schema = response.schema
                if schema is None or response.status == "207":
                    continue
                names = property_names(schema)
                flags = [name for name, prop in schema.properties if squash(name) in SUCCESS_FLAGS and prop.type == "boolean"]
                if schema.ref in error_refs:
                    why = f"uses the error schema {schema.ref}"
                elif flags and names & ERROR_FIELDS:
                    why = f"carries a '{flags[0]}' flag beside an error field"
                else:
                    continue
                yield Finding(
                    op,
                    f"{label(op)}: its {response.status} response {why}, so failures look like successes",
                    fix="answer failures with a 4xx/5xx status and the error schema; keep 2xx bodies for results",
                )
