"""The search table, declared on CKAN's metadata.

Declaring it on ``ckan.model.meta.metadata`` lets CKAN's own
``reset_db``/``delete_all`` empty it together with the packages it
describes. The table itself is created by this plugin's alembic migration
(``ckanext/mogi/migration/mogi_search``), run by ``ckan db init|upgrade``.
"""

from __future__ import annotations

import sqlalchemy as sa
from ckan.model import meta
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

TABLE_NAME = "mogi_search_index"

search_table = sa.Table(
    TABLE_NAME,
    meta.metadata,
    sa.Column("index_id", sa.UnicodeText, primary_key=True),
    sa.Column("id", sa.UnicodeText, nullable=False),
    sa.Column("name", sa.UnicodeText),
    sa.Column("site_id", sa.UnicodeText, nullable=False),
    # The filters CKAN sends with every search (see fields.COLUMNS).
    sa.Column("state", sa.UnicodeText),
    sa.Column("capacity", sa.UnicodeText),
    sa.Column("dataset_type", sa.UnicodeText),
    sa.Column("permission_labels", ARRAY(sa.UnicodeText), nullable=False),
    # The document as CKAN built it (minus the blobs), returned to callers.
    sa.Column("doc", JSONB, nullable=False),
    sa.Column("data_dict", sa.UnicodeText),
    sa.Column("validated_data_dict", sa.UnicodeText),
    # Every exact-match field as a list of distinct strings: filters, facets.
    sa.Column("fields", JSONB, nullable=False),
    # Text-kind fields as normalised Portuguese terms: fielded text queries.
    sa.Column("ftext", JSONB, nullable=False),
    # Weighted catch-all text: free-text queries and ranking.
    sa.Column("tsv", TSVECTOR, nullable=False),
    sa.Column("metadata_created", sa.DateTime(timezone=True)),
    sa.Column("metadata_modified", sa.DateTime(timezone=True)),
    sa.Column("title_sort", sa.UnicodeText),
)

# One row: a token replaced by every index write, in the same transaction.
generation_table = sa.Table(
    "mogi_search_generation",
    meta.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token", sa.UnicodeText, nullable=False),
)
