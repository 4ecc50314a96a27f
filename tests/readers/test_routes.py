"""Route readers: FastAPI, Flask and Django/DRF code → Operations, from in-memory repositories and the example."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from vitruvius.model import Operation
from vitruvius.readers import read

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "deletion-service"


def operations(files: dict[str, str]) -> dict[str, Operation]:
    model = read({path: dedent(text) for path, text in files.items()})
    found = [o for o in model.operations if o.origin == "code"]
    return {f"{o.method} {o.path}": o for o in found}


def parameters(operation: Operation) -> dict[str, tuple[str, bool, str | None]]:
    return {p.name: (p.where, p.required, p.schema.type if p.schema else None) for p in operation.parameters}


# ---- FastAPI ---------------------------------------------------------------------------------------------------

FASTAPI_APP = {
    "app/auth.py": """
        from fastapi import Depends
        from fastapi.security import OAuth2PasswordBearer

        oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


        def get_current_user(token: str = Depends(oauth2_scheme)):
            return token
    """,
    "app/routers/orders.py": """
        from typing import Annotated

        from fastapi import APIRouter, Depends, Query, status
        from pydantic import BaseModel, Field

        from app.auth import get_current_user

        router = APIRouter(prefix="/orders", tags=["orders"])
        CurrentUser = Annotated[str, Depends(get_current_user)]


        class OrderIn(BaseModel):
            item: str = Field(max_length=40)
            quantity: int = Field(ge=1, le=99)
            note: str | None = None


        class OrderOut(OrderIn):
            id: int


        @router.get("/{order_id}", response_model=OrderOut, responses={404: {"description": "No such order"}})
        def get_order(order_id: int, user: CurrentUser, expand: bool = False):
            ...


        @router.post("", status_code=status.HTTP_201_CREATED)
        def create_order(body: OrderIn, user: CurrentUser) -> OrderOut:
            ...


        @router.get("/files/{path:path}")
        def get_file(path: str, user: CurrentUser, limit: Annotated[int, Query(le=100)] = 10):
            ...
    """,
    "app/routers/__init__.py": "from app.routers.orders import router as orders_router\n",
    "app/main.py": """
        from fastapi import FastAPI

        from app.routers import orders_router

        API_PREFIX = "/api/v1"


        def create_app() -> FastAPI:
            app = FastAPI()
            app.include_router(orders_router, prefix=API_PREFIX)

            @app.get("/health")
            def health():
                return {"ok": True}

            return app
    """,
}


def test_fastapi_routers_are_mounted_with_their_prefixes_across_modules() -> None:
    found = operations(FASTAPI_APP)
    assert set(found) == {
        "GET /api/v1/orders/{order_id}", "POST /api/v1/orders", "GET /api/v1/orders/files/{path}", "GET /health",
    }
    order = found["GET /api/v1/orders/{order_id}"]
    assert (order.framework, order.origin, order.handler) == ("fastapi", "code", "app.routers.orders.get_order")
    assert order.application == "app.main.create_app.app"
    assert (order.location.path, order.location.line) == ("app/routers/orders.py", 23)


def test_fastapi_parameters_body_and_responses() -> None:
    found = operations(FASTAPI_APP)
    order = found["GET /api/v1/orders/{order_id}"]
    assert parameters(order) == {"order_id": ("path", True, "integer"), "expand": ("query", False, "boolean")}
    assert [(r.status, r.description) for r in order.responses] == [("200", "Successful Response"), ("404", "No such order")]
    assert order.responses[0].schema.ref == "OrderOut"
    assert [name for name, _ in order.responses[0].schema.properties] == ["item", "quantity", "note", "id"]
    created = found["POST /api/v1/orders"]
    assert created.responses[0].status == "201"
    assert created.responses[0].schema.ref == "OrderOut"  # from the return annotation
    body = created.request_body
    assert body.content_types == ("application/json",) and body.required
    properties = dict(body.schema.properties)
    assert body.schema.ref == "OrderIn" and body.schema.required == ("item", "quantity")
    assert (properties["quantity"].minimum, properties["quantity"].maximum, properties["item"].max_length) == (1, 99, 40)
    assert properties["note"].nullable
    files = found["GET /api/v1/orders/files/{path}"]
    assert parameters(files) == {"path": ("path", True, "string"), "limit": ("query", False, "integer")}
    assert files.parameters[1].schema.maximum == 100


def test_fastapi_security_follows_dependencies_to_the_scheme() -> None:
    found = operations(FASTAPI_APP)
    order = found["GET /api/v1/orders/{order_id}"]
    assert order.security == ("get_current_user",)
    assert [(s.name, s.type, s.token_url) for s in order.schemes] == [("OAuth2PasswordBearer", "oauth2", "token")]
    assert found["GET /health"].security == ()


def test_fastapi_router_never_mounted_has_unknown_security_and_router_dependencies_count() -> None:
    found = operations({
        "svc/api.py": """
            from fastapi import APIRouter, Depends, Header

            def require_api_key(x_api_key: str = Header()):
                ...

            router = APIRouter(dependencies=[Depends(require_api_key)])
            public = APIRouter()

            @router.delete("/items/{item_id}", status_code=204)
            def delete_item(item_id: int):
                ...

            @public.get("/items", include_in_schema=False)
            def list_items():
                ...
        """,
    })
    deleted = found["DELETE /items/{item_id}"]
    assert deleted.security == ("require_api_key",)
    assert [(s.type, s.where, s.parameter) for s in deleted.schemes] == [("apiKey", "header", "X-API-Key")]
    assert deleted.responses[0].status == "204" and deleted.responses[0].schema is None
    listed = found["GET /items"]
    assert listed.security is None and listed.application is None and not listed.in_schema


def test_fastapi_routers_included_in_a_loop_and_auth_middleware() -> None:
    found = operations({
        "srv/api/a.py": "from fastapi import APIRouter\nrouter = APIRouter(prefix='/a')\n@router.get('')\ndef read_a(): ...\n",
        "srv/api/b.py": "from fastapi import APIRouter\nrouter = APIRouter(prefix='/b')\n@router.put('/{id}')\ndef put_b(id: str): ...\n",
        "srv/server.py": """
            from fastapi import FastAPI
            from srv.api import a, b

            ROUTERS = (a.router, b.router)

            def build():
                app = FastAPI()
                for router in ROUTERS:
                    app.include_router(router, prefix="/api")

                @app.middleware("http")
                async def check_token(request, call_next):
                    return await call_next(request)
                return app
        """,
    })
    assert set(found) == {"GET /api/a", "PUT /api/b/{id}"}
    assert found["GET /api/a"].security == ("check_token",)


def test_the_example_service_routes_prefixes_and_auth() -> None:
    model = read(EXAMPLE)
    code = {f"{o.method} {o.path}": o for o in model.operations if o.origin == "code"}
    documented = {f"{o.method} {o.path}" for o in model.operations if o.origin == "openapi"}
    assert set(code) - {"GET /healthz"} == documented
    assert all(o.security == ("require_api_key",) for key, o in code.items() if key != "GET /healthz")
    assert code["GET /healthz"].security == () and not code["GET /healthz"].in_schema
    assert code["POST /brokers"].responses[0].status == "201"
    assert parameters(code["GET /users/{user_id}/requests"]) == {
        "user_id": ("path", True, "integer"), "limit": ("query", False, "integer"), "offset": ("query", False, "integer"),
    }


# ---- Flask -----------------------------------------------------------------------------------------------------


def test_flask_blueprints_method_views_and_decorators() -> None:
    found = operations({
        "shop/views.py": """
            from flask import Blueprint
            from flask.views import MethodView
            from flask_login import login_required

            bp = Blueprint("orders", __name__, url_prefix="/orders")

            @bp.route("/<int:order_id>", methods=["GET", "DELETE"])
            @login_required
            def order(order_id):
                ...

            @bp.get("/")
            def index():
                ...

            class ItemAPI(MethodView):
                decorators = [login_required]

                def get(self, item_id):
                    ...

                def put(self, item_id):
                    ...

            bp.add_url_rule("/items/<uuid:item_id>", view_func=ItemAPI.as_view("item"))
        """,
        "shop/app.py": """
            from flask import Flask
            from shop.views import bp

            app = Flask(__name__)
            app.register_blueprint(bp, url_prefix="/api/orders")

            @app.route("/ping")
            def ping():
                return "pong"
        """,
    })
    assert set(found) == {
        "GET /api/orders/{order_id}", "DELETE /api/orders/{order_id}", "GET /api/orders/",
        "GET /api/orders/items/{item_id}", "PUT /api/orders/items/{item_id}", "GET /ping",
    }
    order = found["GET /api/orders/{order_id}"]
    assert order.framework == "flask" and order.security == ("login_required",)
    assert parameters(order) == {"order_id": ("path", True, "integer")}
    assert found["GET /api/orders/"].security == ()
    item = found["PUT /api/orders/items/{item_id}"]
    assert item.handler == "shop.views.ItemAPI.put" and item.security == ("login_required",)
    assert item.parameters[0].schema.format == "uuid"
    assert found["GET /ping"].application == "shop.app.app"


# ---- Django / DRF ----------------------------------------------------------------------------------------------

DJANGO_PROJECT = {
    "proj/settings.py": """
        ROOT_URLCONF = "proj.urls"
        MIDDLEWARE = ["django.contrib.auth.middleware.AuthenticationMiddleware"]
        REST_FRAMEWORK = {
            "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
            "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
            "PAGE_SIZE": 50,
        }
    """,
    "proj/urls.py": """
        from django.urls import include, path, re_path

        from shop import views

        urlpatterns = [
            path("api/", include("shop.api_urls")),
            path("", views.home),
            re_path(r"^orders/(?P<number>[0-9]+)/$", views.order_page),
            path("account/", views.AccountView.as_view()),
        ]
    """,
    "shop/api_urls.py": """
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter

        from shop.api import OrderViewSet, PingView, StatusView

        router = DefaultRouter()
        router.register(r"orders", OrderViewSet, basename="order")

        urlpatterns = [
            path("", include(router.urls)),
            path("ping/", PingView.as_view()),
            path("status/", StatusView.as_view()),
        ]
    """,
    "shop/api.py": """
        from rest_framework import generics, viewsets
        from rest_framework.decorators import action
        from rest_framework.filters import SearchFilter
        from rest_framework.permissions import AllowAny
        from rest_framework.views import APIView

        from shop.serializers import OrderSerializer


        class OrderViewSet(viewsets.ModelViewSet):
            serializer_class = OrderSerializer
            lookup_field = "number"
            filter_backends = [SearchFilter]
            search_fields = ["number"]

            @action(detail=True, methods=["post"], url_path="cancel")
            def cancel(self, request, number=None):
                ...


        class PingView(APIView):
            permission_classes = [AllowAny]

            def get(self, request):
                ...


        class StatusView(generics.ListAPIView):
            pagination_class = None
    """,
    "shop/views.py": """
        from django.contrib.auth.decorators import login_required
        from django.contrib.auth.mixins import LoginRequiredMixin
        from django.views.generic import FormView


        def home(request):
            ...


        @login_required
        def order_page(request, number):
            if request.method == "POST":
                ...


        class AccountView(LoginRequiredMixin, FormView):
            ...
    """,
}


def test_django_urlconf_includes_and_views() -> None:
    found = operations(DJANGO_PROJECT)
    assert {"GET /", "GET /orders/{number}/", "POST /orders/{number}/", "GET /account/", "POST /account/"} <= set(found)
    assert found["GET /"].security == () and found["GET /"].handler == "shop.views.home"
    assert found["POST /orders/{number}/"].security == ("login_required",)
    assert parameters(found["GET /orders/{number}/"]) == {"number": ("path", True, "integer")}
    assert found["GET /account/"].security == ("LoginRequiredMixin",)
    assert found["GET /"].application == "proj.urls"


def test_drf_router_viewset_actions_permissions_and_pagination() -> None:
    found = operations(DJANGO_PROJECT)
    routes = {k for k in found if k.startswith(("GET /api/orders", "POST /api/orders", "PUT /api/orders", "PATCH /api/orders", "DELETE /api/orders"))}
    assert routes == {
        "GET /api/orders/", "POST /api/orders/", "GET /api/orders/{number}/", "PUT /api/orders/{number}/",
        "PATCH /api/orders/{number}/", "DELETE /api/orders/{number}/", "POST /api/orders/{number}/cancel/",
    }
    listed = found["GET /api/orders/"]
    assert listed.handler == "shop.api.OrderViewSet.list" and listed.security == ("IsAuthenticated",)
    assert listed.paginated is True and listed.filters == ("SearchFilter",)
    assert [p.name for p in listed.parameters] == ["limit", "offset", "search"]
    assert [s.name for s in listed.schemes] == ["SessionAuthentication", "BasicAuthentication"]
    created = found["POST /api/orders/"]
    assert created.request_body.schema.ref == "OrderSerializer" and created.responses[0].status == "201"
    assert found["DELETE /api/orders/{number}/"].responses[0].status == "204"
    assert found["GET /api/ping/"].security == ()
    assert found["GET /api/status/"].paginated is False


def test_drf_without_settings_leaves_security_unknown() -> None:
    files = {k: v for k, v in DJANGO_PROJECT.items() if k != "proj/settings.py"}
    found = operations(files)
    assert found["GET /api/orders/"].security is None
    assert found["GET /"].security is None
    assert found["GET /api/ping/"].security == ()  # AllowAny on the view itself


def test_drf_settings_built_by_code_leave_defaults_unknown() -> None:
    # weblate builds REST_FRAMEWORK with a function: its pagination and permission defaults are unknown.
    files = dict(DJANGO_PROJECT)
    files["proj/settings.py"] = """
        from proj.drf import get_drf_settings

        ROOT_URLCONF = "proj.urls"
        REST_FRAMEWORK = get_drf_settings(require_login=True)
    """
    found = operations(files)
    listed = found["GET /api/orders/"]
    assert listed.paginated is None and listed.security is None
    assert found["GET /api/ping/"].security == ()  # AllowAny on the view itself


@pytest.mark.parametrize(
    ("pattern", "template"),
    [
        (r"^orders/(?P<pk>[0-9]+)/$", "orders/{pk}/"),
        (r"^files/(?P<name>[^/]+)\.pdf$", "files/{name}.pdf"),
        (r"^a/(\d+)/b/?$", "a/{arg1}/b"),
    ],
)
def test_regex_routes_become_templates(pattern: str, template: str) -> None:
    from vitruvius.readers.python.frameworks.routing import regex_template

    assert regex_template(pattern)[0] == template
