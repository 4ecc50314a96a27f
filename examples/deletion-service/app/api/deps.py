import hmac
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Header, HTTPException, status
from sqlalchemy.orm import Session

from app import config
from app.clients.mailer import Mailer
from app.clients.queue import SubmissionQueue
from app.db import get_session
from app.services.brokers import BrokerService
from app.services.notifications import Notifier
from app.services.requests import RequestService
from app.services.users import UserService

SessionDep = Annotated[Session, Depends(get_session)]


def require_api_key(x_api_key: Annotated[str | None, Header()] = None) -> None:
    expected = config.OPERATOR_API_TOKEN
    if not expected or x_api_key is None or not hmac.compare_digest(x_api_key, expected):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong X-API-Key")


@lru_cache
def get_queue() -> SubmissionQueue:
    return SubmissionQueue.from_url()


def get_mailer() -> Mailer:
    return Mailer()


def get_user_service(session: SessionDep) -> UserService:
    return UserService(session)


def get_broker_service(session: SessionDep) -> BrokerService:
    return BrokerService(session)


def get_request_service(
    session: SessionDep,
    queue: Annotated[SubmissionQueue, Depends(get_queue)],
    mailer: Annotated[Mailer, Depends(get_mailer)],
) -> RequestService:
    return RequestService(session, queue, Notifier(mailer))
