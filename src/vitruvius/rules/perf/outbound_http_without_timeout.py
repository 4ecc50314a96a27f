from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Call, SystemModel

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
# Clients with no default timeout: a missing `timeout=` waits for as long as the peer keeps the socket open.
NO_DEFAULT_TIMEOUT = frozenset(
    [f"requests.{v}" for v in _VERBS]
    + [f"requests.api.{v}" for v in _VERBS]
    + [f"requests.Session.{v}" for v in _VERBS]
    + [f"requests.sessions.Session.{v}" for v in _VERBS]
    + ["urllib.request.urlopen", "urllib3.request", "urllib3.PoolManager", "urllib3.HTTPConnectionPool",
       "urllib3.HTTPSConnectionPool", "urllib3.connection_from_url", "urllib3.poolmanager.PoolManager"]
)
# Clients with a default timeout (httpx: 5 s; aiohttp: 5 min total) that code can switch off explicitly.
DEFAULT_TIMEOUT = frozenset(
    [f"httpx.{v}" for v in (*_VERBS, "stream")]
    + [f"httpx.{c}.{v}" for c in ("Client", "AsyncClient") for v in (*_VERBS, "stream", "send")]
    + ["httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession", "aiohttp.request"]
    + [f"aiohttp.ClientSession.{v}" for v in (*_VERBS, "ws_connect")]
)
# `urlopen(url, data, timeout)` is the one client that takes the timeout positionally.
POSITIONAL_TIMEOUT = {"urllib.request.urlopen": 3}
DISABLED_VALUES = frozenset({"None", "aiohttp.ClientTimeout()", "ClientTimeout()", "httpx.Timeout(None)", "Timeout(None)"})


def timeout_missing(call: Call) -> bool:
    timeout = call.keyword("timeout")
    if timeout is not None:
        return timeout.value.replace(" ", "") in DISABLED_VALUES
    if call.has_star_kwargs or call.arguments >= POSITIONAL_TIMEOUT.get(call.name, 99):
        return False  # it may come through **kwargs or positionally: not provably missing
    return call.name in NO_DEFAULT_TIMEOUT


@rule("PERF001", "outbound-http-without-timeout", severity="warning")
def outbound_http_without_timeout(model: SystemModel) -> Iterator[Finding]:
    """An outbound HTTP call that can wait forever for the other side.

    ## Why is this bad?
    `requests`, `urllib` and `urllib3` have no default timeout: when a partner API hangs (a full accept
    queue, a dropped connection behind a NAT, a slow-loris proxy) the call waits until the operating
    system gives up, often many minutes. Each waiting call holds a worker thread, a connection from the
    pool and the caller's request, so one slow dependency drains the service's capacity and the outage
    spreads upstream. `httpx` (5 s) and `aiohttp` (5 min) have defaults; passing `timeout=None` or an
    empty `ClientTimeout()` switches them off, which is flagged too.

    ## Example
    ```python
    import requests

    def submit(broker, payload):
        return requests.post(broker.api_url, json=payload)
    ```

    Use instead:
    ```python
    import requests

    def submit(broker, payload):
        # (connect, read) seconds: fail fast on a dead host, allow a slow answer
        return requests.post(broker.api_url, json=payload, timeout=(3.05, 10))
    ```

    ## Known problems
    A timeout passed through `**kwargs` is assumed present. A `urllib3.PoolManager` is flagged where it is
    built without a timeout, not at each request made with it. Clients wrapped in in-house helpers are
    recognised only where the call resolves to the library.

    ## References
    - requests: "Nearly all production code should use this parameter in nearly all requests."
    - ruff S113 (request-without-timeout).
    """
    for module in model.modules:
        for call in module.calls:
            if (call.name in NO_DEFAULT_TIMEOUT or call.name in DEFAULT_TIMEOUT) and timeout_missing(call):
                where = call.function or module.name
                state = "switches off the timeout of" if call.keyword("timeout") else "has no timeout on"
                yield Finding(
                    call,
                    f"{call.name}() in {where} {state} its outbound HTTP call: a hung peer holds the worker until the OS gives up",
                    fix="pass timeout=(connect, read) seconds, e.g. timeout=(3.05, 10), sized to the caller's own latency budget",
                )
