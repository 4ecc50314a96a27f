"""Database schema rules: keys, indexes, types, constraints, naming.

A table that several sources describe (DDL, migrations, ORM models, a live database) is judged once, in the
source closest to what the database holds (see `common.tables`), so one problem gives one finding.
"""
