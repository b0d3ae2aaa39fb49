"""Plugin ``mogi_access``: no private metadata through side doors (wiring only).

Tags (:mod:`.tags`): ``tag_list``, ``tag_search`` and ``tag_autocomplete``
(also ``/api/2/util/tag/autocomplete``) leave out the tags used only by
datasets the caller may not read. Group members (:mod:`.members`):
``member_list`` leaves out such datasets. Who may read what:
:mod:`.visibility`.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p

from ckanext.mogi.access import members, tags


def _actions() -> dict[str, Any]:
    return {**tags.get_actions(), **members.get_actions()}


@p.toolkit.blanket.actions(_actions)
class MogiAccessPlugin(p.SingletonPlugin):
    pass
