from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import ForeignKey, SystemModel, Table
from .common import tables, words
from .fixes import column_list, ident, is_mysql, is_sqlite, model_field, rebuild, table_ref


def owned(table: Table, fk: ForeignKey) -> bool:
    """Whether the referenced table owns the rows: this table's primary key starts with the key (an order's
    lines, a user's profile), or this table is named after it (`invoice_line` → `invoice`) and the key is required."""
    if fk.columns and set(fk.columns) == set(table.primary_key[: len(fk.columns)]):
        return True
    parent = words(fk.ref_table.rpartition(".")[2])
    child = words(table.name)
    columns = [table.column(c) for c in fk.columns]
    required = all(c is not None and not c.nullable for c in columns)
    named_after = len(child) > len(parent) and child[: len(parent)] in (parent, [*parent[:-1], parent[-1].removesuffix("s")])
    return required and bool(parent) and named_after


def _fix(table: Table, fk: ForeignKey) -> str:
    if table.model:
        return f"declare the ForeignKey of {model_field(table, fk.columns[0])} with ondelete='CASCADE' (or 'RESTRICT')"
    if is_sqlite(table):
        return rebuild(table, f"ON DELETE CASCADE (or RESTRICT) on the foreign key ({', '.join(fk.columns)})")
    name, ref = ident(fk.name, table.dialect) if fk.name else "<constraint>", table_ref(table)
    references = f"{fk.ref_table} ({column_list(fk.ref_columns, table.dialect)})" if fk.ref_columns else fk.ref_table
    columns = column_list(fk.columns, table.dialect)
    add = f"ADD CONSTRAINT {name} FOREIGN KEY ({columns}) REFERENCES {references} ON DELETE CASCADE"
    if is_mysql(table):
        return f"ALTER TABLE {ref} DROP FOREIGN KEY {name}, {add}; (or ON DELETE RESTRICT)"
    validate = f"ALTER TABLE {ref} VALIDATE CONSTRAINT {name};"
    return f"ALTER TABLE {ref} DROP CONSTRAINT {name}, {add} NOT VALID; {validate} (or ON DELETE RESTRICT)"


@rule("DB019", "on-delete-unspecified", severity="info")
def on_delete_unspecified(model: SystemModel) -> Iterator[Finding]:
    """A foreign key from an owned table that does not say what happens when its owner is deleted.

    ## Why is this bad?
    When one table owns another (an order its lines, a user its profile), deleting the owner has one
    right outcome: the owned rows go too (CASCADE), or the delete is refused while they exist
    (RESTRICT). Left unspecified, the key defaults to NO ACTION: the delete fails with a foreign key
    error the application was not written for, or the application deletes children by hand, in its own
    order, and a path that forgets one fails in production. Write the decision into the schema.

    A table is taken as owned when its primary key starts with the key (`PRIMARY KEY (invoice_id,
    line_no)`), or when it is named after the referenced table (`invoice_line` → `invoice`) and the key
    is NOT NULL. Django models are left alone: Django applies `on_delete` itself.

    ## Example
    ```sql
    CREATE TABLE invoice_line (
        invoice_id bigint NOT NULL REFERENCES invoice (id),
        line_no int NOT NULL,
        PRIMARY KEY (invoice_id, line_no)
    );
    ```

    Use instead:
    ```sql
    CREATE TABLE invoice_line (
        invoice_id bigint NOT NULL REFERENCES invoice (id) ON DELETE CASCADE,
        line_no int NOT NULL,
        PRIMARY KEY (invoice_id, line_no)
    );
    ```

    ## Known problems
    An explicit `ON DELETE NO ACTION` cannot be told from none (PostgreSQL stores the same); write
    `RESTRICT` to say "refuse". Deleting rows in application code, in a chosen order, is a design of its
    own (MusicBrainz's); there the findings are a list of the relations to keep in mind.
    """
    for table in tables(model):
        if table.framework == "django":
            continue  # Django applies on_delete itself and keeps the database's rule NO ACTION on purpose
        for fk in table.foreign_keys:
            if fk.on_delete is None and owned(table, fk):
                yield Finding(
                    fk,
                    f"foreign key {table.qualified_name}({', '.join(fk.columns)}) → {fk.ref_table} does not say "
                    f"what happens to {table.qualified_name} rows when their {fk.ref_table} is deleted",
                    fix=_fix(table, fk),
                    key=f"{table.key}/fk:{','.join(fk.columns)}",
                )
