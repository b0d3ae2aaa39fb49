"""Server-side HTTP GETs of links that people typed, without SSRF.

A link on a resource (a table, a Table Schema) is fetched by the portal's
own servers. Left alone, ``http://127.0.0.1:5000/api/...`` or
``http://169.254.169.254/`` would make the portal read its own internal
network for whoever wrote the link. :func:`open_stream` refuses that:

* only ``http``/``https``, and only the ports of the policy (80 and 443 by
  default), checked on the URL of every hop, redirects included;
* the host name is resolved once, **every** answer is checked, and the socket
  is connected to an address that was checked (the check lives in the
  connection's own ``_new_conn``, so a record that changes between the check
  and the connect, DNS rebinding, changes nothing, and every redirect and
  every new connection goes through it);
* refused: any address that is not globally routable (loopback, private,
  link-local, shared 100.64/10, multicast, reserved, unspecified,
  documentation ranges, ...), IPv4 and IPv6 alike, with IPv4 carried inside
  IPv6 (``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``)
  judged by the IPv4 address it carries;
* an allow-list of trusted internal hosts (names or CIDRs) skips the address
  check, never the scheme and port checks;
* proxy environment variables and ``.netrc`` are ignored (``trust_env`` is
  off), so no proxy resolves the name behind the check's back; redirects are
  bounded; connect and read time out; :func:`iter_capped` stops at a byte cap.

A refusal is decided before any connection is made, so its message is the
same whether the internal port is open or closed, and no message quotes what
a server answered. Messages are English msgids translated with
``common.i18n.translate`` when they are read (:attr:`FetchError.message`), so the module
works without CKAN's configuration, e.g. for a link checker.

Why not a library: ``requests-hardened`` (1.3) filters addresses but offers
only an on/off switch for loopback: no allow-list of hosts or networks and
no port policy. ``ssrfguard`` (0.4) pins at ``_new_conn`` as done here and has
ports and allowed networks, but its ``allowed_hosts`` narrows (only those
hosts may be fetched) instead of trusting internal host names, and it is a
young pre-1.0 single-maintainer project. What we need is the ~100 lines
below, on top of the pinned ``requests``/``urllib3``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util.connection import allowed_gai_family

from ckanext.mogi.common.i18n import translate

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_PORTS = frozenset({80, 443})
DEFAULT_MAX_REDIRECTS = 5
SCHEMES = {"http": 80, "https": 443}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
#: Ranges ``ipaddress`` may call global on some Python versions.
_NOT_GLOBAL = tuple(
    ipaddress.ip_network(net)
    for net in ("100.64.0.0/10", "192.0.0.0/24", "64:ff9b:1::/48", "2001::/23", "5f00::/16")
)


# ---------------------------------------------------------------- errors
def _messages() -> dict[str, str]:
    _ = translate
    return {
        "scheme": _("The link must start with http:// or https://."),
        "port": _(
            "The link uses a network port that the portal does not access "
            "(allowed: {ports})."
        ),
        "address": _(
            "The link points to an internal network address, which the portal does not access."
        ),
        "redirects": _("The link redirects too many times."),
        "timeout": _("The server of the link took too long to answer."),
        "connect": _("Could not connect to the server of the link."),
        "too_big": _("The file of the link is larger than the limit of {megabytes} MB."),
        "status": _("The server of the link answered with HTTP code {code}."),
    }


class FetchError(Exception):
    """The fetch was refused or failed; :attr:`message` tells why (translated).

    ``reason`` is one of ``scheme``, ``port``, ``address``, ``redirects``,
    ``timeout``, ``connect``, ``too_big`` and ``status``.
    """

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params

    @property
    def message(self) -> str:
        """Why, in the request's language (outside a request: the site's)."""
        return _messages()[self.reason].format(**self.params)

    def __str__(self) -> str:
        return self.message


class ErrorStatus(FetchError):
    """The server answered with an HTTP error status (4xx or 5xx)."""

    def __init__(self, code: int) -> None:
        super().__init__("status", code=code)
        self.code = code


class RefusedDestination(FetchError):
    """Refused before connecting: scheme, port or address (not an OSError,
    so urllib3 and requests let it through untouched)."""


class ResponseTooLarge(FetchError):
    """The response is larger than the byte cap."""

    def __init__(self, limit: int) -> None:
        super().__init__("too_big", megabytes=limit // (1024 * 1024))
        self.limit = limit


# ---------------------------------------------------------------- policy
@dataclass(frozen=True)
class FetchPolicy:
    """What may be fetched: ports, trusted hosts and networks, redirects, timeout."""

    allowed_ports: frozenset[int] = DEFAULT_PORTS
    trusted_hosts: frozenset[str] = frozenset()
    trusted_networks: tuple[Network, ...] = ()
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    timeout: float = 60

    @classmethod
    def build(
        cls,
        allowed_ports: Iterable[int | str] = DEFAULT_PORTS,
        allowed_hosts: Iterable[str] = (),
        **options: Any,
    ) -> FetchPolicy:
        """A policy from config values: ports as numbers or text; each allowed
        host a name (``dados.interno``), an address or a CIDR (``10.1.0.0/16``).

        Raises ``ValueError`` on a port that is not one.
        """
        ports = frozenset(int(port) for port in allowed_ports)
        if any(not 0 < port < 65536 for port in ports):
            raise ValueError(f"Not a TCP port in the allowed ports: {sorted(ports)}")
        names: set[str] = set()
        networks: list[Network] = []
        for entry in allowed_hosts:
            entry = entry.strip().strip("[]")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                names.add(entry.lower().rstrip("."))
        return cls(ports, frozenset(names), tuple(networks), **options)

    @classmethod
    def from_config(cls, timeout: float) -> FetchPolicy:
        """The portal's policy: the options ``ckanext.mogi.fetch.allowed_ports``
        and ``ckanext.mogi.fetch.allowed_hosts`` (declared by ``mogi_validation``)."""
        from ckan.plugins import toolkit

        config = toolkit.config
        return cls.build(
            allowed_ports=toolkit.aslist(config.get("ckanext.mogi.fetch.allowed_ports")),
            allowed_hosts=toolkit.aslist(config.get("ckanext.mogi.fetch.allowed_hosts")),
            timeout=timeout,
        )

    def check_url(self, url: str) -> None:
        """Scheme and port of one hop (no I/O); :class:`RefusedDestination`."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise RefusedDestination("scheme") from None
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES or not parts.hostname:
            raise RefusedDestination("scheme")
        self.check_port(port or SCHEMES[scheme])

    def check_port(self, port: int) -> None:
        if port not in self.allowed_ports:
            ports = ", ".join(str(p) for p in sorted(self.allowed_ports))
            raise RefusedDestination("port", ports=ports)

    def trusts_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.trusted_hosts

    def permits(self, address: Address) -> bool:
        """Whether connecting to ``address`` (of a host not trusted by name) is allowed."""
        if any(address in network for network in self.trusted_networks):
            return True
        return is_public(address)


