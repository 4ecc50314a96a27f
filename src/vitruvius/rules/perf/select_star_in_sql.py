from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel


@rule("PERF008", "select-star-in-sql", severity="info")
def select_star_in_sql(model: SystemModel) -> Iterator[Finding]:
    """SQL in code that selects every column with `SELECT *`.

    ## Why is this bad?
    `SELECT *` reads and sends every column, including large text and JSON columns the code never uses,
    so no covering index can answer it and each new column added to the table makes the query heavier.
    Code that unpacks rows by position breaks silently when a column is added or reordered.
    `EXISTS (SELECT * ...)` and `COUNT(*)` are not flagged.

    ## Example
    ```python
    cursor.execute("SELECT * FROM orders WHERE customer_id = %s", [customer_id])
    ```

    Use instead:
    ```python
    cursor.execute("SELECT id, number, total FROM orders WHERE customer_id = %s", [customer_id])
    ```

    ## Known problems
    Only SQL the reader can read as a literal (or a local constant, an f-string, `"..." % x`) is judged;
    a table that has few narrow columns loses little to `SELECT *`.
    """
    for query in model.queries:
        if query.raw_sql and "*" in query.columns:
            yield Finding(
                query,
                f"SELECT * reads every column of {query.table or 'the table'} in {query.function or query.location.path}",
                fix="name the columns the code reads: SELECT id, ... FROM ...",
            )
