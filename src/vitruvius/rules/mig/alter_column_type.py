import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .context import steps

_TYPE = re.compile(r"^(?P<base>[a-z ]+?)(?:\((?P<size>\d+)(?:,(?P<scale>\d+))?\))?(?P<zone> with(?:out)? time zone)?$")
# Types a change to may be free when the old type is a narrower one of the same family.
_WIDENABLE = ("character varying", "text", "numeric", "bit varying", "inet", "timestamp", "time", "interval")


def _parts(type_: str) -> tuple[str, int | None, int | None, str] | None:
    m = _TYPE.match(type_)
    if not m:
        return None
    size = int(m["size"]) if m["size"] else None
    return m["base"], size, int(m["scale"]) if m["scale"] else None, m["zone"] or ""


def free_change(old: str, new: str) -> bool:
    """Whether PostgreSQL changes `old` to `new` without rewriting the table or rebuilding its indexes."""
    if old == new:
        return True
    a, b = _parts(old), _parts(new)
    if a is None or b is None:
        return False
    (base_a, size_a, scale_a, zone_a), (base_b, size_b, scale_b, zone_b) = a, b
    if base_a in ("character varying", "text") and (base_b, size_b) in (("text", None), ("character varying", None)):
        return True
    if base_a == base_b == "character varying" or base_a == base_b == "bit varying" or (base_a, base_b) == ("bit", "bit varying"):
        return size_b is None or (size_a is not None and size_b >= size_a)
    if base_a == base_b == "numeric":
        return size_b is None or (size_a is not None and size_b >= size_a and scale_a == scale_b)
    if base_a == base_b and base_a in ("timestamp", "time", "interval") and zone_a == zone_b:
        return (size_b if size_b is not None else 6) >= (size_a if size_a is not None else 6)
    return (base_a, base_b) == ("cidr", "inet")


@rule("MIG006", "alter-column-type", severity="error")
def alter_column_type(
    model: SystemModel, *, postgres_version: int = 15, released_before: str = "", unreleased_paths: tuple = ()
) -> Iterator[Finding]:
    """A column type change on an existing table that rewrites the table.

    ## Why is this bad?
    `ALTER COLUMN ... TYPE` rewrites every row and rebuilds every index of the table under an ACCESS EXCLUSIVE
    lock: nothing reads or writes the table until it is done. Only changes PostgreSQL can verify need no
    rewrite are free: widening a `varchar(n)`, `varchar` to `text`, raising a `numeric` precision with the same
    scale, raising a timestamp precision, `cidr` to `inet`, all without a `USING` that changes the value.
    Those are not reported when the migrations show the old type; when they do not, a change to a type such
    a widening could end in (`text`, `varchar`, `numeric`, ...) is given the benefit of the doubt.

    ## Example
    ```sql
    ALTER TABLE orders ALTER COLUMN id TYPE bigint;
    ```

    Use instead: add a new column, keep it in sync with a trigger, backfill it in batches, then swap the
    names in one short transaction:
    ```sql
    ALTER TABLE orders ADD COLUMN id_new bigint;
    -- trigger copying id to id_new on write; batched UPDATE orders SET id_new = id WHERE id BETWEEN ...;
    ALTER TABLE orders RENAME COLUMN id TO id_old; ALTER TABLE orders RENAME COLUMN id_new TO id;
    ```

    ## References
    - Squawk `changing-column-type`; strong_migrations "Changing the type of a column".
    """
    for step in steps(model, released_before, unreleased_paths):
        change = step.change
        if change.kind != "alter_column_type" or step.new_table:
            continue
        table, column, new = change.table, change.column, change.option("type") or ""
        using = change.option("using")
        plain_using = using is None or using == column or using.startswith(f"{column}::")
        if plain_using and (free_change(step.old_type, new) if step.old_type else (_parts(new) or ("",))[0] in _WIDENABLE):
            continue
        what = f"from {step.old_type} to {new}" if step.old_type and step.old_type != new else f"to {new}"
        what += "" if plain_using else f" USING {using}"
        yield Finding(
            change,
            f"changing {table}.{column} {what} rewrites {table} and its indexes under an ACCESS EXCLUSIVE lock",
            fix=(
                f"ALTER TABLE {table} ADD COLUMN {column}_new {new}; keep it in sync with a trigger and backfill it in batches; "
                f"then ALTER TABLE {table} RENAME COLUMN {column} TO {column}_old; ALTER TABLE {table} RENAME COLUMN {column}_new TO {column};"
            ),
            key=step.key,
        )
