import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Column, SystemModel
from .common import related_table, tables
from .fixes import alter_type, ident

# The type a serial column really has, and other spellings of one type across dialects.
SAME_TYPE = {
    "serial": "integer", "bigserial": "bigint", "smallserial": "smallint", "int": "integer", "int4": "integer",
    "int8": "bigint", "int2": "smallint", "serial4": "integer", "serial8": "bigint",
    # varchar and text convert without a cast (binary coercible) in PostgreSQL; an index serves either.
    "character varying": "text", "varchar": "text",
}
LENGTH = re.compile(r"\(\d+\)$")


def base_type(column: Column) -> str:
    """The type that matters for a key comparison: serial as its integer, a length limit left out
    (`varchar(36)` and `varchar(64)` compare equal)."""
    type_ = column.type.lower()
    if not type_.startswith(("numeric", "decimal")):
        type_ = LENGTH.sub("", type_)
    return SAME_TYPE.get(type_, type_)


@rule("DB022", "foreign-key-type-mismatch", severity="warning")
def foreign_key_type_mismatch(model: SystemModel) -> Iterator[Finding]:
    """A foreign key column whose type differs from the column it references.

    ## Why is this bad?
    An `integer` column referencing a `bigint` key works until the parent's ids pass 2,147,483,647; then
    inserts of children fail, in production, years after the schema was written. The other way round, or
    between types that need a conversion (`uuid` and `text`, `integer` and `numeric`), every join and
    foreign key check converts, which can keep the planner from using an index. A key and its references
    should have the same type. A serial is compared as its integer type; length limits, and `varchar`
    against `text` (binary coercible), are not differences.

    ## Example
    ```sql
    CREATE TABLE customer (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
    CREATE TABLE purchase (id bigint PRIMARY KEY, customer_id integer NOT NULL REFERENCES customer (id));
    ```

    Use instead:
    ```sql
    CREATE TABLE purchase (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer (id));
    ```
    """
    for table in tables(model):
        for fk in table.foreign_keys:
            referenced = related_table(model, table, fk.ref_table)
            if referenced is None or len(fk.ref_columns) != len(fk.columns):
                continue
            for name, ref_name in zip(fk.columns, fk.ref_columns, strict=True):
                column, target = table.column(name), referenced.column(ref_name)
                if column is None or target is None or base_type(column) == base_type(target):
                    continue
                wanted = base_type(target) if base_type(target) in SAME_TYPE.values() else target.type
                yield Finding(
                    fk,
                    f"{table.qualified_name}.{name} is {column.type} but references {referenced.qualified_name}.{ref_name}, "
                    f"which is {target.type}",
                    fix=alter_type(table, column, wanted, (f"the type of {ref_name}",) * 2, f"{ident(name)}::{wanted}"),
                    related=(target.location,),
                    key=f"{table.key}/fk:{','.join(fk.columns)}/column:{name}",
                )
