"""Which datasets a caller may read, as a SQL condition on ``package``.

Mirrors CKAN's own rule for ``package_search``: ``ignore_auth`` and
sysadmins read everything; everyone else reads what their permission labels
(:class:`ckan.lib.plugins.DefaultPermissionLabels`) open: public active
datasets, and the active private datasets of their organizations, of which
they are collaborators or (without an organization) creators. Labels this
module does not know open nothing (fail closed).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan import authz, model
from ckan.lib.plugins import get_permission_labels

#: Label prefixes of CKAN's default permission labels, and what they open.
MEMBER = "member-"
COLLABORATOR = "collaborator-"
CREATOR = "creator-"


def caller(context: Any) -> model.User | None:
    """The user of an action's context (None for anonymous)."""
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def reads_everything(context: Any) -> bool:
    """True for ``ignore_auth`` calls and sysadmins, as ``package_search``."""
    if context.get("ignore_auth"):
        return True
    user = caller(context)
    return user is not None and authz.is_sysadmin(user.name)


def _labelled(labels: list[str], prefix: str) -> list[str]:
    return [label[len(prefix):] for label in labels if label.startswith(prefix)]


def readable(context: Any) -> Any:
    """A condition on :class:`ckan.model.Package` true for the datasets the caller may read.

    ``None`` when the caller may read every dataset (no condition to add).
    Every value is a bound parameter.
    """
    if reads_everything(context):
        return None
    labels = list(get_permission_labels().get_user_dataset_labels(caller(context)))
    package = model.Package
    opened: list[Any] = []
    if "public" in labels:
        opened.append(package.private.isnot(True))
    orgs = _labelled(labels, MEMBER)
    if orgs:
        opened.append(package.owner_org.in_(orgs))
    collaborations = _labelled(labels, COLLABORATOR)
    if collaborations:
        opened.append(package.id.in_(collaborations))
    creators = _labelled(labels, CREATOR)
    if creators:
        opened.append(sa.and_(package.owner_org.is_(None),
                              package.creator_user_id.in_(creators)))
    if not opened:
        return sa.false()
    return sa.and_(package.state == "active", sa.or_(*opened))
