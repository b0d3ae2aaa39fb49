"""The validation API: ckanext-validation's actions, the LGPD justification,
and the blocking check chained onto the actions that can publish a dataset.

``resource_validation_show`` returns::

    {"id", "resource_id", "status", "created", "finished", "report",
     "error", "lgpd": {"findings": [...]}, "dialect", "inferred_schema",
     "schema", "file_sha256", "options", "justification", "made_private",
     "cleared"}

``error`` is ckanext-validation's ``{"message": "..."}`` (in the site's language) or None;
``justification`` is the LGPD justification recorded for the current file
(``{"user", "created", "legal_basis", "legal_basis_label", "text"}``) or None.
``schema`` is the Table Schema the verdict was reached with: the declared one
(resolved from the library or a URL) or else the inferred one (None before a
verdict); ``file_sha256`` the SHA-256 of the bytes it was reached on.
``made_private`` is the worker's note when it made the dataset private over
this very file's verdict (``{"created", "text"}``, :func:`.blocking.after_validation`)
or None. ``cleared`` says whether the table is positively cleared for everyone who may
read its dataset (:func:`.gate.hold_reason`: a verdict for the current file,
the LGPD scan ran, any personal data justified, and no blocking failure):
what the file gate lets visitors download, and what readers of the table's
rows (the DataStore) must follow.

After each change of that state (a verdict, a justification, a deleted
report) the signal ``mogi_validation_verdict`` is sent
(:mod:`ckanext.mogi.common.signals`).

``resource_file_access_show`` tells other capabilities (and API clients)
what the file-bytes gate (:mod:`.gate`) answers the caller for a resource's
file, so that nothing advertises or shows a file the gate holds back.
"""

from __future__ import annotations

import datetime
from typing import Any

from ckan import model
from ckan.lib import search
from ckan.plugins import toolkit

