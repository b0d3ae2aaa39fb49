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
an exhausted limit or any crash ends in status ``error`` with a Portuguese
message. A synchronous run (``resource_validation_run`` with ``async=false``)
waits at most ``sync_wait`` seconds, then hands the table back to the queue.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
import time
import traceback
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import sqlalchemy as sa
from ckan import model
from ckan.lib import search, uploader
from ckan.plugins import toolkit

from ckanext.mogi.common import safe_http
from ckanext.mogi.common.i18n import translate
from ckanext.mogi.validation import blocking, sandbox
from ckanext.mogi.validation import model as vmodel

log = logging.getLogger(__name__)

TABULAR_FORMATS = ("csv", "tsv", "xlsx", "xls", "ods")
#: Format names and media types people put in the ``format`` field.
_FORMAT_ALIASES = {
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
#: Fields of a resource whose change calls for a new validation.
FINGERPRINT_FIELDS = (
    "url",
    "url_type",
    "last_modified",
    "size",
    "format",
    "schema",
    "validation_options",
)
STATUS_FIELDS = ("validation_status", "validation_timestamp")

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


class FetchError(Exception):
    """The file or the schema could not be obtained (Portuguese message)."""


# ----------------------------------------------------------------- resources
def table_format(resource: dict[str, Any]) -> str | None:
    """``csv``/``tsv``/``xlsx``/``xls``/``ods`` when the resource is a table, else None."""
    declared = str(resource.get("format") or "").strip().lower().lstrip(".")
    declared = _FORMAT_ALIASES.get(declared, declared)
    if declared in TABULAR_FORMATS:
        return declared
    if declared:
        return None
    path = urlparse(str(resource.get("url") or "")).path.lower()
    extension = os.path.splitext(path)[1].lstrip(".")
    return extension if extension in TABULAR_FORMATS else None


def fingerprint(resource: dict[str, Any]) -> str:
    """A digest of what validation depends on (file, format, schema, options)."""
    data = {key: resource.get(key) for key in FINGERPRINT_FIELDS}
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def options_of(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The resource's ``validation_options`` as a dict (JSON text accepted)."""
    value = resource.get("validation_options")
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) and value else None


def resource_dict(res: model.Resource) -> dict[str, Any]:
    """A resource as a flat dict: core columns plus extras (no action involved)."""
    data = {
        column: getattr(res, column)
        for column in (
            "id",
            "package_id",
            "url",
            "url_type",
            "format",
            "name",
            "size",
            "last_modified",
            "state",
        )
    }
    if data["last_modified"] is not None:
        data["last_modified"] = data["last_modified"].isoformat()
    extras = dict(res.extras or {})
    return {**extras, **data}


def set_status(res: model.Resource, status: str | None, timestamp: str | None = None) -> None:
    """Write the status fields into the resource's extras (nothing else changes)."""
    extras = dict(res.extras or {})
    if status is None:
        for key in STATUS_FIELDS:
            extras.pop(key, None)
    else:
        extras["validation_status"] = status
        extras["validation_timestamp"] = timestamp or vmodel.utcnow().isoformat()
    if extras != (res.extras or {}):
        res.extras = extras


# ---------------------------------------------------------------- scheduling
def schedule(package_id: str) -> None:
    """After a dataset save: (re)validate its tables whose fingerprint changed.

    Runs inside the saving transaction. Tables whose fingerprint did not
    change get their status fields back if a form dropped them.
    """
    pkg = model.Package.get(package_id)
    if pkg is None:
        return
    tables = [
        res for res in pkg.resources if res.state == "active" and table_format(resource_dict(res))
    ]
    records = vmodel.latest_for([res.id for res in tables])
    pending = model.Session.info.setdefault(_PENDING, [])
    for res in tables:
        data = resource_dict(res)
        record = records.get(res.id)
        current = fingerprint(data)
        if record is not None and record.get("fingerprint") in (current, None):
            if data.get("validation_status") != record["status"]:
                stamp = (
                    record.get("finished") or record.get("created") or vmodel.utcnow()
                ).isoformat()
                set_status(res, record["status"], stamp)
            continue
        record = vmodel.start(res.id, current, options_of(data))
        set_status(res, "created")
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
        title=f"Validação da tabela {resource_id}",
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
    """
    timeout = int(toolkit.config.get("ckanext.mogi.validation.timeout"))
    seconds = float(timeout) if wait is None else min(float(wait), timeout)
    short = seconds < timeout
    deadline = time.monotonic() + seconds
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active":
        return None
    data = resource_dict(res)
    fmt = table_format(data)
    if fmt is None:
        return None
    record = vmodel.latest(resource_id)
    current = fingerprint(data)
    if record is None or record["status"] not in vmodel.PENDING:
        record = vmodel.start(resource_id, current, options_of(data))
    vmodel.update(record["id"], status="running", fingerprint=current)
    set_status(res, "running")
    model.Session.commit()
    _reindex(data["package_id"])

    values: dict[str, Any]
    try:
        values = _validate(data, fmt, deadline)
    except sandbox.Timeout:
        if short:
            return _defer(resource_id, record["id"])
        _ = translate
        values = _error(
            _(
                "The validation exceeded the time limit of {seconds} seconds. Split "
                "the table into smaller files or ask the portal team to raise the limit."
            ).format(seconds=timeout)
        )
    except FetchError as exc:
        values = _error(str(exc))
    except Exception:
        log.error("Validation of %s crashed:\n%s", resource_id, traceback.format_exc())
        values = _error(
            "Ocorreu um erro interno ao validar a tabela. "
            "Tente novamente mais tarde ou avise a equipe do portal."
        )
    return _finish(resource_id, record["id"], values)


def finish_with_error(resource_id: str, record_id: str, message: str) -> dict[str, Any] | None:
    """End a run in status ``error`` with ``message`` (the file stays held)."""
    return _finish(resource_id, record_id, _error(message))


def _error(message: str) -> dict[str, Any]:
    return {"status": "error", "error": {"message": message}}


def _defer(resource_id: str, record_id: str) -> dict[str, Any] | None:
    """Back to ``created``: a synchronous run that ran out of its wait."""
    model.Session.rollback()
    vmodel.update(record_id, status="created")
    res = model.Resource.get(resource_id)
    if res is not None:
        set_status(res, "created")
    model.Session.commit()
    if res is not None:
        _reindex(res.package_id)
    return vmodel.latest(resource_id)


def _finish(resource_id: str, record_id: str, values: dict[str, Any]) -> dict[str, Any] | None:
    model.Session.rollback()
    finished = vmodel.utcnow()
    values = {
        "report": None,
        "lgpd": None,
        "dialect": None,
        "inferred_schema": None,
        "error": None,
        **values,
        "finished": finished,
    }
    vmodel.update(record_id, **values)
    res = model.Resource.get(resource_id)
    if res is None:
        model.Session.commit()
        return vmodel.latest(resource_id)
    set_status(res, values["status"], finished.isoformat())
    record = vmodel.latest(resource_id)
    assert record is not None
    package_id = res.package_id
    blocking.after_validation(package_id, resource_dict(res), record)
    model.Session.commit()
    _reindex(package_id)
    return record


def _reindex(package_id: str) -> None:
    try:
        search.rebuild(package_id)
    except Exception:  # the status is stored; the search index catches up later
        log.exception("Could not reindex dataset %s", package_id)


def _validate(data: dict[str, Any], fmt: str, deadline: float) -> dict[str, Any]:
    schema = resolve_schema(data.get("schema"), deadline)
    with local_file(data, deadline) as path:
        return sandbox.validate(
            path,
            fmt=fmt,
            schema=schema,
            options=options_of(data),
            deadline=deadline,
            limits=sandbox.Limits.from_config(),
        )


# -------------------------------------------------------- file and schema
@contextlib.contextmanager
def local_file(data: dict[str, Any], deadline: float | None = None) -> Iterator[str]:
    """A local path to the resource's file: the stored upload, or a download
    (past ``deadline``, a :func:`time.monotonic` time, :class:`sandbox.Timeout`)."""
    if data.get("url_type") == "upload":
        upload = uploader.get_resource_uploader(dict(data))
        path = str(upload.get_path(data["id"]))
        if not os.path.isfile(path):
            raise FetchError("O arquivo enviado não foi encontrado no armazenamento do portal.")
        yield path
        return
    url = str(data.get("url") or "")
    if urlparse(url).scheme not in ("http", "https"):
        raise FetchError("O recurso não tem um arquivo enviado nem um link http(s) para a tabela.")
    max_mb = int(toolkit.config.get("ckanext.mogi.validation.max_download_mb"))
    suffix = "." + (table_format(data) or "dat")
    handle, path = tempfile.mkstemp(prefix="mogi-validacao-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in _download(url, max_mb * 1024 * 1024, "tabela", deadline):
                out.write(chunk)
        yield path
    finally:
        os.unlink(path)


def _download(url: str, limit: int, what: str, deadline: float | None) -> Iterator[bytes]:
    """Stream ``url`` in chunks, refusing more than ``limit`` bytes and any
    internal address, other scheme or other port (``ckanext.mogi.fetch.*``);
    past ``deadline`` (a :func:`time.monotonic` time), :class:`sandbox.Timeout`."""
    timeout = float(toolkit.config.get("ckanext.mogi.validation.download_timeout"))
    # The deadline, when nearer than the download timeout, bounds every wait.
    bounded = deadline is not None and deadline - time.monotonic() < timeout
    if deadline is not None and bounded:
        timeout = max(0.1, deadline - time.monotonic())
    policy = fetch_policy(timeout)
    try:
        with safe_http.open_stream(url, policy) as response:
            if response.status_code >= 400:
                raise FetchError(
                    f"Não foi possível baixar a {what} em {url}: o servidor "
                    f"respondeu com o código HTTP {response.status_code}."
                )
            for chunk in safe_http.iter_capped(response, limit, _CHUNK):
                if deadline is not None and time.monotonic() > deadline:
                    raise sandbox.Timeout()
                yield chunk
    except safe_http.ResponseTooLarge:
        raise FetchError(_too_big(what, limit)) from None
    except safe_http.FetchError as exc:
        # A read timed out at the deadline ends a hair before it: the job's timeout.
        if deadline is not None and bounded and time.monotonic() > deadline - _DEADLINE_SLACK:
            raise sandbox.Timeout() from exc
        reason = exc.message
        raise FetchError(f"Não foi possível baixar a {what} em {url}: {reason}") from None


def fetch_policy(timeout: float | None = None) -> safe_http.FetchPolicy:
    """The download policy of the ``ckanext.mogi.fetch.*`` options."""
    config = toolkit.config
    return safe_http.FetchPolicy.build(
        allowed_ports=toolkit.aslist(config.get("ckanext.mogi.fetch.allowed_ports")),
        allowed_hosts=toolkit.aslist(config.get("ckanext.mogi.fetch.allowed_hosts")),
        timeout=timeout or int(config.get("ckanext.mogi.validation.download_timeout")),
    )


def _too_big(what: str, limit: int) -> str:
    return (
        f"A {what} remota é maior que o limite de {limit // (1024 * 1024)} MB "
        "aceito pela validação."
    )


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
                f'O esquema da tabela (campo "schema") não é um JSON válido: {exc}.'
            ) from exc
        if not isinstance(schema, dict):
            raise FetchError("O esquema da tabela deve ser um objeto JSON.")
        return schema
    name = _library_name(text)
    if name is not None:
        from ckanext.mogi.validation import library

        try:
            return library.load(name)
        except KeyError:
            raise FetchError(
                f'O esquema "{name}" não existe na biblioteca de esquemas do portal.'
            ) from None
    if urlparse(text).scheme not in ("http", "https"):
        raise FetchError(
            "O esquema da tabela deve ser um JSON (Table Schema) ou um link http(s) para ele."
        )
    content = b"".join(_download(text, MAX_SCHEMA_BYTES, "especificação do esquema", deadline))
    try:
        schema = json.loads(content.decode("utf-8-sig"))
    except ValueError as exc:
        raise FetchError(f"O esquema baixado de {text} não é um JSON válido.") from exc
    if not isinstance(schema, dict):
        raise FetchError(f"O esquema baixado de {text} não é um objeto JSON.")
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
