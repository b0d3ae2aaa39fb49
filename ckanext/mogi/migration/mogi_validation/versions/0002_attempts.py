"""Count the attempts of a validation run, so a lost or killed job is requeued
a bounded number of times before it ends in ``error`` (fail closed).

Revision ID: 0002_attempts
Revises: 0001_validation
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_attempts"
down_revision = "0001_validation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "validation",
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("validation", "attempts")
