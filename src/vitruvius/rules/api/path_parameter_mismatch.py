from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import documented, label, template_names


@rule("API030", "path-parameter-mismatch", severity="error")
def path_parameter_mismatch(model: SystemModel) -> Iterator[Finding]:
    """A path template and its declared path parameters that do not match, or a path parameter not required.

    ## Why is this bad?
    Every `{name}` in the path must be declared as an `in: path` parameter, and every declared one must
    appear in the path, and be `required: true`. Otherwise generated clients cannot fill the URL (they send
    a literal `{id}`), validators reject valid requests, and an API console shows a field that goes nowhere.
    An empty `{}` names nothing.

    ## Example
    ```yaml
    paths:
      /orders/{orderId}:
        get:
          parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{orderId}:
        get:
          parameters: [{name: orderId, in: path, required: true, schema: {type: string}}]
    ```

    ## References
    - The OpenAPI Specification, Parameter Object (path parameters: `required: true`).
    - Spectral `path-params` and `path-declarations-must-exist`; Redocly `path-parameters-defined`.
    """
    for op in documented(model):
        in_template = template_names(op.path)
        declared = {p.name: p for p in op.parameters if p.where == "path"}
        problems = [f"{{{n}}} is not declared as a path parameter" for n in dict.fromkeys(in_template) if n and n not in declared]
        if "" in in_template:
            problems.append("the path has an empty {}")
        problems += [f"'{n}' is declared but not in the path" for n in declared if n not in in_template]
        problems += [f"'{n}' is not required" for n, p in declared.items() if n in in_template and not p.required]
        if problems:
            yield Finding(
                op,
                f"{label(op)}: {'; '.join(problems)}",
                fix="declare each {name} of the path once as a parameter with in: path, required: true, and the same spelling",
            )
