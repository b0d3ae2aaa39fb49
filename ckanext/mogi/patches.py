"""Every override of a CKAN route or internal in the bundle, in one place.

Each capability lists its own overrides beside the code that makes them;
this registry gathers them by plugin, and the ``mogi`` plugin verifies those
of the enabled plugins when the web application is built (all routes are
registered then), refusing to start with a message naming each missing seam
(:mod:`ckanext.mogi.common.patches`). ``mogi_search`` and ``mogi_dcat`` also
check their own internals earlier, when they are configured.
"""

from __future__ import annotations

from typing import Any

from ckan.plugins import plugin_loaded

from ckanext.mogi.access import guards
from ckanext.mogi.common import patches
from ckanext.mogi.dcat import seams as dcat_seams
from ckanext.mogi.search import ckan_patch

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

#: Plugin name -> its overrides.
REGISTRY: dict[str, tuple[patches.Override, ...]] = {
    "mogi_search": ckan_patch.OVERRIDES,
    "mogi_dcat": dcat_seams.OVERRIDES,
    "mogi_validation": VALIDATION,
    "mogi_access": guards.OVERRIDES,
}
ADVICE = ("Pin the versions of requirements.txt, or adapt the override "
          "(ckanext/mogi/patches.py lists where each one lives).")


def enabled() -> list[patches.Override]:
    """The overrides of the plugins in ``ckan.plugins``."""
    return [override for name, overrides in REGISTRY.items() if plugin_loaded(name)
            for override in overrides]


def verify(app: Any) -> None:
    """Refuse to start when an enabled plugin's override lost its seam."""
    patches.verify(enabled(), app, advice=ADVICE)
