"""ORM models → tables: SQLAlchemy (1.4 and 2.0), Flask-SQLAlchemy, SQLModel and Django, read from in-memory
repositories through the real pipeline."""

from __future__ import annotations

import hashlib
import textwrap

import pytest

from vitruvius.model import SystemModel, Table
from vitruvius.readers import read


def model_of(**files: str) -> SystemModel:
    return read({path.replace("__", "/") + ".py": textwrap.dedent(text) for path, text in files.items()})


def table(model: SystemModel, name: str) -> Table:
    return next(t for t in model.tables if t.name == name and t.origin == "orm")


def columns(t: Table) -> dict[str, tuple[str, bool]]:
    return {c.name: (c.type, c.nullable) for c in t.columns}


def django_hash(*parts: str) -> str:
    """The 8 hex digits Django's schema editor puts in index and constraint names."""
    return hashlib.md5("".join(parts).encode(), usedforsecurity=False).hexdigest()[:8]


SQLALCHEMY_HEADER = """\
    import datetime
    import enum
    from typing import List, Optional

    from sqlalchemy import (
        BigInteger, Boolean, CheckConstraint, Column, DateTime, Enum, Float, ForeignKey, ForeignKeyConstraint,
        Index, Integer, JSON, Numeric, String, Table, Text, UniqueConstraint, func, text,
    )
    from sqlalchemy.dialects.postgresql import JSONB, UUID
    from sqlalchemy.orm import DeclarativeBase, Mapped, declarative_base, declared_attr, mapped_column, relationship
"""


def sqlalchemy(body: str, **more: str) -> SystemModel:
    return model_of(app__models=SQLALCHEMY_HEADER + textwrap.indent(textwrap.dedent(body), "    "), **more)


# --- SQLAlchemy: columns and types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("Integer", "integer"),
        ("BigInteger", "bigint"),
        ("String(255)", "character varying(255)"),
        ("String", "character varying"),
        ("Text", "text"),
        ("Float", "double precision"),
        ("Float(precision=24)", "real"),
        ("Numeric(10, 2)", "numeric(10,2)"),
        ("DateTime", "timestamp without time zone"),
        ("DateTime(timezone=True)", "timestamp with time zone"),
        ("Boolean", "boolean"),
        ("JSON", "json"),
        ("JSONB", "jsonb"),
        ("UUID(as_uuid=True)", "uuid"),
        ('Enum("a", "b", name="order_status")', "order_status"),
        ("Enum(Status)", "status"),
    ],
)
def test_sqlalchemy_types_are_normalised_like_the_sql_reader(declared: str, expected: str) -> None:
    model = sqlalchemy(f"""
        Base = declarative_base()

        class Status(enum.Enum):
            open = "open"

        class Thing(Base):
            __tablename__ = "things"
            id = Column(Integer, primary_key=True)
            value = Column({declared})
    """)
    assert columns(table(model, "things"))["value"] == (expected, True)


def test_declarative_1_4_columns_keys_defaults_and_indexes() -> None:
    model = sqlalchemy("""
        Base = declarative_base()

        class Customer(Base):
            __tablename__ = "customers"
            id = Column(Integer, primary_key=True)
            email = Column(String(255), nullable=False, unique=True)
            code = Column(String(20), index=True, unique=True)
            created_at = Column(DateTime(timezone=True), server_default=func.now())
            status = Column(String(10), server_default="new")

        class Order(Base):
            __tablename__ = "orders"
            id = Column(BigInteger, primary_key=True)
            customer_id = Column(ForeignKey("customers.id", ondelete="CASCADE"), nullable=False)
    """)
    customers = table(model, "customers")
    assert columns(customers)["id"] == ("serial", False)
    assert customers.column("id").identity and customers.column("id").primary_key
    assert customers.column("email").unique and not customers.column("email").nullable
    assert customers.column("created_at").default == "now()"
    assert customers.column("status").default == "'new'"
    assert [(c.kind, c.name, c.columns) for c in customers.constraints] == [
        ("primary", "customers_pkey", ("id",)),
        ("unique", "customers_email_key", ("email",)),
    ]
    # index=True with unique=True is one unique index, named by SQLAlchemy's default convention
    assert [(i.name, i.columns, i.unique) for i in customers.indexes] == [("ix_customers_code", ("code",), True)]
    orders = table(model, "orders")
    assert columns(orders)["id"] == ("bigserial", False)
    # a column declared only by its foreign key takes the referenced column's type
    assert columns(orders)["customer_id"] == ("integer", False)
    fk = orders.foreign_keys[0]
    assert (fk.name, fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete) == (
        "orders_customer_id_fkey",
        ("customer_id",),
        "customers",
        ("id",),
        "cascade",
    )
    assert orders.model == "app.models.Order" and orders.framework == "sqlalchemy" and orders.origin == "orm"


