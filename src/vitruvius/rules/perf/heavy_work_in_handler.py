from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import scoped, short, subject, tables_named


@rule("PERF006", "heavy-work-in-handler", severity="info")
def heavy_work_in_handler(model: SystemModel) -> Iterator[Finding]:
    """A request handler that loops over a table's rows and writes or calls out once per row.

    ## Why is this bad?
    "Recalculate every invoice", "e-mail every subscriber", "process monthly payroll for all employees" in
    one request: the work grows with the table, so the request outlives the proxy's and the client's
    timeouts, holds a worker (and often a transaction and its locks) for minutes, and when it is cut off
    halfway nobody knows which rows were done. Retrying it does the work twice. The loop is an unbounded
    query's rows (no limit or slice), and the per-row work is a database write (`save()`, `update()`,
    `create()`, `delete()`) or an outbound call (HTTP, e-mail), directly in the loop or in the functions it
    calls, up to three calls deep.

    ## Example
    ```python
    def close_month(request):
        for employee in Employee.objects.filter(active=True):
            employee.payslips.create(amount=employee.salary)
            send_mail("Payslip", "...", None, [employee.email])
        return HttpResponse("done")
    ```

    Use instead:
    ```python
    def close_month(request):
        job = close_month_task.delay()  # Celery, RQ or arq; FastAPI BackgroundTasks for small work
        return JsonResponse({"job": job.id}, status=202)
    ```
    and let the task work through the rows in batches, recording which are done so a retry resumes.

    ## Known problems
    Table sizes are unknown: a loop over a table that stays small (the few payment providers) is flagged
    as well.
    """
    for query in model.queries:
        if not (query.in_handler and query.row_effects and query.root == "table" and query.kind == "select"):
            continue
        if query.limited or query.offset or scoped(query, tables_named(model, query)):
            continue  # a page, or the rows of one parent (one user's devices): not the whole table
        effects = ", ".join(query.row_effects[:4]) + (", ..." if len(query.row_effects) > 4 else "")
        yield Finding(
            query,
            f"request handler {short(query.handler)} loops over every {subject(query)} row it queries here and, per row, runs {effects}",
            fix="move the loop to a background job (a Celery, RQ or arq task; FastAPI BackgroundTasks for small work), "
            "answer 202 Accepted with the job's URL, and process the rows in batches",
        )
