"""Run one table check in a child process under kernel-enforced limits.

The check (:mod:`~ckanext.mogi.validation.limits`' structural checks, then
:func:`~ckanext.mogi.validation.pipeline.validate_file`) runs in a child that
never comes from forking the caller: a fork of the web process or work horse
would inherit its database and Redis connections, its threads' locks and its
memory (which RLIMIT_AS would count), and forking a threaded web server is
unsafe. The child is forked by this process's fork server
(:mod:`~ckanext.mogi.validation.forkserver`: a fresh, single-threaded
interpreter with the runner's modules loaded; a check starts in a few
milliseconds); when the server cannot take the check, it runs in a fresh
interpreter (``python -m ckanext.mogi.validation.runner``, about half a
second to start). The child needs no CKAN: it gets a JSON request (file
path, format, schema, options, limits) and writes its outcome to a JSON file.

Limits: RLIMIT_AS (memory) and RLIMIT_CPU (CPU seconds) set by the child on
itself before it reads anything, and a wall-clock deadline enforced here: past
it the child's whole process group is killed and :class:`Timeout` raised.
The child dies with its parent (PDEATHSIG: the fork server, or this process),
and the fork server kills it when this process dies.
Whatever happens in the child (MemoryError, SIGXCPU, SIGKILL by the kernel, a
crash, the fork server's death), :func:`validate` returns a bounded verdict:
status ``error`` with a translated message saying what happened and what to do.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Any

from ckan.plugins import toolkit

from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.validation import forkserver, runner
from ckanext.mogi.validation.limits import StructureLimits

log = logging.getLogger(__name__)

RUNNER = "ckanext.mogi.validation.runner"
#: How much of the child's stderr goes to the log when it crashes.
_STDERR_TAIL = 4096


class Timeout(Exception):
    """The wall-clock deadline passed (the child, if any, was killed)."""


@dataclass(frozen=True)
class Limits:
    """The child's limits: memory (MB) and CPU seconds (0: none), structure."""

    memory_mb: int
    cpu_seconds: int
    structure: StructureLimits

    @classmethod
    def from_config(cls) -> Limits:
        config = toolkit.config
        prefix = "ckanext.mogi.validation."
        return cls(
            memory_mb=int(config.get(prefix + "memory_limit_mb")),
            cpu_seconds=int(config.get(prefix + "cpu_limit")),
            structure=StructureLimits(
                max_uncompressed_mb=int(config.get(prefix + "max_uncompressed_mb")),
                max_compression_ratio=int(config.get(prefix + "max_compression_ratio")),
                max_cells=int(config.get(prefix + "max_cells")),
                max_columns=int(config.get(prefix + "max_columns")),
                max_line_mb=int(config.get(prefix + "max_line_mb")),
            ),
        )


def validate(
    path: str,
    *,
    fmt: str | None,
    schema: dict[str, Any] | None,
    options: dict[str, Any] | None,
    deadline: float,
    limits: Limits,
) -> dict[str, Any]:
    """Check the table at ``path`` in a child; the values of the record to store.

    ``deadline`` is a :func:`time.monotonic` time; past it :class:`Timeout`.
    """
    request = {
        "path": os.path.abspath(path),
        "fmt": fmt,
        "schema": schema,
        "options": options,
        "memory_mb": limits.memory_mb,
        "cpu_seconds": limits.cpu_seconds,
        "structure": asdict(limits.structure),
        # The child has no CKAN: its messages are translated into the language
        # verdicts are stored in (see common.i18n.translate).
        "locale": str(toolkit.config.get("ckan.locale_default") or "en"),
    }
    with tempfile.TemporaryDirectory(prefix="mogi-sandbox-") as workdir:
        request_path = os.path.join(workdir, "request.json")
        result_path = os.path.join(workdir, "result.json")
        stderr_path = os.path.join(workdir, "stderr.log")
        with open(request_path, "w", encoding="utf-8") as stream:
            json.dump(request, stream)
        with open(stderr_path, "wb") as stderr:
            code = _run(request_path, result_path, workdir, stderr.fileno(), deadline)
        if code == 0 and os.path.exists(result_path):
            with open(result_path, encoding="utf-8") as stream:
                return _values(json.load(stream))
        return _failure(code, limits, _tail(stderr_path))


def start_fork_server() -> None:
    """Start this process's fork server now: the processes it forks later (rq's
    work horses) share it instead of each starting its own."""
    forkserver.start()