def test_mapped_annotations_give_type_and_nullability_and_explicit_nullable_wins() -> None:
    model = sqlalchemy("""
        class Base(DeclarativeBase):
            pass

        class Account(Base):
            __tablename__ = "accounts"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str] = mapped_column(String(100))
            nickname: Mapped[Optional[str]]
            bio: Mapped[str | None] = mapped_column(Text)
            balance: Mapped[float]
            joined: Mapped[datetime.datetime]
            flagged: Mapped[bool] = mapped_column(nullable=True)
            notes: Mapped[Optional[str]] = mapped_column(Text, nullable=False)
    """)
    assert columns(table(model, "accounts")) == {
        "id": ("serial", False),
        "name": ("character varying(100)", False),
        "nickname": ("character varying", True),
        "bio": ("text", True),
        "balance": ("double precision", False),
        "joined": ("timestamp without time zone", False),
        "flagged": ("boolean", True),
        "notes": ("text", False),
    }


def test_table_args_indexes_constraints_and_schema() -> None:
    model = sqlalchemy("""
        Base = declarative_base()

        class Order(Base):
            __tablename__ = "orders"
            __table_args__ = (
                Index("orders_open", "customer_id", postgresql_where=text("status = 'open'")),
                Index("orders_recent", "customer_id", text("created_at DESC")),
                Index("orders_tags", "tags", postgresql_using="gin"),
                UniqueConstraint("customer_id", "code"),
                CheckConstraint("total >= 0", name="total_positive"),
                ForeignKeyConstraint(["customer_id"], ["sales.customers.id"], ondelete="SET NULL"),
                {"schema": "sales"},
            )
            id = Column(Integer, primary_key=True)
            customer_id = Column(Integer)
            code = Column(String(20))
            total = Column(Numeric(10, 2))
            status = Column(String(10))
            tags = Column(JSONB)
            created_at = Column(DateTime)
    """)
    orders = table(model, "orders")
    assert orders.schema == "sales" and orders.qualified_name == "sales.orders"
    indexes = {i.name: i for i in orders.indexes}
    assert indexes["orders_open"].where == "status = 'open'"
    assert indexes["orders_recent"].columns == ("customer_id", "created_at")
    assert indexes["orders_recent"].orderings == (None, "desc")
    assert indexes["orders_tags"].method == "gin"
    constraints = {c.name: c for c in orders.constraints}
    assert constraints["orders_customer_id_code_key"].columns == ("customer_id", "code")
    assert constraints["total_positive"].expression == "total >= 0"
    assert constraints["total_positive"].columns == ("total",)
    assert [(f.ref_table, f.ref_columns, f.on_delete) for f in orders.foreign_keys] == [
        ("sales.customers", ("id",), "set null")
    ]


def test_table_objects_and_attribute_foreign_keys() -> None:
    model = sqlalchemy("""
        Base = declarative_base()

        order_tags = Table(
            "order_tags", Base.metadata,
            Column("order_id", ForeignKey("orders.id"), primary_key=True),
            Column("tag_id", Integer, ForeignKey("tags.id"), primary_key=True),
        )

        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)

        class Line(Base):
            __tablename__ = "order_lines"
            id = Column(Integer, primary_key=True)
            order_id = Column(ForeignKey(Order.id))
    """)
    tags = table(model, "order_tags")
    assert tags.model is None and tags.primary_key == ("order_id", "tag_id")
    assert columns(tags)["order_id"] == ("integer", False)  # typed from orders.id, which is SERIAL
    assert table(model, "order_lines").foreign_keys[0].ref_table == "orders"
    assert tags.registry == table(model, "orders").registry == "app.models.Base"


