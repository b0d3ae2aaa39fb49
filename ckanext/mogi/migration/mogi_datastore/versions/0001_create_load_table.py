"""The DataStore load of each table: its state, the verdict it follows, when
its rows were loaded and how many, the last error.

Revision ID: 0001_load
Revises:
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_load"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mogi_datastore_load",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("verdict", sa.UnicodeText),
        sa.Column("job_id", sa.UnicodeText),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated", sa.DateTime, nullable=False),
        sa.Column("loaded_verdict", sa.UnicodeText),
        sa.Column("loaded_at", sa.DateTime),
        sa.Column("rows", sa.BigInteger),
        sa.Column("error", sa.UnicodeText),
    )


def downgrade() -> None:
    op.drop_table("mogi_datastore_load")
