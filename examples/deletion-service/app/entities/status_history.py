from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Identity, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.entities.base import Base
from app.entities.deletion_request import RequestStatus, request_status

if TYPE_CHECKING:
    from app.entities.deletion_request import DeletionRequest


class StatusChange(Base):
    """One step in a request's life: who moved it from which status to which, and why."""

    __tablename__ = "status_history"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("deletion_requests.id", ondelete="CASCADE"), nullable=False
    )
    from_status: Mapped[RequestStatus | None] = mapped_column(request_status)
    to_status: Mapped[RequestStatus] = mapped_column(request_status, nullable=False)
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, server_default=func.now())

    request: Mapped["DeletionRequest"] = relationship(back_populates="history")
