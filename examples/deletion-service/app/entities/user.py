from typing import TYPE_CHECKING

from sqlalchemy import Identity, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.entities.base import Base, CreatedAtMixin

if TYPE_CHECKING:
    from app.entities.deletion_request import DeletionRequest


class User(CreatedAtMixin, Base):
    """A person whose data we ask brokers to delete."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    country: Mapped[str] = mapped_column(String(2), nullable=False)

    requests: Mapped[list["DeletionRequest"]] = relationship(back_populates="user")
