"""The SQL reader on in-memory scripts: tables and their parts, migrations and their changes, notes."""

from __future__ import annotations

import multiprocessing
import os
import textwrap

import pytest

from vitruvius.model import Location, Note, SchemaChange, Table
from vitruvius.readers import sql as sql_reader
from vitruvius.readers.sql import SqlResult, detect_dialect, postgres, read_sql_sources
from vitruvius.readers.sql.migrations import migration_order


def schema(*files: tuple[str, str], dialect: str | None = None) -> SqlResult:
    return read_sql_sources([(path, textwrap.dedent(text), "schema") for path, text in files], dialect=dialect)


def migrations(*files: tuple[str, str], dialect: str | None = None) -> SqlResult:
    return read_sql_sources([(path, textwrap.dedent(text), "migration") for path, text in files], dialect=dialect)


def table(result: SqlResult, name: str) -> Table:
    return next(t for t in result.tables if t.name == name)


def changes(result: SqlResult) -> list[SchemaChange]:
    return [c for m in result.migrations for c in m.changes]


def change(result: SqlResult, kind: str) -> SchemaChange:
    return next(c for c in changes(result) if c.kind == kind)


# --- PostgreSQL tables -----------------------------------------------------------------------------------

POSTGRES_SHOP = """\
    CREATE TABLE customers (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email varchar(255) NOT NULL UNIQUE,
        created_at timestamp DEFAULT now() NOT NULL,
        seen_at timestamptz,
        balance numeric(10,2) CHECK (balance >= 0),
        ratio double precision,
        tags text[] DEFAULT '{}',
        code char(2)
    );
    CREATE TABLE orders (
        id serial PRIMARY KEY,
        customer_id bigint NOT NULL REFERENCES customers ON DELETE CASCADE,
        coupon text,
        CONSTRAINT orders_coupon_not_empty CHECK (coupon <> ''),
        UNIQUE (customer_id, coupon),
        FOREIGN KEY (coupon) REFERENCES coupons (code) ON UPDATE SET NULL
    );
"""


def test_columns_have_normalised_types_nullability_defaults_and_identity() -> None:
    customers = table(schema(("db/schema.sql", POSTGRES_SHOP)), "customers")

    assert [(c.name, c.type, c.nullable) for c in customers.columns] == [
        ("id", "bigint", False),
        ("email", "character varying(255)", False),
        ("created_at", "timestamp without time zone", False),
        ("seen_at", "timestamp with time zone", True),
        ("balance", "numeric(10,2)", True),
        ("ratio", "double precision", True),
        ("tags", "text[]", True),
        ("code", "character(2)", True),
    ]
    assert customers.column("created_at").default == "now()"
    assert customers.column("tags").default == "'{}'"
    assert customers.column("id").identity and customers.column("id").primary_key
    assert customers.column("email").unique
    assert customers.column("email").location == Location("db/schema.sql", 3, 5)


def test_serial_is_an_identity_column_that_cannot_be_null() -> None:
    order_id = table(schema(("db/schema.sql", POSTGRES_SHOP)), "orders").column("id")

    assert (order_id.type, order_id.identity, order_id.nullable) == ("serial", True, False)


def test_primary_keys_unique_constraints_and_checks_from_columns_and_table_constraints() -> None:
    result = schema(("db/schema.sql", POSTGRES_SHOP))
    customers, orders = table(result, "customers"), table(result, "orders")

    assert customers.primary_key == ("id",)
    assert orders.primary_key == ("id",)
    assert {(c.kind, c.columns, c.name) for c in orders.constraints} == {
        ("primary", ("id",), "orders_pkey"),
        ("check", ("coupon",), "orders_coupon_not_empty"),
        ("unique", ("customer_id", "coupon"), "orders_customer_id_coupon_key"),
    }
    check = next(c for c in customers.constraints if c.kind == "check")
    assert (check.name, check.columns, check.expression) == ("customers_balance_check", ("balance",), "balance >= 0")


