"""Link checks: the latest check of each linked resource, and the scheduled run.

Revision ID: 0002_link_checks
Revises: 0001_reminders
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002_link_checks"
down_revision = "0001_reminders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mogi_link_check",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("url", sa.UnicodeText, nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("outcome", sa.UnicodeText, nullable=False),
        sa.Column("http_status", sa.Integer),
        sa.Column("final_url", sa.UnicodeText),
        sa.Column("content_type", sa.UnicodeText),
        sa.Column("redirects", sa.Integer, nullable=False, server_default="0"),
        sa.Column("detail", JSONB, nullable=False, server_default="{}"),
    )
    op.create_index("mogi_link_check_outcome_idx", "mogi_link_check", ["outcome"])
    op.create_table(
        "mogi_link_check_run",
        sa.Column("name", sa.UnicodeText, primary_key=True),
        sa.Column("job_id", sa.UnicodeText),
        sa.Column("queued_at", sa.DateTime),
        sa.Column("started_at", sa.DateTime),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("checked", sa.Integer),
    )


def downgrade() -> None:
    op.drop_table("mogi_link_check_run")
    op.drop_index("mogi_link_check_outcome_idx", "mogi_link_check")
    op.drop_table("mogi_link_check")
