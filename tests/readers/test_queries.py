"""The query reader and the context pass: `Query` facts built from in-memory repositories."""

from __future__ import annotations

import ast
import pickle
from textwrap import dedent

from vitruvius.model import Query, SystemModel
from vitruvius.readers import read
from vitruvius.readers.python import read_module
from vitruvius.readers.python.frameworks.qualify import Names
from vitruvius.readers.python.frameworks.queries_sql import read_sql
from vitruvius.readers.python.frameworks.queries_walk import FileWalk

DJANGO_MODELS = """
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=20)
    created = models.DateTimeField()


class Item(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    price = models.IntegerField()
"""


def model_of(files: dict[str, str]) -> SystemModel:
    return read({path: dedent(text) for path, text in files.items()})


def queries(files: dict[str, str], path: str | None = None) -> list[Query]:
    found = model_of(files).queries
    return [q for q in found if path is None or q.location.path == path]


def at(found: list[Query], line: int, kind: str | None = None) -> Query:
    matches = [q for q in found if q.location.line == line and (kind is None or q.kind == kind)]
    assert len(matches) == 1, [(q.location.line, q.kind) for q in found]
    return matches[0]


# ---- Django ---------------------------------------------------------------------------------------------


def test_django_chain_facts() -> None:
    found = queries({"shop/models.py": DJANGO_MODELS, "shop/views.py": """
        from .models import Order

        def recent():
            return Order.objects.filter(status="open", created__gte=1).exclude(customer__name="x").order_by("-created")[10:20]

        def one(pk):
            return Order.objects.select_related("customer").prefetch_related("items__order").get(pk=pk)
    """}, "shop/views.py")
    recent = at(found, 5)
    assert (recent.model, recent.table, recent.orm, recent.kind) == ("shop.models.Order", "shop_order", "django", "select")
    assert recent.filters == ("status", "created__gte", "customer__name")
    assert recent.order_by == ("created",)
    assert recent.limited and recent.offset and recent.returned and not recent.evaluated
    one = at(found, 8)
    assert one.kind == "get" and one.evaluated and one.limited and one.filters == ("pk",)
    assert one.eager_loads == ("customer", "items", "items__order")


def test_prefetch_objects_and_nested_querysets() -> None:
    found = queries({"shop/models.py": DJANGO_MODELS, "shop/views.py": """
        from django.db.models import Prefetch
        from .models import Customer, Item

        def customers():
            return list(Customer.objects.prefetch_related(
                Prefetch("orders", queryset=Order.objects.prefetch_related("items")),
                Prefetch("orders", queryset=Order.objects.all(), to_attr="open_orders"),
            ))
    """}, "shop/views.py")
    assert "orders__items" in at(found, 6).eager_loads


def test_unknown_filter_conditions_are_marked() -> None:
    found = queries({"shop/models.py": DJANGO_MODELS, "shop/views.py": """
        from .models import Order

        def matching(q, extra):
            return list(Order.objects.filter(q, status="x", **extra))
    """}, "shop/views.py")
    assert at(found, 5).filters == ("status", "?")


def test_models_resolve_through_package_re_exports() -> None:
    found = queries({
        "shop/__init__.py": "",
        "shop/models/__init__.py": "from .orders import Order\n",
        "shop/models/orders.py": DJANGO_MODELS,
        "shop/views.py": "from shop.models import Order\n\ndef f():\n    return list(Order.objects.all())\n",
    }, "shop/views.py")
    assert at(found, 4).model == "shop.models.orders.Order"
    assert at(found, 4).table == "shop_order"


# ---- SQLAlchemy and SQL --------------------------------------------------------------------------------


