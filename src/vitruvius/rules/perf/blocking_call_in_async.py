from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import READS, subject

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
# Blocking call → what to await instead.
ALTERNATIVES: dict[str, str] = {
    **{f"requests.{v}": f"await httpx.AsyncClient().{v}(...) (or aiohttp)" for v in _VERBS},
    **{f"requests.Session.{v}": f"await httpx.AsyncClient().{v}(...)" for v in _VERBS},
    "urllib.request.urlopen": "await httpx.AsyncClient().get(...)",
    "time.sleep": "await asyncio.sleep(...)",
    **{f"subprocess.{f}": "await asyncio.create_subprocess_exec(...) and await proc.communicate()"
       for f in ("run", "call", "check_call", "check_output")},
    "os.system": "await asyncio.create_subprocess_shell(...)",
    "psycopg2.connect": "await psycopg.AsyncConnection.connect(...) from a pool (or asyncpg)",
    "psycopg.connect": "await psycopg.AsyncConnection.connect(...) from a pool",
    "pymysql.connect": "await aiomysql.connect(...) from a pool",
    "MySQLdb.connect": "await aiomysql.connect(...) from a pool",
    "sqlite3.connect": "aiosqlite.connect(...)",
    "smtplib.SMTP": "aiosmtplib.SMTP(...)",
    "smtplib.SMTP_SSL": "aiosmtplib.SMTP(..., use_tls=True)",
    "django.core.mail.send_mail": "await sync_to_async(send_mail)(...) or a background task",
    "shutil.copyfileobj": "await asyncio.to_thread(shutil.copyfileobj, ...)",
    "shutil.copyfile": "await asyncio.to_thread(shutil.copyfile, ...)",
    "shutil.rmtree": "await asyncio.to_thread(shutil.rmtree, ...)",
}


@rule("PERF005", "blocking-call-in-async", severity="warning")
def blocking_call_in_async(model: SystemModel) -> Iterator[Finding]:
    """A blocking call (HTTP, sleep, subprocess, a synchronous database query) inside `async def`.

    ## Why is this bad?
    An `async def` runs on the event loop's single thread. `requests.get(...)`, `time.sleep(1)`,
    `subprocess.run(...)` or a query on a synchronous SQLAlchemy session or the Django ORM stop that thread
    until they return: every other request the worker is serving waits, so one slow call turns an async
    server into a server that handles one request at a time. (Django raises SynchronousOnlyOperation for
    ORM queries in async code.) Calls inside a lambda are not flagged: it is typically handed to an
    executor.

    ## Example
    ```python
    @app.get("/rates")
    async def rates():
        return requests.get(RATES_URL, timeout=5).json()
    ```

    Use instead:
    ```python
    @app.get("/rates")
    async def rates():
        async with httpx.AsyncClient(timeout=5) as client:
            return (await client.get(RATES_URL)).json()
    ```
    or declare the handler with plain `def` (FastAPI runs it in a thread pool), or wrap the call in
    `await asyncio.to_thread(...)` / Django's `sync_to_async`.

    ## Known problems
    File reads are not flagged (their size is unknown statically); a blocking call inside a helper that an
    async function calls is not followed.
    """
    for module in model.modules:
        for call in module.calls:
            if call.in_async and call.name in ALTERNATIVES:
                yield Finding(
                    call,
                    f"{call.name}() blocks the event loop in async {call.function or module.name}",
                    fix=f"use {ALTERNATIVES[call.name]}, or run it with await asyncio.to_thread(...)",
                )
    for query in model.queries:
        if query.in_async and query.evaluated and not query.awaited and query.kind != "lazy-load" and query.orm in ("django", "sqlalchemy"):
            if query.orm == "django":
                fix = "use the async ORM (aget, afirst, acount, `async for`) or wrap the query in sync_to_async"
            else:
                fix = "use an AsyncSession and await it (await session.execute(...)), or make the function a plain def"
            kind = "query" if query.kind in READS else query.kind
            yield Finding(
                query,
                f"a synchronous {subject(query)} {kind} blocks the event loop in async {query.function}",
                fix=fix,
            )
