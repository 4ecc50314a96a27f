"""Alembic and Django migrations → ordered `Migration`s with the SQL reader's change kinds and options, and
the tables they build, read from in-memory repositories through the real pipeline (never imported)."""

from __future__ import annotations

import textwrap

from vitruvius.model import Migration, SchemaChange, SystemModel, Table
from vitruvius.readers import read


def repository(**files: str) -> SystemModel:
    return read({path: textwrap.dedent(text) for path, text in files.items()})


def migration(model: SystemModel, ending: str) -> Migration:
    return next(m for m in model.migrations if m.id.endswith(ending))


def kinds(m: Migration) -> list[str]:
    return [c.kind for c in m.changes]


def change(m: Migration, kind: str, index: int = 0) -> SchemaChange:
    return [c for c in m.changes if c.kind == kind][index]


def built(model: SystemModel, name: str) -> Table:
    return next(t for t in model.tables if t.name == name and t.origin == "migration")


def alembic(revision: str, parent: str | None, body: str, *, header: str = "") -> str:
    down = repr(parent) if parent is None or isinstance(parent, str) else repr(tuple(parent))
    return (
        "from alembic import op\nimport sqlalchemy as sa\n"
        + textwrap.dedent(header)
        + f"\nrevision = {revision!r}\ndown_revision = {down}\n\n\ndef upgrade():\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
        + "\n\ndef downgrade():\n    op.drop_table('never_read')\n"
    )


# --- Alembic ----------------------------------------------------------------------------------------------


def test_revisions_are_ordered_by_their_graph_not_their_file_names() -> None:
    model = repository(
        **{
            "alembic/versions/a_second.py": alembic("bbb", "aaa", "op.add_column('t', sa.Column('x', sa.Integer()))"),
            "alembic/versions/b_first.py": alembic(
                "aaa", None, "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))"
            ),
            "alembic/versions/c_branch.py": alembic("ccc", "aaa", "op.add_column('t', sa.Column('y', sa.Text()))"),
            "alembic/versions/d_merge.py": alembic("ddd", ("bbb", "ccc"), "pass"),
        }
    )
    assert [(m.id, m.order, m.parents) for m in model.migrations] == [
        ("aaa", 0, ()),
        ("bbb", 1, ("aaa",)),
        ("ccc", 2, ("aaa",)),
        ("ddd", 3, ("bbb", "ccc")),
    ]
    assert all(m.framework == "alembic" and m.atomic for m in model.migrations)
    assert [c.name for c in built(model, "t").columns] == ["id", "x", "y"]
    assert built(model, "t").framework == "alembic"


def test_create_table_add_column_and_their_options() -> None:
    model = repository(
        **{
            "migrations/versions/001.py": alembic(
                "001",
                None,
                """
        op.create_table(
            "orders",
            sa.Column("id", sa.BigInteger(), nullable=False),
            sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
            sa.Column("code", sa.String(length=20), nullable=False, index=True),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("code", name="uq_orders_code"),
        )
        op.add_column("orders", sa.Column("total", sa.Numeric(10, 2), nullable=False, server_default="0"))
        op.add_column("orders", sa.Column("token", sa.String(), server_default=sa.text("gen_random_uuid()")))
        op.add_column("orders", sa.Column("placed_at", sa.DateTime(timezone=True), server_default=sa.func.now()))
        op.add_column("orders", sa.Column("note", sa.Text(), nullable=False))
    """,
            )
        }
    )
    m = migration(model, "001")
    create = change(m, "create_table")
    assert create.table == "orders" and [c.name for c in create.columns] == ["id", "customer_id", "code"]
    assert create.location.line == 10
    assert dict(change(m, "add_column", 0).options) == {"type": "numeric(10,2)", "not_null": "true", "default": "'0'"}
    assert dict(change(m, "add_column", 1).options) == {
        "type": "character varying",
        "default": "gen_random_uuid()",
        "default_calls": "gen_random_uuid",
        "volatile_default": "true",
    }
    assert change(m, "add_column", 2).option("volatile_default") is None
    assert dict(change(m, "add_column", 3).options) == {"type": "text", "not_null": "true"}
    orders = built(model, "orders")
    assert orders.primary_key == ("id",) and orders.column("id").type == "bigserial"
    assert [i.name for i in orders.indexes] == ["ix_orders_code"]
    assert orders.foreign_keys[0].ref_table == "customers" and orders.foreign_keys[0].on_delete == "cascade"
    assert orders.column("total").default == "'0'"


