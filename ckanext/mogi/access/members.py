"""``member_list`` without the private datasets of a group.

CKAN's ``member_list`` lists every dataset of a group, so the id of a
private dataset of a theme group shows to anyone who may see the group. This
chained action drops, for ``object_type`` ``package`` or unspecified, the
datasets the caller may not read
(:func:`ckanext.mogi.access.visibility.readable`), with one parameterised
query over the listed ids; users and groups are left as CKAN lists them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit

from ckanext.mogi.access.visibility import readable

PACKAGE = "package"


def visible_members(context: Any, members: list[Any]) -> list[Any]:
    """``member_list``'s ``(id, type, capacity)`` tuples minus unreadable datasets."""
    condition = readable(context)
    packages = [member[0] for member in members if member[1] == PACKAGE]
    if condition is None or not packages:
        return members
    allowed = set(model.Session.execute(
        sa.select(model.Package.id).where(model.Package.id.in_(packages), condition)
    ).scalars())
    return [member for member in members if member[1] != PACKAGE or member[0] in allowed]


@toolkit.chained_action
@toolkit.side_effect_free
def member_list(up_func: Any, context: Any, data_dict: dict[str, Any]) -> list[Any]:
    members = up_func(context, data_dict)
    if data_dict.get("object_type") not in (None, "", PACKAGE):
        return members
    return visible_members(context, members)


def get_actions() -> dict[str, Any]:
    return {"member_list": member_list}
