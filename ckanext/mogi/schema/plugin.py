"""Plugin ``mogi_schema``: municipal metadata on ckanext-scheming (wiring only).

It takes the place of ``scheming_datasets`` (it is that plugin, plus our
validators, helpers and dataset hooks), configured with the same
``scheming.dataset_schemas`` option.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
from ckanext.scheming.plugins import SchemingDatasetsPlugin

from ckanext.mogi import schema
from ckanext.mogi.dcat import seal
from ckanext.mogi.schema import lifecycle
from ckanext.mogi.validation import helpers as validation_helpers


class MogiSchemaPlugin(SchemingDatasetsPlugin):
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)

    def update_config(self, config: Any) -> None:
        super().update_config(config)
        p.toolkit.add_template_directory(config, "templates")

    def get_validators(self) -> dict[str, Any]:
        # dataset.yaml's schemas-library field (resource form) is validated
        # wherever this schema is, with or without the mogi_validation plugin.
        return {**super().get_validators(), **schema.get_validators(),
                "mogi_validation_library_schema": validation_helpers.library_schema_field,
                "mogi_validation_schema_upload": validation_helpers.schema_upload_field}

    def get_helpers(self) -> dict[str, Any]:
        return {
            **super().get_helpers(),
            **schema.get_helpers(),
            "mogi_seal_level_label": seal.translated_level_label,
            "mogi_seal_criterion_label": seal.translated_criterion_label,
        }

    def validate(self, context: Any, data_dict: Any, schema_: Any, action: str) -> Any:
        if not action.endswith("_show"):
            data_dict = lifecycle.before_validation(data_dict)
        return super().validate(context, data_dict, schema_, action)

    # IPackageController
    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        lifecycle.after_save(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        lifecycle.after_save(pkg_dict)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        lifecycle.after_show(pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return lifecycle.before_index(pkg_dict)

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        return lifecycle.label_seal_facet(search_results)

    # IFacets: the DCAT-BR seal on every dataset listing.
    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        facets_dict[seal.FIELD] = p.toolkit._("DCAT-BR seal")
        return facets_dict

    def group_facets(self, facets_dict: Any, group_type: str, package_type: Any) -> Any:
        return self.dataset_facets(facets_dict, package_type)

    def organization_facets(self, facets_dict: Any, organization_type: str,
                            package_type: Any) -> Any:
        return self.dataset_facets(facets_dict, package_type)
