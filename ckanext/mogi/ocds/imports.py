"""Which resources become OCDS releases, and the background job that imports them.

Two sources (README of the capability, "Import"):

- **a tender dump** (the city's tender-system export: a JSON list of
  processes, each with ``dados``, ``ocorrencias``, ``anexos``): any resource
  whose format is JSON, or whose address ends in ``.json``, is queued when it
  is created or updated; the job reads the file's first bytes and imports it
  only if it has the dump's shape (:func:`looks_like_dump`: a list whose
  first object has ``dados`` with ``idlicitacao``); anything else is
  ``skipped`` (and loses the releases an earlier file gave it);
- **a table declared with the library's ``licitacoes`` or ``contratos``
  schema** (its ``schema`` is the library's address): its rows are read
  through CKAN's ``datastore_search`` once ``mogi_datastore`` has loaded them
  (signal ``mogi_datastore_loaded``), that is once its validation cleared
  it; a verdict that no longer clears the table (signal
  ``mogi_validation_verdict``) removes its releases at once.

Each import replaces the resource's releases as a whole in one transaction
(:func:`.model.replace_releases`). Jobs run on CKAN's queue
(``ckanext.mogi.ocds.queue``) with a hard time limit
(``ckanext.mogi.ocds.timeout``) and a fixed id per attempt; a job lost with
its worker is queued again by :func:`reconcile` (the worker's maintenance
signal), up to ``ckanext.mogi.ocds.max_attempts`` times, and then marked
failed with a message for staff.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from ckan import model
from ckan.plugins import toolkit

from ckanext.mogi.common import safe_http
from ckanext.mogi.common.i18n import N_, TranslatableError, translate
from ckanext.mogi.common.jobs import job_status
from ckanext.mogi.common.resource_file import local_path
from ckanext.mogi.ocds import convert
from ckanext.mogi.ocds import model as omodel

log = logging.getLogger(__name__)

DUMP, LICITACOES, CONTRATOS = "dump", "licitacoes", "contratos"
#: The library's Table Schemas whose tables become releases.
LIBRARY_TABLES = (LICITACOES, CONTRATOS)
#: Where the portal serves its schemas library (``mogi_validation``).
LIBRARY_PATH = "/validacao/esquemas/"
#: Bytes read to recognise a dump.
SNIFF_BYTES = 64 * 1024
_CHUNK = 1024 * 1024
#: Rows asked of ``datastore_search`` at a time.
PAGE_ROWS = 5000


class SourceError(TranslatableError):
    """The resource's file or rows could not be read (translated message)."""


# ----------------------------------------------------------- recognising
def library_table(resource: Mapping[str, Any]) -> str | None:
    """``licitacoes`` or ``contratos`` when the resource declares that library schema."""
    schema = resource.get("schema")
    if not isinstance(schema, str):
        return None
    value = schema.strip()
    for name in LIBRARY_TABLES:
        if value.endswith(f"{LIBRARY_PATH}{name}.json"):
            return name
    return None


def may_be_dump(resource: Mapping[str, Any]) -> bool:
    """Whether the resource may hold a tender dump (JSON by format or address)."""
    fmt = str(resource.get("format") or "").strip().lower().lstrip(".")
    url = urlparse(str(resource.get("url") or "")).path.lower()
    return fmt == "json" or url.endswith(".json")


def looks_like_dump(head: bytes) -> bool:
    """Whether the file's first bytes have the dump's shape: a JSON list whose
    first object holds ``dados`` with ``idlicitacao``."""
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if not text.startswith("["):
        return False
    dados = text.find('"dados"')
    return 0 < dados < text.find('"idlicitacao"', dados)


# ----------------------------------------------------------------- triggers
def site_context() -> dict[str, Any]:
    user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


#: CKAN actions after which a dataset's JSON resources may hold a new dump.
SAVING_ACTIONS = ("package_create", "package_update", "package_patch", "resource_create",
                  "resource_update", "resource_patch")


def on_saved(sender: str, **kwargs: Any) -> None:
    """Listener of CKAN's ``action_succeeded`` for :data:`SAVING_ACTIONS`: once
    the action has committed (an action inside another, with ``defer_commit``,
    waits for the outer one), :func:`on_dataset_saved`."""
    if (kwargs.get("context") or {}).get("defer_commit"):
        return
    result = kwargs.get("result")
    if not isinstance(result, Mapping):
        return
    on_dataset_saved(result.get("package_id") if sender.startswith("resource_")
                     else result.get("id"))


def on_dataset_saved(package_id: str | None) -> None:
    """After a dataset is saved (a resource created or updated saves it too):
    queue the import of each resource that may hold a dump."""
    if not package_id:
        return
    for res in model.Session.query(model.Resource).filter(
            model.Resource.package_id == package_id, model.Resource.state == "active"):
        values = {"format": res.format, "url": res.url, **(res.extras or {})}
        if may_be_dump(values) and not library_table(values):
            _safely(enqueue, res.id, DUMP)