def test_alter_column_emits_one_change_per_property_in_alembic_order() -> None:
    model = repository(
        **{
            "alembic/versions/002.py": alembic(
                "002",
                None,
                """
        op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("email", sa.String(100)))
        op.alter_column(
            "users", "email", existing_type=sa.String(100), type_=sa.Text(), nullable=False,
            server_default=sa.text("''"), new_column_name="mail", postgresql_using="email::text",
        )
        op.alter_column("users", "mail", server_default=None)
    """,
            )
        }
    )
    m = migration(model, "002")
    assert kinds(m) == [
        "create_table",
        "set_not_null",
        "set_default",
        "alter_column_type",
        "rename_column",
        "drop_default",
    ]
    assert change(m, "alter_column_type").option("using") == "email::text"
    assert change(m, "rename_column").column == "email" and change(m, "rename_column").name == "mail"
    mail = built(model, "users").column("mail")
    assert (mail.type, mail.nullable, mail.default) == ("text", False, None)


def test_indexes_concurrently_outside_the_transaction_and_constraints() -> None:
    model = repository(
        **{
            "alembic/versions/003.py": alembic(
                "003",
                None,
                """
        op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("status", sa.Text()),
                        sa.Column("user_id", sa.Integer()))
        with op.get_context().autocommit_block():
            op.create_index("ix_orders_status", "orders", ["status"], postgresql_concurrently=True,
                            postgresql_where=sa.text("status <> 'done'"))
        op.create_index(op.f("ix_orders_user_id"), "orders", ["user_id"], unique=True)
        op.create_foreign_key("fk_orders_user", "orders", "users", ["user_id"], ["id"], ondelete="CASCADE")
        op.create_check_constraint("ck_status", "orders", "status IN ('new', 'done')")
        op.create_unique_constraint("uq_user", "orders", ["user_id", "status"])
        op.drop_index("ix_orders_user_id", table_name="orders")
        op.drop_constraint("uq_user", "orders", type_="unique")
    """,
            )
        }
    )
    m = migration(model, "003")
    concurrent = change(m, "create_index", 0)
    assert dict(concurrent.options) == {
        "concurrently": "true",
        "method": "btree",
        "columns": "status",
        "where": "status <> 'done'",
        "in_transaction": "false",
    }
    assert change(m, "create_index", 1).option("in_transaction") is None
    assert change(m, "create_index", 1).option("unique") == "true"
    fk = change(m, "add_constraint", 0)
    assert dict(fk.options) == {"type": "foreign_key", "columns": "user_id", "references": "users", "ref_columns": "id"}
    check = change(m, "add_constraint", 1)
    assert check.option("expression") == "status IN ('new', 'done')" and check.option("columns") == "status"
    assert change(m, "drop_constraint").option("type") == "unique"
    orders = built(model, "orders")
    assert [i.name for i in orders.indexes] == ["ix_orders_status"]
    assert orders.indexes[0].where == "status <> 'done'"
    assert {c.name for c in orders.constraints} == {"orders_pkey", "ck_status"}


def test_batch_operations_use_the_batch_table() -> None:
    model = repository(
        **{
            "alembic/versions/004.py": alembic(
                "004",
                None,
                """
        op.create_table("notes", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("body", sa.Text()))
        with op.batch_alter_table("notes", schema=None) as batch_op:
            batch_op.add_column(sa.Column("pinned", sa.Boolean(), nullable=True))
            batch_op.alter_column("body", nullable=False)
            batch_op.create_index("ix_notes_pinned", ["pinned"])
            batch_op.drop_column("pinned")
    """,
            )
        }
    )
    m = migration(model, "004")
    assert [(c.kind, c.table) for c in m.changes[1:]] == [
        ("add_column", "notes"),
        ("set_not_null", "notes"),
        ("create_index", "notes"),
        ("drop_column", "notes"),
    ]
    assert [c.name for c in built(model, "notes").columns] == ["id", "body"]