def test_exclusion_constraints_and_repeated_generated_check_names() -> None:
    result = schema(("db/schema.sql", """\
        CREATE TABLE booking (room integer, during tstzrange, a integer, b integer,
            CHECK (a < b), CHECK (b < 100 OR a > 0),
            EXCLUDE USING gist (room WITH =, during WITH &&));
    """))

    assert {(c.kind, c.name, c.columns) for c in table(result, "booking").constraints} == {
        ("check", "booking_check", ("a", "b")),
        ("check", "booking_check1", ("b", "a")),
        ("exclude", "booking_room_during_excl", ("room", "during")),
    }


def test_foreign_keys_inline_and_as_table_constraints_with_their_actions() -> None:
    orders = table(schema(("db/schema.sql", POSTGRES_SHOP)), "orders")

    inline, declared = orders.foreign_keys
    # REFERENCES without columns means the referenced table's primary key.
    assert (inline.name, inline.columns, inline.ref_table, inline.ref_columns) == (
        "orders_customer_id_fkey", ("customer_id",), "customers", ("id",))
    assert (inline.on_delete, inline.on_update) == ("cascade", None)
    assert (declared.columns, declared.ref_table, declared.ref_columns, declared.on_update) == (
        ("coupon",), "coupons", ("code",), "set null")
    assert inline.location.line == 13
    assert declared.location.line == 17


def test_elements_added_by_later_statements_take_those_statements_locations() -> None:
    result = schema(
        ("db/01-tables.sql", "CREATE TABLE a (id integer NOT NULL);\nCREATE TABLE b (id integer, a_id integer);\n"),
        ("db/02-keys.sql", "\n\nALTER TABLE a ADD CONSTRAINT a_pkey PRIMARY KEY (id);\n"),
        ("db/03-fks.sql", "ALTER TABLE b\n  ADD CONSTRAINT b_fk_a\n  FOREIGN KEY (a_id) REFERENCES a(id);\n"),
        ("db/04-indexes.sql", "-- indexes\nCREATE INDEX b_idx_a ON b (a_id);\n"),
    )
    a, b = table(result, "a"), table(result, "b")

    assert a.primary_key == ("id",)
    assert next(c for c in a.constraints if c.kind == "primary").location == Location("db/02-keys.sql", 3, 1, 3)
    assert b.foreign_keys[0].location == Location("db/03-fks.sql", 1, 1, 3)
    assert b.indexes[0].location == Location("db/04-indexes.sql", 2, 1, 2)
    assert b.has_index_starting_with(("a_id",))


def test_schema_files_are_applied_in_numeric_path_order() -> None:
    result = schema(
        ("db/10-indexes.sql", "CREATE INDEX t_idx ON t (x);"),
        ("db/2-tables.sql", "CREATE TABLE t (x integer);"),
    )

    assert [i.name for i in table(result, "t").indexes] == ["t_idx"]


def test_indexes_keep_expressions_predicate_method_collations_opclasses_and_include() -> None:
    result = schema(("db/schema.sql", """\
        CREATE TABLE t (a text, b text, c integer);
        CREATE UNIQUE INDEX t_lower_a ON t USING btree (lower(a), b COLLATE "C" text_pattern_ops DESC) INCLUDE (c)
            WHERE c > 0;
        CREATE INDEX ON t USING gin (b);
    """))
    expression_index, unnamed = table(result, "t").indexes

    assert expression_index.columns == ("lower(a)", "b")
    assert expression_index.unique and expression_index.method == "btree"
    assert expression_index.where == "c > 0"
    assert expression_index.collations == (None, "C")
    assert expression_index.opclasses == (None, "text_pattern_ops")
    assert expression_index.include == ("c",)
    assert (unnamed.name, unnamed.method) == ("t_b_idx", "gin")


def test_alter_table_changes_columns_of_the_schema() -> None:
    result = schema(("db/schema.sql", """\
        CREATE TABLE t (a integer, b text, c text, d text);
        ALTER TABLE t ALTER COLUMN a TYPE bigint, ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET DEFAULT 'x';
        ALTER TABLE t DROP COLUMN c;
        ALTER TABLE t RENAME COLUMN d TO e;
        ALTER TABLE t ADD COLUMN f integer REFERENCES t (a);
        CREATE INDEX t_e ON t (e);
        DROP INDEX t_e;
        ALTER TABLE t RENAME TO u;
    """))
    u = table(result, "u")

    assert [(c.name, c.type, c.nullable, c.default) for c in u.columns] == [
        ("a", "bigint", False, None), ("b", "text", True, "'x'"), ("e", "text", True, None), ("f", "integer", True, None),
    ]
    assert [(f.columns, f.ref_table) for f in u.foreign_keys] == [(("f",), "u")]  # it follows the renamed table
    assert u.indexes == ()
    assert [t.name for t in result.tables] == ["u"]


