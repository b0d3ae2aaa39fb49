"""When a table's rows are loaded, kept or dropped, and the background job.

Everything follows the table's validation, asked through CKAN
(``resource_validation_show``), never by importing it:

- a verdict ``success`` on a table the validation ``cleared`` (the LGPD scan
  ran, any personal data is justified, the verdict is for the current file)
  is **loaded** (:func:`load_resource`, in a job);
- any other verdict (failure, error, personal data without a justification)
  **drops** the table's rows at once: no rows for a file nobody may get;
- while a table is pending (not checked yet, being checked) nothing changes:
  visitors cannot read its rows meanwhile (the validation's gate on the
  DataStore's read actions), and the old rows stay for when a new verdict
  clears the table again.

``mogi_validation`` sends the signal ``mogi_validation_verdict`` after each
change of a table's validation state (:mod:`ckanext.mogi.common.signals`):
:func:`on_verdict` drops at once or queues a load job (rq, hard time limit
``ckanext.mogi.datastore.timeout``). A job that gets lost (worker killed,
Redis restarted) leaves the table cleared but not loaded: :func:`reconcile`
(on the worker's maintenance signal, and ``ckan mogi datastore reconcile``)
queues it again, up to ``ckanext.mogi.datastore.max_attempts`` times.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ckan import model
from ckan.lib import search
from ckan.plugins import toolkit

from ckanext.mogi.common import safe_http
from ckanext.mogi.common.i18n import N_, TranslatableError, translate
from ckanext.mogi.common.jobs import job_status
from ckanext.mogi.common.resource_file import local_path
from ckanext.mogi.common.signals import DATASTORE_LOADED, signal
from ckanext.mogi.datastore import loader, preview
from ckanext.mogi.datastore import model as dmodel

log = logging.getLogger(__name__)

LOAD, DROP, KEEP = "load", "drop", "keep"
#: Validation statuses that are no verdict yet.
PENDING = ("created", "running")
_CHUNK = 1024 * 1024


class Superseded(Exception):
    """The table's validation changed while it was being loaded."""


class FetchError(TranslatableError):
    """The table's file could not be obtained (translated message)."""


# ------------------------------------------------------------- the decision
def site_context() -> dict[str, Any]:
    user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


def validation_of(resource_id: str) -> dict[str, Any] | None:
    """The table's validation (``resource_validation_show``), None when it has none."""
    try:
        return toolkit.get_action("resource_validation_show")(
            site_context(), {"resource_id": resource_id})
    except (toolkit.ObjectNotFound, KeyError):
        return None


def decide(validation: dict[str, Any] | None) -> str:
    """:data:`LOAD`, :data:`DROP` or :data:`KEEP` for a table in this state."""
    if validation is None or validation.get("status") in PENDING:
        return KEEP
    if validation.get("status") == "success" and validation.get("cleared"):
        return LOAD
    return DROP


# ----------------------------------------------------------------- the job
def load_resource(resource_id: str) -> dict[str, Any]:
    """Load, drop or keep the table's rows as its validation says, now.

    The job's work (and ``ckan mogi datastore load --sync``). Returns the
    table's load state (:mod:`.model`).
    """
    validation = validation_of(resource_id)
    decision = decide(validation)
    if decision == KEEP:  # pending again: the next verdict decides
        current = dmodel.get(resource_id)
        if current is None or current["state"] not in (dmodel.QUEUED, dmodel.LOADING):
            return current or {"state": None}
        return _settled(resource_id, current)
    assert validation is not None
    if decision == DROP:
        return drop_rows(resource_id, validation)
    verdict = validation.get("finished")
    current = dmodel.get(resource_id) or {}
    attempts = int(current.get("attempts") or 0) + 1 if current.get("verdict") == verdict else 1
    res = model.Resource.get(resource_id)
    if res is None:  # deleted meanwhile
        return {"state": None}
    dmodel.save(resource_id, package_id=res.package_id, state=dmodel.LOADING,
                verdict=verdict, attempts=attempts)
    model.Session.commit()
    try:
        with local_file(resource_id, validation) as path:
            result = loader.load_file(
                path, validation.get("dialect") or {}, validation.get("schema") or {},
                resource_id, before_swap=lambda: _still_wanted(resource_id, validation),
                expected_rows=validated_rows(validation))
    except Superseded:
        # A newer verdict (or a new file) decides; its own signal does the rest.
        return _settled(resource_id, current)
    except TranslatableError as exc:
        return _announce(_failed(resource_id, exc.message))
    except Exception:
        log.exception("DataStore load of %s failed", resource_id)
        return _announce(_failed(resource_id, translate(N_(
            "An internal error stopped the load. Try again later or tell the portal team."))))
    set_active(resource_id, True)
    preview.ensure_view(resource_id)
    row = dmodel.save(resource_id, state=dmodel.LOADED, loaded_at=dmodel.utcnow(),
                      rows=result.rows, loaded_verdict=verdict, error=None)
    model.Session.commit()
    return _announce(row)


