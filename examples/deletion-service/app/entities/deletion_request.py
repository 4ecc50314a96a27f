import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, Enum, ForeignKey, Identity, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.entities.base import Base, CreatedAtMixin

if TYPE_CHECKING:
    from app.entities.broker import DataBroker
    from app.entities.status_history import StatusChange
    from app.entities.user import User


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    COMPLETED = "completed"
    REJECTED = "rejected"
    OVERDUE = "overdue"


class LegalBasis(enum.StrEnum):
    GDPR_ART_17 = "gdpr_art_17"
    CCPA_1798_105 = "ccpa_1798_105"
    UK_GDPR_ART_17 = "uk_gdpr_art_17"


def _values(enum_cls: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_cls]


request_status = Enum(RequestStatus, name="request_status", values_callable=_values)
legal_basis = Enum(LegalBasis, name="legal_basis", values_callable=_values)


class DeletionRequest(CreatedAtMixin, Base):
    """One user's erasure request to one broker."""

    __tablename__ = "deletion_requests"
    __table_args__ = (
        Index("ix_deletion_requests_user_id_created_at", "user_id", "created_at"),
        Index("ix_deletion_requests_broker_id", "broker_id"),
        Index("ix_deletion_requests_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    broker_id: Mapped[int] = mapped_column(ForeignKey("data_brokers.id"), nullable=False)
    status: Mapped[RequestStatus] = mapped_column(
        request_status,
        nullable=False,
        default=RequestStatus.PENDING,
        server_default=RequestStatus.PENDING.value,
    )
    legal_basis: Mapped[LegalBasis] = mapped_column(legal_basis, nullable=False)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
    # The broker's ticket number, once it has one.
    external_reference: Mapped[str | None] = mapped_column(String(200))

    user: Mapped["User"] = relationship(back_populates="requests")
    broker: Mapped["DataBroker"] = relationship(back_populates="requests")
    history: Mapped[list["StatusChange"]] = relationship(
        back_populates="request", order_by="StatusChange.changed_at", cascade="all, delete-orphan"
    )