def test_sqlalchemy_statements_and_legacy_queries() -> None:
    found = queries({"app/service.py": """
        from sqlalchemy import select
        from sqlalchemy.orm import joinedload, selectinload
        from .models import Order, User

        def listing(session, since):
            stmt = select(User).where(User.created >= since, User.email.ilike("%@x.org")).order_by(User.id.desc())
            return session.execute(stmt.options(selectinload(User.orders).joinedload(Order.items)).limit(5)).scalars().all()

        def legacy(db):
            return db.query(User).filter_by(email="a").first()
    """}, "app/service.py")
    listing = at(found, 8)
    assert listing.orm == "sqlalchemy" and listing.evaluated and listing.limited
    assert listing.filters == ("created__gte", "email__icontains")
    assert listing.order_by == ("id",)
    assert listing.eager_loads == ("orders", "orders__items")
    legacy = at(found, 11)
    assert (legacy.kind, legacy.filters, legacy.limited) == ("get", ("email",), True)
    assert len(found) == 2  # the statement built on line 7 is described by the query that runs it


def test_sql_strings_are_parsed() -> None:
    found = queries({"app/reports.py": """
        def report(cursor, since):
            sql = "SELECT o.*, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.created >= %s AND c.email LIKE '%%@x.org' ORDER BY o.id LIMIT 10"
            cursor.execute(sql, [since])
            cursor.execute(f"DELETE FROM sessions WHERE expires < {since}")
    """}, "app/reports.py")
    select = at(found, 4)
    assert (select.table, select.kind, select.columns) == ("orders", "select", ("*", "name"))
    assert select.filters == ("created__gte",) and select.joins == ("customers",) and select.limited
    delete = at(found, 5)
    assert (delete.table, delete.kind, delete.filters) == ("sessions", "delete", ("expires__lt",))


def test_sql_reader_names_what_the_rules_judge() -> None:
    facts = read_sql("SELECT COUNT(*) FROM t WHERE a = ? AND b ILIKE '%' || ? AND c LIKE ? OFFSET 20")
    assert facts is not None
    assert (facts.kind, facts.table, facts.offset) == ("count", "t", True)
    assert set(facts.filters) == {"a", "b__icontains", "c__like"}
    index = read_sql("CREATE INDEX IF NOT EXISTS i ON chunk (collection, id)")
    assert index is not None and (index.kind, index.table, index.columns) == ("create-index", "chunk", ("collection", "id"))
    assert read_sql("SELECT FROM WHERE") is None


# ---- rows and their context -----------------------------------------------------------------------------


def test_lazy_loads_are_followed_into_helpers() -> None:
    found = queries({"shop/models.py": DJANGO_MODELS, "shop/views.py": """
        from .models import Order

        def report():
            out = []
            for order in Order.objects.filter(status="open"):
                out.append(describe(order))
            return out

        def describe(order):
            return f"{order.customer.name}: {order.items.count()}"
    """})
    lazy = at(found, 11, "lazy-load")
    assert (lazy.relation, lazy.many, lazy.model, lazy.row_model) == ("customer", False, "shop.models.Order", "shop.models.Order")
    assert lazy.row_loop is not None and lazy.row_loop.line == 6
    assert lazy.via == ("shop.views.describe",)
    count = at(found, 11, "count")
    assert count.relation == "items" and count.row_loop is not None and count.root == "relation"
    assert count.model == "shop.models.Item"
    iterated = at(found, 6)
    assert iterated.row_loop is None and iterated.evaluated


def test_eager_loads_and_cached_relations_are_not_per_row() -> None:
    found = queries({"shop/models.py": DJANGO_MODELS, "shop/views.py": """
        from .models import Order

        def report():
            orders = list(Order.objects.select_related("customer").prefetch_related("items"))
            return [(o.customer.name, o.items.count(), o.items.filter(price__gt=1).exists()) for o in orders]
    """}, "shop/views.py")
    assert not [q for q in found if q.kind == "lazy-load"]
    per_row = [q for q in found if q.row_loop is not None]
    assert [(q.kind, q.relation) for q in per_row] == [("exists", "items")]  # a filter never uses the prefetch