def _announce(row: dict[str, Any]) -> dict[str, Any]:
    """Tell other capabilities (the history) how a load ended, once committed."""
    try:
        signal(DATASTORE_LOADED).send(
            row["resource_id"], package_id=row.get("package_id"), state=row["state"],
            rows=row.get("rows"), error=row.get("error"), verdict=row.get("verdict"))
    except Exception:  # a listener's failure never undoes a load
        model.Session.rollback()
        log.exception("A listener of the DataStore load of %s failed", row["resource_id"])
    return row


def _settled(resource_id: str, current: dict[str, Any]) -> dict[str, Any]:
    """No load goes on: the state says whether the table has rows."""
    model.Session.rollback()
    row = dmodel.save(resource_id, state=dmodel.LOADED if current.get("loaded_at")
                      else dmodel.NOT_LOADED)
    model.Session.commit()
    return row


def validated_rows(validation: dict[str, Any]) -> int | None:
    """How many rows the validation read (None when it read only some)."""
    options = validation.get("options") or {}
    if any(options.get(key) for key in ("limit_rows", "row_limit")):
        return None
    tasks = (validation.get("report") or {}).get("tasks") or []
    rows = tasks[0].get("stats", {}).get("rows") if tasks else None
    return rows if isinstance(rows, int) else None


def _failed(resource_id: str, message: str) -> dict[str, Any]:
    model.Session.rollback()
    row = dmodel.save(resource_id, state=dmodel.FAILED, error=message)
    model.Session.commit()
    return row


def _still_wanted(resource_id: str, validation: dict[str, Any]) -> None:
    """Right before the swap: the verdict is the one the load started from."""
    now = validation_of(resource_id)
    if (now is None or decide(now) != LOAD
            or (now.get("created"), now.get("finished"))
            != (validation.get("created"), validation.get("finished"))):
        raise Superseded()


def drop_rows(resource_id: str, validation: dict[str, Any] | None = None) -> dict[str, Any]:
    """Drop the table's rows: its validation does not allow them."""
    loader.drop_table(resource_id)
    set_active(resource_id, False)
    res = model.Resource.get(resource_id)
    row = dmodel.save(
        resource_id, package_id=res.package_id if res else None, state=dmodel.NOT_LOADED,
        verdict=(validation or {}).get("finished"), attempts=0, loaded_verdict=None,
        loaded_at=None, rows=None, error=None)
    model.Session.commit()
    return row


def set_active(resource_id: str, active: bool) -> None:
    """CKAN's ``datastore_active`` flag of the resource (its extras only: no
    action hook, no activity), and the dataset's search index."""
    res = model.Resource.get(resource_id)
    if res is None:
        return
    extras = dict(res.extras or {})
    if bool(extras.get("datastore_active")) == active:
        return
    extras["datastore_active"] = active
    res.extras = extras
    model.Session.commit()
    try:
        search.rebuild(res.package_id)
    except Exception:  # the flag is stored; the index catches up later
        log.exception("Could not reindex dataset %s", res.package_id)


# ---------------------------------------------------------------- the file
@contextlib.contextmanager
def local_file(resource_id: str, validation: dict[str, Any]) -> Iterator[str]:
    """A local path to the table's file: CKAN's stored upload, or a download
    (``common.safe_http``: never an internal address) whose bytes must be the
    ones the validation checked."""
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active":
        raise Superseded()
    digest = hashlib.sha256()
    with local_path({"id": res.id, "url": res.url, "url_type": res.url_type},
                    lambda url: _download(url, digest), error=FetchError,
                    prefix="mogi-datastore-") as path:
        if res.url_type != "upload":
            expected = validation.get("file_sha256")
            if not expected or digest.hexdigest() != expected:
                raise FetchError(N_(
                    "The file at the link changed since it was validated: run the validation "
                    "again to load it."))
        yield path


