"""initial schema: users, data brokers, deletion requests, status history

Revision ID: 0001
Revises:
Create Date: 2024-03-04 10:12:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATUSES = ("pending", "submitted", "acknowledged", "completed", "rejected", "overdue")
request_status = postgresql.ENUM(*STATUSES, name="request_status", create_type=False)
legal_basis = postgresql.ENUM("gdpr_art_17", "ccpa_1798_105", "uk_gdpr_art_17", name="legal_basis", create_type=False)


def upgrade() -> None:
    request_status.create(op.get_bind(), checkfirst=True)
    legal_basis.create(op.get_bind(), checkfirst=True)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "data_brokers",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("contact_email", sa.String(320), nullable=False),
        sa.Column("api_url", sa.String(500)),
        sa.Column("response_days", sa.Integer(), nullable=False, server_default="30"),
        sa.Column("fee", sa.Float()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "deletion_requests",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("broker_id", sa.Integer(), sa.ForeignKey("data_brokers.id"), nullable=False),
        sa.Column("status", request_status, nullable=False, server_default="pending"),
        sa.Column("legal_basis", legal_basis, nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_deletion_requests_user_id_created_at", "deletion_requests", ["user_id", "created_at"])
    op.create_index("ix_deletion_requests_broker_id", "deletion_requests", ["broker_id"])
    op.create_table(
        "status_history",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column(
            "request_id", sa.Integer(), sa.ForeignKey("deletion_requests.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("from_status", request_status),
        sa.Column("to_status", request_status, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("changed_at", sa.DateTime(), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("status_history")
    op.drop_table("deletion_requests")
    op.drop_table("data_brokers")
    op.drop_table("users")
    legal_basis.drop(op.get_bind(), checkfirst=True)
    request_status.drop(op.get_bind(), checkfirst=True)
