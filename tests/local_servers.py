"""Real local HTTP servers for the tests of links the portal fetches."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from typing import Any

#: path -> (status, headers, body)
Route = tuple[int, dict[str, str], bytes]


class LinkServer(http.server.ThreadingHTTPServer):
    """Serves fixed ``routes`` on ``host`` (IPv4 or IPv6) and records every
    request line it receives (``requests``), 404 elsewhere. ``HEAD`` answers as
    ``GET`` without the body, or 405 while ``head_allowed`` is False."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1") -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, 0), _Handler)
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.delays: dict[str, float] = {}
        self.head_allowed = True
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.server_port}"

    def serve(self, path: str, body: bytes | str, status: int = 200, delay: float = 0,
              **headers: str) -> str:
        """Serve ``body`` at ``path`` (after ``delay`` seconds); its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.delays[path] = delay
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, data)
        return self.base + path

    def redirect(self, path: str, location: str) -> str:
        return self.serve(path, b"", 302, Location=location)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: LinkServer

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        if not self.server.head_allowed:
            self.server.requests.append(self.requestline)
            self.send_error(405)
            return
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        self.server.requests.append(self.requestline)
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        time.sleep(self.server.delays.get(self.path, 0))
        status, headers, body = route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)
