"""pt_BR message catalogue of ckanext-mogi (installed as ckanext.mogi.i18n)."""
