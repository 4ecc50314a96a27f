import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import own_columns, tables, words
from .fixes import alter_type, is_mysql

MONEY_WORDS = frozenset({
    "price", "cost", "amount", "balance", "fee", "fees", "salary", "wage", "payment", "tax", "vat", "discount",
    "revenue", "subtotal", "refund", "payout", "budget", "money", "msrp", "earnings", "income", "spend",
})
# A rate, ratio or score beside a money word is not money: `tax_rate`, `discount_percent`.
NOT_MONEY_WORDS = frozenset({"rate", "ratio", "percent", "percentage", "pct", "factor", "weight", "score", "multiplier"})
ORM_DECIMAL = ("Numeric(12, 2)", "DecimalField(max_digits=12, decimal_places=2)")
FLOAT_TYPE = re.compile(r"^(real|double precision|double|float[48]?)(\(\d+(,\d+)?\))?$")


@rule("DB005", "money-as-float", severity="warning")
def money_as_float(model: SystemModel) -> Iterator[Finding]:
    """A money-like column stored as a binary floating-point number.

    ## Why is this bad?
    `real`, `double precision` and `float` store binary fractions: 0.10 is kept as
    0.1000000000000000055511151231257827..., so sums drift by fractions of a cent, totals stop matching
    invoices, and `price = 9.99` may find nothing. Money needs exact decimal arithmetic: `numeric` with a
    stated scale, or an integer count of minor units (cents).

    A column is money-like when a word of its name says so: price, cost, amount, balance, fee, salary,
    tax, discount, revenue, refund, payment, ...

    ## Example
    ```sql
    CREATE TABLE invoice_line (id bigint PRIMARY KEY, unit_price double precision NOT NULL);
    ```

    Use instead:
    ```sql
    CREATE TABLE invoice_line (id bigint PRIMARY KEY, unit_price numeric(12, 2) NOT NULL);
    ```
    (In SQLAlchemy `Numeric(12, 2)`, in Django `DecimalField(max_digits=12, decimal_places=2)`.)

    ## References
    - PostgreSQL documentation, 8.1.3 Floating-Point Types ("if you require exact storage ... use numeric").
    """
    for table in tables(model):
        for column in own_columns(model, table):
            named = set(words(column.name))
            if FLOAT_TYPE.match(column.type) and named & MONEY_WORDS and not named & NOT_MONEY_WORDS:
                yield Finding(
                    column,
                    f"{table.qualified_name}.{column.name} holds money as {column.type}, a binary floating-point type",
                    fix=alter_type(table, column, "decimal(12,2)" if is_mysql(table) else "numeric(12, 2)", ORM_DECIMAL),
                    key=f"{table.key}/column:{column.name}",
                )
