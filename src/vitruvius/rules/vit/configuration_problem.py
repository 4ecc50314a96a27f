from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel


@rule("VIT004", "configuration-problem", severity="warning")
def configuration_problem(model: SystemModel) -> Iterator[Finding]:
    """A setting in `[tool.vitruvius]` that has no effect on this repository.

    ## Why is this bad?
    A `per-file-ignores` pattern that matches no file usually has a typo or outlived a rename; the
    findings it was meant to silence then show up, or worse, a later file starts matching by accident.
    Settings vitruvius cannot use at all (an unknown key, rule or option) stop the run instead (exit 2).

    ## Example
    ```toml
    [tool.vitruvius.per-file-ignores]
    "scirpts/*" = ["OBS001"]
    ```

    Use instead:
    ```toml
    [tool.vitruvius.per-file-ignores]
    "scripts/*" = ["OBS001"]
    ```
    """
    for note in model.notes:
        if note.kind == "configuration":
            yield Finding(note, note.message, fix="correct or remove the pattern in [tool.vitruvius]")
