"""The reminders sent: one row per dataset, expected update, kind (due soon,
overdue) and recipient; the unique key keeps a reminder from going twice.

Revision ID: 0001_reminders
Revises:
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_reminders"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mogi_governance_reminder",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("recipient", sa.UnicodeText, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("package_id", "due_date", "kind", "recipient",
                            name="mogi_governance_reminder_once"),
    )


def downgrade() -> None:
    op.drop_table("mogi_governance_reminder")
