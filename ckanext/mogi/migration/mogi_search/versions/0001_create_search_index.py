"""Create the PostgreSQL search table and its indexes.

Revision ID: 0001_search_index
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

revision = "0001_search_index"
down_revision = None
branch_labels = None
depends_on = None

TABLE = "mogi_search_index"
GENERATION = "mogi_search_generation"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("index_id", sa.UnicodeText, primary_key=True),
        sa.Column("id", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText),
        sa.Column("site_id", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText),
        sa.Column("capacity", sa.UnicodeText),
        sa.Column("dataset_type", sa.UnicodeText),
        sa.Column("permission_labels", ARRAY(sa.UnicodeText), nullable=False),
        sa.Column("doc", JSONB, nullable=False),
        sa.Column("data_dict", sa.UnicodeText),
        sa.Column("validated_data_dict", sa.UnicodeText),
        sa.Column("fields", JSONB, nullable=False),
        sa.Column("ftext", JSONB, nullable=False),
        sa.Column("tsv", TSVECTOR, nullable=False),
        sa.Column("metadata_created", sa.DateTime(timezone=True)),
        sa.Column("metadata_modified", sa.DateTime(timezone=True)),
        sa.Column("title_sort", sa.UnicodeText),
    )
    # Storage: the short columns that filters and sorts read on every row are
    # never moved out of line (PLAIN); ``fields`` stays in the row, compressed
    # (MAIN); the large document, blobs and tsvector go to TOAST. Without
    # this, wide rows pushed even ``index_id`` out of line and every sort
    # comparison re-read it (measured: browse 2x slower at 20,000 datasets).
    plain = ("index_id", "id", "name", "site_id", "state", "capacity", "dataset_type",
             "title_sort")
    op.execute(f"ALTER TABLE {TABLE} "
               + ", ".join(f"ALTER COLUMN {c} SET STORAGE PLAIN" for c in plain)
               + ", ALTER COLUMN fields SET STORAGE MAIN")
    op.create_index(f"{TABLE}_site_id_idx", TABLE, ["site_id", "id"])
    op.create_index(f"{TABLE}_visibility_idx", TABLE, ["state", "capacity", "dataset_type"])
    op.create_index(f"{TABLE}_labels_idx", TABLE, ["permission_labels"],
                    postgresql_using="gin")
    op.create_index(f"{TABLE}_name_idx", TABLE, ["name"])
    op.create_index(f"{TABLE}_modified_idx", TABLE, ["metadata_modified"])
    op.create_index(f"{TABLE}_title_idx", TABLE, ["title_sort"])
    op.create_index(
        f"{TABLE}_fields_idx", TABLE, ["fields"],
        postgresql_using="gin", postgresql_ops={"fields": "jsonb_path_ops"},
    )
    op.create_index(f"{TABLE}_tsv_idx", TABLE, ["tsv"], postgresql_using="gin")


    # Changes with every index write (same transaction): the key under which
    # facet counts may be cached. A random token, so that a reset database
    # never meets the cache entries of an earlier one.
    op.create_table(
        GENERATION,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token", sa.UnicodeText, nullable=False),
    )


def downgrade() -> None:
    op.drop_table(GENERATION)
    op.drop_table(TABLE)
