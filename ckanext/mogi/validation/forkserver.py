"""A fork server for the sandboxed checks: a check starts in milliseconds.

Starting a fresh interpreter per check (``python -m ...runner``) costs about
half a second of imports (frictionless, openpyxl, our pipeline). Forking the
web process or the work horse instead would inherit their database and Redis
connections, their threads' locks and their memory. So one small helper
process, the *fork server*, is started on first use as a fresh interpreter
(``python -m ckanext.mogi.validation.forkserver FD``, in its own session, no
CKAN, no connection): it loads the runner's modules, checks two tiny tables to
load what frictionless imports lazily, and then, single-threaded, forks one
child per check.

- Clients: the process that started the server and every process later
  forked from it (rq's work horses, forked by the worker that starts it, see
  :func:`start`) share one ``SOCK_SEQPACKET`` socket pair with it. A check is
  one message (the paths of its request, result and working directory)
  carrying two descriptors: a fresh socket, the check's *connection*, and the
  file the child's output goes to.
- The child puts itself in a new process group, asks the kernel for SIGKILL
  when the server dies (PDEATHSIG), closes every descriptor it inherited and
  runs :func:`.runner.check`, which sets RLIMIT_AS and RLIMIT_CPU on the child
  only: they never reach the server or the next check.
- Over the connection the server sends ``pid N``, then ``exit CODE`` (the
  child's status as :class:`subprocess.Popen` gives it). It reaps the child
  only once the client has closed the connection, so while the client holds
  it the child's pid and process group cannot be reused: at its deadline the
  client kills the group itself (:func:`run` raises :class:`Expired`).
- The client dies (a work horse SIGKILLed by rq or the OOM killer): its end of
  the connection closes and the server kills the child's group. The server
  dies: its children die with it (PDEATHSIG), a check in progress gets
  :class:`Lost`, the next check starts a new server. The server exits when no
  process holds the other end of the socket pair any longer, or after
  :data:`IDLE_SECONDS` without a check.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from typing import NoReturn

from ckanext.mogi.validation import runner

MODULE = "ckanext.mogi.validation.forkserver"
#: Seconds a started server waits for a check before it exits.
IDLE_SECONDS = 900
#: Seconds to wait for the server to take a check (the first one waits for its start).
STARTUP_WAIT = 30.0
#: Seconds to wait for the status of a child just killed.
KILL_WAIT = 5.0
#: Largest request message.
_MESSAGE = 16 * 1024


class Unavailable(Exception):
    """The server did not take the check (gone, not answering): run it elsewhere."""


class Lost(Exception):
    """The server died during the check; the child died with it."""


class Expired(Exception):
    """The deadline passed; the child's process group was killed."""


