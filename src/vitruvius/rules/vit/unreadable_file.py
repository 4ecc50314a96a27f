from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel


@rule("VIT001", "unreadable-file", severity="warning")
def unreadable_file(model: SystemModel) -> Iterator[Finding]:
    """A file that could not be read or parsed, so nothing in it was reviewed.

    ## Why is this bad?
    A file vitruvius cannot read is a blind spot: its routes, tables and queries are missing from the
    model, so cross-file checks (a query against the indexes, a route against the contract) are
    incomplete too. The cause is named: a syntax error with its line, bytes that are not UTF-8, a file over
    the size bound, an invalid JSON or YAML document.

    ## Example
    ```python
    def handler(request)
        return request.json()
    ```

    Use instead:
    ```python
    def handler(request):
        return request.json()
    ```
    Fix the file, or `exclude` it in the configuration when it is not meant to be valid (a template).
    """
    for note in model.notes:
        if note.kind == "unreadable-file":
            yield Finding(note, note.message, fix="fix the file, or exclude it in [tool.vitruvius] exclude")