def test_dropping_a_constraint_by_its_generated_name() -> None:
    result = schema(("db/schema.sql", """\
        CREATE TABLE p (id integer PRIMARY KEY);
        CREATE TABLE c (id integer PRIMARY KEY, p_id integer REFERENCES p);
        ALTER TABLE c DROP CONSTRAINT c_p_id_fkey;
        ALTER TABLE c DROP CONSTRAINT c_pkey;
    """))
    child = table(result, "c")

    assert child.foreign_keys == ()
    assert child.primary_key == ()
    assert not child.column("id").nullable  # dropping a primary key leaves its columns NOT NULL


def test_add_constraint_using_an_index_turns_the_index_into_the_constraint() -> None:
    result = schema(("db/schema.sql", """\
        CREATE TABLE t (id integer NOT NULL);
        CREATE UNIQUE INDEX CONCURRENTLY t_id_idx ON t (id);
        ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx;
    """))
    t = table(result, "t")

    assert t.primary_key == ("id",)
    assert t.indexes == ()


def test_search_path_qualifies_unqualified_names_until_the_end_of_its_file() -> None:
    result = schema(
        ("db/1.sql", "SET search_path = 'shop', public;\nCREATE TABLE orders (id integer);\nCREATE TABLE audit.log (id integer);"),
        ("db/2.sql", "CREATE TABLE plain (id integer);\nCREATE INDEX orders_id ON shop.orders (id);"),
    )

    assert {(t.schema, t.name) for t in result.tables} == {("shop", "orders"), ("audit", "log"), (None, "plain")}
    orders = table(result, "orders")
    assert orders.qualified_name == "shop.orders" and orders.key == "table:shop.orders"
    assert [i.name for i in orders.indexes] == ["orders_id"]


def test_partitions_inherit_columns_and_foreign_keys_stay_where_declared() -> None:
    result = schema(("db/schema.sql", """\
        CREATE TABLE artist (id integer PRIMARY KEY);
        CREATE TABLE artist_release (is_va boolean NOT NULL, artist integer NOT NULL) PARTITION BY LIST (is_va);
        CREATE TABLE artist_release_va PARTITION OF artist_release FOR VALUES IN (TRUE);
        ALTER TABLE artist_release ADD CONSTRAINT artist_release_fk_artist FOREIGN KEY (artist) REFERENCES artist (id);
        CREATE INDEX artist_release_va_idx ON artist_release_va (artist);
    """))
    parent, partition = table(result, "artist_release"), table(result, "artist_release_va")

    assert [c.name for c in partition.columns] == ["is_va", "artist"]
    assert [f.name for f in parent.foreign_keys] == ["artist_release_fk_artist"]
    assert partition.foreign_keys == ()
    assert not parent.has_index_starting_with(("artist",))  # as in the catalog: the index is on the partition
    assert partition.has_index_starting_with(("artist",))
    create = change(migrations(("m/1.sql", "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);")), "create_table")
    assert create.option("partition_of") == "p"


# --- psql scripts and what cannot be analysed ------------------------------------------------------------

def test_psql_meta_commands_are_skipped_keeping_line_numbers() -> None:
    result = schema(("db/schema.sql", "\\set ON_ERROR_STOP 1\n\\unset foo\n\\i other.sql\nCREATE TABLE t (id integer);\n"))

    assert result.notes == []
    assert table(result, "t").location.line == 4


def test_copy_data_from_stdin_is_skipped() -> None:
    result = schema(("dump.sql", "COPY t (id, name) FROM stdin;\n1\tfirst; row\n\\.\nCREATE TABLE t (id integer);\n"))

    assert result.notes == []
    assert table(result, "t").location.line == 4


