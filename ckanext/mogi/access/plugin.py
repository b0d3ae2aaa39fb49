"""Plugin ``mogi_access``: no private metadata through side doors (wiring only).

Guards before and after CKAN's views (:mod:`.guards`): resource pages
under another dataset's URL are 404, anonymous follow is refused cleanly,
and API refusals name nothing. Collaborator actions refuse anonymous callers
(:mod:`.collaborators`). Tags (:mod:`.tags`): ``tag_list``, ``tag_search`` and ``tag_autocomplete``
(also ``/api/2/util/tag/autocomplete``) leave out the tags used only by
datasets the caller may not read. Group members (:mod:`.members`):
``member_list`` leaves out such datasets. Who may read what:
:mod:`.visibility`.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p

from ckanext.mogi.access import collaborators, guards, members, tags


def _actions() -> dict[str, Any]:
    return {**tags.get_actions(), **members.get_actions()}


@p.toolkit.blanket.actions(_actions)
@p.toolkit.blanket.auth_functions(collaborators.get_auth_functions)
@p.toolkit.blanket.blueprints(guards.get_blueprint)
class MogiAccessPlugin(p.SingletonPlugin):
    pass
