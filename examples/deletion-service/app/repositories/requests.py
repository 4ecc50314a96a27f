from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.entities import DeletionRequest, RequestStatus, StatusChange

AWAITING_BROKER = (RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED)


class DeletionRequestRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, request_id: int) -> DeletionRequest | None:
        return self.session.get(DeletionRequest, request_id)

    def get_with_history(self, request_id: int) -> DeletionRequest | None:
        query = (
            select(DeletionRequest)
            .where(DeletionRequest.id == request_id)
            .options(selectinload(DeletionRequest.history), selectinload(DeletionRequest.broker))
        )
        return self.session.scalar(query)

    def list_for_user(self, user_id: int, *, limit: int, offset: int) -> Sequence[DeletionRequest]:
        query = (
            select(DeletionRequest)
            .where(DeletionRequest.user_id == user_id)
            .order_by(DeletionRequest.created_at.desc(), DeletionRequest.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return self.session.scalars(query).all()

    def list_overdue(self, now: datetime, *, limit: int = 500) -> Sequence[DeletionRequest]:
        query = (
            select(DeletionRequest)
            .where(DeletionRequest.status.in_(AWAITING_BROKER), DeletionRequest.due_at < now)
            .options(selectinload(DeletionRequest.user), selectinload(DeletionRequest.broker))
            .order_by(DeletionRequest.due_at)
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def add(self, request: DeletionRequest) -> DeletionRequest:
        self.session.add(request)
        self.session.flush()
        return request

    def add_status_change(self, change: StatusChange) -> StatusChange:
        self.session.add(change)
        self.session.flush()
        return change
