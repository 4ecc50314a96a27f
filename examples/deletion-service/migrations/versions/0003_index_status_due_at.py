"""index deletion_requests (status, due_at) for the worker's overdue sweep

Revision ID: 0003
Revises: 0002
Create Date: 2024-09-02 09:05:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_deletion_requests_status_due_at", "deletion_requests", ["status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_deletion_requests_status_due_at", table_name="deletion_requests")
