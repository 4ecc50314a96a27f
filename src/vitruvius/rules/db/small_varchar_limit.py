import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import own_columns, tables, words
from .fixes import alter_type, is_mysql

VARCHAR = re.compile(r"^(character varying|varchar|nvarchar|national character varying)\((\d+)\)$")
ORM_TEXT = ("Text()", "TextField()")
POSTAL = frozenset({"street", "city", "postal_address", "billing_address", "shipping_address", "mailing_address", "home_address"})
PERSON = frozenset({"first_name", "last_name", "full_name", "given_name", "family_name", "display_name", "middle_name"})


def _kind(name: str) -> tuple[int, str] | None:
    """What a column holds, judged by the last words of its name, and the length real values of it reach."""
    named = words(name)
    last, last_two = named[-1] if named else "", "_".join(named[-2:])
    if last == "email" or last_two == "email_address":
        return 254, "an email address (up to 254 characters)"
    if last in ("url", "uri", "website", "homepage", "href"):
        return 2048, "a URL (real ones reach 2,000 characters)"
    if last_two in PERSON or last in ("surname", "firstname", "lastname", "fullname"):
        return 100, "a person's name"
    if last in POSTAL or last_two in POSTAL or named == ["address"] or (named[:1] == ["address"] and last.startswith("line")):
        return 100, "a postal address"
    return None


@rule("DB007", "small-varchar-limit", severity="info")
def small_varchar_limit(model: SystemModel) -> Iterator[Finding]:
    """A `varchar(n)` limit smaller than the values the column's name says it holds.

    ## Why is this bad?
    A length limit is a business rule. `email varchar(64)` rejects valid addresses (up to 254
    characters), `website varchar(255)` rejects real URLs, `last_name varchar(30)` rejects real people.
    The limit is found in production, as a failed sign-up or a truncated record, and widening it later
    is a migration. In PostgreSQL `varchar(n)` is not faster or smaller than `text`; use `text` (with a
    CHECK on `length()` when a limit is a real rule) or at least the length the data needs.

    Only columns whose name ends by saying what they hold are judged: email (254), URL/website (2,048),
    person names and postal addresses (100).

    ## Example
    ```sql
    CREATE TABLE account (id bigint PRIMARY KEY, email varchar(64) NOT NULL, website varchar(255));
    ```

    Use instead:
    ```sql
    CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL CHECK (length(email) <= 254), website text);
    ```

    ## References
    - RFC 5321, 4.5.3.1 (path length); PostgreSQL wiki, Don't Do This: "Don't use varchar(n) by default".
    """
    for table in tables(model):
        for column in own_columns(model, table):
            match = VARCHAR.match(column.type)
            kind = _kind(column.name) if match else None
            if match and kind and int(match[2]) < kind[0]:
                yield Finding(
                    column,
                    f"{table.qualified_name}.{column.name} is {column.type}, too short for {kind[1]}",
                    # MySQL cannot index a TEXT column whole: give it the length the data needs instead.
                    fix=alter_type(table, column, f"varchar({kind[0]})" if is_mysql(table) else "text", ORM_TEXT),
                    key=f"{table.key}/column:{column.name}",
                )
