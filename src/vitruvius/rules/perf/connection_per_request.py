from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import is_cached, short

# What opens a new engine, pool or connection each time it is called → what to do once, at start-up.
CONNECTORS: dict[str, str] = {
    **{name: "create the engine once at import or start-up and open sessions from it (SessionLocal = sessionmaker(engine))"
       for name in ("sqlalchemy.create_engine", "sqlalchemy.engine.create_engine", "sqlmodel.create_engine",
                    "sqlalchemy.ext.asyncio.create_async_engine")},
    **{name: "open a pool once (psycopg_pool.ConnectionPool, or a module-level engine) and borrow a connection per request"
       for name in ("psycopg2.connect", "psycopg.connect", "psycopg.Connection.connect", "pymysql.connect",
                    "MySQLdb.connect", "mysql.connector.connect", "cx_Oracle.connect", "oracledb.connect")},
    **{name: "create one pool at start-up (asyncpg.create_pool / aiomysql.create_pool) and acquire from it"
       for name in ("asyncpg.connect", "aiomysql.connect", "psycopg.AsyncConnection.connect")},
    **{name: "create one client at start-up and share it: it holds the connection pool"
       for name in ("pymongo.MongoClient", "motor.motor_asyncio.AsyncIOMotorClient", "redis.Redis", "redis.StrictRedis",
                    "redis.from_url", "redis.asyncio.Redis", "redis.asyncio.from_url", "elasticsearch.Elasticsearch")},
}


@rule("PERF007", "connection-per-request", severity="warning")
def connection_per_request(model: SystemModel) -> Iterator[Finding]:
    """An engine, pool or database connection created anew on every request.

    ## Why is this bad?
    `create_engine(...)` builds a connection pool; `psycopg2.connect(...)` opens a TCP connection, runs TLS
    and authentication, and starts a backend process on the server. Done inside a request handler (or a
    dependency or helper it calls, up to three calls deep), that cost is paid on every request, nothing is
    pooled, and under load the database runs out of connections. Sessions opened from a shared engine
    (`SessionLocal()`) are cheap and are not flagged; nor are functions whose result is cached
    (`@lru_cache`).

    ## Example
    ```python
    def get_db():
        engine = create_engine(settings.DATABASE_URL)
        with Session(engine) as session:
            yield session
    ```

    Use instead:
    ```python
    engine = create_engine(settings.DATABASE_URL, pool_pre_ping=True)
    SessionLocal = sessionmaker(engine)

    def get_db():
        with SessionLocal() as session:
            yield session
    ```

    ## Known problems
    Only calls the API reader can connect to a route are judged: code reached through an unresolved call
    or a framework hook is not.
    """
    reach = model.handler_of
    for module in model.modules:
        for call in module.calls:
            fix = CONNECTORS.get(call.name)
            if fix is None or call.function not in reach or is_cached(model, call.function):
                continue
            yield Finding(
                call,
                f"{call.name}() in {short(call.function)} runs on every request to {short(reach[call.function])}: nothing is pooled",
                fix=fix,
            )
