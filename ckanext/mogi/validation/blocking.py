"""Publication rules: which tables keep a dataset private.

Personal data is not an organization's setting. In EVERY organization a
dataset cannot become public while one of its tables is flagged by the LGPD
check (``lgpd.blocks_publication``) without a justification recorded for that
very file, and the worker makes a public dataset private when a table's
verdict is such a flag (audit event ``made_private``).

Blocking mode (site option ``ckanext.mogi.validation.blocking``, default on,
overridden per organization by its ``validacao_bloqueante`` field: ``herdar``,
``sim``, ``nao``) governs only what the other problems do:

* A dataset cannot *become* public (created public, or changed from private
  or draft to public and active) while one of its tables (CSV, TSV, XLSX,
  XLS, ODS) is not validated yet (no verdict, waiting, running, or the file,
  schema or options changed since), failed validation, or could not be
  validated (status ``error``: no verdict, so no LGPD verdict either). The
  save is refused with a ValidationError on ``private`` naming each table and
  the reason (API 409, form error); nothing is saved, nothing is deleted.
* A dataset that is already public and gets a new or changed table stays
  public while the table is validated; when the verdict is a failure, the
  worker makes the dataset private.

Whatever the mode, the FILE of a table that is not positively cleared is held
back from everyone but the dataset's staff by :mod:`.gate`.

Nothing here deletes or changes a resource.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ckan import model
from ckan.plugins import toolkit

from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.validation import lgpd, tabular
from ckanext.mogi.validation import model as vmodel

ORG_FIELD = "validacao_bloqueante"
ORG_INHERIT, ORG_YES, ORG_NO = "herdar", "sim", "nao"

PENDING, FAILURE, ERROR, LGPD = "pending", "failure", "error", "lgpd"


def is_blocking(owner_org: str | None) -> bool:
    """Blocking mode for datasets of ``owner_org`` (id or name; None: site option)."""
    site = toolkit.asbool(toolkit.config.get("ckanext.mogi.validation.blocking"))
    group = model.Group.get(owner_org) if owner_org else None
    choice = str((group.extras or {}).get(ORG_FIELD) or "") if group else ""
    if choice == ORG_YES:
        return True
    if choice == ORG_NO:
        return False
    return site


def record_problems(record: Mapping[str, Any] | None, current_fingerprint: str | None) -> list[str]:
    """Why a table with this latest record keeps its dataset private ([] if none)."""
    if record is None or record.get("status") in vmodel.PENDING:
        return [PENDING]
    if record.get("fingerprint") not in (None, current_fingerprint):
        return [PENDING]
    problems = []
    if record["status"] == "failure":
        problems.append(FAILURE)
    elif record["status"] == "error":
        problems.append(ERROR)
    if (
        lgpd.blocks_publication(record.get("lgpd"))
        and vmodel.justification(record["resource_id"], record.get("fingerprint")) is None
    ):
        problems.append(LGPD)
    return problems


def _label(resource: Mapping[str, Any]) -> str:
    name = str(resource.get("name") or "").strip()
    if name:
        return name
    url = str(resource.get("url") or "").rstrip("/")
    return url.rsplit("/", 1)[-1] or str(resource.get("id") or "")


def message(problem: str, name: str) -> str:
    """The translated form/API message for one table and one reason."""
    _ = toolkit._
    texts = {
        PENDING: _(
            'The table "{name}" has not been validated yet: wait for the '
            "validation to finish, then publish the dataset."
        ),
        FAILURE: _(
            'The table "{name}" failed validation: fix the errors shown in '
            "its validation report before publishing the dataset."
        ),
        ERROR: _(
            'The table "{name}" could not be validated: run the validation '
            "again before publishing the dataset."
        ),
        LGPD: _(
            'The table "{name}" contains personal data (LGPD): publish a '
            "masked copy or record a justification with its legal basis "
            "before publishing the dataset."
        ),
    }
    return texts[problem].format(name=name)


# -------------------------------------------------------- publication check
def _truthy_upload(value: Any) -> bool:
    return bool(value) and bool(getattr(value, "filename", True))


def _same_url(raw: Mapping[str, Any], before: Mapping[str, Any]) -> bool:
    """Whether a submitted resource keeps its file (package_show gives uploads'
    full download URL; CKAN stores their file name)."""
    if "url" not in raw:
        return True
    url, stored = str(raw.get("url") or ""), str(before.get("url") or "")
    if before.get("url_type") == "upload" and raw.get("url_type", "upload") == "upload":
        return url.rsplit("/", 1)[-1] == stored.rsplit("/", 1)[-1]
    return url == stored


def _prospective(
    data_dict: Mapping[str, Any], pkg: model.Package | None
) -> Iterable[tuple[dict[str, Any], bool]]:
    """The tables the dataset will have: ``(resource, changed)`` pairs."""
    stored = {
        res.id: tabular.resource_dict(res)
        for res in (pkg.resources if pkg else [])
        if res.state == "active"
    }
    if "resources" not in data_dict:
        for data in stored.values():
            if tabular.table_format(data):
                yield data, False
        return
    for raw in data_dict.get("resources") or []:
        if not isinstance(raw, Mapping):
            continue
        before = stored.get(str(raw.get("id") or ""))
        if before is None:
            if tabular.table_format(raw):
                yield dict(raw), True
            continue
        merged = {**before, **{k: v for k, v in raw.items() if k != "upload"}}
        if not tabular.table_format(merged):
            continue
        changed = (
            _truthy_upload(raw.get("upload"))
            or not _same_url(raw, before)
            or any(
                key in raw and (raw.get(key) or None) != (before.get(key) or None)
                for key in ("format", "schema", "validation_options")
            )
        )
        yield (merged if changed else before), changed


def check_publication(data_dict: Mapping[str, Any], pkg: model.Package | None) -> None:
    """Refuse (ValidationError on ``private``) a save that would publish bad tables."""
    if "private" in data_dict:
        private = toolkit.asbool(data_dict.get("private"))
    else:
        private = bool(pkg.private) if pkg else False
    state = data_dict.get("state") or (pkg.state if pkg else "active")
    if private or state != "active":
        return
    if pkg is not None and pkg.state == "active" and not pkg.private:
        return
    owner_org = data_dict.get("owner_org") or (pkg.owner_org if pkg else None)
    errors = problems_of(_prospective(data_dict, pkg), blocking=is_blocking(owner_org))
    if errors:
        raise toolkit.ValidationError({"private": errors})


def problems_of(
    tables: Iterable[tuple[dict[str, Any], bool]], *, blocking: bool
) -> list[str]:
    """Translated messages for the tables that block publication.

    In blocking mode every problem does; otherwise only personal data without
    a justification (the LGPD hold is not an organization's setting; the
    files of tables not cleared yet stay held by :mod:`.gate` meanwhile).
    """
    tables = list(tables)
    records = vmodel.latest_for([str(t["id"]) for t, _ in tables if t.get("id")])
    errors = []
    for table, changed in tables:
        if changed:
            found = [PENDING]
        else:
            found = record_problems(records.get(str(table.get("id"))), tabular.fingerprint(table))
        if not blocking:
            found = [problem for problem in found if problem == LGPD]
        errors.extend(message(problem, _label(table)) for problem in found)
    return errors


def check_bulk_publication(dataset_ids: Iterable[str]) -> None:
    """``bulk_update_public``: refuse when any of the datasets would publish bad tables."""
    errors = []
    for dataset_id in dataset_ids:
        pkg = model.Package.get(dataset_id)
        if pkg is None:
            continue
        if pkg.state == "active" and not pkg.private:
            continue
        found = problems_of(_prospective({}, pkg), blocking=is_blocking(pkg.owner_org))
        errors.extend(f"{pkg.title or pkg.name}: {text}" for text in found)
    if errors:
        raise toolkit.ValidationError({"private": errors})


# ------------------------------------------------------- after a verdict
#: The audit note of a dataset the worker made private, per problems found
#: (stored translated into the site's language, like the verdict's messages).
_MADE_PRIVATE_TEXTS = {
    (FAILURE,): N_(
        'Dataset made private by the automatic validation: in the table "{name}", '
        "the table failed validation."
    ),
    (LGPD,): N_(
        'Dataset made private by the automatic validation: in the table "{name}", '
        "the table contains personal data with no recorded justification."
    ),
    (FAILURE, LGPD): N_(
        'Dataset made private by the automatic validation: in the table "{name}", '
        "the table failed validation and the table contains personal data with no "
        "recorded justification."
    ),
}


def after_validation(
    package_id: str, resource: Mapping[str, Any], record: Mapping[str, Any]
) -> bool:
    """In the job: make a public dataset private when a table is flagged by the
    LGPD check (in every organization) or, in blocking mode, fails validation.

    Returns whether it did. Changes only the dataset's ``private`` flag (in the
    current transaction) and adds an audit entry saying why.
    """
    pkg = model.Package.get(package_id)
    if pkg is None or pkg.private or pkg.state != "active":
        return False
    reasons_here = (FAILURE, LGPD) if is_blocking(pkg.owner_org) else (LGPD,)
    problems = [
        p for p in record_problems(record, record.get("fingerprint")) if p in reasons_here
    ]
    if not problems:
        return False
    text = translate(_MADE_PRIVATE_TEXTS[tuple(problems)]).format(name=_label(resource))
    pkg.private = True
    vmodel.add_audit(
        str(resource["id"]),
        package_id,
        vmodel.EVENT_MADE_PRIVATE,
        user_name=None,
        text=text,
        fingerprint=record.get("fingerprint"),
    )
    return True
