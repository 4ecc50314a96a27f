"""Emitters: the system model → files a team keeps (OpenAPI documents first)."""