def on_datastore_loaded(resource_id: str, **kwargs: Any) -> None:
    """Listener of ``mogi_datastore_loaded``: a library table's rows are there."""
    if kwargs.get("state") != "loaded":
        return
    resource = _resource_dict(resource_id)
    source = library_table(resource) if resource else None
    if source:
        _safely(enqueue, resource_id, source)


def on_verdict(resource_id: str, **_kwargs: Any) -> None:
    """Listener of ``mogi_validation_verdict``: a table no longer cleared
    loses its releases at once (the next load brings them back)."""
    try:
        if omodel.get_import(resource_id) is None:
            return
        validation = _validation(resource_id)
        if not (validation and validation.get("status") == "success"
                and validation.get("cleared")):
            withdraw(resource_id, translate(N_(
                "The table's validation no longer clears it: its processes are not "
                "published until a new verdict does.")))
    except Exception:
        model.Session.rollback()
        log.exception("Could not act on the validation verdict of %s", resource_id)


def on_resource_deleted(package: model.Package | None) -> None:
    """After a resource is deleted: forget the releases of the dataset's
    deleted resources."""
    if package is None:
        return
    for res in model.Session.query(model.Resource).filter(
            model.Resource.package_id == package.id, model.Resource.state == "deleted"):
        omodel.delete_import(res.id)
    model.Session.commit()


def _safely(function: Any, *args: Any) -> None:
    try:
        function(*args)
    except Exception:  # the reconciler catches up
        model.Session.rollback()
        log.exception("Could not queue the OCDS import of %s", args[0])


def _resource_dict(resource_id: str) -> dict[str, Any] | None:
    try:
        return toolkit.get_action("resource_show")(site_context(), {"id": resource_id})
    except toolkit.ObjectNotFound:
        return None


def _validation(resource_id: str) -> dict[str, Any] | None:
    try:
        return toolkit.get_action("resource_validation_show")(
            site_context(), {"resource_id": resource_id})
    except (toolkit.ObjectNotFound, KeyError):
        return None


def withdraw(resource_id: str, reason: str) -> None:
    """Remove the resource's releases now; its state says why."""
    omodel.delete_releases([resource_id])
    omodel.save_import(resource_id, state=omodel.SKIPPED, releases=0, fingerprint=None,
                       findings=[], error=reason)
    model.Session.commit()


# ----------------------------------------------------------------- the queue
def enqueue(resource_id: str, source: str) -> str | None:
    """Queue the resource's import, unless one is already waiting; its job id."""
    current = omodel.get_import(resource_id) or {}
    if current.get("job_id") and job_status(current["job_id"]) == "waiting":
        return None
    job_id = f"mogi-ocds-{resource_id}-{uuid.uuid4().hex[:8]}"
    res = model.Resource.get(resource_id)
    omodel.save_import(resource_id, package_id=res.package_id if res else None,
                       source=source, state=omodel.QUEUED, job_id=job_id)
    model.Session.commit()
    config = toolkit.config
    toolkit.enqueue_job(
        run_job, [resource_id, source],
        title=translate(N_("OCDS import of the resource {resource_id}")).format(
            resource_id=resource_id),
        queue=config.get("ckanext.mogi.ocds.queue"),
        rq_kwargs={"timeout": int(config.get("ckanext.mogi.ocds.timeout")),
                   "job_id": job_id})
    return job_id


def run_job(resource_id: str, source: str) -> str | None:
    """The background job: :func:`import_resource`; the state it ended in."""
    try:
        return import_resource(resource_id, source).get("state")
    finally:
        model.Session.remove()


# ---------------------------------------------------------------- the import
def import_resource(resource_id: str, source: str) -> dict[str, Any]:
    """Import the resource's releases now (the job's work, ``--sync`` in the CLI)."""
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active":
        omodel.delete_import(resource_id)
        model.Session.commit()
        return {"state": None}
    current = omodel.get_import(resource_id) or {}
    omodel.save_import(resource_id, package_id=res.package_id, source=source,
                       state=omodel.IMPORTING, attempts=int(current.get("attempts") or 0) + 1)
    model.Session.commit()
    try:
        if source == DUMP:
            return _import_dump(res, current)
        return _import_table(res, source)
    except TranslatableError as exc:
        return _failed(resource_id, exc.message)
    except Exception:
        log.exception("OCDS import of %s failed", resource_id)
        return _failed(resource_id, translate(N_(
            "An internal error stopped the import. Try again later or tell the portal team.")))