def test_execute_goes_through_the_sql_reader_at_the_python_lines() -> None:
    model = repository(
        **{
            "alembic/versions/005.py": alembic(
                "005",
                None,
                '''
        op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("total", sa.Integer()))
        op.execute("""
            UPDATE orders SET total = 0;
            CREATE INDEX CONCURRENTLY ix_total ON orders (total) WHERE total > 0;
        """)
        conn = op.get_bind()
        conn.execute(sa.text("DELETE FROM orders WHERE id = :id"), {"id": 1})
        rows = conn.execute(sa.text("SELECT id FROM orders")).fetchall()
        op.execute(orders_table.update().values(total=1))
        op.execute(build_sql())
        op.bulk_insert(sa.table("orders", sa.column("id")), [{"id": 1}])
    ''',
            )
        }
    )
    m = migration(model, "005")
    assert kinds(m) == ["create_table", "update", "create_index", "delete", "other", "update", "other", "insert"]
    update, index = change(m, "update"), change(m, "create_index")
    assert (update.location.line, index.location.line) == (12, 13)
    assert update.option("dialect") == "postgres" and update.option("where") is None
    assert index.option("concurrently") == "true" and index.option("where") == "total > 0"
    assert change(m, "delete").option("where") == "true"
    assert change(m, "other", 1).option("statement") == "execute"
    assert change(m, "insert").table == "orders"
    assert model.notes == ()  # `:id` is a bind parameter, not a psql variable
    assert [i.name for i in built(model, "orders").indexes] == ["ix_total"]


def test_loops_helpers_and_conditions_are_followed_statically() -> None:
    header = """
        TABLES = [("a", [sa.Column("id", sa.Integer(), primary_key=True)]), ("b", [sa.Column("id", sa.Integer(), primary_key=True)])]


        def _add_flag(table, name="flag"):
            if column_exists(table, name):
                return
            op.add_column(table, sa.Column(name, sa.Boolean()))
            return
            op.drop_table(table)
    """
    model = repository(
        **{
            "alembic/versions/006.py": alembic(
                "006",
                None,
                """
        for name, columns in TABLES:
            op.create_table(name, *columns)
        _add_flag("a")
        _add_flag("b", name="hidden")
        bind = op.get_bind()
        if bind.dialect.name == "sqlite":
            op.execute("PRAGMA foreign_keys=OFF")
        else:
            op.create_index("ix_a_flag", "a", ["flag"])
        if not has_column("b", "note"):
            op.add_column("b", sa.Column("note", sa.Text()))
        extra = op.create_table("c", sa.Column("id", sa.Integer())) if fresh else sa.table("c")
    """,
                header=header,
            )
        }
    )
    m = migration(model, "006")
    assert [(c.kind, c.table, c.column) for c in m.changes] == [
        ("create_table", "a", None),
        ("create_table", "b", None),
        ("add_column", "a", "flag"),
        ("add_column", "b", "hidden"),
        ("create_index", "a", None),
        ("add_column", "b", "note"),
        ("create_table", "c", None),
    ]
    assert change(m, "add_column", 2).option("conditional") == "true"
    assert change(m, "create_table", 2).option("conditional") == "true"
    assert change(m, "create_index").option("conditional") is None  # the PostgreSQL branch of a dialect test


def test_files_that_are_not_revisions_are_ignored() -> None:
    model = repository(
        **{
            "alembic/env.py": "from alembic import context\ntarget_metadata = None\n",
            "alembic/versions/007.py": alembic("007", None, "op.create_table('t', sa.Column('id', sa.Integer()))"),
            "app/helpers.py": "from alembic import op\n\ndef upgrade():\n    op.drop_table('t')\n",
        }
    )
    assert [m.id for m in model.migrations] == ["007"]


