from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import tables


@rule("DB017", "very-wide-table", severity="info")
def very_wide_table(model: SystemModel, *, max_columns: int = 50) -> Iterator[Finding]:
    """A table with more columns than `max_columns` (50).

    ## Why is this bad?
    A very wide table usually holds several things at once: an entity, its settings, its optional
    one-to-one extensions, a denormalised copy of its neighbours. Every row carries all of them, so every
    update writes a new version of the whole row (PostgreSQL's MVCC copies the row), mostly-NULL columns
    make the meaning of a row hard to state, and adding one more column is the path of least resistance.
    Splitting the optional or rarely read groups into their own tables (one-to-one on the same key)
    keeps the hot row small.

    ## Example
    ```sql
    CREATE TABLE customer (id bigint PRIMARY KEY, name text, email text, ... , marketing_opt_in boolean,
        newsletter_frequency text, preferred_store_id bigint, ...);  -- 60 columns
    ```

    Use instead:
    ```sql
    CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL);
    CREATE TABLE customer_marketing (customer_id bigint PRIMARY KEY REFERENCES customer (id) ON DELETE CASCADE,
        opt_in boolean NOT NULL, newsletter_frequency text);
    ```

    ## Known problems
    Wide fact or reporting tables are wide on purpose; raise `max_columns` or suppress them.
    """
    for table in tables(model):
        if len(table.columns) > max_columns and not table.partition_of:
            yield Finding(
                table,
                f"table {table.qualified_name} has {len(table.columns)} columns (more than {max_columns})",
                fix=f"move groups of optional or rarely read columns of {table.name} into one-to-one tables "
                "keyed by its primary key",
            )
