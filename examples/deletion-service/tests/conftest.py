import os

os.environ.setdefault("DATABASE_URL", "sqlite+pysqlite:///:memory:")
os.environ.setdefault("OPERATOR_API_TOKEN", "test-password")
os.environ.setdefault("BROKER_SIGNING_KEY", "test-signing-key")

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402
from sqlalchemy.pool import StaticPool  # noqa: E402

from app.api import deps  # noqa: E402
from app.db import get_session  # noqa: E402
from app.entities import Base  # noqa: E402
from app.main import app  # noqa: E402


class FakeQueue:
    def __init__(self) -> None:
        self.items: list[int] = []

    def enqueue(self, request_id: int) -> None:
        self.items.append(request_id)


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


@pytest.fixture
def session_factory():
    engine = create_engine(
        "sqlite+pysqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    Base.metadata.create_all(engine)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def queue() -> FakeQueue:
    return FakeQueue()


@pytest.fixture
def mailer() -> FakeMailer:
    return FakeMailer()


@pytest.fixture
def client(session_factory, queue, mailer):
    def session_override():
        with session_factory() as session:
            yield session

    app.dependency_overrides[get_session] = session_override
    app.dependency_overrides[deps.get_queue] = lambda: queue
    app.dependency_overrides[deps.get_mailer] = lambda: mailer
    with TestClient(app, headers={"X-API-Key": "test-password"}) as test_client:
        yield test_client
    app.dependency_overrides.clear()
