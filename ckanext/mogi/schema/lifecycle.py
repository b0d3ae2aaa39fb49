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


def _moment(value: Any) -> dt.datetime | None:
    """An ISO timestamp of CKAN (naive = UTC) as an aware datetime, or None."""
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def last_data_update(pkg: Mapping[str, Any]) -> dt.datetime | None:
    """When the dataset's data last changed: the latest of its resources'
    changes, each the file's upload (``last_modified``), else the resource's
    last edit (a link has no upload: a new URL is an edit), else its creation.
    A dataset without resources has never had data changed: its creation.

    Editing the dataset's description (``metadata_modified``) is not an update
    of its data, so it never postpones the next expected update.
    """
    stamps = [_moment(res.get("last_modified") or res.get("metadata_modified")
                      or res.get("created"))
              for res in pkg.get("resources") or [] if isinstance(res, Mapping)]
    found = [stamp for stamp in stamps if stamp is not None]
    if found:
        return max(found)
    return _moment(pkg.get("metadata_created") or pkg.get("metadata_modified"))


def last_data_day(pkg: Mapping[str, Any]) -> dt.date | None:
    """The day of :func:`last_data_update` in ``ckan.display_timezone`` (CKAN
    stores UTC), the day the pages show."""
    stamp = last_data_update(pkg)
    return stamp.astimezone(get_display_timezone()).date() if stamp else None


def next_update(pkg: Mapping[str, Any]) -> str | None:
    """ISO date of the next expected update, from the frequency and the last
    update of the data (:func:`last_data_day`)."""
    last = last_data_day(pkg)
    if last is None:
        return None
    upcoming = next_expected_update(pkg.get("periodicidade"), last)
    return upcoming.isoformat() if upcoming else None


def after_show(pkg: dict[str, Any]) -> None:
    """Derived fields: the data's last update and the next expected one;
    federal extras on public datasets."""
    if pkg.get("type", DATASET_TYPE) != DATASET_TYPE:
        return
    last = last_data_day(pkg)
    pkg["ultima_atualizacao_dados"] = last.isoformat() if last else None
    pkg["proxima_atualizacao"] = next_update(pkg)
    if not pkg.get("private"):
        federal.with_cgu_extras(pkg)
