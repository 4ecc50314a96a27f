from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel


@rule("VIT000", "internal-error", severity="warning", after_suppression=True)
def internal_error(model: SystemModel) -> Iterator[Finding]:
    """A rule of vitruvius failed; the rest of the review is complete without it.

    ## Why is this bad?
    The failed rule's findings are missing from this review, so its area is less covered than the report
    suggests. This is a bug in vitruvius, never in the reviewed code.

    ## Example
    A rule meets a model element it did not expect and raises; the review records it here and goes on.

    Use instead:
    Report the message (rule code and error) to the vitruvius developers; meanwhile the review's other
    findings stand. `--ignore` the failing rule to silence this note until it is fixed.

    ## Known problems
    This note cannot be provoked by a rule case: it exists for failures nobody has seen yet. A unit test
    checks it by injecting a failing rule.
    """
    for note in model.notes:
        if note.kind == "internal-error":
            yield Finding(note, note.message, fix="report this message to the vitruvius developers")