@pytest.mark.parametrize("usage", [":gid", ":'gid'", ':"gid"'])
def test_a_statement_using_a_psql_variable_is_noted_and_the_rest_is_analysed(usage: str) -> None:
    script = f"\\set gid '''x'''\nCREATE TABLE a (id integer);\nSELECT id FROM a\n  WHERE gid = {usage};\nCREATE TABLE b (id integer);\n"
    result = schema(("db/vars.sql", script))

    assert result.notes == [Note(
        "unanalysable-statement", Location("db/vars.sql", 3, 1),
        f"db/vars.sql:3: statement uses psql variable {usage}; cannot analyse it",
    )]
    assert {t.name for t in result.tables} == {"a", "b"}


def test_an_array_slice_is_not_a_psql_variable() -> None:
    result = schema(("db/slice.sql", "CREATE TABLE t (a integer[]);\nSELECT a[2:array_upper(a, 1)] FROM t;\n"))

    assert result.notes == []


def test_a_statement_that_does_not_parse_is_noted_with_the_parser_message() -> None:
    result = schema(("db/bad.sql", "CREATE TABLE a (id integer);\n\nCREAT TABLE b (id integer);\nCREATE TABLE c (id integer);\n"))

    assert result.notes == [Note(
        "unanalysable-statement", Location("db/bad.sql", 3, 1),
        'db/bad.sql:3: statement does not parse: syntax error at or near "CREAT"',
    )]
    assert {t.name for t in result.tables} == {"a", "c"}


def test_an_unterminated_string_is_noted_not_raised() -> None:
    result = schema(("db/broken.sql", "CREATE TABLE a (id integer DEFAULT 'x);\n"))

    assert [n.kind for n in result.notes] == ["unanalysable-statement"]
    assert result.tables == []


def test_a_parser_process_reads_the_same_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [
        ("db/1_shop.sql", textwrap.dedent(POSTGRES_SHOP), "schema"),
        ("db/2_bad.sql", "CREATE TABLE a (id integer);\n\nCREAT TABLE b (id integer);\nCREATE TABLE c (id integer);\n", "schema"),
        ("db/3_nul.sql", "CREATE TABLE n (id integer);\x00\n", "schema"),
        ("migrations/V1__add.sql", "ALTER TABLE customers ADD COLUMN nick text;\nCREATE INDEX ON customers (nick);\n", "migration"),
    ]
    alone = read_sql_sources(files)
    monkeypatch.setattr(sql_reader, "PARALLEL_PARSE_CHARACTERS", 0)

    assert read_sql_sources(files) == alone
    assert len(alone.notes) == 2 and len(alone.migrations) == 1 and len(alone.tables) == 4