def _import_dump(res: model.Resource, current: Mapping[str, Any]) -> dict[str, Any]:
    with local_file(res) as path:
        with open(path, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
        if not looks_like_dump(head):
            omodel.delete_releases([res.id])
            row = omodel.save_import(
                res.id, state=omodel.SKIPPED, releases=0, findings=[], attempts=0,
                fingerprint=None, error=translate(N_(
                    "This JSON file is not an export of the tender system (a list of "
                    "processes with \"dados\", \"ocorrencias\" and \"anexos\"): nothing "
                    "to publish as OCDS.")))
            model.Session.commit()
            return row
        digest = _sha256(path)
        if current.get("state") == omodel.IMPORTED and current.get("fingerprint") == digest:
            row = omodel.save_import(res.id, state=omodel.IMPORTED, attempts=0)
            model.Session.commit()
            return row
        with open(path, "rb") as stream:
            published = convert.rfc3339(res.last_modified or res.created)
            return _store(res, convert.from_dump(stream, published), digest)


def _import_table(res: model.Resource, source: str) -> dict[str, Any]:
    validation = _validation(res.id)
    if not (validation and validation.get("status") == "success"
            and validation.get("cleared")):
        raise SourceError(N_("The table has not been cleared by its validation yet."))
    published = convert.rfc3339(res.last_modified or res.created)
    result = convert.from_rows(source, table_rows(res.id), published)
    return _store(res, result, str(validation.get("finished") or ""))


def _store(res: model.Resource, result: convert.Result, fingerprint: str) -> dict[str, Any]:
    count = omodel.replace_releases(res.id, res.package_id, result.rows)
    row = omodel.save_import(
        res.id, state=omodel.IMPORTED, imported_at=omodel.utcnow(), releases=count,
        findings=result.findings, fingerprint=fingerprint, error=None, attempts=0)
    model.Session.commit()
    return row


def _failed(resource_id: str, message: str) -> dict[str, Any]:
    """The import failed: the releases of the last good import stay."""
    model.Session.rollback()
    row = omodel.save_import(resource_id, state=omodel.FAILED, error=message)
    model.Session.commit()
    return row


def table_rows(resource_id: str) -> Iterator[dict[str, Any]]:
    """Every row of the table as the DataStore holds it (``datastore_search``)."""
    action = toolkit.get_action("datastore_search")
    offset = 0
    while True:
        page = action(site_context(), {"resource_id": resource_id, "limit": PAGE_ROWS,
                                       "offset": offset, "sort": "_id"})
        records = page.get("records") or []
        for record in records:
            yield {k: v for k, v in record.items() if k != "_id"}
        if len(records) < PAGE_ROWS:
            return
        offset += len(records)


# ------------------------------------------------------------------ the file
def local_file(res: model.Resource) -> contextlib.AbstractContextManager[str]:
    """A local path to the resource's file: CKAN's stored upload, or a download
    through ``common.safe_http`` (never an internal address), size-capped."""
    return local_path({"id": res.id, "url": res.url, "url_type": res.url_type}, _download,
                      error=SourceError, prefix="mogi-ocds-")


def _download(url: str) -> Iterator[bytes]:
    config = toolkit.config
    limit = int(config.get("ckanext.mogi.ocds.max_download_mb")) * 1024 * 1024
    policy = safe_http.FetchPolicy.from_config(
        float(config.get("ckanext.mogi.ocds.download_timeout")))
    try:
        yield from safe_http.iter_body(url, policy, limit, _CHUNK)
    except safe_http.ErrorStatus as exc:
        raise SourceError(N_("Could not download the file at {url}: the server "
                              "answered with HTTP code {code}."),
                           url=url, code=exc.code) from None
    except safe_http.ResponseTooLarge:
        raise SourceError(N_("The remote file is larger than the limit of {megabytes} MB."),
                           megabytes=limit // (1024 * 1024)) from None
    except safe_http.FetchError as exc:
        raise SourceError(N_("Could not download the file at {url}: {reason}"),
                           url=url, reason=exc.message) from None


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ----------------------------------------------------------- reconciliation
@dataclass
class Summary:
    """What one pass of :func:`reconcile` did (resource ids)."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def reconcile(max_attempts: int | None = None) -> Summary:
    """Queue again every import whose job is gone before it ended."""
    if max_attempts is None:
        max_attempts = int(toolkit.config.get("ckanext.mogi.ocds.max_attempts"))
    summary = Summary()
    try:
        for row in omodel.all_imports():
            if row["state"] not in (omodel.QUEUED, omodel.IMPORTING):
                continue
            if row.get("job_id") and job_status(row["job_id"]) is not None:
                continue
            if int(row.get("attempts") or 0) >= max_attempts:
                omodel.save_import(row["resource_id"], state=omodel.FAILED, error=translate(N_(
                    "The import was interrupted {attempts} times (the server stopped the "
                    "job, for example for lack of memory or time). Ask the portal team to "
                    "check the server, then save the resource again.")).format(
                        attempts=row.get("attempts")))
                model.Session.commit()
                summary.failed.append(row["resource_id"])
                continue
            enqueue(row["resource_id"], row.get("source") or DUMP)
            summary.requeued.append(row["resource_id"])
    finally:
        model.Session.remove()
    return summary


def on_maintenance(_sender: Any, **_kwargs: Any) -> None:
    """Listener of ``mogi_worker_maintenance``: :func:`reconcile`."""
    summary = reconcile()
    if summary.requeued or summary.failed:
        log.warning("OCDS reconciler: requeued %s, gave up on %s",
                    summary.requeued, summary.failed)
