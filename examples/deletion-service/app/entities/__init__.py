"""SQLAlchemy models. Importing this package registers every table on Base.metadata."""

from app.entities.base import Base
from app.entities.broker import DataBroker
from app.entities.deletion_request import DeletionRequest, LegalBasis, RequestStatus
from app.entities.status_history import StatusChange
from app.entities.user import User

__all__ = ["Base", "DataBroker", "DeletionRequest", "LegalBasis", "RequestStatus", "StatusChange", "User"]
