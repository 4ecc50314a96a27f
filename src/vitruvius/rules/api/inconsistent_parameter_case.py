from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Operation, SystemModel
from .common import STYLES, CaseStyle, apis, case_style, convention, in_style, label


@rule("API039", "inconsistent-parameter-case", severity="warning")
def inconsistent_parameter_case(model: SystemModel, *, style: CaseStyle = "auto") -> Iterator[Finding]:
    """A query parameter named in another case style than the API's other query parameters: `perPage` among `sort_by`.

    ## Why is this bad?
    Query parameters are typed by hand into URLs, scripts and docs. When `sort_by` and `perPage` live in one
    API, clients guess, get the spelling wrong, and the server silently ignores the unknown parameter:
    the request "works" and returns the wrong page. One style across the API prevents that class of bug.

    `style` sets the convention (`snake_case`, `camelCase`, `kebab-case`, `PascalCase`); with `auto` (the
    default) it is the style most multi-word query parameters use. Each name is reported once.

    ## Example
    ```yaml
    parameters:
      - {name: sort_by, in: query, schema: {type: string}}
      - {name: perPage, in: query, schema: {type: integer, maximum: 100}}
    ```

    Use instead:
    ```yaml
    parameters:
      - {name: sort_by, in: query, schema: {type: string}}
      - {name: per_page, in: query, schema: {type: integer, maximum: 100}}
    ```

    ## References
    - Zalando RESTful API guidelines, rule 130 (snake_case query parameters); Google AIP-140 (lowerCamelCase in JSON).
    """
    for api in apis(model):
        first: dict[str, tuple[Operation, object]] = {}
        for op in api:
            for parameter in op.parameters:
                if parameter.where == "query" and case_style(parameter.name):
                    first.setdefault(parameter.name, (op, parameter))
        chosen = convention(style, (case_style(name) for name in first), STYLES, "style")
        for name, (op, parameter) in first.items():
            if chosen is not None and case_style(name) != chosen:
                yield Finding(
                    parameter if getattr(parameter, "location", None) else op,
                    f"{label(op)}: the query parameter '{name}' is {case_style(name)}, the API's are {chosen}",
                    fix=f"rename it '{in_style(name, chosen)}' (accept both spellings for a deprecation period)",
                    key=f"query-parameter:{op.document or ''}:{name}",
                )
