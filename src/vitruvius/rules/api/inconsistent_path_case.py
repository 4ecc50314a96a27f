from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import STYLES, CaseStyle, apis, by_path, case_style, convention, in_style, is_parameter, path_location, segments


@rule("API003", "inconsistent-path-case", severity="warning")
def inconsistent_path_case(model: SystemModel, *, style: CaseStyle = "auto") -> Iterator[Finding]:
    """A path segment written in another case style than the rest of the API: `/access_tokens` among `/check-runs`.

    ## Why is this bad?
    Clients build URLs by hand far more often than they build JSON: when `/check-runs` and `/access_tokens`
    live side by side, every new path is a guess and a 404 in waiting, and generated SDK method names inherit
    the mix. One style, applied everywhere, makes the API predictable.

    `style` sets the team's convention: `kebab-case`, `snake_case`, `camelCase` or `PascalCase`. With `auto`
    (the default) the convention is the style most of the API's multi-word segments already use (ties go to
    kebab-case, the most common recommendation); one-word segments fit every style. Each offending segment
    is reported once, where it first appears, with the number of paths that use it.

    ## Example
    ```yaml
    paths:
      /check-runs: {get: {responses: {"200": {description: OK}}}}
      /check-suites: {get: {responses: {"200": {description: OK}}}}
      /access_tokens: {get: {responses: {"200": {description: OK}}}}
    ```

    Use instead:
    ```yaml
    paths:
      /check-runs: {get: {responses: {"200": {description: OK}}}}
      /check-suites: {get: {responses: {"200": {description: OK}}}}
      /access-tokens: {get: {responses: {"200": {description: OK}}}}
    ```

    ## References
    - Zalando RESTful API guidelines, rule 129 (kebab-case path segments); Google AIP-122 (camelCase);
      Redocly `paths-kebab-case` (which knows only kebab-case).
    """
    for api in apis(model):
        paths = by_path(api)
        uses: dict[str, list[str]] = {}
        for path in paths:
            for segment in dict.fromkeys(segments(path)):
                if not is_parameter(segment) and case_style(segment):
                    uses.setdefault(segment, []).append(path)
        chosen = convention(style, (case_style(segment) for segment in uses), STYLES, "style")
        for segment, where in uses.items():
            if chosen is None or case_style(segment) == chosen:
                continue
            op = paths[where[0]][0]
            more = f" (and {len(where) - 1} more path{'s' if len(where) > 2 else ''})" if len(where) > 1 else ""
            yield Finding(
                op,
                f"{op.method} {where[0]}: the segment '{segment}' is {case_style(segment)}, the API's paths are {chosen}{more}",
                fix=f"rename '{segment}' to '{in_style(segment, chosen)}' (keep the old path as a redirect while clients move)",
                location=path_location(op),
                key=f"segment:{op.document or ''}:{segment}",
            )
