"""ckanext-mogi: the open-data portal of the Prefeitura de Mogi das Cruzes.

The top-level ``schemas/`` and ``i18n/`` folders are shipped *inside* the
package (as ``ckanext.mogi.schemas`` and ``ckanext.mogi.i18n``) so that a
plain, non-editable wheel install works, as in the Docker image. The pt_BR
message catalogue is compiled to ``.mo`` while the package is built.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent


class BuildWithCatalogues(build_py):
    """Compile every ``i18n/*/LC_MESSAGES/*.po`` into the build tree."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        target_root = Path(self.build_lib) / "ckanext" / "mogi" / "i18n"
        for po_path in (HERE / "i18n").glob("*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            mo_path = target_root / po_path.relative_to(HERE / "i18n")
            mo_path = mo_path.with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)


PLUGINS = {
    "mogi": "ckanext.mogi.plugin:MogiPlugin",
    "mogi_search": "ckanext.mogi.search.plugin:MogiSearchPlugin",
    "mogi_schema": "ckanext.mogi.schema.plugin:MogiSchemaPlugin",
    "mogi_theme": "ckanext.mogi.theme.plugin:MogiThemePlugin",
    "mogi_dcat": "ckanext.mogi.dcat.plugin:MogiDcatPlugin",
    "mogi_validation": "ckanext.mogi.validation.plugin:MogiValidationPlugin",
    "mogi_access": "ckanext.mogi.access.plugin:MogiAccessPlugin",
    "mogi_demo": "ckanext.mogi.demo.plugin:MogiDemoPlugin",
    "mogi_datastore": "ckanext.mogi.datastore.plugin:MogiDatastorePlugin",
    "mogi_governance": "ckanext.mogi.governance.plugin:MogiGovernancePlugin",
    "mogi_ocds": "ckanext.mogi.ocds.plugin:MogiOcdsPlugin",
}

setup(
    name="ckanext-mogi",
    version="0.1.0",
    description="Portal de dados abertos da Prefeitura de Mogi das Cruzes (CKAN 2.12)",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11",
    packages=[
        *find_namespace_packages(include=["ckanext.mogi", "ckanext.mogi.*"]),
        "ckanext.mogi.schemas",
        "ckanext.mogi.i18n",
    ],
    package_dir={
        "ckanext.mogi.schemas": "schemas",
        "ckanext.mogi.i18n": "i18n",
    },
    package_data={
        "ckanext.mogi": [
            "config_declaration.yaml",
            "*/*.yaml",  # each plugin's config_declaration.yaml, data files
            "*/templates/**/*",
            "*/assets/**/*",
            "*/public/**/*",
            "migration/*/alembic.ini",
            "migration/*/README",
            "*/README.md",
            "migration/*/script.py.mako",
            # Word lists and format aliases (data, not code).
            "common/data/*.yaml",
            "validation/data/*.yaml",
            "datastore/data/*.yaml",
            "governance/data/*.yaml",
            "ocds/data/*.yaml",
        ],
        "ckanext.mogi.schemas": ["**/*"],
        "ckanext.mogi.i18n": ["**/*.po", "**/*.pot"],
    },
    include_package_data=False,
    # The pinned stack lives in requirements.txt (used by make, CI and Docker);
    # here every distribution the code imports, with lower bounds only.
    # tests/test_install.py checks this list against the imports of ckanext/mogi
    # and installs the wheel into a clean venv as docker/Dockerfile does.
    install_requires=[
        "ckan>=2.12,<2.13",
        # CKAN's own dependencies that the code imports directly (CKAN
        # declares them only in its [requirements] extra).
        "alembic>=1.13",
        "click>=8.1",
        "Flask>=3.0",
        "Werkzeug>=3.0",
        "SQLAlchemy>=2.0",
        "PyYAML>=6.0",
        "python-dateutil>=2.8",
        "requests>=2.32",
        "urllib3>=2.0",
        "charset-normalizer>=3.0",
        "redis>=5.0",
        "rq>=1.16",
        "pysolr>=3.9",
        # CKAN extensions the portal builds on.
        "ckanext-scheming>=3.1",
        "ckanext-dcat>=2.4",
        # mogi_search
        "luqum>=1.0",
        "snowballstemmer>=2.2",
        # mogi_schema
        "validate-docbr>=2",
        # mogi_dcat and `ckan mogi` (SHACL checks of the DCAT-BR output)
        "rdflib>=7.0",
        "pyshacl>=0.26",
        # mogi_validation: tables in CSV, XLSX/XLS and ODS
        "frictionless[excel,ods]>=5,<6",
        # mogi_validation's fork server preloads the XLSX reader
        "openpyxl>=3.1",
        # mogi_datastore: COPY into the DataStore, its SQL composed safely
        "psycopg2>=2.9",
        # mogi_datastore: numbers and dates of the preview in the site's locale
        "Babel>=2.14",
        # mogi_governance: the reminders' e-mail texts (plain-text templates)
        "Jinja2>=3.1",
        # mogi_governance: the panel's SVG charts (Markup, escape)
        "MarkupSafe>=2.1",
        # mogi_ocds: dumps read as a stream, compiled releases, offline
        # validation against the local OCDS schemas
        "ijson>=3.2",
        "ocdsmerge>=0.8",
        "jsonschema>=4.18",
        "referencing>=0.30",
    ],
    entry_points={
        "ckan.plugins": [f"{name} = {target}" for name, target in PLUGINS.items()],
        "ckan.rdf.profiles": ["dcat_br = ckanext.mogi.dcat.profile:DCATBRProfile",
                              "schemaorg_br = ckanext.mogi.dcat.schemaorg:SchemaOrgBRProfile"],
        "babel.extractors": ["ckan = ckan.lib.extract:extract_ckan"],
    },
    cmdclass={"build_py": BuildWithCatalogues},
    zip_safe=False,
)