def _run(request: str, result: str, workdir: str, output: int, deadline: float) -> int | None:
    """The child's exit status (Popen's convention); None if the fork server
    died during the check."""
    try:
        return forkserver.run(request, result, workdir, output, deadline)
    except forkserver.Expired:
        raise Timeout() from None
    except forkserver.Lost:
        return None
    except forkserver.Unavailable as exc:
        log.warning("Fork server unavailable (%s): the check starts a fresh interpreter", exc)
    return _fresh(request, result, workdir, output, deadline)


def _fresh(request: str, result: str, workdir: str, output: int, deadline: float) -> int:
    """Run the check in a fresh interpreter; its exit status."""
    child = subprocess.Popen(
        [runner.interpreter(), "-m", RUNNER, request, result],
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=output,
        cwd=workdir,
        start_new_session=True,  # its own process group, killed as a whole
    )
    try:
        return child.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _kill(child)
        raise Timeout() from None
    except BaseException:  # rq's own timeout, a worker shutdown: no orphan
        _kill(child)
        raise


def _kill(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


def _tail(path: str) -> str:
    with open(path, "rb") as stream:
        stream.seek(max(0, os.path.getsize(path) - _STDERR_TAIL))
        return stream.read().decode("utf-8", "replace")


def _values(result: dict[str, Any]) -> dict[str, Any]:
    limit = result.get("limit")
    if limit:
        return _error(limit_message(limit["code"], limit["params"]))
    values: dict[str, Any] = {
        "status": result["status"],
        "report": result.get("report"),
        "dialect": result.get("dialect"),
        "inferred_schema": result.get("inferred_schema"),
        "lgpd": result.get("lgpd") or {"findings": []},
    }
    if values["status"] == "error":
        message = result.get("error") or translate(N_("Could not check the table."))
        values["error"] = {"message": message}
    return values


def _failure(code: int | None, limits: Limits, stderr: str) -> dict[str, Any]:
    """The verdict when the child ended without a result (``code`` None: it
    died with the fork server)."""
    _ = translate
    if code in (runner.EXIT_MEMORY, -signal.SIGKILL) or "MemoryError" in stderr:
        # A SIGKILL we did not send: the kernel's, out of memory.
        return _error(
            _(
                "Table too large or too complex to check: it needed more than "
                "{megabytes} MB of memory. Split it into smaller files or ask the "
                "portal team to raise the limit."
            ).format(megabytes=limits.memory_mb)
        )
    if code == -signal.SIGXCPU:
        return _error(
            _(
                "Table too large or too complex to check: it needed more than "
                "{seconds} seconds of processing. Split it into smaller files or ask "
                "the portal team to raise the limit."
            ).format(seconds=limits.cpu_seconds)
        )
    if code is None:
        log.error("The fork server died during a check:\n%s", stderr)
    else:
        log.error("Validation child ended with status %s:\n%s", code, stderr)
    return _error(
        _(
            "Table too large or too complex to check: the check stopped "
            "unexpectedly. Split it into smaller files; if the error persists, "
            "tell the portal team."
        )
    )


def _error(message: str) -> dict[str, Any]:
    return {"status": "error", "error": {"message": message}}


def limit_message(code: str, params: dict[str, Any]) -> str:
    """The translated message of a structural limit (see :mod:`.limits`)."""
    _ = translate
    texts = {
        "zip-size": _(
            "Table too large or too complex to check: the spreadsheet expands to "
            "{size} MB, over the limit of {limit} MB. Split it into smaller files "
            "or send it as CSV."
        ),
        "zip-ratio": _(
            "Table too large or too complex to check: part of the spreadsheet is "
            "compressed {ratio} times, over the limit of {limit} times. Save it "
            "again in the spreadsheet program or send it as CSV."
        ),
        "sheet-columns": _(
            'Table too large or too complex to check: the sheet "{sheet}" declares '
            "{columns} columns, over the limit of {limit}. Delete the empty columns "
            "after the data and save it again, or send the table as CSV."
        ),
        "sheet-cells": _(
            'Table too large or too complex to check: the sheet "{sheet}" declares '
            "{rows} rows by {columns} columns ({cells} cells), over the limit of "
            "{limit} cells. Delete the empty rows and columns after the data and "
            "save it again, or send the table as CSV."
        ),
        "line-size": _(
            "Table too large or too complex to check: line {line} is longer than "
            "{limit} MB. Check that the file is a table with one record per line."
        ),
        "line-columns": _(
            "Table too large or too complex to check: line {line} has more than "
            "{limit} columns. Check that the file is a table with one record per "
            "line and that the separator is right."
        ),
    }
    return texts[code].format(**{key: _grouped(value) for key, value in params.items()})


def _grouped(value: Any) -> Any:
    """Brazilian digit grouping for large counts (17.179.869.184)."""
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else value
