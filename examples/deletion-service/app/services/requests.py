"""Deletion requests: filing them, moving them through their statuses, submitting them to brokers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.clients.brokers import BrokerAPIError, BrokerClient
from app.clients.queue import SubmissionQueue
from app.entities import DeletionRequest, LegalBasis, RequestStatus, StatusChange
from app.repositories.brokers import BrokerRepository
from app.repositories.requests import DeletionRequestRepository
from app.repositories.users import UserRepository
from app.services import notifications
from app.services.errors import Conflict, NotFound

logger = logging.getLogger(__name__)

ALLOWED_TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.PENDING: frozenset({RequestStatus.SUBMITTED, RequestStatus.REJECTED}),
    RequestStatus.SUBMITTED: frozenset(
        {RequestStatus.ACKNOWLEDGED, RequestStatus.COMPLETED, RequestStatus.REJECTED, RequestStatus.OVERDUE}
    ),
    RequestStatus.ACKNOWLEDGED: frozenset({RequestStatus.COMPLETED, RequestStatus.REJECTED, RequestStatus.OVERDUE}),
    RequestStatus.OVERDUE: frozenset({RequestStatus.ACKNOWLEDGED, RequestStatus.COMPLETED, RequestStatus.REJECTED}),
    RequestStatus.COMPLETED: frozenset(),
    RequestStatus.REJECTED: frozenset(),
}

_DESCRIPTIONS = {
    RequestStatus.PENDING: "We have recorded your request and will send it to the company shortly.",
    RequestStatus.SUBMITTED: "We have sent your request to the company.",
    RequestStatus.ACKNOWLEDGED: "The company has confirmed it received your request.",
    RequestStatus.COMPLETED: "The company has confirmed your data was deleted.",
    RequestStatus.REJECTED: "The company refused your request. We will tell you what you can do next.",
    RequestStatus.OVERDUE: "The company has not answered within the legal deadline. We are following up.",
}


def describe_status(status: RequestStatus) -> str:
    """The sentence users see for a status, in emails and in the app."""
    return _DESCRIPTIONS[status]


def is_final(status: RequestStatus) -> bool:
    return not ALLOWED_TRANSITIONS[status]


@dataclass(frozen=True)
class RequestSummary:
    id: int
    broker_name: str
    status: RequestStatus
    due_at: datetime
    created_at: datetime


class RequestService:
    def __init__(
        self,
        session: Session,
        queue: SubmissionQueue,
        notifier: notifications.Notifier,
        broker_client: BrokerClient | None = None,
    ) -> None:
        self.session = session
        self.queue = queue
        self.notifier = notifier
        self.broker_client = broker_client or BrokerClient()
        self.requests = DeletionRequestRepository(session)
        self.users = UserRepository(session)
        self.brokers = BrokerRepository(session)

    def create(self, *, user_id: int, broker_id: int, legal_basis: LegalBasis, actor: str) -> DeletionRequest:
        user = self.users.get(user_id)
        if user is None:
            raise NotFound(f"user {user_id} not found")
        broker = self.brokers.get(broker_id)
        if broker is None:
            raise NotFound(f"broker {broker_id} not found")
        request = DeletionRequest(
            user=user,
            broker=broker,
            legal_basis=legal_basis,
            status=RequestStatus.PENDING,
            due_at=datetime.now(UTC) + timedelta(days=broker.response_days),
        )
        self.requests.add(request)
        self.requests.add_status_change(
            StatusChange(request=request, to_status=RequestStatus.PENDING, actor=actor, note="request filed")
        )
        self.session.commit()
        self.queue.enqueue(request.id)
        logger.info("filed request %s (user %s, broker %s)", request.id, user_id, broker_id)
        return request

    def get(self, request_id: int) -> DeletionRequest:
        request = self.requests.get_with_history(request_id)
        if request is None:
            raise NotFound(f"request {request_id} not found")
        return request

    def list_for_user(self, user_id: int, *, limit: int, offset: int) -> list[RequestSummary]:
        if self.users.get(user_id) is None:
            raise NotFound(f"user {user_id} not found")
        rows = self.requests.list_for_user(user_id, limit=limit, offset=offset)
        return [
            RequestSummary(
                id=row.id,
                broker_name=row.broker.name,
                status=row.status,
                due_at=row.due_at,
                created_at=row.created_at,
            )
            for row in rows
        ]

    def transition(
        self, request_id: int, to_status: RequestStatus, *, actor: str, note: str | None = None
    ) -> DeletionRequest:
        request = self.get(request_id)
        self._move(request, to_status, actor, note)
        self.session.commit()
        self.notifier.status_changed(request, note)
        return request

    def submit(self, request_id: int) -> bool:
        """Send a pending request to its broker: over the broker's API when it has one, else by email."""
        request = self.requests.get(request_id)
        if request is None or request.status is not RequestStatus.PENDING:
            logger.warning("request %s is not pending, skipping submission", request_id)
            return False
        broker, user = request.broker, request.user
        if broker.api_url:
            try:
                result = self.broker_client.submit_deletion(
                    broker.api_url,
                    request_id=request.id,
                    email=user.email,
                    full_name=user.full_name,
                    legal_basis=request.legal_basis.value,
                )
            except BrokerAPIError:
                logger.exception("submitting request %s to %s failed", request.id, broker.name)
                return False
            print(f"broker response for request {request.id}: {result}")
            request.external_reference = result.reference
            note = f"submitted to the {broker.name} API"
        else:
            self.notifier.send_to_broker(request)
            note = f"emailed to {broker.contact_email}"
        self._move(request, RequestStatus.SUBMITTED, "worker", note)
        self.session.commit()
        self.notifier.status_changed(request, note)
        return True

    def mark_overdue(self, now: datetime | None = None) -> int:
        now = now or datetime.now(UTC)
        overdue = self.requests.list_overdue(now)
        for request in overdue:
            self._move(request, RequestStatus.OVERDUE, "worker", f"no answer by {request.due_at:%Y-%m-%d}")
        self.session.commit()
        for request in overdue:
            self.notifier.status_changed(request)
        if overdue:
            logger.info("marked %d requests overdue", len(overdue))
        return len(overdue)

    def _move(self, request: DeletionRequest, to_status: RequestStatus, actor: str, note: str | None) -> None:
        from_status = request.status
        if to_status not in ALLOWED_TRANSITIONS[from_status]:
            raise Conflict(f"request {request.id} cannot go from {from_status.value} to {to_status.value}")
        now = datetime.now(UTC)
        request.status = to_status
        if to_status is RequestStatus.SUBMITTED:
            request.submitted_at = now
        if is_final(to_status):
            request.completed_at = now
        self.requests.add_status_change(
            StatusChange(request=request, from_status=from_status, to_status=to_status, actor=actor, note=note)
        )
