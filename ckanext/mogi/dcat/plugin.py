"""Plugin ``mogi_dcat``: wiring for ckanext-dcat's ``dcat`` plugin.

ckanext-dcat serves the endpoints (``/catalog.{ttl,rdf,jsonld,xml}``,
``/dataset/<id>.{ttl,rdf,jsonld}``); the DCAT-BR
mapping is the ``dcat_br`` profile (:mod:`ckanext.mogi.dcat.profile`,
``ckanext.dcat.rdf.profiles = dcat_br``). This plugin declares the
catalogue options and pins ``capacity:public`` into the catalogue's search
(``dcat_catalog_show`` / ``dcat_catalog_search``), so that private datasets
stay out of it whoever asks and whatever ``fq`` is given. ckanext-dcat
already leaves them out today (it never passes ``include_private``); this
keeps it so if that changes.

It also registers the ``mogi_dcat`` blueprint, whose hooks and ``/catalog``
rule (:mod:`ckanext.mogi.dcat.http`) add HTTP caching to the RDF responses
and content negotiation that leaves ``/dataset/new`` alone; the DCAT-BR
quality seal (:mod:`ckanext.mogi.dcat.seal`) on ``package_show``, in the
index (a facet) and on the dataset page; the schema.org markup of dataset
pages (ckanext-dcat's ``structured_data`` helper, chained:
:mod:`ckanext.mogi.dcat.structured`); and ``ckan mogi dcat ...``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import click
from flask import Blueprint

from ckanext.mogi.common.interfaces import IMogiCommands, IMogiDerivedFields
from ckanext.mogi.common.signals import VALIDATION_VERDICT, signal
from ckanext.mogi.dcat import catalogue, freshness, http, seal, seams, structured

PUBLIC_ONLY = "capacity:public"


def public_only(fq: str | None) -> str:
    """``fq`` restricted to public datasets."""
    fq = (fq or "").strip()
    return f"{PUBLIC_ONLY} AND ({fq})" if fq else PUBLIC_ONLY


def _public_catalogue(action: str, context: Any, data_dict: dict[str, Any]) -> Any:
    """ckanext-dcat's catalogue action, public datasets only, pages from fragments."""
    p.toolkit.check_access(action, context, data_dict)
    data_dict = {**data_dict, "fq": public_only(data_dict.get("fq"))}
    return catalogue.page(context, data_dict)


@p.toolkit.chained_action
@p.toolkit.side_effect_free
def dcat_catalog_show(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    return _public_catalogue("dcat_catalog_show", context, data_dict)


@p.toolkit.chained_action
@p.toolkit.side_effect_free
def dcat_catalog_search(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    return _public_catalogue("dcat_catalog_search", context, data_dict)


@p.toolkit.chained_action
@p.toolkit.side_effect_free
def dcat_dataset_show(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    p.toolkit.check_access("dcat_dataset_show", context, data_dict)
    return catalogue.dataset(context, data_dict)


@p.toolkit.blanket.config_declarations
class MogiDcatPlugin(p.SingletonPlugin):
    p.implements(p.IActions)
    p.implements(p.IBlueprint)
    p.implements(p.IConfigurable)
    p.implements(p.IConfigurer)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(IMogiCommands)
    p.implements(IMogiDerivedFields)
    p.implements(p.ISignal)

    def configure(self, config: Any) -> None:
        seams.check()
        # When datasets enter or leave the public catalogue (its validators).
        freshness.install_session_hooks()
        if p.plugin_loaded("structured_data"):
            structured.check_profiles()

    def update_config(self, config: Any) -> None:
        p.toolkit.add_template_directory(config, "templates")

    def get_actions(self) -> dict[str, Any]:
        return {
            "dcat_catalog_show": dcat_catalog_show,
            "dcat_catalog_search": dcat_catalog_search,
            "dcat_dataset_show": dcat_dataset_show,
        }

    def get_blueprint(self) -> Blueprint:
        blueprint = Blueprint("mogi_dcat", __name__)
        blueprint.before_app_request(http.before_request)
        blueprint.after_app_request(http.after_request)
        blueprint.add_url_rule("/catalog", "catalog", http.catalog, methods=["GET"])
        return blueprint

    def get_helpers(self) -> dict[str, Any]:
        helpers = {
            "mogi_seal_level_label": seal.translated_level_label,
            "mogi_seal_criterion_label": seal.translated_criterion_label,
        }
        if p.plugin_loaded("structured_data"):
            # ckanext-dcat's schema.org markup: public datasets, advertised files only.
            helpers["structured_data"] = structured.structured_data
        return helpers

    # IPackageController: the seal on package_show, in the index, on the facet.
    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        seal.add_to_shown(pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return seal.add_to_index(pkg_dict)

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        return seal.label_facet(search_results)

    # IFacets: the DCAT-BR seal on every dataset listing.
    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        facets_dict[seal.FIELD] = seal.facet_title()
        return facets_dict

    def group_facets(self, facets_dict: Any, group_type: str, package_type: Any) -> Any:
        return self.dataset_facets(facets_dict, package_type)

    def organization_facets(self, facets_dict: Any, organization_type: str,
                            package_type: Any) -> Any:
        return self.dataset_facets(facets_dict, package_type)

    # ISignal: a table's verdict changes the DQV measurement of its dataset.
    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        return {signal(VALIDATION_VERDICT): [freshness.on_verdict]}

    # IMogiCommands, IMogiDerivedFields
    def mogi_commands(self) -> list[click.Command]:
        from ckanext.mogi.dcat.cli import dcat  # pyshacl: only for the CLI

        return [dcat]

    def derived_dataset_fields(self) -> list[str]:
        return [seal.FIELD]
