"""DCAT-BR 1.0 metadata (RDF) for ckanext-dcat: profile ``dcat_br``, plugin ``mogi_dcat``."""