def test_mixins_and_abstract_bases_in_other_files_give_their_columns() -> None:
    model = model_of(
        app__db="""
            from sqlalchemy import Column, DateTime, Integer, func
            from sqlalchemy.orm import DeclarativeBase, declared_attr

            class Base(DeclarativeBase):
                pass

            class Timestamped:
                created_at = Column(DateTime, server_default=func.now())

            class Entity(Base):
                __abstract__ = True
                id = Column(Integer, primary_key=True)

                @declared_attr
                def __tablename__(cls):
                    return cls.__name__.lower()
        """,
        app__models="""
            from sqlalchemy import Column, String
            from app.db import Entity, Timestamped

            class Invoice(Timestamped, Entity):
                number = Column(String(20))
        """,
    )
    invoice = table(model, "invoice")
    assert set(columns(invoice)) == {"id", "created_at", "number"}
    assert invoice.model == "app.models.Invoice"
    assert not any(t.name == "entity" for t in model.tables)


def test_a_declarative_base_class_shares_its_columns_and_computed_table_names() -> None:
    model = sqlalchemy("""
        class Base(DeclarativeBase):
            id: Mapped[int] = mapped_column(primary_key=True)

            @declared_attr.directive
            def __tablename__(cls) -> str:
                return cls.__name__.lower() + "s"

        class User(Base):
            name: Mapped[str] = mapped_column(String(30))
    """)
    assert [(t.name, list(columns(t))) for t in model.tables] == [("users", ["id", "name"])]
    assert model.tables[0].registry == "app.models.Base"


def test_single_table_and_joined_inheritance() -> None:
    model = sqlalchemy("""
        Base = declarative_base()

        class Employee(Base):
            __tablename__ = "employees"
            id = Column(Integer, primary_key=True)
            kind = Column(String(20))

        class Manager(Employee):
            budget = Column(Numeric(12, 2), nullable=False)

        class Engineer(Employee):
            __tablename__ = "engineers"
            id = Column(ForeignKey("employees.id"), primary_key=True)
            language = Column(String(40))
    """)
    employees = table(model, "employees")
    assert columns(employees)["budget"] == ("numeric(12,2)", True)  # empty on the other subclasses' rows
    assert set(columns(table(model, "engineers"))) == {"id", "language"}
    assert not any(t.model == "app.models.Manager" for t in model.tables)


def test_relationships_with_kind_loading_and_backrefs() -> None:
    model = sqlalchemy("""
        class Base(DeclarativeBase):
            pass

        tags = Table("order_tags", Base.metadata, Column("order_id", ForeignKey("orders.id")), Column("tag_id", ForeignKey("tags.id")))

        class Customer(Base):
            __tablename__ = "customers"
            id: Mapped[int] = mapped_column(primary_key=True)
            orders: Mapped[List["Order"]] = relationship(back_populates="customer", lazy="selectin")

        class Order(Base):
            __tablename__ = "orders"
            id: Mapped[int] = mapped_column(primary_key=True)
            customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
            customer: Mapped["Customer"] = relationship(back_populates="orders")
            lines = relationship("Line", backref="order", lazy="joined")
            tags = relationship("Tag", secondary=tags)

        class Line(Base):
            __tablename__ = "lines"
            id = Column(Integer, primary_key=True)
            order_id = Column(ForeignKey("orders.id"))

        class Tag(Base):
            __tablename__ = "tags"
            id = Column(Integer, primary_key=True)
    """)
    found = {
        (t.name, r.name): (r.target, r.kind, r.lazy, r.back_populates, r.secondary)
        for t in model.tables
        for r in t.relationships
    }
    assert found == {
        ("customers", "orders"): ("app.models.Order", "one_to_many", "selectin", "customer", None),
        ("orders", "customer"): ("app.models.Customer", "many_to_one", "select", "orders", None),
        ("orders", "lines"): ("app.models.Line", "one_to_many", "joined", None, None),
        ("orders", "tags"): ("app.models.Tag", "many_to_many", "select", None, "order_tags"),
        ("lines", "order"): ("app.models.Order", "many_to_one", "select", "lines", None),
    }


