"""Layering rules: how modules depend on each other."""
