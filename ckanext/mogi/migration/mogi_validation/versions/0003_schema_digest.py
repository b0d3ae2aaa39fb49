"""Keep what a verdict was reached on: the Table Schema (declared, from the
library or a URL; the inferred one has its own column) and the SHA-256 of the
file's bytes, so that readers of the table (the DataStore loader) type its
columns as the validation read them and load exactly the bytes it cleared.

Revision ID: 0003_schema_digest
Revises: 0002_attempts
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003_schema_digest"
down_revision = "0002_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("validation", sa.Column("schema", JSONB))
    op.add_column("validation", sa.Column("file_sha256", sa.UnicodeText))


def downgrade() -> None:
    op.drop_column("validation", "file_sha256")
    op.drop_column("validation", "schema")
