import logging
import smtplib
from email.message import EmailMessage

from app import config

logger = logging.getLogger(__name__)


class Mailer:
    def __init__(
        self,
        host: str = config.SMTP_HOST,
        port: int = config.SMTP_PORT,
        sender: str = config.MAIL_FROM,
        timeout: float = config.SMTP_TIMEOUT_SECONDS,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout = timeout

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(message)
        logger.info("mail sent: %s", subject)
