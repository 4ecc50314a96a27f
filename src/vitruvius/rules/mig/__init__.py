"""Migration-safety rules: schema changes that lock, rewrite or break a live database."""