def test_custom_types_from_the_application_are_resolved() -> None:
    model = repository(
        **{
            "app/types.py": "from sqlalchemy import types\n\nclass JSONText(types.TypeDecorator):\n    impl = types.UnicodeText\n",
            "alembic/versions/008.py": alembic(
                "008",
                None,
                "op.create_table('s', sa.Column('id', sa.Integer()), sa.Column('data', JSONText()))",
                header="from app.types import JSONText\n",
            ),
        }
    )
    assert built(model, "s").column("data").type == "text"


# --- Django -----------------------------------------------------------------------------------------------


def django_migration(dependencies: str, operations: str, *, header: str = "", extra: str = "") -> str:
    return (
        "from django.db import migrations, models\nimport django.db.models.deletion\n"
        + textwrap.dedent(header)
        + "\n\nclass Migration(migrations.Migration):\n"
        + textwrap.indent(textwrap.dedent(extra), "    ")
        + f"    dependencies = {dependencies}\n    operations = [\n"
        + textwrap.indent(textwrap.dedent(operations), "        ")
        + "    ]\n"
    )


ID = '("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))'
SHOP_INITIAL = django_migration(
    "[]",
    f"""
    migrations.CreateModel(
        name="Customer",
        fields=[{ID}, ("email", models.EmailField(max_length=254, unique=True))],
    ),
    migrations.CreateModel(
        name="Order",
        fields=[
            {ID},
            ("customer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="shop.customer")),
            ("status", models.CharField(max_length=10)),
        ],
        options={{"db_table": "orders", "indexes": [models.Index(fields=["status"], name="orders_status_idx")]}},
    ),
""",
)


def test_django_migrations_are_ordered_by_dependencies_across_apps() -> None:
    model = repository(
        **{
            "proj/settings.py": 'AUTH_USER_MODEL = "accounts.User"\n',
            "shop/migrations/0001_initial.py": django_migration(
                "[migrations.swappable_dependency(settings.AUTH_USER_MODEL)]",
                "migrations.CreateModel(name='Cart', fields=[('id', models.AutoField(primary_key=True)), "
                "('user', models.ForeignKey(on_delete=models.CASCADE, to=settings.AUTH_USER_MODEL))]),\n",
                header="from django.conf import settings\n",
            ),
            "shop/migrations/0002_cart_note.py": django_migration(
                "[('shop', '0001_initial'), ('accounts', '__latest__')]",
                "migrations.AddField('cart', 'note', models.TextField(null=True)),\n",
            ),
            "accounts/migrations/0001_initial.py": django_migration(
                "[]",
                "migrations.CreateModel(name='User', fields=[('id', models.BigAutoField(primary_key=True))]),\n",
            ),
            "accounts/migrations/0002_user_name.py": django_migration(
                "[('accounts', '0001_initial')]",
                "migrations.AddField('user', 'name', models.CharField(max_length=50, null=True)),\n",
            ),
        }
    )
    assert [(m.id, m.parents) for m in model.migrations] == [
        ("accounts.0001_initial", ()),
        ("accounts.0002_user_name", ("accounts.0001_initial",)),
        ("shop.0001_initial", ("accounts.0001_initial",)),
        ("shop.0002_cart_note", ("shop.0001_initial", "accounts.0002_user_name")),
    ]
    cart = built(model, "shop_cart")
    assert cart.column("user_id").type == "bigint" and cart.foreign_keys[0].ref_table == "accounts_user"
    assert cart.registry == "shop" and cart.framework == "django"