def test_sqlmodel_tables_fields_and_inherited_base_fields() -> None:
    model = model_of(
        app__heroes="""
        from typing import Optional
        from sqlmodel import Field, Relationship, SQLModel

        class HeroBase(SQLModel):
            name: str = Field(index=True, max_length=100)
            age: Optional[int] = None

        class Hero(HeroBase, table=True):
            id: Optional[int] = Field(default=None, primary_key=True)
            team_id: int | None = Field(default=None, foreign_key="team.id")
            team: Optional["Team"] = Relationship(back_populates="heroes")

        class HeroRead(HeroBase):
            id: int

        class Team(SQLModel, table=True):
            id: int | None = Field(default=None, primary_key=True)
            heroes: list[Hero] = Relationship(back_populates="team")
    """
    )
    hero = table(model, "hero")
    assert columns(hero) == {
        "name": ("character varying(100)", False),
        "age": ("integer", True),
        "id": ("serial", False),
        "team_id": ("integer", True),
    }
    assert [i.name for i in hero.indexes] == ["ix_hero_name"]
    assert hero.framework == "sqlmodel" and hero.foreign_keys[0].ref_table == "team"
    assert [(r.name, r.kind) for r in hero.relationships] == [("team", "many_to_one")]
    assert {t.name for t in model.tables} == {"hero", "team"}  # HeroRead is no table


def test_flask_sqlalchemy_models_get_snake_case_names() -> None:
    model = model_of(
        app__extensions="from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
        app__models="""
            from app.extensions import db

            class OrderLine(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                sku = db.Column(db.String(32), nullable=False)
        """,
    )
    line = table(model, "order_line")
    assert columns(line) == {"id": ("serial", False), "sku": ("character varying(32)", False)}


def test_type_decorators_store_their_impl_and_unknown_bases_make_a_table_incomplete() -> None:
    model = model_of(
        app__types="""
            from sqlalchemy import types

            class JSONText(types.TypeDecorator):
                impl = types.UnicodeText
        """,
        app__models="""
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base
            from fastapi_users_db_sqlalchemy import SQLAlchemyBaseUserTable
            from app.types import JSONText

            Base = declarative_base()

            class Settings(Base):
                __tablename__ = "settings"
                id = Column(Integer, primary_key=True)
                data = Column(JSONText)

            class User(SQLAlchemyBaseUserTable, Base):
                __tablename__ = "users"
                id = Column(Integer, primary_key=True)
        """,
    )
    assert columns(table(model, "settings"))["data"] == ("text", True)
    assert table(model, "settings").columns_complete
    assert not table(model, "users").columns_complete


def test_classes_that_are_not_models_give_no_tables() -> None:
    model = sqlalchemy("""
        from pydantic import BaseModel

        class OrderIn(BaseModel):
            total: float

        class Helper:
            value = Column(Integer)
    """)
    assert model.tables == ()


# --- Django ------------------------------------------------------------------------------------------------


def django(**files: str) -> SystemModel:
    return model_of(**files)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("models.CharField(max_length=40)", ("character varying(40)", False)),
        ("models.TextField(null=True)", ("text", True)),
        ("models.IntegerField()", ("integer", False)),
        ("models.BigIntegerField()", ("bigint", False)),
        ("models.BooleanField(default=False)", ("boolean", False)),
        ("models.DecimalField(max_digits=10, decimal_places=2)", ("numeric(10,2)", False)),
        ("models.FloatField()", ("double precision", False)),
        ("models.DateTimeField(auto_now_add=True)", ("timestamp with time zone", False)),
        ("models.DateField()", ("date", False)),
        ("models.EmailField()", ("character varying(254)", False)),
        ("models.SlugField()", ("character varying(50)", False)),
        ("models.URLField()", ("character varying(200)", False)),
        ("models.UUIDField()", ("uuid", False)),
        ("models.JSONField(default=dict)", ("jsonb", False)),
        ("models.DurationField()", ("interval", False)),
        ("ArrayField(models.CharField(max_length=10))", ("character varying(10)[]", False)),
    ],
)
def test_django_field_types_for_postgresql(field: str, expected: tuple[str, bool]) -> None:
    model = django(
        shop__models=f"""
        from django.contrib.postgres.fields import ArrayField
        from django.db import models

        class Thing(models.Model):
            value = {field}
    """
    )
    assert columns(table(model, "shop_thing"))["value"] == expected


