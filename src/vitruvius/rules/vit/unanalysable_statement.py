from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel


@rule("VIT003", "unanalysable-statement", severity="warning")
def unanalysable_statement(model: SystemModel) -> Iterator[Finding]:
    """A statement vitruvius cannot analyse, so the schema it reads may be incomplete.

    ## Why is this bad?
    A SQL statement that uses a psql variable (`:name`) or does not parse is skipped: the table, index
    or constraint it would create is missing from the model, and rules that judge it stay silent. This
    note says so instead of passing silently.

    ## Example
    ```sql
    CREATE INDEX edit_open_time ON edit (open_time) WHERE status = :status_open;
    ```

    Use instead:
    ```sql
    CREATE INDEX edit_open_time ON edit (open_time) WHERE status = 1;
    ```
    Write the value the script means, or exclude the file when it is run with variables on purpose.
    """
    for note in model.notes:
        if note.kind == "unanalysable-statement":
            yield Finding(note, note.message, fix="write the statement without psql variables, or exclude the file")
