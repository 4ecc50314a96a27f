from collections.abc import Iterator

from ...findings import REGISTRY, Finding, rule
from ...model import Suppression, SystemModel


@rule("VIT002", "unused-suppression", severity="warning", after_suppression=True)
def unused_suppression(model: SystemModel, suppressions: tuple[Suppression, ...] = ()) -> Iterator[Finding]:
    """A `vitruvius: ignore[...]` comment that suppresses nothing.

    ## Why is this bad?
    Suppressions outlive the problems they silenced: the code moves, the finding goes away, the comment
    stays, and later it hides a new, real finding on that line. A suppression without codes would hide
    everything, so vitruvius requires codes and reports one without them.

    ## Example
    ```python
    logger.info("started")  # vitruvius: ignore[OBS001]
    ```

    Use instead:
    ```python
    logger.info("started")
    ```

    ## Known problems
    A suppression of a rule that did not run in this review (deselected with `--select`/`ignore`) is not
    reported: it may be needed when the rule runs again.
    """
    for suppression in suppressions:
        if not suppression.codes:
            yield Finding(suppression, "vitruvius: ignore names no codes; write the codes it is meant to suppress, e.g. ignore[OBS001]", fix="name the codes: # vitruvius: ignore[CODE]")
            continue
        for code in suppression.unused:
            reason = "matches no finding on this line" if code in REGISTRY else "names no known rule"
            yield Finding(
                suppression,
                f"suppression of {code} {reason}",
                fix=f"remove {code} from the ignore[...] comment",
                key=f"{suppression.key}:{code}",
            )