def test_django_tables_keys_and_the_indexes_django_adds() -> None:
    model = django(
        proj__settings='DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\n',
        shop__apps="""
            from django.apps import AppConfig

            class ShopConfig(AppConfig):
                name = "shop"
                label = "store"
        """,
        shop__models="""
            from django.db import models

            class Customer(models.Model):
                email = models.EmailField(unique=True)
                slug = models.SlugField()
                qty = models.PositiveIntegerField(default=0)

            class Order(models.Model):
                customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
                invoice = models.OneToOneField("Invoice", on_delete=models.PROTECT)
                legacy = models.ForeignKey(Customer, on_delete=models.CASCADE, db_constraint=False, related_name="+")

                class Meta:
                    db_table = "orders"

            class Invoice(models.Model):
                number = models.CharField(max_length=20, primary_key=True)
        """,
    )
    customer = table(model, "store_customer")
    assert columns(customer)["id"] == ("bigint", False) and customer.column("id").identity
    assert customer.registry == "store" and customer.framework == "django"
    indexes = {i.name: i for i in customer.indexes}
    # a unique or indexed text column gets the pattern-ops index PostgreSQL needs for LIKE
    assert indexes[f"store_customer_email_{django_hash('store_customer', 'email')}_like"].opclasses == (
        "varchar_pattern_ops",
    )
    slug = f"store_customer_slug_{django_hash('store_customer', 'slug')}"
    assert {slug, f"{slug}_like"} <= set(indexes)
    constraints = {c.name: c for c in customer.constraints}
    assert constraints["store_customer_qty_check"].expression == "qty >= 0"
    assert constraints["store_customer_email_key"].kind == "unique"

    orders = table(model, "orders")
    assert columns(orders)["customer_id"] == ("bigint", False)
    assert columns(orders)["invoice_id"] == ("character varying(20)", False)
    fks = {f.columns[0]: f for f in orders.foreign_keys}
    assert fks["customer_id"].name == f"orders_customer_id_{django_hash('orders', 'customer_id')}_fk_store_customer_id"
    assert fks["invoice_id"].ref_table == "store_invoice" and fks["invoice_id"].ref_columns == ("number",)
    assert "legacy_id" not in fks  # db_constraint=False: the column and its index, no constraint
    index_columns = sorted(i.columns for i in orders.indexes if not i.opclasses)
    assert index_columns == [("customer_id",), ("legacy_id",)]  # a one-to-one is unique, not indexed again
    assert orders.column("invoice_id").unique


def test_django_many_to_many_tables_and_meta_options() -> None:
    model = django(
        shop__models="""
        from django.db import models
        from django.db.models import Q
        from django.db.models.functions import Lower

        class Tag(models.Model):
            name = models.CharField(max_length=50)

        class Order(models.Model):
            status = models.CharField(max_length=10)
            code = models.CharField(max_length=20)
            tags = models.ManyToManyField(Tag)
            related = models.ManyToManyField("self")

            class Meta:
                unique_together = ("status", "code")
                index_together = [["status", "code"]]
                indexes = [
                    models.Index(fields=["-status"], name="order_status_desc"),
                    models.Index(Lower("code"), name="order_code_lower"),
                    models.Index(fields=["code"], condition=Q(status="open"), name="open_codes"),
                ]
                constraints = [
                    models.UniqueConstraint(fields=["code"], name="order_code_uniq"),
                    models.UniqueConstraint(fields=["code"], condition=Q(status="open"), name="one_open_code"),
                    models.CheckConstraint(check=Q(status__in=["open", "done"]), name="order_status_valid"),
                ]
    """
    )
    through = table(model, "shop_order_tags")
    assert columns(through) == {"id": ("integer", False), "order_id": ("integer", False), "tag_id": ("integer", False)}
    assert [c.columns for c in through.constraints if c.kind == "unique"] == [("order_id", "tag_id")]
    assert {f.ref_table for f in through.foreign_keys} == {"shop_order", "shop_tag"}
    assert set(columns(table(model, "shop_order_related"))) == {"id", "from_order_id", "to_order_id"}

    order = table(model, "shop_order")
    indexes = {i.name: i for i in order.indexes}
    assert indexes["order_status_desc"].orderings == ("desc",)
    assert indexes["order_code_lower"].columns == ("lower(code)",)
    assert indexes["open_codes"].where == "status = 'open'"
    assert indexes["one_open_code"].unique and indexes["one_open_code"].where == "status = 'open'"
    assert any(i.columns == ("status", "code") and i.name.endswith("_idx") for i in order.indexes)
    constraints = {c.name: c for c in order.constraints}
    assert constraints["order_code_uniq"].columns == ("code",)
    assert constraints["order_status_valid"].expression == "status IN ('open', 'done')"
    assert any(c.columns == ("status", "code") and c.name.endswith("_uniq") for c in order.constraints)


