"""Observability rules: logging, metrics, tracing."""