# ------------------------------------------------------------------ client
class Server:
    """A running fork server, as seen by a client process."""

    def __init__(self, process: subprocess.Popen[bytes], control: socket.socket) -> None:
        self.process = process
        self.control = control
        #: Only the process that started the server can wait for it.
        self.owner = os.getpid()

    @classmethod
    def start(cls) -> Server:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            process = subprocess.Popen(
                [runner.interpreter(), "-m", MODULE, str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                cwd="/",
                start_new_session=True,  # no terminal's Ctrl-C, not in the caller's group
            )
        mine.settimeout(KILL_WAIT)  # a send blocks only if the server stopped reading
        return cls(process, mine)

    def alive(self) -> bool:
        return os.getpid() != self.owner or self.process.poll() is None

    def stop(self) -> None:
        """Drop this server (kill it, in the process that started it)."""
        self.control.close()
        if os.getpid() == self.owner:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            self.process.wait()

    def run(self, request: str, result: str, cwd: str, output: int, deadline: float) -> int:
        """Check ``request`` in a forked child; its exit status (Popen's convention).

        ``output``: the descriptor the child's stdout and stderr go to.
        ``deadline``: a :func:`time.monotonic` time.
        """
        message = json.dumps({"request": request, "result": result, "cwd": cwd}).encode()
        mine, theirs = socket.socketpair()
        with mine:
            try:
                with theirs:
                    socket.send_fds(self.control, [message], [theirs.fileno(), output])
            except OSError as exc:
                raise Unavailable(f"could not send the check: {exc}") from None
            lines = _Lines(mine)
            try:
                pid = lines.read("pid", min(deadline, time.monotonic() + STARTUP_WAIT))
            except EOFError:
                raise Unavailable("the server ended before taking the check") from None
            except TimeoutError:
                if time.monotonic() >= deadline:
                    raise Expired() from None  # closing the connection kills any child
                raise Unavailable("the server did not answer") from None
            try:
                return lines.read("exit", deadline)
            except EOFError:
                raise Lost() from None
            except TimeoutError:
                _kill(pid, lines)
                raise Expired() from None
            except BaseException:  # rq's own timeout, a worker shutdown: no orphan
                _kill(pid, lines)
                raise


class _Lines:
    """``word N`` lines read from a check's connection."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.buffer = b""

    def read(self, word: str, deadline: float) -> int:
        """The number of the next line, which must be ``word N``; EOFError at the end,
        TimeoutError past ``deadline``."""
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError()
            self.connection.settimeout(remaining)
            try:
                data = self.connection.recv(256)
            except TimeoutError:
                raise
            except OSError:
                data = b""
            if not data:
                raise EOFError()
            self.buffer += data
        line, self.buffer = self.buffer.split(b"\n", 1)
        name, _, number = line.decode("ascii").partition(" ")
        if name != word:
            raise EOFError()  # not the protocol: treated as a dead server
        return int(number)


def _kill(pid: int, lines: _Lines) -> None:
    """Kill the child's process group and wait (briefly) until it is gone.

    The server has not reaped the child (the connection is still open), so the
    group is still that child's; if the server is already gone, so is the
    child (PDEATHSIG) and nothing is killed.
    """
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(EOFError, TimeoutError, ValueError):
        lines.read("exit", time.monotonic() + KILL_WAIT)


@dataclass
class _Slot:
    """This process's server (a forked process inherits its parent's)."""

    pid: int = field(default_factory=os.getpid)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: Server | None = None


_current = _Slot()


def _slot() -> _Slot:
    """This process's slot; after a fork, a new lock (the parent's may have been
    held by another thread) around the inherited server."""
    global _current
    if _current.pid != os.getpid():
        _current = _Slot(server=_current.server)
    return _current


def start() -> Server:
    """This process's fork server, started if needed.

    A process that forks the processes which run checks (rq's worker) calls it
    before forking them, so they all share one server.
    """
    slot = _slot()
    with slot.lock:
        if slot.server is None or not slot.server.alive():
            if slot.server is not None:
                slot.server.stop()
            slot.server = Server.start()
        return slot.server


def _discard(server: Server) -> None:
    slot = _slot()
    with slot.lock:
        if slot.server is server:
            slot.server = None
    server.stop()


def run(request: str, result: str, cwd: str, output: int, deadline: float) -> int:
    """:meth:`Server.run` on this process's server; a server that does not take
    the check is replaced once, then :class:`Unavailable`."""
    for attempt in (1, 2):
        server = start()
        try:
            return server.run(request, result, cwd, output, deadline)
        except Unavailable:
            _discard(server)
            if attempt == 2:
                raise
        except Lost:
            _discard(server)
            raise
    raise AssertionError("unreachable")


# ------------------------------------------------------------------ server
@dataclass
class _Check:
    pid: int
    pidfd: int
    connection: socket.socket
    status: int | None = None
    client_gone: bool = False


def serve(control: socket.socket) -> None:
    """Fork one child per check received on ``control`` until no client is left."""
    _warm_up()
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    checks: dict[int, _Check] = {}  # by pid
    try:
        while True:
            events = selector.select(None if checks else IDLE_SECONDS)
            if not events:
                return  # idle
            for key, _ in events:
                if key.fileobj is control:
                    try:
                        message, fds, flags, _ = socket.recv_fds(control, _MESSAGE, 2)
                    except OSError:
                        return
                    if not message and not fds:
                        return  # every client is gone
                    check = _fork(message, fds, flags, control.fileno())
                    if check is not None:
                        checks[check.pid] = check
                        selector.register(check.connection, selectors.EVENT_READ, check)
                        selector.register(check.pidfd, selectors.EVENT_READ, check)
                    continue
                check = key.data
                if key.fileobj is check.connection:
                    selector.unregister(check.connection)
                    check.client_gone = True
                    if check.status is None:
                        with contextlib.suppress(OSError):
                            os.killpg(check.pid, signal.SIGKILL)
                else:
                    selector.unregister(check.pidfd)
                    check.status = _status(check.pidfd)
                    try:
                        check.connection.sendall(f"exit {check.status}\n".encode())
                    except OSError:
                        if not check.client_gone:
                            selector.unregister(check.connection)
                            check.client_gone = True
                if check.client_gone and check.status is not None:
                    _reap(checks.pop(check.pid))
    finally:
        for check in checks.values():
            with contextlib.suppress(OSError):
                os.killpg(check.pid, signal.SIGKILL)
            _reap(check)


def _fork(message: bytes, fds: list[int], flags: int, control: int) -> _Check | None:
    """Fork the child of one check; None (descriptors closed) if the message is bad."""
    try:
        request = json.loads(message)
        paths = (str(request["request"]), str(request["result"]), str(request["cwd"]))
        if len(fds) != 2 or flags & socket.MSG_CTRUNC:
            raise ValueError("expected two descriptors")
    except (ValueError, KeyError, TypeError):
        traceback.print_exc()
        for fd in fds:
            os.close(fd)
        return None
    connection_fd, output = fds
    server = os.getpid()
    try:
        pid = os.fork()
    except OSError:  # the client reads the end of its connection: not taken
        traceback.print_exc()
        for fd in fds:
            os.close(fd)
        return None
    if pid == 0:
        _child(server, paths, output)
    os.close(output)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)  # as the child does: either call comes first
    pidfd = os.pidfd_open(pid)
    connection = socket.socket(fileno=connection_fd)
    with contextlib.suppress(OSError):
        connection.sendall(f"pid {pid}\n".encode())
    return _Check(pid, pidfd, connection)


def _child(server: int, paths: tuple[str, str, str], output: int) -> NoReturn:
    """The forked child: its own group, dies with the server, then the check."""
    code = 1
    try:
        os.setpgid(0, 0)
        runner.die_with_parent(server)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the server's sockets, other checks'
        request, result, cwd = paths
        os.chdir(cwd)
        code = runner.check(request, result)
    except BaseException:
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _status(pidfd: int) -> int:
    """The exited child's status as Popen gives it (-N: killed by signal N),
    without reaping it."""
    info = os.waitid(os.P_PIDFD, pidfd, os.WEXITED | os.WNOWAIT)
    assert info is not None
    if info.si_code == os.CLD_EXITED:
        return info.si_status
    return -info.si_status


def _reap(check: _Check) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(check.pid, 0)
    os.close(check.pidfd)
    check.connection.close()


def _warm_up() -> None:
    """Check a tiny CSV and XLSX once, so the children find what frictionless
    and openpyxl import lazily already loaded."""
    import openpyxl

    from ckanext.mogi.validation.limits import StructureLimits

    try:
        with tempfile.TemporaryDirectory(prefix="mogi-forkserver-") as folder:
            csv = os.path.join(folder, "tabela.csv")
            with open(csv, "w", encoding="utf-8") as stream:
                stream.write("unidade;atendimentos;data\nUBS Centro;120;01/02/2024\n")
            xlsx = os.path.join(folder, "tabela.xlsx")
            book = openpyxl.Workbook()
            book.active.append(["unidade", "atendimentos"])
            book.active.append(["UBS Centro", 120])
            book.save(xlsx)
            for path, fmt in ((csv, "csv"), (xlsx, "xlsx")):
                runner.run({"path": path, "fmt": fmt, "schema": None, "options": None,
                            "structure": asdict(StructureLimits()), "locale": "pt_BR"})
    except Exception:  # slower children, not broken ones
        traceback.print_exc()


def main(argv: list[str]) -> int:
    (fd,) = argv
    serve(socket.socket(fileno=int(fd)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
