from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel

PRINTERS = {"print": "print()", "pprint.pprint": "pprint()", "pprint.pp": "pp()"}
APPLICATION_KINDS = frozenset({"app", "config"})


@rule("OBS001", "print-in-application-code", severity="warning", migrations=False)
def print_in_application_code(model: SystemModel) -> Iterator[Finding]:
    """`print()` in application code, where the logger belongs.

    ## Why is this bad?
    A print goes to stdout with no level, no timestamp, no logger name and no structure, past every
    handler, filter and formatter the service configured: in production it is either lost or mixed into
    the log stream where nobody can filter, sample or alert on it, and it can leak request data that a
    log filter would have redacted. Under a WSGI/ASGI server stdout may be buffered or closed.

    Scripts, command-line entry points (a `__main__` guard, click/typer/argparse commands), tests and
    migrations are left alone: printing is their interface.

    ## Example
    ```python
    def submit(request):
        response = broker.send(request)
        print("broker answered", response.status_code)
    ```

    Use instead:
    ```python
    import logging

    logger = logging.getLogger(__name__)

    def submit(request):
        response = broker.send(request)
        logger.info("broker answered", extra={"status": response.status_code})
    ```

    ## References
    - ruff T201/T203 (flake8-print), which flag every print; this rule spares scripts and tests.
    """
    for module in model.modules:
        if module.kind not in APPLICATION_KINDS:
            continue
        for call in module.calls:
            printer = PRINTERS.get(call.name)
            if printer:
                where = call.function or module.name
                yield Finding(
                    call,
                    f"{printer} in {where} writes to stdout, bypassing log levels, handlers and structure",
                    fix="log it: logger = logging.getLogger(__name__); logger.info(...) (or logger.debug for diagnostics)",
                )
