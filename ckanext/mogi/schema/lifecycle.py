"""What happens around a dataset's validation, save and display.

Plain functions called by the ``mogi_schema`` plugin's hooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ckan.lib.helpers import get_display_timezone

from ckanext.mogi.schema import federal, themes
from ckanext.mogi.schema.periodicity import next_expected_update

DATASET_TYPE = "dataset"


def before_validation(data: Mapping[str, Any], derived: Iterable[str] = ()) -> dict[str, Any]:
    """Map what other clients send (CGU extras, theme groups, tags) into our fields.

    ``derived`` are keys other plugins add on show (``IMogiDerivedFields``,
    e.g. the DCAT-BR seal): never stored, so dropped here.

    Standard CKAN clients, and CKAN's own actions that re-send a shown
    dataset (``package_patch``, ``resource_create``), carry keywords as the
    ``tags`` list, never as the form's ``tag_string``.
    """
    result = federal.absorb_cgu_extras(data)
    # Derived on show, never stored (round trips of package_show output).
    for key in derived:
        result.pop(key, None)
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
    """Derived fields: next expected update; federal extras on public datasets."""
    if pkg.get("type", DATASET_TYPE) != DATASET_TYPE:
        return
    pkg["proxima_atualizacao"] = next_update(pkg)
    if not pkg.get("private"):
        federal.with_cgu_extras(pkg)
