"""Deletion service: files and tracks personal-data deletion requests with data brokers."""
