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
from ckanext.mogi.common.interfaces import IMogiDerivedFields
from ckanext.mogi.schema import lifecycle


class MogiSchemaPlugin(SchemingDatasetsPlugin):
    p.implements(p.IPackageController, inherit=True)

    def update_config(self, config: Any) -> None:
        super().update_config(config)
        p.toolkit.add_template_directory(config, "templates")

    def get_validators(self) -> dict[str, Any]:
        return {**super().get_validators(), **schema.get_validators()}

    def get_helpers(self) -> dict[str, Any]:
        return {**super().get_helpers(), **schema.get_helpers()}

    def validate(self, context: Any, data_dict: Any, schema_: Any, action: str) -> Any:
        if not action.endswith("_show"):
            derived = [key for plugin in p.PluginImplementations(IMogiDerivedFields)
                       for key in plugin.derived_dataset_fields()]
            data_dict = lifecycle.before_validation(data_dict, derived)
        return super().validate(context, data_dict, schema_, action)

    # IPackageController
    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        lifecycle.after_save(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        lifecycle.after_save(pkg_dict)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        lifecycle.after_show(pkg_dict)
