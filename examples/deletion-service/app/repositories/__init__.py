"""Data access: queries only, no business rules, no commits."""
