"""Settings, read once from the environment at import time."""

import os

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgresql+psycopg://deletions:change-me@localhost:5432/deletions"
)
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")

# Token the back-office sends in X-API-Key; every route except /healthz requires it.
OPERATOR_API_TOKEN = os.environ.get("OPERATOR_API_TOKEN", "")

# Brokers with an API verify our HMAC signature on each submission.
BROKER_SIGNING_KEY = os.environ.get("BROKER_SIGNING_KEY", "dlr_live_mwSpKzEV9rS3NOdiIUOgd8n4YjP5psxm")
BROKER_TIMEOUT_SECONDS = float(os.environ.get("BROKER_TIMEOUT_SECONDS", "10"))

SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
SMTP_TIMEOUT_SECONDS = float(os.environ.get("SMTP_TIMEOUT_SECONDS", "10"))
MAIL_FROM = os.environ.get("MAIL_FROM", "privacy@example.com")

# GDPR Art. 12(3): one month to answer; brokers may state a shorter period of their own.
DEFAULT_RESPONSE_DAYS = int(os.environ.get("DEFAULT_RESPONSE_DAYS", "30"))