from ckanext.mogi.common import formats
from ckanext.mogi.validation import blocking, gate, helpers, jobs, tabular
from ckanext.mogi.validation import model as vmodel


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def justification_dict(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    basis = entry.get("legal_basis") or ""
    return {
        "user": entry.get("user_name"),
        "created": _iso(entry.get("created")),
        "legal_basis": basis,
        "legal_basis_label": helpers.legal_basis_label(basis),
        "text": entry.get("text"),
    }


def record_dict(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record as the API returns it."""
    return {
        "id": record["id"],
        "resource_id": record["resource_id"],
        "status": record["status"],
        "created": _iso(record.get("created")),
        "finished": _iso(record.get("finished")),
        "report": record.get("report"),
        "error": record.get("error"),
        "lgpd": record.get("lgpd") or {"findings": []},
        "dialect": record.get("dialect"),
        "inferred_schema": record.get("inferred_schema"),
        "schema": record.get("schema") or record.get("inferred_schema"),
        "file_sha256": record.get("file_sha256"),
        "options": record.get("options"),
        "justification": justification_dict(
            vmodel.justification(record["resource_id"], record.get("fingerprint"))
        ),
        "made_private": _made_private(record),
        "cleared": _cleared(record["resource_id"]),
    }


def _made_private(record: dict[str, Any]) -> dict[str, Any] | None:
    for entry in vmodel.audit(record["resource_id"], vmodel.EVENT_MADE_PRIVATE):
        if entry["fingerprint"] == record.get("fingerprint"):
            return {"created": _iso(entry.get("created")), "text": entry.get("text")}
    return None


def _cleared(resource_id: str) -> bool:
    res = model.Resource.get(resource_id)
    return res is not None and res.state == "active" and gate.hold_reason(res) is None


def _resource(data_dict: dict[str, Any], *keys: str) -> model.Resource:
    """The active resource named by the first of ``keys`` present (else errors)."""
    _ = toolkit._
    key = next((k for k in keys if data_dict.get(k)), keys[0])
    resource_id = str(data_dict.get(key) or "").strip()
    if not resource_id:
        raise toolkit.ValidationError({key: [_("Missing value")]})
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active":
        raise toolkit.ObjectNotFound(_("Resource not found"))
    return res


def _reindex(package_id: str) -> None:
    search.rebuild(package_id)


def resource_validation_run(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Validate a table (ckanext-validation's contract).

    :param id: the resource id (``resource_id`` accepted too)
    :param async: queue a background job (default ``True``); ``False`` validates
        in this request and returns the final record, unless that takes longer
        than ``ckanext.mogi.validation.sync_wait`` seconds: then the check is
        stopped and queued. Either way only the validation record and the
        resource's status fields are written.
    :returns: the record (``created`` when queued)
    """
    _ = toolkit._
    res = _resource(data_dict, "id", "resource_id")
    toolkit.check_access("resource_validation_run", context, {"id": res.id})
    data = tabular.resource_dict(res)
    if tabular.table_format(data) is None:
        accepted = ", ".join(f.upper() for f in formats.table_formats())
        raise toolkit.ValidationError(
            {
                "format": [
                    _("Only tables can be validated; accepted formats: {formats}").format(
                        formats=accepted
                    )
                ]
            }
        )
    if not data.get("url"):
        raise toolkit.ValidationError(
            {"url": [_("The resource has neither an uploaded file nor a link to validate")]}
        )
    run_async = toolkit.asbool(data_dict.get("async", True))
    record = vmodel.start(res.id, tabular.fingerprint(data), tabular.options_of(data))
    tabular.set_status(res, "created")
    model.Session.commit()
    _reindex(res.package_id)
    if run_async:
        jobs.enqueue(res.id)
        return record_dict(vmodel.latest(res.id) or record)
    wait = float(toolkit.config.get("ckanext.mogi.validation.sync_wait"))
    final = jobs.validate_resource(res.id, wait=wait)
    if final is not None and final["status"] in vmodel.PENDING:
        jobs.enqueue(res.id)
    return record_dict(final or record)


@toolkit.side_effect_free
def resource_validation_show(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The latest validation of a table (ckanext-validation's contract, plus LGPD).

    :param resource_id: the resource id (``id`` accepted too)
    """
    _ = toolkit._
    res = _resource(data_dict, "resource_id", "id")
    toolkit.check_access("resource_validation_show", context, {"resource_id": res.id})
    record = vmodel.latest(res.id)
    if record is None:
        raise toolkit.ObjectNotFound(_("This table has no validation report"))
    return record_dict(record)


def resource_validation_delete(context: Any, data_dict: dict[str, Any]) -> None:
    """Delete a table's validation records (the resource and its file stay).

    :param resource_id: the resource id (``id`` accepted too)
    """
    _ = toolkit._
    res = _resource(data_dict, "resource_id", "id")
    toolkit.check_access("resource_validation_delete", context, {"resource_id": res.id})
    if not vmodel.delete(res.id):
        model.Session.rollback()
        raise toolkit.ObjectNotFound(_("This table has no validation report"))
    tabular.set_status(res, None)
    model.Session.commit()
    _reindex(res.package_id)
    jobs.announce(res.id, res.package_id)


def resource_validation_justify(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Record why a table with personal data may be published (LGPD audit trail).

    :param resource_id: the resource id (``id`` accepted too)
    :param legal_basis: a value of the ``base_legal_lgpd`` vocabulary
    :param text: the justification
    :returns: the justification (who, when, legal basis, text); it holds for
        the current file: a new file, schema or options needs a new one.
    """
    _ = toolkit._
    res = _resource(data_dict, "resource_id", "id")
    toolkit.check_access("resource_validation_justify", context, {"resource_id": res.id})
    errors: dict[str, list[str]] = {}
    basis = str(data_dict.get("legal_basis") or "").strip()
    if not basis:
        errors["legal_basis"] = [_("Missing value")]
    elif basis not in {choice["value"] for choice in helpers.legal_basis_choices()}:
        errors["legal_basis"] = [_("Choose a legal basis of the LGPD (arts. 7 and 11)")]
    text = str(data_dict.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Missing value")]
    record = vmodel.latest(res.id)
    if record is None or record["status"] in vmodel.PENDING:
        errors["resource_id"] = [
            _("The table must be validated before a justification is recorded")
        ]
    if errors:
        raise toolkit.ValidationError(errors)
    assert record is not None
    user = context.get("auth_user_obj")
    user_name = getattr(user, "name", None) or context.get("user")
    entry = vmodel.add_audit(
        res.id,
        res.package_id,
        vmodel.EVENT_JUSTIFICATION,
        user_name=user_name,
        legal_basis=basis,
        text=text,
        fingerprint=record.get("fingerprint"),
    )
    model.Session.commit()
    jobs.announce(res.id, res.package_id)
    result = justification_dict(entry)
    assert result is not None
    return result


@toolkit.side_effect_free
def resource_file_access_show(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whether the caller may download a resource's file, as the gate decides.

    Call it with an anonymous context (``{"user": ""}``) to learn what a
    visitor who is not logged in gets.

    :param id: the resource id (``resource_id`` accepted too)
    :returns: ``{"resource_id", "allowed", "reason"}``; ``reason`` is the
        translated reason a held file is refused (``None`` when allowed)
    """
    res = _resource(data_dict, "id", "resource_id")
    toolkit.check_access("resource_file_access_show", context, {"id": res.id})
    decision = gate.file_access(res.id, None, context)
    if decision.status == 404:
        raise toolkit.ObjectNotFound(decision.message)
    return {"resource_id": res.id, "allowed": decision.allowed,
            "reason": None if decision.allowed else decision.message}


# ------------------------------------------- blocking: actions that publish
@toolkit.chained_action
def package_create(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    # Access first: the refusal names the tables, which outsiders must not learn.
    toolkit.check_access("package_create", context, data_dict)
    blocking.check_publication(data_dict, None)
    return up_func(context, data_dict)


@toolkit.chained_action
def package_update(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    pkg = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or ""))
    if pkg is not None:
        # As CKAN's package_update does before its check: without it, the
        # group check asks editors to manage the dataset's existing theme groups.
        context["package"] = pkg
        toolkit.check_access("package_update", context, data_dict)
        blocking.check_publication(data_dict, pkg)
    return up_func(context, data_dict)


@toolkit.chained_action
def bulk_update_public(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    toolkit.check_access("bulk_update_public", context, data_dict)
    blocking.check_bulk_publication(data_dict.get("datasets") or [])
    return up_func(context, data_dict)


@toolkit.side_effect_free
def resource_validation_pending_list(context: Any, data_dict: dict[str, Any]
                                     ) -> list[dict[str, Any]]:
    """The tables, among ``resource_ids``, whose personal data awaits a decision:
    the latest verdict found personal data in clear and no justification was
    recorded for the current file. Two queries whatever the number of tables.

    Sysadmins only through the API; a capability that has already read the
    datasets for its caller (the governance panel) calls it with
    ``ignore_auth``.

    :param resource_ids: resource ids (list)
    :returns: ``[{"resource_id", "status", "fields"}]``; ``fields`` are the
        columns holding personal data in clear
    """
    toolkit.check_access("resource_validation_pending_list", context, data_dict)
    ids = data_dict.get("resource_ids") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise toolkit.ValidationError({"resource_ids": [toolkit._("Invalid value")]})
    flagged = {
        rid: record for rid, record in vmodel.latest_for(ids).items()
        if record["status"] not in vmodel.PENDING and helpers.unmasked_findings(record.get("lgpd"))
    }
    done = vmodel.justified([(rid, r.get("fingerprint")) for rid, r in flagged.items()])
    return [
        {"resource_id": rid, "status": record["status"],
         "fields": [f.get("field") for f in helpers.unmasked_findings(record.get("lgpd"))]}
        for rid, record in flagged.items() if (rid, record.get("fingerprint")) not in done
    ]


def get_actions() -> dict[str, Any]:
    return {
        "resource_validation_run": resource_validation_run,
        "resource_validation_show": resource_validation_show,
        "resource_validation_delete": resource_validation_delete,
        "resource_validation_justify": resource_validation_justify,
        "resource_file_access_show": resource_file_access_show,
        "resource_validation_pending_list": resource_validation_pending_list,
        "package_create": package_create,
        "package_update": package_update,
        "bulk_update_public": bulk_update_public,
    }