def test_create_model_builds_the_table_models_would_and_its_indexes() -> None:
    model = repository(
        **{
            "shop/migrations/0001_initial.py": SHOP_INITIAL,
            "shop/models.py": """
            from django.db import models

            class Customer(models.Model):
                email = models.EmailField(unique=True)

            class Order(models.Model):
                customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
                status = models.CharField(max_length=10)

                class Meta:
                    db_table = "orders"
                    indexes = [models.Index(fields=["status"], name="orders_status_idx")]
        """,
        }
    )
    m = migration(model, "shop.0001_initial")
    assert kinds(m) == ["create_table", "create_index", "create_table", "create_index", "create_index"]
    for name in ("shop_customer", "orders"):
        orm = next(t for t in model.tables if t.name == name and t.origin == "orm")
        migrated = built(model, name)
        assert [(c.name, c.type, c.nullable) for c in orm.columns] == [
            (c.name, c.type, c.nullable) for c in migrated.columns
        ]
        assert sorted(i.name for i in orm.indexes) == sorted(i.name for i in migrated.indexes)
        assert sorted(f.name for f in orm.foreign_keys) == sorted(f.name for f in migrated.foreign_keys)


def test_add_field_uses_a_one_off_default_and_creates_the_foreign_key_index() -> None:
    model = repository(
        **{
            "shop/migrations/0001_initial.py": SHOP_INITIAL,
            "shop/migrations/0002_more.py": django_migration(
                "[('shop', '0001_initial')]",
                """
            migrations.AddField("order", "total", models.DecimalField(decimal_places=2, default=0, max_digits=10), preserve_default=False),
            migrations.AddField("order", "token", models.UUIDField(default=uuid.uuid4)),
            migrations.AddField("order", "referrer", models.ForeignKey(null=True, on_delete=models.SET_NULL, to="shop.customer", related_name="+")),
            migrations.AddField("order", "tags", models.ManyToManyField(to="shop.customer")),
        """,
                header="import uuid\n",
            ),
        }
    )
    m = migration(model, "0002_more")
    assert kinds(m) == [
        "add_column",
        "drop_default",
        "add_column",
        "drop_default",
        "add_column",
        "create_index",
        "create_table",
        "create_index",
        "create_index",
    ]
    total = change(m, "add_column", 0)
    assert dict(total.options) == {"type": "numeric(10,2)", "not_null": "true", "default": "0"}
    token = change(m, "add_column", 1)
    assert (
        token.option("default") == "uuid.uuid4" and token.option("volatile_default") is None
    )  # computed once, in Python
    referrer = change(m, "add_column", 2)
    assert referrer.option("references") == "shop_customer" and referrer.option("not_null") is None
    orders = built(model, "orders")
    assert orders.column("total").default is None and not orders.column("total").nullable
    assert {t.name for t in model.tables if t.origin == "migration"} == {"shop_customer", "orders", "orders_tags"}


def test_alter_field_changes_and_a_primary_key_retypes_its_references() -> None:
    model = repository(
        **{
            "shop/migrations/0001_initial.py": SHOP_INITIAL,
            "shop/migrations/0002_alter.py": django_migration(
                "[('shop', '0001_initial')]",
                """
            migrations.AddField("order", "note", models.TextField(null=True)),
            migrations.AlterField("order", "note", models.TextField(default="")),
            migrations.AlterField("order", "status", models.CharField(max_length=20, db_index=True)),
            migrations.AlterField("customer", "id", models.BigAutoField(primary_key=True, serialize=False)),
        """,
            ),
        }
    )
    m = migration(model, "0002_alter")
    assert [(c.kind, c.table, c.column) for c in m.changes] == [
        ("add_column", "orders", "note"),
        ("update", "orders", None),  # Django fills the NULLs with the default before SET NOT NULL
        ("set_not_null", "orders", "note"),
        ("alter_column_type", "orders", "status"),
        ("create_index", "orders", None),
        ("create_index", "orders", None),
        ("alter_column_type", "shop_customer", "id"),
        ("alter_column_type", "orders", "customer_id"),
    ]
    assert change(m, "alter_column_type", 0).option("type") == "character varying(20)"
    assert built(model, "orders").column("customer_id").type == "bigint"