def test_memoized_and_guarded_queries_are_not_per_row() -> None:
    found = queries({"shop/models.py": DJANGO_MODELS, "shop/views.py": """
        from .models import Customer, Order

        def names():
            cache = {}
            for order in Order.objects.all():
                if order.customer_id not in cache:
                    cache[order.customer_id] = Customer.objects.get(pk=order.customer_id).name
            return [fill(o) for o in Order.objects.all()] + [fill(o, "x") for o in Order.objects.all()]

        def fill(order, name=None):
            if name is None:
                name = Customer.objects.get(pk=order.customer_id).name
            return name
    """}, "shop/views.py")
    per_row = sorted(q.location.line for q in found if q.row_loop is not None)
    assert per_row == [13]  # only the call that does not pass the name


def test_handler_async_and_returned_context() -> None:
    found = queries({"app/main.py": """
        from fastapi import Depends, FastAPI
        from sqlalchemy import select
        from .models import User

        app = FastAPI()

        @app.get("/users")
        async def users(session=Depends(get_session)):
            rows = (await session.execute(select(User))).scalars().all()
            helper(session)
            return rows

        def helper(session):
            return session.query(User).count()

        def get_session():
            yield None
    """}, "app/main.py")
    handler = at(found, 10)
    assert handler.in_handler and handler.in_async and handler.awaited and handler.returned
    assert handler.handler == "app.main.users"
    helper = at(found, 15)
    assert helper.in_handler and not helper.in_async and helper.handler == "app.main.users"


def test_serializers_on_list_views_read_relations_per_row() -> None:
    found = queries({"shop/models.py": DJANGO_MODELS, "shop/api.py": """
        from rest_framework import serializers, viewsets
        from .models import Order

        class OrderSerializer(serializers.ModelSerializer):
            customer_name = serializers.CharField(source="customer.name")
            item_count = serializers.SerializerMethodField()

            class Meta:
                model = Order
                fields = ["id", "customer_name", "item_count"]

            def get_item_count(self, obj):
                return obj.items.count()

        class OrderViewSet(viewsets.ModelViewSet):
            queryset = Order.objects.all()
            serializer_class = OrderSerializer
    """}, "shop/api.py")
    lazy = at(found, 6, "lazy-load")
    assert lazy.relation == "customer" and lazy.row_loop is not None and lazy.row_loop.line == 17
    count = at(found, 14, "count")
    assert count.row_loop is not None and count.via == ("shop.api.OrderViewSet", "shop.api.OrderSerializer.get_item_count")


def test_row_effects_of_an_iterated_query() -> None:
    found = queries({"shop/models.py": DJANGO_MODELS, "shop/jobs.py": """
        import requests
        from .models import Order

        def notify_all():
            for order in Order.objects.filter(status="open"):
                order.status = "notified"
                order.save()
                requests.post("https://hooks.example", json={"id": order.pk}, timeout=5)
    """}, "shop/jobs.py")
    assert at(found, 6).row_effects == ("Order.save", "requests.post")


# ---- the per-file facts ---------------------------------------------------------------------------------


def test_file_facts_are_picklable() -> None:
    text = dedent("""
        from .models import Order

        def f():
            for order in Order.objects.all():
                print(order.customer.name, order.items.all())
    """)
    module, _ = read_module("shop/views.py", text, "app")
    assert module is not None
    facts = FileWalk("shop/views.py", module, Names(module)).run(ast.parse(text))
    assert len(facts.sites) == 2 and len(facts.rows) == 1 and facts.accesses
    assert pickle.loads(pickle.dumps(facts)).sites[0].location == facts.sites[0].location


def test_tests_and_migrations_are_not_read() -> None:
    found = queries({"shop/models.py": DJANGO_MODELS, "tests/test_orders.py": """
        from shop.models import Order

        def test_it():
            assert not list(Order.objects.all())
    """})
    assert not [q for q in found if q.location.path.startswith("tests/")]
