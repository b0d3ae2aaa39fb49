"""ckanext-scheming schemas and Table Schemas (installed as ckanext.mogi.schemas)."""