def test_rename_remove_and_delete_follow_the_state() -> None:
    model = repository(
        **{
            "shop/migrations/0001_initial.py": SHOP_INITIAL,
            "shop/migrations/0002_renames.py": django_migration(
                "[('shop', '0001_initial')]",
                """
            migrations.RenameField("order", "status", "state"),
            migrations.RenameModel("Customer", "Client"),
            migrations.RemoveField("order", "customer"),
            migrations.AlterModelTable("order", "shop_order"),
            migrations.RemoveIndex("order", "orders_status_idx"),
            migrations.DeleteModel("Client"),
        """,
            ),
        }
    )
    m = migration(model, "0002_renames")
    assert [(c.kind, c.table, c.column, c.name) for c in m.changes] == [
        ("rename_column", "orders", "status", "state"),
        ("rename_table", "shop_customer", None, "shop_client"),
        ("drop_column", "orders", "customer_id", None),
        ("rename_table", "orders", None, "shop_order"),
        ("drop_index", "shop_order", None, "orders_status_idx"),
        ("drop_table", "shop_client", None, None),
    ]
    order = built(model, "shop_order")
    assert [c.name for c in order.columns] == ["id", "state"] and order.indexes == ()
    assert {t.name for t in model.tables if t.origin == "migration"} == {"shop_order"}


def test_indexes_constraints_and_together_options() -> None:
    model = repository(
        **{
            "shop/migrations/0001_initial.py": SHOP_INITIAL,
            "shop/migrations/0002_indexes.py": django_migration(
                "[('shop', '0001_initial')]",
                """
            AddIndexConcurrently("order", models.Index(fields=["customer", "-status"], name="orders_cust_status")),
            RemoveIndexConcurrently("order", "orders_status_idx"),
            migrations.AddConstraint("order", models.UniqueConstraint(fields=["customer"], condition=models.Q(status="open"), name="one_open")),
            migrations.AddConstraint("order", models.CheckConstraint(check=models.Q(status__in=["open", "done"]), name="status_ok")),
            migrations.AlterUniqueTogether("order", {("customer", "status")}),
            migrations.RemoveConstraint("order", "status_ok"),
            migrations.RenameIndex("order", new_name="orders_cs", old_name="orders_cust_status"),
        """,
                header="from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently\n",
                extra="atomic = False\n",
            ),
        }
    )
    m = migration(model, "0002_indexes")
    assert not m.atomic
    assert kinds(m) == [
        "create_index",
        "drop_index",
        "create_index",
        "add_constraint",
        "add_constraint",
        "drop_constraint",
        "other",
    ]
    assert change(m, "create_index", 0).option("concurrently") == "true"
    assert change(m, "drop_index").option("concurrently") == "true"
    assert change(m, "create_index", 1).option("where") == "status = 'open'"
    assert change(m, "add_constraint", 0).option("expression") == "status IN ('open', 'done')"
    assert change(m, "add_constraint", 1).option("type") == "unique"
    orders = built(model, "orders")
    assert {i.name for i in orders.indexes} >= {"orders_cs", "one_open"}
    assert "orders_cust_status" not in {i.name for i in orders.indexes}
    assert [c.columns for c in orders.constraints if c.kind == "unique"] == [("customer_id", "status")]


def test_run_sql_and_run_python() -> None:
    model = repository(
        **{
            "shop/migrations/0001_initial.py": SHOP_INITIAL,
            "shop/migrations/0002_data.py": django_migration(
                "[('shop', '0001_initial')]",
                '''
            migrations.RunSQL(["UPDATE orders SET status = 'new' WHERE status = ''", ("DELETE FROM orders WHERE id = %s", [1])], migrations.RunSQL.noop),
            migrations.RunSQL("""
                CREATE INDEX CONCURRENTLY orders_lower_status ON orders (lower(status));
            """),
            migrations.RunPython(backfill, migrations.RunPython.noop),
            migrations.RunPython(batched),
        ''',
                header="""
            def backfill(apps, schema_editor):
                Order = apps.get_model("shop", "Order")
                Order.objects.update(status="new")
                for order in Order.objects.all():
                    order.save()


            def batched(apps, schema_editor):
                Customer = apps.get_model("shop.Customer")
                for customer in Customer.objects.filter(email="").iterator(chunk_size=1000):
                    customer.save(update_fields=["email"])
        """,
            ),
        }
    )
    m = migration(model, "0002_data")
    assert kinds(m) == ["update", "delete", "create_index", "run_python", "run_python"]
    # the second RunSQL starts on the line after the first; its statement on the line after that
    assert change(m, "create_index").location.line == change(m, "delete").location.line + 2
    assert model.notes == ()
    backfill, batched = change(m, "run_python", 0), change(m, "run_python", 1)
    assert backfill.name == "backfill" and backfill.table == "orders"
    assert dict(backfill.options) == {
        "function": "shop.migrations.0002_data.backfill",
        "models": "orders",
        "updates_all_rows": "true",
        "updates_in_loop": "true",
        "reversible": "true",
    }
    assert dict(batched.options) == {
        "function": "shop.migrations.0002_data.batched",
        "models": "shop_customer",
        "updates_in_loop": "true",
        "batched": "true",
    }
    assert [i.name for i in built(model, "orders").indexes if i.name == "orders_lower_status"]


