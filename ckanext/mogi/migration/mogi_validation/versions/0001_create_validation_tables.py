"""Create the validation table (or extend ckanext-validation's) and the audit table.

A ``validation`` table left by ckanext-validation is kept with its reports:
it is created only when absent, and only the columns it lacks are added.
Downgrading removes what this plugin added but never the ``validation`` table
itself, which may hold ckanext-validation's reports.

Revision ID: 0001_validation
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_validation"
down_revision = None
branch_labels = None
depends_on = None

TABLE = "validation"
AUDIT = "mogi_validation_audit"
ADDED = (
    ("lgpd", JSONB),
    ("dialect", JSONB),
    ("inferred_schema", JSONB),
    ("options", JSONB),
    ("fingerprint", sa.UnicodeText),
)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table(TABLE):
        # ckanext-validation's columns, with its names and types.
        op.create_table(
            TABLE,
            sa.Column("id", sa.Unicode, primary_key=True),
            sa.Column("resource_id", sa.Unicode),
            sa.Column("status", sa.Unicode),
            sa.Column("created", sa.DateTime),
            sa.Column("finished", sa.DateTime),
            sa.Column("report", JSONB),
            sa.Column("error", JSONB),
        )
    existing = {column["name"] for column in inspector.get_columns(TABLE)}
    for name, type_ in ADDED:
        if name not in existing:
            op.add_column(TABLE, sa.Column(name, type_))
    indexes = {index["name"] for index in inspector.get_indexes(TABLE)}
    if f"{TABLE}_resource_id_idx" not in indexes:
        op.create_index(f"{TABLE}_resource_id_idx", TABLE, ["resource_id", "created"])

    op.create_table(
        AUDIT,
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText),
        sa.Column("event", sa.UnicodeText, nullable=False),
        sa.Column("user_name", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("legal_basis", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("fingerprint", sa.UnicodeText),
    )
    op.create_index(f"{AUDIT}_resource_idx", AUDIT, ["resource_id", "created"])


def downgrade() -> None:
    op.drop_table(AUDIT)
    op.drop_index(f"{TABLE}_resource_id_idx", TABLE)
    for name, _type in ADDED:
        op.drop_column(TABLE, name)