def test_django_inheritance_proxies_unmanaged_models_and_shadowed_fields() -> None:
    model = django(
        core__models="""
            from django.db import models

            class Timestamped(models.Model):
                created = models.DateTimeField(auto_now_add=True)
                hidden = models.BooleanField(default=False)

                class Meta:
                    abstract = True
                    indexes = [models.Index(fields=["created"], name="%(class)s_created")]
        """,
        shop__models="""
            from django.db import models
            from core.models import Timestamped

            class Place(Timestamped):
                name = models.CharField(max_length=50)

                @property
                def hidden(self):
                    return False

            class Restaurant(Place):
                seats = models.IntegerField()

            class CheapPlace(Place):
                class Meta:
                    proxy = True

            class Report(models.Model):
                total = models.IntegerField()

                class Meta:
                    managed = False
                    db_table = "report_view"
        """,
    )
    place = table(model, "shop_place")
    assert list(columns(place)) == ["id", "created", "name"]
    assert [i.name for i in place.indexes if i.name.endswith("_created")] == ["place_created"]
    restaurant = table(model, "shop_restaurant")
    assert list(columns(restaurant)) == ["place_ptr_id", "seats"]
    assert restaurant.primary_key == ("place_ptr_id",)
    assert restaurant.foreign_keys[0].ref_table == "shop_place"
    assert not any(t.model == "shop.models.CheapPlace" for t in model.tables)
    assert not any(t.name == "core_timestamped" for t in model.tables)
    assert not table(model, "report_view").managed


def test_django_user_models_references_and_relationships() -> None:
    model = django(
        proj__settings='AUTH_USER_MODEL = "accounts.User"\n',
        accounts__models="""
            from django.contrib.auth.models import AbstractUser
            from django.db import models

            class User(AbstractUser):
                bio = models.TextField(blank=True)
        """,
        shop__models="""
            from django.conf import settings
            from django.db import models

            class Review(models.Model):
                author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
                product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
                parent = models.ForeignKey("self", null=True, on_delete=models.SET_NULL)
        """,
        catalog__models="""
            from django.db import models

            class Product(models.Model):
                name = models.CharField(max_length=100)
        """,
    )
    user = table(model, "accounts_user")
    assert {"password", "last_login", "username", "email", "is_staff", "bio"} <= set(columns(user))
    assert table(model, "accounts_user_groups").foreign_keys[1].ref_table == "auth_group"
    review = table(model, "shop_review")
    assert {f.columns[0]: f.ref_table for f in review.foreign_keys} == {
        "author_id": "accounts_user",
        "product_id": "catalog_product",
        "parent_id": "shop_review",
    }
    forward = {r.name: (r.target, r.kind, r.back_populates) for r in review.relationships}
    assert forward["product"] == ("catalog.models.Product", "many_to_one", "reviews")
    assert forward["author"] == ("accounts.models.User", "many_to_one", "review_set")
    reverse = {r.name: (r.target, r.kind) for r in table(model, "catalog_product").relationships}
    assert reverse == {"reviews": ("shop.models.Review", "one_to_many")}


def test_django_choices_are_recorded_on_the_column() -> None:
    model = django(
        shop__models="""
        from django.db import models

        class Status(models.TextChoices):
            OPEN = "open", "Open"
            DONE = "done"

        class Order(models.Model):
            status = models.CharField(max_length=10, choices=Status.choices)
            size = models.IntegerField(choices=[(1, "S"), ("Large", ((2, "L"), (3, "XL")))])
            note = models.TextField()
    """
    )
    order = table(model, "shop_order")
    assert order.column("status").choices == ("open", "done")
    assert order.column("size").choices == ("1", "2", "3")
    assert order.column("note").choices == ()


def test_django_custom_and_third_party_fields_and_bases() -> None:
    model = django(
        shop__fields="""
            from django.db.models import TextField

            class MultiStringField(TextField):
                pass
        """,
        shop__models="""
            from django.db import models
            from i18nfield.fields import I18nCharField
            from mptt.models import MPTTModel
            from shop.fields import MultiStringField

            class Event(models.Model):
                name = I18nCharField(max_length=200)
                scopes = MultiStringField(default=list)
                money = MoneyField()

            class Category(MPTTModel):
                name = models.CharField(max_length=50)
        """,
    )
    event = columns(table(model, "shop_event"))
    assert event["name"] == ("text", False) and event["scopes"] == ("text", False)
    assert event["money"] == ("moneyfield", False)  # unknown field class: typed by its name
    category = table(model, "shop_category")
    assert "name" in columns(category) and not category.columns_complete
