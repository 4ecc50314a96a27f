from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Column, SystemModel, Table
from .common import mentions, own_columns, tables, text_like, words
from .fixes import ident, is_mysql, is_sqlite, model_field, object_name, orm_choice, rebuild, table_ref

ENUM_NAMES = frozenset({"status", "state", "kind", "type", "priority", "severity", "visibility"})
# `state` of an address is a region, a `type` of content is a MIME type: open sets.
OPEN_SETS = frozenset({"content_type", "mime_type", "media_type", "file_type", "mimetype", "address_state", "billing_state",
                       "shipping_state", "action_type", "event_type", "agent_type", "os_type", "internal_type"})


def _enum_like(table: Table, column: Column) -> bool:
    named = words(column.name)
    if not named or named[-1] not in ENUM_NAMES or "_".join(named) in OPEN_SETS or not text_like(column.type):
        return False
    if named[-1] == "type" and table.column(column.name.removesuffix("type") + "id"):
        return False  # `commentable_type` beside `commentable_id` names a table: a polymorphic association (DB020)
    # A `state` beside a city or a postal code is a region (`invoice_to_state` beside `invoice_to_city`).
    prefix = column.name[: -len("state")]
    places = ("city", "zip", "zipcode", "postal_code", "country")
    return not (named[-1] == "state" and any(table.column(n) or table.column(prefix + n) for n in places))


def _constrained(table: Table, column: Column) -> bool:
    checks = (c for c in table.constraints if c.kind == "check")
    if any(column.name in c.columns or (not c.columns and mentions(c.expression, column.name)) for c in checks):
        return True
    return any(column.name in fk.columns for fk in table.foreign_keys)


def _fix(table: Table, column: Column) -> str:
    if table.model:
        return f"declare {model_field(table, column.name)} with " + orm_choice(
            table, "an Enum(...) type or a CheckConstraint", "a CheckConstraint in Meta.constraints (choices= is not enforced)"
        )
    check = f"CHECK ({ident(column.name, table.dialect)} IN (...))"
    if is_sqlite(table):
        return rebuild(table, check)
    name = ident(object_name(table, [column.name], "check"), table.dialect)
    # NOT VALID skips checking existing rows under the lock; VALIDATE CONSTRAINT checks them afterwards.
    return f"ALTER TABLE {table_ref(table)} ADD CONSTRAINT {name} {check}{'' if is_mysql(table) else ' NOT VALID'};"


@rule("DB012", "enum-like-text-without-check", severity="info")
def enum_like_text_without_check(model: SystemModel) -> Iterator[Finding]:
    """A status-like text column that accepts any string: no CHECK, no enum type, no lookup table.

    ## Why is this bad?
    A column named (or ending in) `status`, `state`, `kind`, `type`, `priority` holds one of a few known values, and the
    code branches on them. Stored as free text, nothing stops `'actve'`, `'Active'` or `'active '`; the
    row then matches no branch and silently drops out of every query that filters on the status. A CHECK
    constraint, an enum type, or a foreign key to a lookup table lets the database refuse the typo.

    ## Example
    ```sql
    CREATE TABLE deletion_request (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'pending');
    ```

    Use instead:
    ```sql
    CREATE TABLE deletion_request (
        id bigint PRIMARY KEY,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed'))
    );
    ```
    (In SQLAlchemy `Enum(...)` or a `CheckConstraint`; in Django a `CheckConstraint` in `Meta.constraints`,
    since `choices=` is checked only by forms.)

    ## Known problems
    Judged by the name: a `type` column that holds an open set (a MIME type, a free label) is reported
    too; say so with a suppression.
    """
    for table in tables(model):
        for column in own_columns(model, table):
            if not _enum_like(table, column) or _constrained(table, column):
                continue
            fix = _fix(table, column)
            yield Finding(
                column,
                f"{table.qualified_name}.{column.name} ({column.type}) takes a few known values, but nothing restricts them",
                fix=fix,
                key=f"{table.key}/column:{column.name}",
            )
