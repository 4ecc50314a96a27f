"""Migration-safety rules: schema changes that lock, rewrite or break a live database.

Every MIG rule takes the same three options, set per rule (`[tool.vitruvius.rules.MIG001]`):
`postgres_version` (15), `released_before` ("": the id, file name or path of the newest released migration;
those after it are unreleased) and `unreleased_paths` (folders or globs of unreleased migrations). A table
created earlier in the same migration, in another script of the same release, or in an unreleased migration
is new, and locking it is not reported (see context.py).
"""
