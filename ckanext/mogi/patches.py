"""Every override of a CKAN route or internal in the bundle, in one place.

Each capability lists its own overrides beside the code that makes them;
this registry gathers them by plugin, and the ``mogi`` plugin verifies those
of the enabled plugins when the web application is built (all routes are
registered then), refusing to start with a message naming each missing seam
(:mod:`ckanext.mogi.common.patches`). ``mogi_search`` and ``mogi_dcat`` also
check their own internals earlier, when they are configured.
"""

from __future__ import annotations

import importlib
from typing import Any

from ckan.plugins import plugin_loaded

from ckanext.mogi.common import patches

#: ``mogi_validation``'s overrides (its views and file gate,
#: ``validation/views.py`` and ``validation/gate.py``).
VALIDATION: tuple[patches.Override, ...] = (
    patches.Override("mogi_validation", "endpoint", "resource.download",
                     "the file gate runs before CKAN's download view"),
    patches.Override("mogi_validation", "endpoint", "organization.bulk_process",
                     "bulk publish refused by the blocking mode is a message, not a 500"),
    patches.Override("mogi_validation", "attribute", "BulkProcessView",
                     "bulk publish is CKAN's view, with the blocking mode's refusals",
                     module="ckan.views.group"),
)

#: Plugin name -> the module whose ``OVERRIDES`` lists its overrides (imported
#: only when the plugin is enabled: the ``mogi`` plugin depends on no capability).
REGISTRY: dict[str, str] = {
    "mogi_search": "ckanext.mogi.search.ckan_patch",
    "mogi_dcat": "ckanext.mogi.dcat.seams",
    "mogi_validation": __name__,
    "mogi_access": "ckanext.mogi.access.guards",
    "mogi_datastore": "ckanext.mogi.datastore.preview_search",
    "mogi_governance": "ckanext.mogi.governance.guards",
}
#: ``mogi_validation``'s, kept here (see :data:`VALIDATION`).
OVERRIDES = VALIDATION
ADVICE = ("Pin the versions of requirements.txt, or adapt the override "
          "(ckanext/mogi/patches.py lists where each one lives).")


def overrides_of(plugin: str) -> tuple[patches.Override, ...]:
    """The overrides ``plugin`` makes (as its module lists them)."""
    return importlib.import_module(REGISTRY[plugin]).OVERRIDES


def enabled() -> list[patches.Override]:
    """The overrides of the plugins in ``ckan.plugins``."""
    return [override for name in REGISTRY if plugin_loaded(name)
            for override in overrides_of(name)]


def verify(app: Any) -> None:
    """Refuse to start when an enabled plugin's override lost its seam."""
    patches.verify(enabled(), app, advice=ADVICE)
