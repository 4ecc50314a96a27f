"""Database schema rules: keys, indexes, types, constraints, naming."""
