from typing import TYPE_CHECKING

from sqlalchemy import Float, Identity, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.entities.base import Base, CreatedAtMixin

if TYPE_CHECKING:
    from app.entities.deletion_request import DeletionRequest


class DataBroker(CreatedAtMixin, Base):
    """A company holding personal data. Brokers without an API are contacted by email."""

    __tablename__ = "data_brokers"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    contact_email: Mapped[str] = mapped_column(String(320), nullable=False)
    api_url: Mapped[str | None] = mapped_column(String(500))
    response_days: Mapped[int] = mapped_column(Integer, nullable=False, default=30, server_default="30")
    # What the broker charges us per processed request, in EUR.
    fee: Mapped[float | None] = mapped_column(Float)

    requests: Mapped[list["DeletionRequest"]] = relationship(back_populates="broker")
