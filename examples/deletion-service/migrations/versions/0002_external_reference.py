"""deletion_requests.external_reference: the broker's ticket number

Revision ID: 0002
Revises: 0001
Create Date: 2024-05-21 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("deletion_requests", sa.Column("external_reference", sa.String(200), nullable=True))


def downgrade() -> None:
    op.drop_column("deletion_requests", "external_reference")
