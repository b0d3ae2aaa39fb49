"""What happens around a dataset's validation, save and display.

Plain functions called by the ``mogi_schema`` plugin's hooks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from ckan.lib.helpers import get_display_timezone

from ckanext.mogi.dcat import seal
from ckanext.mogi.schema import federal, themes
from ckanext.mogi.schema.periodicity import next_expected_update

DATASET_TYPE = "dataset"


def before_validation(data: Mapping[str, Any]) -> dict[str, Any]:
    """Map what other clients send (CGU extras, theme groups, tags) into our fields.

    Standard CKAN clients, and CKAN's own actions that re-send a shown
    dataset (``package_patch``, ``resource_create``), carry keywords as the
    ``tags`` list, never as the form's ``tag_string``.
    """
    result = federal.absorb_cgu_extras(data)
    # Derived on show, never stored (round trips of package_show output).
    result.pop(seal.FIELD, None)
    if not result.get("tag_string") and isinstance(result.get("tags"), list):
        names = [t.get("name") if isinstance(t, Mapping) else t for t in result["tags"]
                 if not (isinstance(t, Mapping) and t.get("vocabulary_id"))]
        if any(names):
            result["tag_string"] = ",".join(n for n in names if n)
    if not result.get("temas") and result.get("groups"):
        chosen = themes.themes_from_groups(result["groups"])
        if chosen:
            result["temas"] = chosen
    return result


def after_save(pkg: Mapping[str, Any]) -> None:
    """Keep the theme-group memberships equal to the ``temas`` field."""
    if pkg.get("type", DATASET_TYPE) == DATASET_TYPE and pkg.get("id"):
        themes.sync_memberships(pkg["id"], themes.chosen_themes(pkg.get("temas")))


def next_update(pkg: Mapping[str, Any]) -> str | None:
    """ISO date of the next expected update, from the frequency and last change.

    The last change is dated in ``ckan.display_timezone`` (CKAN stores UTC), the
    day the pages show as the last update.
    """
    modified = pkg.get("metadata_modified")
    if not modified:
        return None
    stamp = dt.datetime.fromisoformat(str(modified).replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    last = stamp.astimezone(get_display_timezone()).date()
    upcoming = next_expected_update(pkg.get("periodicidade"), last)
    return upcoming.isoformat() if upcoming else None


def after_show(pkg: dict[str, Any]) -> None:
    """Derived fields: next expected update, DCAT-BR seal; federal extras on public datasets."""
    if pkg.get("type", DATASET_TYPE) != DATASET_TYPE:
        return
    pkg["proxima_atualizacao"] = next_update(pkg)
    pkg[seal.FIELD] = seal.evaluate(pkg)
    if not pkg.get("private"):
        federal.with_cgu_extras(pkg)


def before_index(doc: dict[str, Any]) -> dict[str, Any]:
    """The seal's level as a flat string field of the index document (the facet).

    CKAN builds the document from the default-schema dict; the seal is in the
    shown dict it also stores, as ``validated_data_dict`` (JSON).
    """
    if doc.get("dataset_type", DATASET_TYPE) != DATASET_TYPE:
        return doc
    try:
        shown = json.loads(doc.get("validated_data_dict") or "{}")
    except (TypeError, ValueError):
        shown = {}
    doc[seal.FIELD] = seal.level_of(shown if isinstance(shown, dict) and shown else doc)
    return doc


def label_seal_facet(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show the seal facet's items as "Ouro", "Prata"... instead of the stored ids."""
    facet = (search_results.get("search_facets") or {}).get(seal.FIELD)
    for item in (facet or {}).get("items", []):
        item["display_name"] = seal.translated_level_label(item.get("name"))
    return search_results