def test_squashed_migrations_replace_theirs_and_state_only_operations() -> None:
    model = repository(
        **{
            "shop/migrations/0001_initial.py": SHOP_INITIAL,
            "shop/migrations/0002_note.py": django_migration(
                "[('shop', '0001_initial')]", "migrations.AddField('order', 'note', models.TextField(null=True)),\n"
            ),
            "shop/migrations/0001_squashed_0002_note.py": django_migration(
                "[]",
                SHOP_INITIAL.split("operations = [")[1].rsplit("]", 1)[0]
                + "migrations.AddField('order', 'note', models.TextField(null=True)),\n",
                extra="replaces = [('shop', '0001_initial'), ('shop', '0002_note')]\n",
            ),
            "shop/migrations/0003_move.py": django_migration(
                "[('shop', '0002_note')]",
                """
            migrations.SeparateDatabaseAndState(
                database_operations=[migrations.AlterModelTable("order", "shop_order")],
                state_operations=[migrations.DeleteModel("order")],
            ),
        """,
            ),
            "shop/migrations/0004_unmanaged.py": django_migration(
                "[('shop', '0003_move')]",
                "migrations.CreateModel(name='Report', fields=[('id', models.AutoField(primary_key=True))], options={'managed': False}),\n",
            ),
        }
    )
    assert [m.id for m in model.migrations] == ["shop.0001_squashed_0002_note", "shop.0003_move", "shop.0004_unmanaged"]
    assert migration(model, "0003_move").parents == ("shop.0001_squashed_0002_note",)
    assert kinds(migration(model, "0003_move")) == ["rename_table"]
    assert migration(model, "0004_unmanaged").changes == ()
    assert {t.name for t in model.tables if t.origin == "migration"} == {"shop_customer", "shop_order"}
    assert built(model, "shop_order").column("note") is not None


def test_a_primary_key_replaced_under_a_name_looked_up_at_run_time() -> None:
    model = repository(
        **{
            "alembic/versions/009.py": alembic(
                "009",
                None,
                """
        op.create_table("tag", sa.Column("id", sa.String(), nullable=False), sa.Column("user_id", sa.String()),
                        sa.PrimaryKeyConstraint("id"))
        pk = inspector.get_pk_constraint("tag")
        with op.batch_alter_table("tag") as batch_op:
            batch_op.drop_constraint(pk["name"], type_="primary")
            batch_op.create_primary_key("pk_id_user_id", ["id", "user_id"])
    """,
            )
        }
    )
    tag = built(model, "tag")
    assert [(c.kind, c.name, c.columns) for c in tag.constraints] == [("primary", "pk_id_user_id", ("id", "user_id"))]


def test_fields_named_through_a_dotted_import_in_a_django_migration() -> None:
    model = repository(
        **{
            "shop/fields.py": "from django.db.models import TextField\n\n\nclass MultiStringField(TextField):\n    pass\n",
            "shop/migrations/0001_initial.py": django_migration(
                "[]",
                """
            migrations.CreateModel(name="Client", fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("scopes", shop.fields.MultiStringField(default=list)),
            ]),
        """,
                header="import shop.fields\n",
            ),
        }
    )
    assert built(model, "shop_client").column("scopes").type == "text"
