"""Keep ``permission_labels`` in the row.

Every search filters on it, and every catalogue page counts all public
datasets. With the default storage (EXTENDED) the toaster moved these
35-byte arrays out of line together with the large columns, so that each
row's visibility check was a TOAST lookup: 4 extra buffers per dataset,
86,000 buffers and 110-240 ms per catalogue page at 20,000 datasets (against
18 ms for the same filter on the plain ``capacity`` column). MAIN keeps the
array in the row. Existing rows are rewritten (a new array value goes through
the toaster again; an unchanged one would keep its TOAST pointer).

Revision ID: 0002_labels_in_row
Revises: 0001_search_index
Create Date: 2026-12-05
"""

from alembic import op

revision = "0002_labels_in_row"
down_revision = "0001_search_index"
branch_labels = None
depends_on = None

TABLE = "mogi_search_index"


def upgrade() -> None:
    op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN permission_labels SET STORAGE MAIN")
    op.execute(f"UPDATE {TABLE} SET permission_labels = "
               "permission_labels || CAST('{}' AS text[])")


def downgrade() -> None:
    op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN permission_labels SET STORAGE EXTENDED")