def test_a_parser_process_that_dies_leaves_the_rest_of_the_parsing_to_this_one(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [
        ("db/1_shop.sql", textwrap.dedent(POSTGRES_SHOP), "schema"),
        ("db/2_more.sql", "CREATE TABLE more (id integer PRIMARY KEY);\n", "schema"),
        ("migrations/V1__add.sql", "ALTER TABLE more ADD COLUMN nick text;\n", "migration"),
    ]
    alone = read_sql_sources(files)
    monkeypatch.setattr(sql_reader, "PARALLEL_PARSE_CHARACTERS", 0)
    monkeypatch.setattr(sql_reader, "_parse_into", _send_one_and_die)

    assert read_sql_sources(files) == alone


def _send_one_and_die(texts: list[str], sending) -> None:
    sending.send(postgres.parse(texts[0], serialized=True))
    os._exit(9)


def _read_in(queue: multiprocessing.Queue, files: list[tuple[str, str, str]]) -> None:
    sql_reader.PARALLEL_PARSE_CHARACTERS = 0
    queue.put(read_sql_sources(files))


def test_a_daemon_process_reads_without_a_parser_process() -> None:
    # multiprocessing forbids a daemon process (a pool's worker, say) to start processes of its own.
    files = [("db/1_shop.sql", textwrap.dedent(POSTGRES_SHOP), "schema")]
    queue: multiprocessing.Queue = multiprocessing.Queue()
    daemon = multiprocessing.Process(target=_read_in, args=(queue, files), daemon=True)
    daemon.start()
    result = queue.get(timeout=30)
    daemon.join()

    assert result == read_sql_sources(files)


def test_an_unknown_dialect_is_a_configuration_note() -> None:
    result = schema(("db/schema.sql", "CREATE TABLE t (id integer);"), dialect="oracle")

    assert [n.kind for n in result.notes] == ["configuration"]
    assert "oracle" in result.notes[0].message
    assert [t.name for t in result.tables] == ["t"]


# --- migrations ------------------------------------------------------------------------------------------

def test_migrations_are_ordered_by_the_version_in_their_names() -> None:
    paths = [
        "db/V10__late.sql", "db/V2__b.sql", "db/V1_2__a2.sql", "db/V1__a.sql", "db/R__views.sql",
        "sql/0002_second.sql", "sql/0001_first.sql", "updates/20120220-x.sql", "updates/20110101-y.sql",
    ]

    assert migration_order(paths) == [
        "db/V1__a.sql", "sql/0001_first.sql", "db/V1_2__a2.sql", "db/V2__b.sql", "sql/0002_second.sql",
        "db/V10__late.sql", "updates/20110101-y.sql", "updates/20120220-x.sql", "db/R__views.sql",
    ]


def test_a_migration_records_id_order_framework_and_its_changes() -> None:
    result = migrations(
        ("db/migration/V2__orders.sql", "CREATE TABLE orders (id integer);"),
        ("db/migration/V1__init.sql", "CREATE TABLE customers (id integer);"),
    )

    first, second = result.migrations
    assert (first.id, first.order, first.framework, first.path) == ("V1__init", 0, "flyway", "db/migration/V1__init.sql")
    assert (second.id, second.order) == ("V2__orders", 1)
    assert [(c.kind, c.table, c.location.line) for c in first.changes] == [("create_table", "customers", 1)]
    assert first.changes[0].sql == "CREATE TABLE customers (id integer)"


def test_without_schema_files_the_tables_come_from_the_migrations_applied_in_order() -> None:
    result = migrations(
        ("migrations/0002_add_email.sql", "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';"),
        ("migrations/0001_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY);"),
        ("migrations/0002_add_email.down.sql", "ALTER TABLE users DROP COLUMN email;"),
    )

    users = table(result, "users")
    assert users.origin == "migration"
    assert [c.name for c in users.columns] == ["id", "email"]
    assert len(result.migrations) == 3


def test_with_schema_files_the_tables_come_from_them() -> None:
    result = read_sql_sources([
        ("db/schema.sql", "CREATE TABLE users (id integer);", "schema"),
        ("db/migrations/0001_other.sql", "CREATE TABLE other (id integer);", "migration"),
    ])

    assert [(t.name, t.origin) for t in result.tables] == [("users", "sql")]
    assert [m.id for m in result.migrations] == ["0001_other"]


def test_migration_change_kinds_and_the_facts_safety_rules_need() -> None:
    result = migrations(("migrations/0003_changes.sql", """\
        SET lock_timeout = '5s';
        SET statement_timeout TO 60000;
        BEGIN;
        CREATE TABLE t (id integer);
        ALTER TABLE t ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();
        ALTER TABLE t ADD COLUMN created timestamptz DEFAULT now();
        ALTER TABLE t ADD COLUMN n integer;
        ALTER TABLE t ALTER COLUMN n TYPE bigint USING n::bigint;
        ALTER TABLE t ALTER COLUMN n SET NOT NULL;
        ALTER TABLE t ALTER COLUMN n DROP NOT NULL;
        ALTER TABLE t ALTER COLUMN n SET DEFAULT random();
        ALTER TABLE t RENAME COLUMN n TO m;
        ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (m) REFERENCES other (id) NOT VALID;
        ALTER TABLE t VALIDATE CONSTRAINT t_fk;
        ALTER TABLE t ADD CONSTRAINT t_m_check CHECK (m > 0);
        ALTER TABLE t DROP COLUMN created;
        UPDATE t SET m = 1;
        DELETE FROM t WHERE m = 2;
        INSERT INTO t (id) VALUES (1);
        COMMIT;
        CREATE UNIQUE INDEX CONCURRENTLY t_m_idx ON t (m);
        DROP INDEX CONCURRENTLY IF EXISTS t_m_idx;
        ALTER TABLE t RENAME TO u;
        DROP TABLE u CASCADE;
        CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';
    """))

    assert [c.kind for c in changes(result)] == [
        "set_lock_timeout", "set_statement_timeout", "begin", "create_table", "add_column", "add_column", "add_column",
        "alter_column_type", "set_not_null", "drop_not_null", "set_default", "rename_column", "add_constraint",
        "validate_constraint", "add_constraint", "drop_column", "update", "delete", "insert", "commit", "create_index",
        "drop_index", "rename_table", "drop_table", "other",
    ]
    by_kind = changes(result)
    assert by_kind[0].option("value") == "5s"
    token, created = by_kind[4], by_kind[5]
    assert (token.column, token.option("type"), token.option("not_null")) == ("token", "uuid", "true")
    assert (token.option("default"), token.option("volatile_default")) == ("gen_random_uuid()", "true")
    # now() is STABLE: evaluated once for ADD COLUMN, no rewrite; what it calls is still recorded.
    assert (created.option("volatile_default"), created.option("default_calls")) == (None, "now")
    assert (by_kind[7].option("type"), by_kind[7].option("using")) == ("bigint", "n::bigint")
    assert by_kind[10].option("volatile_default") == "true"
    assert (by_kind[11].column, by_kind[11].name) == ("n", "m")
    fk = by_kind[12]
    assert (fk.name, fk.option("type"), fk.option("not_valid"), fk.option("references")) == ("t_fk", "foreign_key", "true", "other")
    assert (by_kind[13].name, by_kind[14].option("type"), by_kind[14].option("not_valid")) == ("t_fk", "check", None)
    assert by_kind[16].option("where") is None and by_kind[17].option("where") == "true"
    index = by_kind[20]
    assert (index.name, index.option("concurrently"), index.option("unique"), index.table) == ("t_m_idx", "true", "true", "t")
    assert (by_kind[21].option("concurrently"), by_kind[21].option("if_exists")) == ("true", "true")
    assert by_kind[22].name == "u" and by_kind[23].option("cascade") == "true"
    assert by_kind[24].option("statement") == "create_function"
    assert all(c.option("dialect") == "postgres" for c in by_kind)
    assert not result.migrations[0].atomic  # statements after its COMMIT run outside the transaction


def test_a_migration_without_transaction_control_is_atomic() -> None:
    result = migrations(("m/0001_x.sql", "CREATE TABLE t (id integer);"), ("m/0002_y.sql", "BEGIN;\nCREATE TABLE u (id integer);\nCOMMIT;"))

    assert [m.atomic for m in result.migrations] == [True, True]


def test_each_subcommand_of_an_alter_table_is_a_change_at_the_statement() -> None:
    result = migrations(("m/0001_x.sql", "\nALTER TABLE t\n  ADD COLUMN a integer,\n  DROP COLUMN b;\n"))

    assert [(c.kind, c.column, c.location.line) for c in changes(result)] == [("add_column", "a", 2), ("drop_column", "b", 2)]


# --- dialects --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "dialect"), [
    ("CREATE TABLE `t` (id int);", "mysql"),
    ("CREATE TABLE t (id int) ENGINE=InnoDB;", "mysql"),
    ("CREATE TABLE t (id int AUTO_INCREMENT);", "mysql"),
    ("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);", "sqlite"),
    ("PRAGMA foreign_keys = ON;\nCREATE TABLE t (id INTEGER);", "sqlite"),
    ("-- see `t`\nCREATE TABLE t (id serial, note text DEFAULT 'ENGINE=x');", None),
    ("CREATE FUNCTION f() RETURNS text AS $$ SELECT '`x`' $$ LANGUAGE sql;", None),
    ("CREATE TABLE t (id integer);", None),
])
def test_dialect_detection(text: str, dialect: str | None) -> None:
    assert detect_dialect(text) == dialect