def is_public(address: Address) -> bool:
    """Whether ``address`` is a globally routable unicast address.

    IPv6 forms that carry an IPv4 address are judged by that address.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
        if address.is_site_local:
            return False
    return not (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or any(address in network for network in _NOT_GLOBAL)
    )


# ------------------------------------------------------------ connections
def _connect_checked(
    policy: FetchPolicy,
    host: str,
    port: int,
    timeout: float | None,
    source_address: tuple[str, int] | None,
    socket_options: Any,
) -> socket.socket:
    """Resolve ``host`` once, check every answer, connect to a checked one."""
    policy.check_port(port)
    answers = socket.getaddrinfo(
        host.strip("[]"), port, family=allowed_gai_family(), type=socket.SOCK_STREAM
    )
    if not policy.trusts_host(host):
        for *_, sockaddr in answers:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if not policy.permits(address):
                raise RefusedDestination("address")
    error: OSError | None = None
    for family, kind, proto, _name, sockaddr in answers:
        sock = socket.socket(family, kind, proto)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            # urllib3 hands over a number or None once a timeout was given.
            sock.settimeout(timeout if isinstance(timeout, int | float) else None)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError("getaddrinfo returned no address")


def _pool_classes(policy: FetchPolicy) -> dict[str, type[HTTPConnectionPool]]:
    """Connection pools whose connections open their sockets with the policy.

    Built per adapter (closing over the policy): urllib3's pool keys accept
    no extra parameter to carry it down to the connection.
    """

    def new_conn(conn: HTTPConnection) -> socket.socket:
        try:
            sock = _connect_checked(
                policy, conn._dns_host, conn.port, conn.timeout,
                conn.source_address, conn.socket_options,
            )
        except socket.gaierror as exc:
            raise NameResolutionError(conn.host, conn, exc) from exc
        except TimeoutError as exc:
            raise ConnectTimeoutError(conn, f"Connection to {conn.host} timed out.") from exc
        except OSError as exc:
            raise NewConnectionError(conn, f"Failed to establish a new connection: {exc}") from exc
        sys.audit("http.client.connect", conn, conn.host, conn.port)
        return sock

    class CheckedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return new_conn(self)

    class CheckedHTTPSConnection(HTTPSConnection):
        # TLS still verifies the certificate against the host name (``.host``).
        def _new_conn(self) -> socket.socket:
            return new_conn(self)

    class CheckedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = CheckedHTTPConnection

    class CheckedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = CheckedHTTPSConnection

    return {"http": CheckedHTTPConnectionPool, "https": CheckedHTTPSConnectionPool}


class _CheckedAdapter(HTTPAdapter):
    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy  # before super().__init__, which builds the pool manager
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        # A new mapping: urllib3 shares its module-level one between managers.
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self.policy)


class _CheckedSession(requests.Session):
    """No proxies or netrc from the environment; every hop's URL checked."""

    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__()
        self.policy = policy
        self.trust_env = False
        self.max_redirects = policy.max_redirects
        adapter = _CheckedAdapter(policy)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def get_adapter(self, url: str) -> Any:
        # Called for the first request and for every redirect hop.
        self.policy.check_url(url)
        return super().get_adapter(url)