def _download(url: str, digest: Any) -> Iterator[bytes]:
    """The table at ``url`` in chunks, each added to ``digest``."""
    config = toolkit.config
    limit = int(config.get("ckanext.mogi.datastore.max_download_mb")) * 1024 * 1024
    policy = safe_http.FetchPolicy.from_config(
        float(config.get("ckanext.mogi.datastore.download_timeout")))
    try:
        for chunk in safe_http.iter_body(url, policy, limit, _CHUNK):
            digest.update(chunk)
            yield chunk
    except safe_http.ErrorStatus as exc:
        raise FetchError(N_("Could not download the table at {url}: the server "
                            "answered with HTTP code {code}."),
                         url=url, code=exc.code) from None
    except safe_http.ResponseTooLarge:
        raise FetchError(N_("The remote table is larger than the limit of {megabytes} MB."),
                         megabytes=limit // (1024 * 1024)) from None
    except safe_http.FetchError as exc:
        raise FetchError(N_("Could not download the table at {url}: {reason}"),
                         url=url, reason=exc.message) from None


# ---------------------------------------------------------------- the queue
def enqueue(resource_id: str) -> str | None:
    """Queue the table's load job, unless one is already waiting; its id."""
    current = dmodel.get(resource_id) or {}
    if current.get("job_id") and job_status(current["job_id"]) == "waiting":
        return None
    run_id = f"mogi-datastore-{resource_id}-{uuid.uuid4().hex[:8]}"
    res = model.Resource.get(resource_id)
    dmodel.save(resource_id, package_id=res.package_id if res else None,
                state=dmodel.QUEUED, job_id=run_id)
    model.Session.commit()
    toolkit.enqueue_job(
        run_job, [resource_id],
        title=translate(N_("DataStore load of the table {resource_id}")).format(
            resource_id=resource_id),
        queue=toolkit.config.get("ckanext.mogi.datastore.queue"),
        rq_kwargs={"timeout": int(toolkit.config.get("ckanext.mogi.datastore.timeout")),
                   "job_id": run_id})
    return run_id


def run_job(resource_id: str) -> str | None:
    """The background job: :func:`load_resource`; the state it ended in."""
    try:
        return load_resource(resource_id).get("state")
    finally:
        model.Session.remove()


def on_verdict(resource_id: str, **_kwargs: Any) -> None:
    """Listener of ``mogi_validation_verdict``: drop at once, or queue the load."""
    try:
        validation = validation_of(resource_id)
        decision = decide(validation)
        if decision == LOAD:
            enqueue(resource_id)
        elif decision == DROP:
            drop_rows(resource_id, validation)
    except Exception:  # the reconciler catches up
        model.Session.rollback()
        log.exception("Could not act on the validation verdict of %s", resource_id)


def on_maintenance(_sender: Any, **_kwargs: Any) -> None:
    """Listener of ``mogi_worker_maintenance``: :func:`reconcile`."""
    summary = reconcile()
    if summary.requeued or summary.failed or summary.dropped:
        log.warning("DataStore reconciler: requeued %s, gave up on %s, dropped %s",
                    summary.requeued, summary.failed, summary.dropped)


# ----------------------------------------------------------- reconciliation
@dataclass
class Summary:
    """What one pass of :func:`reconcile` did (resource ids)."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def tables() -> list[model.Resource]:
    """Active resources of active datasets."""
    return (model.Session.query(model.Resource)
            .join(model.Package, model.Package.id == model.Resource.package_id)
            .filter(model.Resource.state == "active", model.Package.state == "active")
            .order_by(model.Resource.package_id, model.Resource.position).all())


def pending_load(resource_id: str, validation: dict[str, Any] | None,
                 row: dict[str, Any] | None) -> bool:
    """Whether the table is cleared but its rows are not those of its verdict."""
    return decide(validation) == LOAD and (row or {}).get("loaded_verdict") != (
        validation or {}).get("finished")


def reconcile(max_attempts: int | None = None) -> Summary:
    """Queue again every cleared table whose load is missing and whose job is
    gone; drop the rows of tables whose verdict does not allow them."""
    if max_attempts is None:
        max_attempts = int(toolkit.config.get("ckanext.mogi.datastore.max_attempts"))
    summary = Summary()
    try:
        candidates = tables()
        rows = dmodel.get_many([res.id for res in candidates])
        for res in candidates:
            # Only a valid table may need a load, only loaded rows a drop.
            status = (res.extras or {}).get("validation_status")
            if status == "success" or (rows.get(res.id) or {}).get("loaded_at"):
                _reconcile_one(res.id, max_attempts, summary)
    finally:
        model.Session.remove()
    return summary


def _reconcile_one(resource_id: str, max_attempts: int, summary: Summary) -> None:
    validation = validation_of(resource_id)
    row = dmodel.get(resource_id)
    if decide(validation) == DROP and (
            loader.table_exists(resource_id) or (row or {}).get("loaded_at")):
        drop_rows(resource_id, validation)
        summary.dropped.append(resource_id)
        return
    if not pending_load(resource_id, validation, row):
        return
    assert validation is not None
    row = row or {}
    if row.get("job_id") and job_status(row["job_id"]) is not None:
        return  # its job waits or runs
    same_verdict = row.get("verdict") == validation.get("finished")
    if row.get("state") == dmodel.FAILED and same_verdict:
        return  # tried and failed for this verdict: staff run it again
    if same_verdict and int(row.get("attempts") or 0) >= max_attempts:
        dmodel.save(resource_id, state=dmodel.FAILED, error=translate(N_(
            "The load of this table was interrupted {attempts} times (the server stopped "
            "the job, for example for lack of memory or time). Ask the portal team to "
            "check the server, then load it again.")).format(attempts=row.get("attempts")))
        model.Session.commit()
        summary.failed.append(resource_id)
        return
    enqueue(resource_id)
    summary.requeued.append(resource_id)


def forget_deleted(package: model.Package | None) -> None:
    """After a resource is deleted: drop the DataStore rows of the dataset's
    deleted resources, and their load state."""
    if package is None:
        return
    deleted = [res.id for res in model.Session.query(model.Resource).filter(
        model.Resource.package_id == package.id, model.Resource.state == "deleted")]
    for resource_id in set(deleted) & set(dmodel.get_many(deleted)):
        loader.drop_table(resource_id)
        dmodel.delete(resource_id)
    model.Session.commit()