MYSQL_SHOP = """\
    CREATE TABLE `orders` (
      `id` int unsigned NOT NULL AUTO_INCREMENT,
      `customer_id` int NOT NULL,
      `total` decimal(10,2) DEFAULT '0.00',
      `created` datetime DEFAULT CURRENT_TIMESTAMP,
      PRIMARY KEY (`id`),
      UNIQUE KEY `uq_total` (`total`),
      KEY `idx_created` (`created`),
      CONSTRAINT `fk_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
"""


def test_mysql_table_with_keys_and_the_index_innodb_adds_for_a_foreign_key() -> None:
    orders = table(schema(("db/schema.sql", MYSQL_SHOP)), "orders")

    assert [(c.name, c.type, c.nullable, c.identity) for c in orders.columns] == [
        ("id", "int unsigned", False, True), ("customer_id", "int", False, False),
        ("total", "decimal(10,2)", True, False), ("created", "datetime", True, False),
    ]
    assert orders.column("total").default == "'0.00'"
    assert orders.column("customer_id").location == Location("db/schema.sql", 3, 3)
    assert orders.primary_key == ("id",)
    assert [(f.name, f.columns, f.ref_table, f.on_delete) for f in orders.foreign_keys] == [
        ("fk_customer", ("customer_id",), "customers", "cascade")]
    assert [(i.name, i.columns) for i in orders.indexes] == [("idx_created", ("created",)), ("fk_customer", ("customer_id",))]
    assert ("unique", ("total",)) in {(c.kind, c.columns) for c in orders.constraints}


