from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import ApiParameter, Operation, SystemModel
from .code_contract import contract, describe, normal

# Frameworks whose handler signature lists every query parameter and the body: there, a documented parameter
# the code lacks is known to be missing rather than read some other way.
_SIGNATURE_FRAMEWORKS = frozenset({"fastapi"})
_NUMBERS = frozenset({"integer", "number"})


@rule("API103", "parameter-mismatch-with-openapi", severity="warning")
def parameter_mismatch_with_openapi(model: SystemModel) -> Iterator[Finding]:
    """An operation whose parameters or request body differ between the code and the OpenAPI document.

    ## Why is this bad?
    Clients generated from the document send what the document says. A query parameter the code reads but the
    document lacks is never sent; one the document has but the code ignores silently does nothing (a filter that
    does not filter); a path parameter typed `string` in one and `integer` in the other fails validation; a body
    only one side expects is dropped or rejected with 422.

    Compared for each operation the code and the document both have: path parameters by position (names may
    differ) and type; query parameters by name, and whether they are required; whether there is a request body.
    A parameter or body the document has and the code lacks is reported only for FastAPI, whose handler
    signature declares all of them; Flask and Django read them inside the view, out of the reader's sight.

    ## Example
    ```python
    @router.get("/orders")
    def list_orders(status: str | None = None, limit: int = 50): ...   # the document has only `limit`
    ```

    Use instead: describe `status` in the document (or drop it from the handler), so both sides agree.
    """
    found = contract(model)
    if not found.exists:
        return
    for code, documented in found.pairs():
        complete = code.framework in _SIGNATURE_FRAMEWORKS
        for message, detail in (*_path_types(code, documented), *_query(code, documented, complete), *_body(code, documented, complete)):
            yield Finding(
                code,
                f"{describe(code)}: {message} ({documented.document})",
                fix="make the handler and the document agree: change one of them",
                key=f"drift:parameter:{code.method} {normal(code.path)}:{detail}",
            )


def _path_types(code: Operation, documented: Operation) -> Iterator[tuple[str, str]]:
    ours = [p for p in code.parameters if p.where == "path"]
    theirs = {p.name: p for p in documented.parameters if p.where == "path"}
    names = [segment[1:-1] for segment in documented.path.split("/") if segment.startswith("{") and segment.endswith("}")]
    for parameter, name in zip(ours, names, strict=False):
        other = theirs.get(name)
        mine, their = _type(parameter), _type(other)
        if mine and their and mine != their and not {mine, their} <= _NUMBERS:
            yield f"path parameter `{parameter.name}` is {mine} in the code but `{name}` is {their} in the document", f"path:{parameter.name}"


def _query(code: Operation, documented: Operation, complete: bool) -> Iterator[tuple[str, str]]:
    ours = {p.name: p for p in code.parameters if p.where == "query"}
    theirs = {p.name: p for p in documented.parameters if p.where == "query"}
    for name in sorted(set(ours) - set(theirs)):
        yield f"the code reads query parameter `{name}`, which the document does not describe", f"query:{name}"
    if not complete:
        return
    for name in sorted(set(theirs) - set(ours)):
        yield f"the document describes query parameter `{name}`, which the handler does not read", f"query:{name}"
    for name in sorted(set(ours) & set(theirs)):
        if ours[name].required and not theirs[name].required:
            yield f"query parameter `{name}` is required by the code but optional in the document", f"query-required:{name}"


def _body(code: Operation, documented: Operation, complete: bool) -> Iterator[tuple[str, str]]:
    if code.request_body is not None and documented.request_body is None:
        yield "the handler reads a request body, which the document does not describe", "body"
    elif complete and code.request_body is None and documented.request_body is not None and documented.request_body.required:
        yield "the document requires a request body, which the handler does not read", "body"


def _type(parameter: ApiParameter | None) -> str | None:
    return parameter.schema.type if parameter is not None and parameter.schema is not None else None
