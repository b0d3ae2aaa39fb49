"""Collaborator actions refuse anonymous callers cleanly.

CKAN's auth functions of ``package_collaborator_list``, ``_create`` and
``_delete`` assert that the caller is a known user; an anonymous API call
(whose context carries CKAN's anonymous user object, so CKAN's own
"requires an authenticated user" check lets it through) ended in a server
error. Known users go on to CKAN's rules unchanged.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit

NAMES = ("package_collaborator_list", "package_collaborator_create",
         "package_collaborator_delete")


def _known_user_first(next_auth: Any, context: Any, data_dict: Any) -> Any:
    if model.User.get(str(context.get("user") or "")) is None:
        return {"success": False, "msg": toolkit._("Log in to manage collaborators.")}
    return next_auth(context, data_dict)


def get_auth_functions() -> dict[str, Any]:
    functions = {}
    for name in NAMES:

        @toolkit.chained_auth_function
        def auth(next_auth: Any, context: Any, data_dict: Any) -> Any:
            return _known_user_first(next_auth, context, data_dict)

        functions[name] = auth
    return functions