def test_mysql_migration_changes() -> None:
    # The second file shows no MySQL syntax of its own: it is read in the dialect the first one shows.
    result = migrations(
        ("migrations/0001_orders.sql", MYSQL_SHOP),
        ("migrations/0002_alter.sql", """\
            ALTER TABLE orders ADD COLUMN note varchar(50) NOT NULL DEFAULT 'x', MODIFY COLUMN total decimal(12,2) NOT NULL,
              ADD INDEX idx_note (note);
            CREATE UNIQUE INDEX ix_note ON orders (note(10));
            SET SESSION lock_wait_timeout = 5;
            RENAME TABLE orders TO orders_v2;
        """),
    )

    alter = result.migrations[1].changes
    assert [(c.kind, c.column, c.name) for c in alter] == [
        ("add_column", "note", None), ("alter_column_type", "total", None), ("create_index", None, "idx_note"),
        ("create_index", None, "ix_note"), ("set_lock_timeout", None, None), ("rename_table", None, "orders_v2"),
    ]
    assert alter[0].option("dialect") == "mysql" and alter[0].option("default") == "'x'"
    orders = table(result, "orders_v2")
    assert orders.column("total").type == "decimal(12,2)" and not orders.column("total").nullable
    assert ("ix_note", ("note",), True) in {(i.name, i.columns, i.unique) for i in orders.indexes}


def test_sqlite_table_and_partial_index() -> None:
    result = schema(("app.sql", """\
        PRAGMA foreign_keys = ON;
        CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, team_id INTEGER REFERENCES teams(id));
        CREATE INDEX users_email ON users (email) WHERE email IS NOT NULL;
    """))
    users = table(result, "users")

    assert users.column("id").identity and users.primary_key == ("id",)
    assert [(f.columns, f.ref_table) for f in users.foreign_keys] == [(("team_id",), "teams")]
    assert [(i.name, i.where is not None) for i in users.indexes] == [("users_email", True)]  # SQLite adds no FK index
    assert result.notes == []


def test_mysql_statement_sqlglot_rejects_is_noted() -> None:
    result = schema(("db/schema.sql", "CREATE TABLE `a` (id int);\nCREATE TABLE `b` (id int,;\nCREATE TABLE `c` (id int);"))

    assert [(n.kind, n.location.line) for n in result.notes] == [("unanalysable-statement", 2)]
    assert result.notes[0].message.startswith("db/schema.sql:2: statement does not parse: ")
    assert {t.name for t in result.tables} == {"a", "c"}


def test_dialect_argument_overrides_detection() -> None:
    result = schema(("db/schema.sql", "CREATE TABLE t (id int);"), dialect="mariadb")

    assert [c.option("dialect") for c in changes(read_sql_sources([("m/1_x.sql", "CREATE TABLE t (id int);", "migration")], dialect="mariadb"))] == ["mariadb"]
    assert [t.name for t in result.tables] == ["t"]
