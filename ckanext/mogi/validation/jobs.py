"""When and how a table is validated: scheduling, the background job, sync runs.

A tabular resource (CSV, TSV, XLSX, XLS, ODS, by format or by extension) is
validated again whenever its *fingerprint* changes: the file (url, upload
time, size), its format, its ``schema`` or its ``validation_options``.
Dataset saves (``package_create``/``package_update``, which
``resource_create``/``resource_update`` go through) call :func:`schedule`:
the record is reset to ``created`` in the same transaction, and the job is
enqueued only once that transaction is committed (a session ``after_commit``
hook), so the worker never looks for a resource that is not there yet and the
request returns at once.

The job writes only the validation record and the resource's
``validation_status``/``validation_timestamp`` (straight into the resource's
extras, so no action hook runs again and nothing else of the resource
changes), then reindexes the dataset. It reads the stored file and never
deletes or alters it. The download runs against a wall-clock deadline (the
time limit, shorter than rq's hard limit) and the check itself in a sandboxed
child process (:mod:`ckanext.mogi.validation.sandbox`: memory, CPU and the
same deadline enforced by the kernel and by killing the child); a timeout,
an exhausted limit or any crash ends in status ``error`` with a message in the
site's language. A synchronous run (``resource_validation_run`` with ``async=false``)
waits at most ``sync_wait`` seconds, then hands the table back to the queue.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import time
import traceback
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import sqlalchemy as sa
from ckan import model
from ckan.lib import search
from ckan.plugins import toolkit

from ckanext.mogi.common import safe_http
from ckanext.mogi.common.i18n import N_, TranslatableError, translate
from ckanext.mogi.common.resource_file import local_path
from ckanext.mogi.common.signals import VALIDATION_VERDICT, signal
from ckanext.mogi.validation import blocking, sandbox, tabular
from ckanext.mogi.validation import model as vmodel

log = logging.getLogger(__name__)

#: ``session.info`` key: resource ids to enqueue once the transaction commits.
_PENDING = "mogi_validation_pending"
#: Seconds rq waits beyond our own time limit before it kills the work horse.
RQ_GRACE = 120
#: Largest schema fetched from a URL.
MAX_SCHEMA_BYTES = 5 * 1024 * 1024
#: Download chunk: small, so the deadline is checked often.
_CHUNK = 64 * 1024
#: Seconds of timer granularity when telling a timeout at the deadline.
_DEADLINE_SLACK = 0.1
#: What may precede the library prefix in a schema URL: a root path, a locale.
_LIBRARY_ROOT = re.compile(r"(/[\w.-]+)*?(/[a-z]{2}(_[A-Z]{2})?)?")


#: Download failures, per thing downloaded ("table" or "schema").
_DOWNLOAD_TEXTS = {
    "table": {
        "status": N_(
            "Could not download the table at {url}: the server answered with HTTP "
            "code {code}."
        ),
        "failed": N_("Could not download the table at {url}: {reason}"),
        "too_big": N_(
            "The remote table is larger than the limit of {megabytes} MB accepted by "
            "the validation."
        ),
    },
    "schema": {
        "status": N_(
            "Could not download the schema specification at {url}: the server answered "
            "with HTTP code {code}."
        ),
        "failed": N_("Could not download the schema specification at {url}: {reason}"),
        "too_big": N_(
            "The remote schema specification is larger than the limit of {megabytes} MB "
            "accepted by the validation."
        ),
    },
}


class FetchError(TranslatableError):
    """The file or the schema could not be obtained (translated message)."""


# ---------------------------------------------------------------- scheduling
def schedule(package_id: str) -> None:
    """After a dataset save: (re)validate its tables whose fingerprint changed.

    Runs inside the saving transaction. Tables whose fingerprint did not
    change get their status fields back if a form dropped them.
    """
    pkg = model.Package.get(package_id)
    if pkg is None:
        return
    found = [
        res
        for res in pkg.resources
        if res.state == "active" and tabular.table_format(tabular.resource_dict(res))
    ]
    records = vmodel.latest_for([res.id for res in found])
    pending = model.Session.info.setdefault(_PENDING, [])
    for res in found:
        data = tabular.resource_dict(res)
        record = records.get(res.id)
        current = tabular.fingerprint(data)
        if record is not None and record.get("fingerprint") in (current, None):
            if data.get("validation_status") != record["status"]:
                stamp = (
                    record.get("finished") or record.get("created") or vmodel.utcnow()
                ).isoformat()
                tabular.set_status(res, record["status"], stamp)
            continue
        record = vmodel.start(res.id, current, tabular.options_of(data))
        tabular.set_status(res, "created")
        pending.append((res.id, job_id(record)))
    # package_update dictizes the dataset with Core selects right after the hooks.
    model.Session.flush()


def install_session_hooks() -> None:
    """Enqueue scheduled jobs after commit; forget them on rollback (idempotent)."""
    for name, hook in (("after_commit", _after_commit), ("after_rollback", _after_rollback)):
        if not sa.event.contains(model.Session, name, hook):
            sa.event.listen(model.Session, name, hook)


def _after_commit(session: Any) -> None:
    # No SQL here (the session has no transaction): the job ids were computed
    # when the runs were scheduled.
    for resource_id, run_job_id in dict.fromkeys(session.info.pop(_PENDING, [])):
        try:
            enqueue(resource_id, run_job_id)
        except Exception:  # Redis down: the record stays "created"; the reconciler requeues it.
            log.exception("Could not enqueue the validation of %s", resource_id)


def _after_rollback(session: Any) -> None:
    session.info.pop(_PENDING, None)


def job_id(record: dict[str, Any]) -> str:
    """The rq job id of a run: derived from the record (its id, when the run was
    scheduled, its attempt), so the reconciler can tell whether that job lives."""
    created = record.get("created")
    stamp = created.strftime("%Y%m%dT%H%M%S%f") if created else "0"
    return f"mogi-validation-{record['id']}-{stamp}-{int(record.get('attempts') or 0)}"


def enqueue(resource_id: str, run_job_id: str | None = None) -> Any:
    """Put one validation job on the validation queue (the latest record's run)."""
    if run_job_id is None:
        record = vmodel.latest(resource_id)
        run_job_id = job_id(record) if record else None
    timeout = toolkit.config.get("ckanext.mogi.validation.timeout")
    rq_kwargs: dict[str, Any] = {"timeout": int(timeout) + RQ_GRACE}
    if run_job_id:
        rq_kwargs["job_id"] = run_job_id
    return toolkit.enqueue_job(
        run_job,
        [resource_id],
        title=translate(N_("Validation of the table {resource_id}")).format(
            resource_id=resource_id
        ),
        queue=toolkit.config.get("ckanext.mogi.validation.queue"),
        rq_kwargs=rq_kwargs,
    )


# ------------------------------------------------------------------- the job
def run_job(resource_id: str) -> str | None:
    """The background job (and ``ckan mogi validation run --sync``): validate under
    the time, CPU and memory limits; the final status."""
    record = validate_resource(resource_id)
    return record["status"] if record else None


def validate_resource(resource_id: str, *, wait: float | None = None) -> dict[str, Any] | None:
    """Validate one resource now (the check in a sandboxed child); the stored record.

    Used by the job and by the synchronous ``resource_validation_run``, which
    passes ``wait``: when the validation would take longer than that many
    seconds, it is stopped and the record goes back to ``created`` (the caller
    queues the job). ``None`` when the resource is gone or no longer a table.

    The whole run, in order: (1) the record and the resource's status say
    ``running`` (committed, so pages show it); (2) the file is checked, with
    no transaction open; (3) the verdict is stored and the publication rules
    applied (:func:`_finish`), or a synchronous run out of time goes back to
    the queue (:func:`_defer`). :mod:`.model` only stores.
    """
    timeout = int(toolkit.config.get("ckanext.mogi.validation.timeout"))
    seconds = float(timeout) if wait is None else min(float(wait), timeout)
    deadline = time.monotonic() + seconds
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active":
        return None
    data = tabular.resource_dict(res)
    fmt = tabular.table_format(data)
    if fmt is None:
        return None
    # (1) running
    record = vmodel.begin(resource_id, tabular.fingerprint(data), tabular.options_of(data))
    tabular.set_status(res, "running")
    model.Session.commit()
    _reindex(data["package_id"])
    # (2) the check
    try:
        values = _validate(data, fmt, deadline)
    except sandbox.Timeout:
        if seconds < timeout:
            return _defer(resource_id, record["id"])
        values = _error(
            translate(
                N_(
                    "The validation exceeded the time limit of {seconds} seconds. Split "
                    "the table into smaller files or ask the portal team to raise the limit."
                )
            ).format(seconds=timeout)
        )
    except FetchError as exc:
        values = _error(str(exc))
    except Exception:
        log.error("Validation of %s crashed:\n%s", resource_id, traceback.format_exc())
        values = _error(
            translate(
                N_(
                    "An internal error occurred while validating the table. Try again "
                    "later or tell the portal team."
                )
            )
        )
    # (3) the verdict
    return _finish(resource_id, record["id"], values)


def finish_with_error(resource_id: str, record_id: str, message: str) -> dict[str, Any] | None:
    """End a run in status ``error`` with ``message`` (the file stays held)."""
    return _finish(resource_id, record_id, _error(message))


def _error(message: str) -> dict[str, Any]:
    return {"status": "error", "error": {"message": message}}


def _defer(resource_id: str, record_id: str) -> dict[str, Any] | None:
    """Back to ``created``: a synchronous run that ran out of its wait."""
    model.Session.rollback()
    record = vmodel.update(record_id, status="created")
    res = model.Resource.get(resource_id)
    if res is not None:
        tabular.set_status(res, "created")
    model.Session.commit()
    if res is not None:
        _reindex(res.package_id)
    return record


def _finish(resource_id: str, record_id: str, values: dict[str, Any]) -> dict[str, Any] | None:
    """Store the verdict, copy its status onto the resource, apply the
    publication rules (:func:`.blocking.after_validation`); the stored record."""
    model.Session.rollback()
    finished = vmodel.utcnow()
    record = vmodel.update(
        record_id,
        **{
            "report": None,
            "lgpd": None,
            "dialect": None,
            "inferred_schema": None,
            "schema": None,
            "file_sha256": None,
            "error": None,
            **values,
            "finished": finished,
        },
    )
    res = model.Resource.get(resource_id)
    if res is None:
        model.Session.commit()
        return record
    tabular.set_status(res, values["status"], finished.isoformat())
    assert record is not None
    package_id = res.package_id
    blocking.after_validation(package_id, tabular.resource_dict(res), record)
    model.Session.commit()
    _reindex(package_id)
    announce(resource_id, package_id)
    return record


def announce(resource_id: str, package_id: str | None) -> None:
    """Tell other capabilities (the DataStore loader) that the table's validation
    state changed: after the commit, so that they read the new state."""
    try:
        signal(VALIDATION_VERDICT).send(resource_id, package_id=package_id)
    except Exception:  # a listener's failure never undoes a stored verdict
        log.exception("A listener of the validation verdict of %s failed", resource_id)


def _reindex(package_id: str) -> None:
    try:
        search.rebuild(package_id)
    except Exception:  # the status is stored; the search index catches up later
        log.exception("Could not reindex dataset %s", package_id)


def _validate(data: dict[str, Any], fmt: str, deadline: float) -> dict[str, Any]:
    schema = resolve_schema(data.get("schema"), deadline)
    with local_file(data, deadline) as path:
        values = sandbox.validate(
            path,
            fmt=fmt,
            schema=schema,
            options=tabular.options_of(data),
            deadline=deadline,
            limits=sandbox.Limits.from_config(),
        )
        if values.get("status") == "error":
            return values
        # What the verdict was reached on: the schema (the inferred one is
        # stored apart) and the very bytes (a linked file can change later).
        return {**values, "schema": schema, "file_sha256": file_digest(path)}


def file_digest(path: str) -> str:
    """The SHA-256 of a file, read in chunks."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


# -------------------------------------------------------- file and schema
_NO_TABLE_LINK = N_("The resource has neither an uploaded file nor an http(s) link to the table.")


def local_file(data: dict[str, Any], deadline: float | None = None
               ) -> contextlib.AbstractContextManager[str]:
    """A local path to the resource's file: the stored upload, or a download
    (past ``deadline``, a :func:`time.monotonic` time, :class:`sandbox.Timeout`)."""
    limit = int(toolkit.config.get("ckanext.mogi.validation.max_download_mb")) * 1024 * 1024
    return local_path(
        data, lambda url: _download(url, limit, "table", deadline), error=FetchError,
        prefix="mogi-validacao-", suffix="." + (tabular.table_format(data) or "dat"),
        no_link=_NO_TABLE_LINK)


def _download(url: str, limit: int, what: str, deadline: float | None) -> Iterator[bytes]:
    """Stream ``url`` in chunks, refusing more than ``limit`` bytes and any
    internal address, other scheme or other port (``ckanext.mogi.fetch.*``);
    past ``deadline`` (a :func:`time.monotonic` time), :class:`sandbox.Timeout`.
    ``what`` ("table" or "schema") names the download in error messages."""
    texts = _DOWNLOAD_TEXTS[what]
    timeout = float(toolkit.config.get("ckanext.mogi.validation.download_timeout"))
    # The deadline, when nearer than the download timeout, bounds every wait.
    bounded = deadline is not None and deadline - time.monotonic() < timeout
    if deadline is not None and bounded:
        timeout = max(0.1, deadline - time.monotonic())
    policy = fetch_policy(timeout)
    try:
        for chunk in safe_http.iter_body(url, policy, limit, _CHUNK):
            if deadline is not None and time.monotonic() > deadline:
                raise sandbox.Timeout()
            yield chunk
    except safe_http.ErrorStatus as exc:
        raise FetchError(texts["status"], url=url, code=exc.code) from None
    except safe_http.ResponseTooLarge:
        raise FetchError(texts["too_big"], megabytes=limit // (1024 * 1024)) from None
    except safe_http.FetchError as exc:
        # A read timed out at the deadline ends a hair before it: the job's timeout.
        if deadline is not None and bounded and time.monotonic() > deadline - _DEADLINE_SLACK:
            raise sandbox.Timeout() from exc
        raise FetchError(texts["failed"], url=url, reason=exc.message) from None


def fetch_policy(timeout: float | None = None) -> safe_http.FetchPolicy:
    """The download policy of the ``ckanext.mogi.fetch.*`` options."""
    default = int(toolkit.config.get("ckanext.mogi.validation.download_timeout"))
    return safe_http.FetchPolicy.from_config(timeout or default)


def resolve_schema(value: Any, deadline: float | None = None) -> dict[str, Any] | None:
    """The resource's ``schema`` as a Table Schema dict (None when absent).

    Accepts a dict, JSON text, a library URL (``/validacao/esquemas/<name>.json``,
    relative or on this site: read from the package, never over HTTP) or any
    other http(s) URL (downloaded, at most 5 MB).
    """
    if isinstance(value, dict):
        return value or None
    text = str(value or "").strip()
    if not text:
        return None
    if text.startswith("{"):
        try:
            schema = json.loads(text)
        except ValueError as exc:
            raise FetchError(
                N_('The table\'s schema (field "schema") is not valid JSON: {error}.'),
                error=exc,
            ) from exc
        if not isinstance(schema, dict):
            raise FetchError(N_("The table's schema must be a JSON object."))
        return schema
    name = _library_name(text)
    if name is not None:
        from ckanext.mogi.validation import library

        try:
            return library.load(name)
        except KeyError:
            raise FetchError(
                N_('The schema "{name}" does not exist in the portal\'s schema library.'),
                name=name,
            ) from None
    if urlparse(text).scheme not in ("http", "https"):
        raise FetchError(
            N_("The table's schema must be JSON (Table Schema) or an http(s) link to it.")
        )
    content = b"".join(_download(text, MAX_SCHEMA_BYTES, "schema", deadline))
    try:
        schema = json.loads(content.decode("utf-8-sig"))
    except ValueError as exc:
        raise FetchError(
            N_("The schema downloaded from {url} is not valid JSON."), url=text
        ) from exc
    if not isinstance(schema, dict):
        raise FetchError(N_("The schema downloaded from {url} is not a JSON object."), url=text)
    return schema


def _library_name(text: str) -> str | None:
    """``<name>`` when ``text`` is a library URL of this site (absolute or relative).

    The path may carry the site's root path and a locale (``/en/...``).
    """
    from ckanext.mogi.validation import library

    parsed = urlparse(text)
    site = urlparse(str(toolkit.config.get("ckan.site_url") or ""))
    if (parsed.scheme or parsed.netloc) and parsed.netloc != site.netloc:
        return None
    before, found, rest = parsed.path.rpartition(library.LIBRARY_URL_PREFIX)
    if not found or not rest.endswith(".json") or not _LIBRARY_ROOT.fullmatch(before):
        return None
    name = rest[: -len(".json")]
    return name if name and "/" not in name else None
