"""The sandboxed child: ``python -m ckanext.mogi.validation.runner REQUEST RESULT``.

Forked by :mod:`ckanext.mogi.validation.forkserver` (:func:`check`), or, when
the fork server cannot take the check, started by
:mod:`ckanext.mogi.validation.sandbox` in a fresh interpreter (:func:`main`).
It first caps itself with kernel limits (address space, CPU seconds), then
runs the structural checks of :mod:`~ckanext.mogi.validation.limits` and
:func:`~ckanext.mogi.validation.pipeline.validate_file`, and writes the outcome
to RESULT as JSON. It needs neither CKAN's configuration nor the database:
everything comes in the REQUEST JSON file (file path, format, schema,
options, limits, the language of its messages). Messages about limits are
codes with parameters, translated by the parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import dataclasses
import json
import os
import resource
import signal
import sys
from typing import Any

from ckanext.mogi.common.i18n import catalogue

#: Exit status of a child that ran out of memory (RLIMIT_AS).
EXIT_MEMORY = 3
#: Exit status of a child whose parent was already gone when it started.
EXIT_ORPHAN = 4
#: prctl(2) option: the signal the kernel sends when the parent dies.
_PR_SET_PDEATHSIG = 1


def set_limits(memory_mb: int, cpu_seconds: int) -> None:
    """RLIMIT_AS and RLIMIT_CPU for this process (0: no limit).

    Past the soft CPU limit the kernel sends SIGXCPU (which terminates); a
    SIGKILL follows at the hard limit, a few seconds later, if it was caught.
    """
    if memory_mb > 0:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Check the structure, then validate; the outcome as a JSON-ready dict."""
    from ckanext.mogi.validation import limits, pipeline

    try:
        limits.check(request["path"], limits.StructureLimits(**request["structure"]))
    except limits.LimitExceeded as exceeded:
        return {"status": "error", "limit": {"code": exceeded.code, "params": exceeded.params}}
    outcome = pipeline.validate_file(
        request["path"],
        fmt=request["fmt"],
        schema=request["schema"],
        options=request["options"],
        translate=catalogue(request["locale"]),
    )
    return dataclasses.asdict(outcome)


def die_with_parent(parent: int | None = None) -> None:
    """Linux: the kernel kills this child when its parent (the job's work horse,
    or the fork server) dies, e.g. SIGKILLed by rq or the OOM killer, so no
    check outlives its job (the reconciler requeues the job itself).

    ``parent``: the pid the parent must have (else: no longer 1, init).
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    ppid = os.getppid()
    if ppid == 1 or (parent is not None and ppid != parent):  # died before the call
        os._exit(EXIT_ORPHAN)


def interpreter() -> str:
    """The interpreter to start: this one, unless embedded (uWSGI's binary)."""
    if os.path.basename(sys.executable).startswith("python"):
        return sys.executable
    return os.path.join(sys.prefix, "bin", "python3")


def main(argv: list[str]) -> int:
    die_with_parent()
    return check(*argv)


def check(request_path: str, result_path: str) -> int:
    """Cap this process, check the table of REQUEST, write RESULT; the exit status."""
    with open(request_path, encoding="utf-8") as stream:
        request = json.load(stream)
    # Our own code is loaded before the limits: they bound the work on the file,
    # and a tight memory limit cannot turn into a failed import.
    from ckanext.mogi.validation import pipeline  # noqa: F401

    set_limits(int(request["memory_mb"]), int(request["cpu_seconds"]))
    try:
        result = run(request)
        text = json.dumps(result, default=str)
    except MemoryError:
        os._exit(EXIT_MEMORY)  # nothing left to write a result with
    with open(result_path, "w", encoding="utf-8") as stream:
        stream.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
