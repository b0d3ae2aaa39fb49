"""The one gate that decides who may get the bytes of a resource's file.

Every way to fetch a table's bytes goes through :func:`file_access`: CKAN's
download view under every URL shape (``/dataset/<id>/resource/<rid>/download``
and ``.../download/<filename>``, any dataset type, any locale prefix: the
check runs before the view, chosen by the view's endpoint, not by the URL),
the masked copy and the validation report pages. Its rows in CKAN's DataStore
follow the same rule (:func:`rows_refusal`, chained onto the DataStore's read
auth functions by :mod:`.auth`): ``datastore_search`` (and the table
preview's requests and dumps that go through it), ``datastore_info`` and every
table of a ``datastore_search_sql`` query. It starts from the resource
itself, never from the URL:

1. the resource must exist, be active, and belong to the dataset named in the
   URL (by id or name); otherwise 404, for everyone;
2. the user must be allowed to read that dataset (CKAN's ``resource_show``
   auth: visibility, organization membership); otherwise 404, so a private
   dataset's existence is not confirmed;
3. the dataset's staff (``package_update``: its editors and admins,
   sysadmins) get the file;
4. anyone else gets a table's file only once it is positively cleared
   (:func:`hold_reason`); otherwise 403 with a translated reason.

A table is cleared when its latest check (for the current file, schema and
options) ended in a verdict, the LGPD scan ran, and any personal data found
has a justification recorded for that very file. Everything else is held:
not checked yet, being checked, an ``error``, a timeout or memory stop, a lost
job, a file that could not be read (so never scanned), personal data without a
justification (in every organization, whatever its blocking mode) and, in
blocking mode, a failed validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ckan import model
from ckan.plugins import toolkit

from ckanext.mogi.validation import blocking, tabular
from ckanext.mogi.validation import model as vmodel


@dataclass(frozen=True)
class Decision:
    """The gate's answer: an HTTP status (200, 403 or 404) and, if refused, why."""

    status: int
    message: str = ""

    @property
    def allowed(self) -> bool:
        return self.status == 200


def lgpd_scanned(record: Mapping[str, Any]) -> bool:
    """Whether the LGPD scan ran on the file of this record.

    Records written since the scan records itself carry ``scanned``; a
    ``success`` always ran it (so do older records of that status).
    """
    lgpd = record.get("lgpd") or {}
    return bool(lgpd.get("scanned")) or record.get("status") == "success"


def hold_reason(res: model.Resource) -> str | None:
    """Why people who may not edit the dataset cannot get this file (None: cleared)."""
    data = tabular.resource_dict(res)
    if not tabular.table_format(data):
        return None
    _ = toolkit._
    record = vmodel.latest_for([res.id]).get(res.id)
    problems = blocking.record_problems(record, tabular.fingerprint(data))
    if blocking.PENDING in problems:
        return _("This table is still being checked (validation and personal data): "
                 "it can be downloaded as soon as the check ends.")
    if blocking.LGPD in problems:
        return _("This table contains personal data (LGPD) and is not available for download.")
    assert record is not None
    if blocking.ERROR in problems or not lgpd_scanned(record):
        return _("This table could not be checked (validation and personal data), so it "
                 "is not available for download until the dataset's staff check it again.")
    if blocking.FAILURE in problems and blocking.is_blocking(res.package.owner_org):
        return _("This table failed validation and is not available for download until "
                 "the dataset's staff fix it.")
    return None


def _context() -> dict[str, Any]:
    from ckan.common import current_user

    return {"user": current_user.name, "auth_user_obj": current_user, "ignore_auth": False}


def _may(action: str, context: dict[str, Any], data_dict: dict[str, Any]) -> bool:
    try:
        toolkit.check_access(action, dict(context), data_dict)
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return False
    return True


def file_access(
    resource_id: str, dataset_ref: str | None, context: dict[str, Any] | None = None
) -> Decision:
    """May the current user (or ``context``'s) get the bytes of this resource's file?"""
    _ = toolkit._
    context = context if context is not None else _context()
    not_found = Decision(404, _("Resource not found"))
    res = model.Resource.get(str(resource_id or ""))
    if res is None or res.state != "active":
        return not_found
    pkg = res.package
    if pkg is None or pkg.state == "deleted":
        return not_found
    if dataset_ref is not None and dataset_ref not in (pkg.id, pkg.name):
        return not_found
    if not _may("resource_show", context, {"id": res.id}):
        return not_found
    if _may("package_update", context, {"id": pkg.id}):
        return Decision(200)
    reason = hold_reason(res)
    return Decision(403, reason) if reason else Decision(200)


def is_download_endpoint(endpoint: str | None) -> bool:
    """CKAN's download view, under any of its blueprints (one per dataset type)."""
    return bool(endpoint) and (
        endpoint == "resource.download" or str(endpoint).endswith("_resource.download")
    )


def rows_refusal(resource_id: str | None, context: dict[str, Any]) -> str | None:
    """Why the caller of a DataStore read (``context``) may not read the rows of
    this resource's table (None: the rows may be read).

    Called after CKAN's own check (``resource_show``: a private dataset's
    tables are closed to outsiders): the dataset's staff read the rows, anyone
    else only those of a table the file gate clears (:func:`hold_reason`).
    A name that is no resource (``_table_metadata``) is left to CKAN.
    """
    res = model.Resource.get(str(resource_id or ""))
    if res is None:
        return None
    if res.state != "active" or res.package is None or res.package.state == "deleted":
        return toolkit._("Resource not found")
    if _may("package_update", context, {"id": res.package_id}):
        return None
    return hold_reason(res)
