from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Index, SystemModel, Table
from .common import AccessPath, access_paths_of, parent, tables
from .fixes import column_list, ident, is_mysql, is_sqlite, rebuild, table_ref


def _identifying_key(table: Table) -> AccessPath | None:
    """A unique index or constraint of the table itself, on NOT NULL columns, that could become the primary key."""
    for path in access_paths_of(table):
        columns = [table.column(c) for c in path.columns]
        if path.unique and path.where is None and path.method == "btree" and all(c and not c.nullable for c in columns):
            return path
    return None


def _fix(table: Table, above: Table | None, key: AccessPath | None) -> str:
    ref, columns = table_ref(table), column_list(key.columns, table.dialect) if key else ""
    if table.model:
        return f"declare a primary key on {table.model.rpartition('.')[2]} (primary_key=True on its identifying column)"
    if above is not None:
        return f"declare the primary key on the partitioned table {above.qualified_name}: its partitions inherit it"
    if table.partition_by:
        return f"ALTER TABLE {ref} ADD PRIMARY KEY (...); the key must include the partition key, {table.partition_by}"
    if is_sqlite(table):
        return rebuild(table, f"PRIMARY KEY ({columns})" if key else "id INTEGER PRIMARY KEY")
    if key and is_mysql(table):
        return f"ALTER TABLE {ref} ADD PRIMARY KEY ({columns});"
    if key and isinstance(key.element, Index) and not any(key.collations + key.opclasses + key.orderings):
        return f"ALTER TABLE {ref} ADD CONSTRAINT {ident(table.name + '_pkey')} PRIMARY KEY USING INDEX {ident(key.name)};"
    if key:
        return f"ALTER TABLE {ref} ADD PRIMARY KEY ({columns}); then drop {key.name}"
    if is_mysql(table):
        return f"ALTER TABLE {ref} ADD COLUMN id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;"
    return f"ALTER TABLE {ref} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;"


@rule("DB001", "missing-primary-key", severity="warning")
def missing_primary_key(model: SystemModel) -> Iterator[Finding]:
    """A table without a primary key.

    ## Why is this bad?
    Without a primary key nothing says which row is which: duplicates creep in, an application cannot
    update or delete one row safely, ORMs refuse to map the table, and PostgreSQL's logical replication
    cannot replicate its updates and deletes (no replica identity). Every table that holds facts has a
    key; say which one it is.

    A partition takes its primary key from the partitioned table, so it is reported only when that has
    none too.

    ## Example
    ```sql
    CREATE TABLE payment_event (
        payment_id bigint NOT NULL REFERENCES payment (id),
        received_at timestamptz NOT NULL,
        payload jsonb NOT NULL
    );
    ```

    Use instead:
    ```sql
    CREATE TABLE payment_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        payment_id bigint NOT NULL REFERENCES payment (id),
        received_at timestamptz NOT NULL,
        payload jsonb NOT NULL
    );
    ```
    When a unique index on NOT NULL columns already identifies the rows, promote it:
    `ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_key;`.

    ## References
    - PostgreSQL documentation, 5.4.4 Primary Keys; 31.1 Publication (replica identity).
    """
    for table in tables(model):
        above = parent(model, table)
        if table.primary_key or (above is not None and above.primary_key) or not table.columns_complete:
            continue
        key = _identifying_key(table)
        fix = _fix(table, above, key)
        hint = f" (its unique key {key.name} could be promoted)" if key else ""
        columns = ", ".join(c.name for c in table.columns[:3]) + (", …" if len(table.columns) > 3 else "")
        yield Finding(table, f"table {table.qualified_name} ({columns}) has no primary key{hint}", fix=fix)
