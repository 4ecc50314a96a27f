"""Emails: to users when their request changes, to brokers that only take requests by email."""

import logging

from app.clients.mailer import Mailer
from app.entities import DeletionRequest, LegalBasis
from app.services import requests as deletion_requests

logger = logging.getLogger(__name__)

_LEGAL_TEXT = {
    LegalBasis.GDPR_ART_17: "Article 17 of the General Data Protection Regulation (EU) 2016/679",
    LegalBasis.UK_GDPR_ART_17: "Article 17 of the UK General Data Protection Regulation",
    LegalBasis.CCPA_1798_105: "Section 1798.105 of the California Consumer Privacy Act",
}


class Notifier:
    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer

    def status_changed(self, request: DeletionRequest, note: str | None = None) -> None:
        """Tell the user; a failed email must not undo a status change that is already committed."""
        user = request.user
        subject = f"Your deletion request to {request.broker.name}: {request.status.value}"
        body = f"Hello {user.full_name},\n\n{deletion_requests.describe_status(request.status)}\n"
        if note:
            body += f"\n{note}\n"
        try:
            self.mailer.send(user.email, subject, body)
        except OSError:
            logger.exception("could not email user %s about request %s", user.id, request.id)

    def send_to_broker(self, request: DeletionRequest) -> None:
        """The request itself, for brokers without an API. Raises when the email cannot be sent."""
        user, broker = request.user, request.broker
        body = (
            f"Dear {broker.name} privacy team,\n\n"
            f"On behalf of {user.full_name} ({user.email}) we ask you to erase all personal data you hold "
            f"about them, under {_LEGAL_TEXT[request.legal_basis]}.\n\n"
            f"Please confirm by {request.due_at:%d %B %Y}, quoting reference DR-{request.id}.\n"
        )
        self.mailer.send(broker.contact_email, f"Erasure request DR-{request.id}", body)
