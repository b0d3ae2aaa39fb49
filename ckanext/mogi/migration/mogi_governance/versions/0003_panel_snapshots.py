"""The panel's daily snapshot of counts per Secretaria (overdue over time).

Revision ID: 0003_panel_snapshots
Revises: 0002_link_checks
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003_panel_snapshots"
down_revision = "0002_link_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mogi_governance_snapshot",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, primary_key=True),
        sa.Column("scope", sa.UnicodeText, primary_key=True),
        sa.Column("counts", JSONB, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("mogi_governance_snapshot")
