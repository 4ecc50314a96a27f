"""Hand-made reviews for the reporter tests: rules built directly (not from the registry), so the golden
files change only when a reporter does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vitruvius.findings import Finding, Review, Rule
from vitruvius.model import Location, Module, SourceFile, SystemModel, Table


def n_plus_one_query(model: SystemModel) -> Iterator[Finding]:
    """A query runs once per item of a loop.

    ## Why is this bad?
    Each iteration waits for a database round trip, so a page of 50 orders costs 51 queries and the
    response time grows with the data.

    ## Example
    ```python
    for order in session.scalars(select(Order)):
        total += sum(item.price for item in order.items)
    ```

    Use instead:
    ```python
    ## one query for the orders, one for all of their items
    orders = session.scalars(select(Order).options(selectinload(Order.items)))
    ```

    ## References
    - [SQLAlchemy: relationship loading techniques](https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html)
    """
    yield from ()


def foreign_key_without_index(model: SystemModel) -> Iterator[Finding]:
    """Foreign key columns that no index starts with.

    ## Why is this bad?
    Joins through the key and deletes of the parent row scan the whole child table.

    ## Example
    ```sql
    CREATE TABLE order_lines (order_id int REFERENCES orders (id));
    ```

    Use instead:
    ```sql
    CREATE INDEX ix_order_lines_order_id ON order_lines (order_id);
    ```
    """
    yield from ()


def debug_enabled(model: SystemModel) -> Iterator[Finding]:
    """DEBUG is on in settings that production uses.

    ## Why is this bad?
    Debug pages show stack traces, settings and SQL to anyone who triggers an error.

    ## Example
    ```python
    DEBUG = True
    ```

    Use instead:
    ```python
    DEBUG = os.environ.get("DEBUG") == "1"
    ```
    """
    yield from ()


def plural_collection_names(model: SystemModel) -> Iterator[Finding]:
    """Collection paths use singular nouns.

    ## Why is this bad?
    Clients guess paths; mixing `/order` and `/customers` makes every guess a lookup in the docs.

    ## Example
    `GET /order`

    Use instead:
    `GET /orders`

    ## Known problems
    Uncountable nouns (`/news`) are flagged.
    """
    yield from ()


def unreadable_file(model: SystemModel) -> Iterator[Finding]:
    """A file vitruvius could not read or parse.

    ## Why is this bad?
    Nothing in it was reviewed.
    """
    yield from ()


def domain_imports_web(model: SystemModel) -> Iterator[Finding]:
    """The domain layer imports the web layer.

    ## Why is this bad?
    Business rules then change whenever the web framework does.
    """
    yield from ()


def _rule(code: str, name: str, severity: str, pack: str, function) -> Rule:
    return Rule(code=code, name=name, severity=severity, pack=pack, function=function, tests=False, migrations=True)


RULES = (
    _rule("API004", "plural-collection-names", "info", "api", plural_collection_names),
    _rule("DB003", "foreign-key-without-index", "warning", "db", foreign_key_without_index),
    _rule("LAY001", "domain-imports-web", "error", "lay", domain_imports_web),
    _rule("PERF001", "n-plus-one-query", "warning", "perf", n_plus_one_query),
    _rule("SEC001", "debug-enabled", "error", "sec", debug_enabled),
    _rule("VIT001", "unreadable-file", "warning", "vit", unreadable_file),
)
BY_CODE = {rule.code: rule for rule in RULES}

FILES = (
    SourceFile("app/api/orders.py", "app", "python", 120),
    SourceFile("app/models.py", "app", "python", 300),
    SourceFile("app/services/orders.py", "app", "python", 80),
    SourceFile("app/settings.py", "config", "python", 40),
    SourceFile("legacy/report.py", "app", "python", 0),
    SourceFile("migrations/0001_initial.sql", "migration", "sql", 200),
    SourceFile("tests/test_orders.py", "test", "python", 60),
)


def finding(code: str, path: str, line: int, message: str, *, fix: str | None = None, column: int = 1,
            end_line: int | None = None, related: tuple[Location, ...] = (), key: str | None = None) -> Finding:
    rule = BY_CODE[code]
    return Finding(
        element=None,
        message=message,
        fix=fix,
        related=related,
        location=Location(path, line, column, end_line),
        key=key or f"{code.lower()}:{path}:{line}",
        code=code,
        name=rule.name,
        severity=rule.severity,
    )


def repeated_foreign_keys() -> list[Finding]:
    """Thirteen foreign keys without an index: one cause, many places."""
    tables = ["order_lines", "payments", "shipments", "refunds", "invoices", "notes", "addresses",
              "carts", "cart_items", "coupons", "reviews", "returns", "wishlists"]
    return [
        finding(
            "DB003",
            "migrations/0001_initial.sql",
            10 + 12 * index,
            f"{table}(order_id) has no index",
            column=5,
            fix=f"CREATE INDEX ix_{table}_order_id ON {table} (order_id);",
            key=f"table:{table}/fk:order_id",
        )
        for index, table in enumerate(tables)
    ]


def sample_findings() -> tuple[Finding, ...]:
    loop = Location("app/services/orders.py", 38, 5, 47)
    findings = [
        finding("API004", "app/api/orders.py", 12, "GET /order names a collection with a singular noun",
                column=2, fix="rename the path to /orders", key="op:GET /order"),
        finding("PERF001", "app/services/orders.py", 41, "Order.items is loaded once per order in order_totals",
                column=9, end_line=42, related=(loop,), fix="select(Order).options(selectinload(Order.items))",
                key="query:app.services.orders.order_totals:Order.items"),
        finding("PERF001", "app/api/orders.py", 30, "Customer.addresses is loaded once per customer in list_customers",
                column=13, fix="select(Customer).options(selectinload(Customer.addresses))",
                key="query:app.api.orders.list_customers:Customer.addresses"),
        finding("SEC001", "app/settings.py", 3, "DEBUG = True in app/settings.py <production>",
                fix="DEBUG = os.environ.get(\"DEBUG\") == \"1\"", key="setting:DEBUG"),
        finding("VIT001", "legacy/report.py", 0, "legacy/report.py is not valid UTF-8 (byte 0xe9 at offset 812)",
                key="note:unreadable-file:legacy/report.py"),
        *repeated_foreign_keys(),
    ]
    return tuple(sorted(findings, key=lambda f: f.sort_key))


def sample_model() -> SystemModel:
    modules = tuple(
        Module(name=path.removesuffix(".py").replace("/", "."), path=path, kind="app", location=Location(path, 1))
        for path in ("app/api/orders.py", "app/models.py", "app/services/orders.py", "app/settings.py")
    )
    tables = (Table("orders", Location("migrations/0001_initial.sql", 1), "migration"),)
    return SystemModel(root="/srv/shop", files=FILES, modules=modules, tables=tables)


@pytest.fixture
def review() -> Review:
    return Review(
        root="/srv/shop",
        version="0.1.0",
        findings=sample_findings(),
        model=sample_model(),
        rules=RULES,
        seconds=0.25,
        suppressed=2,
        baselined=1,
    )


@pytest.fixture
def clean_review() -> Review:
    return Review(root=".", version="0.1.0", findings=(), model=SystemModel(), rules=RULES, seconds=0.01)
