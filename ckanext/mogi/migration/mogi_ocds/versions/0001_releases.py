"""The OCDS releases of each resource (tender dumps, licitações/contratos
tables) and the state of each resource's import.

Revision ID: 0001_releases
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

revision = "0001_releases"
down_revision = None
branch_labels = None
depends_on = None

RELEASES = "mogi_ocds_release"
IMPORTS = "mogi_ocds_import"


def upgrade() -> None:
    op.create_table(
        RELEASES,
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("ocid", sa.UnicodeText, nullable=False),
        sa.Column("release_id", sa.UnicodeText, nullable=False),
        sa.Column("buyer", sa.UnicodeText),
        sa.Column("modality", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText),
        sa.Column("year", sa.Integer),
        sa.Column("date", sa.DateTime(timezone=True)),
        sa.Column("search", TSVECTOR, nullable=False),
        sa.Column("release", JSONB, nullable=False),
        # Bytes of the release as the packages write it (UTF-8 JSON).
        sa.Column("bytes", sa.Integer, nullable=False),
    )
    op.create_index(f"{RELEASES}_ocid_idx", RELEASES, ["ocid"])
    op.create_index(f"{RELEASES}_package_idx", RELEASES, ["package_id"])
    op.create_index(f"{RELEASES}_year_idx", RELEASES, ["year", "ocid"])
    op.create_index(f"{RELEASES}_search_idx", RELEASES, ["search"], postgresql_using="gin")
    op.create_table(
        IMPORTS,
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText),
        sa.Column("source", sa.UnicodeText),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("job_id", sa.UnicodeText),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("fingerprint", sa.UnicodeText),
        sa.Column("updated", sa.DateTime, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False,
                  server_default=sa.text("timezone('utc', now())")),
        sa.Column("imported_at", sa.DateTime),
        sa.Column("releases", sa.Integer),
        sa.Column("findings", JSONB),
        sa.Column("error", sa.UnicodeText),
    )


def downgrade() -> None:
    op.drop_table(IMPORTS)
    op.drop_table(RELEASES)
