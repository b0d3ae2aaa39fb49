"""Plugin ``mogi_validation``: table validation and the LGPD check (wiring only).

Actions and auth: :mod:`.actions`, :mod:`.auth`; scheduling and the job:
:mod:`.jobs`; blocking mode: :mod:`.blocking`; the tables:
:mod:`.model` (migration ``ckanext/mogi/migration/mogi_validation``).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import click

from ckanext.mogi.common.interfaces import IMogiCommands
from ckanext.mogi.validation import actions, auth, helpers, jobs, views


@p.toolkit.blanket.config_declarations
@p.toolkit.blanket.actions(actions.get_actions)
@p.toolkit.blanket.auth_functions(auth.get_auth_functions)
class MogiValidationPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurable)
    p.implements(p.IPackageController, inherit=True)
    # The pages (views.py, templates/), badges, facet and form field (helpers.py).
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IValidators)
    p.implements(IMogiCommands)

    def configure(self, config: Any) -> None:
        jobs.install_session_hooks()

    # IPackageController: every save of a dataset, including those made by
    # resource_create/resource_update/resource_patch, schedules its changed tables.
    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        jobs.schedule(pkg_dict["id"])

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        jobs.schedule(pkg_dict["id"])

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return helpers.index_statuses(pkg_dict)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return helpers.label_facet(search_results)

    # IConfigurer, IBlueprint, ITemplateHelpers, IValidators (the resource
    # form's schemas-library and schema-file fields of dataset.yaml).
    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")

    def get_blueprint(self) -> Any:
        return views.get_blueprints()

    def get_helpers(self) -> dict[str, Any]:
        return helpers.get_helpers()

    def get_validators(self) -> dict[str, Any]:
        return {"mogi_validation_library_schema": helpers.library_schema_field,
                "mogi_validation_schema_upload": helpers.schema_upload_field}

    # IMogiCommands: ``ckan mogi validation ...``.
    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.validation.cli import validation

        return [validation]

    # IFacets: "Validation status" on every dataset listing.
    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        facets_dict[helpers.FACET_FIELD] = helpers.facet_title()
        return facets_dict

    def group_facets(self, facets_dict: Any, group_type: str, package_type: Any) -> Any:
        return self.dataset_facets(facets_dict, package_type)

    def organization_facets(
        self, facets_dict: Any, organization_type: str, package_type: Any
    ) -> Any:
        return self.dataset_facets(facets_dict, package_type)