# ------------------------------------------------------------------- API
@contextlib.contextmanager
def open_stream(
    url: str,
    policy: FetchPolicy,
    *,
    method: str = "GET",
    allow_redirects: bool = True,
    headers: Mapping[str, str] | None = None,
) -> Iterator[requests.Response]:
    """A streamed request of ``url`` under ``policy`` (by default a GET, redirects
    followed and checked; a caller that follows them itself, hop by hop, passes
    ``allow_redirects=False`` and gets each 3xx answer).

    Raises :class:`RefusedDestination` (nothing was sent) or :class:`FetchError`
    (``redirects``/``timeout``/``connect``). HTTP error statuses are returned:
    the caller decides what they mean.
    """
    policy.check_url(url)
    with _CheckedSession(policy) as session:
        try:
            response = session.request(
                method, url, stream=True, timeout=policy.timeout,
                allow_redirects=allow_redirects, headers=dict(headers or {}))
        except requests.TooManyRedirects:
            raise FetchError("redirects") from None
        except requests.Timeout:
            raise FetchError("timeout") from None
        except requests.RequestException:
            raise FetchError("connect") from None
        with response:
            yield response


def iter_capped(response: requests.Response, limit: int, chunk_size: int) -> Iterator[bytes]:
    """The body of ``response`` in chunks; :class:`ResponseTooLarge` past ``limit`` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge(limit)
    size = 0
    try:
        for chunk in response.iter_content(chunk_size):
            size += len(chunk)
            if size > limit:
                raise ResponseTooLarge(limit)
            yield chunk
    except requests.Timeout:
        raise FetchError("timeout") from None
    except requests.RequestException:
        raise FetchError("connect") from None


def iter_body(url: str, policy: FetchPolicy, limit: int, chunk_size: int) -> Iterator[bytes]:
    """The body of a GET of ``url`` under ``policy``, in chunks: what
    :func:`open_stream` raises, :class:`ErrorStatus` for an HTTP error status,
    :class:`ResponseTooLarge` past ``limit`` bytes."""
    with open_stream(url, policy) as response:
        if response.status_code >= 400:
            raise ErrorStatus(response.status_code)
        yield from iter_capped(response, limit, chunk_size)
