"""Submits deletion requests to brokers that accept them over HTTP."""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

import requests

from app import config

logger = logging.getLogger(__name__)


class BrokerAPIError(Exception):
    """The broker answered with an error or could not be reached."""


@dataclass(frozen=True)
class SubmissionResult:
    status_code: int
    reference: str | None


def sign(body: bytes, key: str) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


class BrokerClient:
    def __init__(
        self,
        signing_key: str = config.BROKER_SIGNING_KEY,
        timeout: float = config.BROKER_TIMEOUT_SECONDS,
    ) -> None:
        self.signing_key = signing_key
        self.timeout = timeout

    def _headers(self, body: bytes) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "User-Agent": "deletion-service/1.0",
            "X-Signature-SHA256": sign(body, self.signing_key),
        }

    def submit_deletion(
        self, api_url: str, *, request_id: int, email: str, full_name: str, legal_basis: str
    ) -> SubmissionResult:
        payload = {
            "request_id": request_id,
            "subject": {"email": email, "full_name": full_name},
            "legal_basis": legal_basis,
        }
        body = json.dumps(payload, separators=(",", ":")).encode()
        try:
            response = requests.post(f"{api_url}/deletion-requests", data=body, headers=self._headers(body))
        except requests.RequestException as exc:
            raise BrokerAPIError(f"could not reach {api_url}: {exc}") from exc
        if response.status_code >= 400:
            raise BrokerAPIError(f"{api_url} answered {response.status_code}: {response.text[:200]}")
        reference = response.json().get("reference") if response.content else None
        return SubmissionResult(status_code=response.status_code, reference=reference)

    def fetch_status(self, api_url: str, reference: str) -> str:
        try:
            response = requests.get(
                f"{api_url}/deletion-requests/{reference}",
                headers=self._headers(reference.encode()),
                timeout=self.timeout,
            )
            response.raise_for_status()
        except requests.RequestException as exc:
            raise BrokerAPIError(f"status check at {api_url} failed: {exc}") from exc
        status = response.json()["status"]
        logger.debug("broker %s reports %s for %s", api_url, status, reference)
        return status
