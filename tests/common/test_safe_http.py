"""Links fetched by the portal's servers: no internal address, ever (SSRF).

Real HTTP servers on loopback addresses stand for the portal's internal
network; the checks are proven by what those servers did NOT receive.
Private ranges other than loopback are checked without traffic
(:func:`safe_http.is_public`): nothing may be sent to them from here.
"""

from __future__ import annotations

import ipaddress

import pytest

from ckanext.mogi.common import safe_http

TABLE = "unidade;atendimentos\nUBS Centro;12\n"
# Outside a web request, messages are in the site's language (ckan.locale_default).
INTERNAL = "O link aponta para um endereço de rede interna, que o portal não acessa."


def fetch(url: str, policy: safe_http.FetchPolicy, limit: int = 1024 * 1024) -> bytes:
    return b"".join(safe_http.iter_body(url, policy, limit, 1024))


def refused(url: str, policy: safe_http.FetchPolicy) -> safe_http.FetchError:
    with pytest.raises(safe_http.FetchError) as caught:
        fetch(url, policy)
    return caught.value


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]",
                                  "2130706433", "0177.0.0.1", "0.0.0.0"])
def test_loopback_in_any_spelling_is_refused_before_any_request(link_server, host):
    server = link_server("127.0.0.1")
    server.serve("/status", '{"success": true, "segredo": "segredo-do-portal"}')
    policy = safe_http.FetchPolicy.build([80, 443, server.server_port])

    error = refused(f"http://{host}:{server.server_port}/status", policy)

    assert isinstance(error, safe_http.RefusedDestination)
    assert error.reason == "address"
    assert str(error) == INTERNAL
    assert server.requests == []


def test_ipv6_loopback_is_refused(link_server):
    server = link_server("::1")
    server.serve("/status", "internal")
    policy = safe_http.FetchPolicy.build([80, 443, server.server_port])

    assert refused(server.base + "/status", policy).reason == "address"
    assert server.requests == []


def test_closed_and_open_internal_ports_look_the_same(link_server):
    server = link_server("127.0.0.1")
    server.serve("/", "open")
    closed = link_server("127.0.0.1")
    closed_port = closed.server_port
    closed.stop()
    policy = safe_http.FetchPolicy.build([server.server_port, closed_port])

    open_error = refused(f"http://127.0.0.1:{server.server_port}/", policy)
    closed_error = refused(f"http://127.0.0.1:{closed_port}/", policy)

    assert (open_error.reason, str(open_error)) == (closed_error.reason, str(closed_error))
    assert server.requests == []


INTERNAL_ADDRESSES = [
    "127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.5.4", "192.168.0.1",
    "169.254.169.254", "100.64.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
    "240.0.0.1", "255.255.255.255", "192.0.2.10", "198.18.0.1", "192.0.0.8",
    "::", "::1", "fe80::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1", "ff0e::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::7f00:1",
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "2002:7f00:1::1",
    "2002:a00:1::1", "2001:db8::1", "2001::1", "100::1",
]
PUBLIC_ADDRESSES = ["200.144.0.10", "8.8.8.8", "2804:14c::1", "::ffff:200.144.0.10",
                    "64:ff9b::808:808", "2002:c890:a::1"]


def test_internal_and_special_addresses_are_refused_public_ones_permitted():
    policy = safe_http.FetchPolicy()
    permitted = [a for a in INTERNAL_ADDRESSES if policy.permits(ipaddress.ip_address(a))]
    assert permitted == []
    denied = [a for a in PUBLIC_ADDRESSES if not policy.permits(ipaddress.ip_address(a))]
    assert denied == []


def test_trusted_networks_are_permitted_and_nothing_else():
    policy = safe_http.FetchPolicy.build(allowed_hosts=["10.20.0.0/16", "dados.interno."])
    assert policy.permits(ipaddress.ip_address("10.20.3.4"))
    assert not policy.permits(ipaddress.ip_address("10.21.3.4"))
    assert policy.trusts_host("Dados.Interno")
    assert not policy.trusts_host("outro.interno")


def test_a_redirect_from_a_trusted_host_to_an_internal_one_is_refused(link_server):
    internal = link_server("127.0.0.1")
    internal.serve("/api/3/action/status_show", '{"segredo": "segredo-do-portal"}')
    trusted = link_server("127.0.0.2")
    url = trusted.redirect("/tabela.csv", internal.base + "/api/3/action/status_show")
    policy = safe_http.FetchPolicy.build(
        [trusted.server_port, internal.server_port], ["127.0.0.2"])

    error = refused(url, policy)

    assert error.reason == "address" and str(error) == INTERNAL
    assert trusted.requests == ["GET /tabela.csv HTTP/1.1"]
    assert internal.requests == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.2:70/_x",
                                    "ftp://127.0.0.2/x.csv"])
def test_a_redirect_to_another_scheme_is_refused(link_server, target):
    trusted = link_server("127.0.0.2")
    url = trusted.redirect("/tabela.csv", target)
    policy = safe_http.FetchPolicy.build([trusted.server_port], ["127.0.0.2"])

    assert refused(url, policy).reason == "scheme"


def test_a_redirect_to_a_port_not_allowed_is_refused(link_server):
    trusted = link_server("127.0.0.2")
    other = link_server("127.0.0.2")
    other.serve("/x.csv", TABLE)
    url = trusted.redirect("/tabela.csv", other.base + "/x.csv")
    policy = safe_http.FetchPolicy.build([trusted.server_port], ["127.0.0.2"])

    error = refused(url, policy)

    assert error.reason == "port"
    assert str(error) == (
        "O link usa uma porta de rede que o portal não acessa "
        f"(permitidas: {trusted.server_port}).")
    assert other.requests == []


def test_redirects_are_bounded(link_server):
    trusted = link_server("127.0.0.2")
    url = trusted.redirect("/loop", trusted.base + "/loop")
    policy = safe_http.FetchPolicy.build([trusted.server_port], ["127.0.0.2"], max_redirects=3)

    error = refused(url, policy)

    assert error.reason == "redirects"
    assert len(trusted.requests) == 4


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.2/x.csv",
                                 "gopher://127.0.0.2:70/_GET", "http:///x.csv",
                                 "dict://127.0.0.2:11211/stat"])
def test_only_http_and_https_links_are_fetched(url):
    policy = safe_http.FetchPolicy.build(allowed_hosts=["127.0.0.2"])

    error = refused(url, policy)

    assert error.reason == "scheme"
    assert str(error) == "O link deve começar com http:// ou https://."


def test_ports_outside_the_list_are_refused_even_for_trusted_hosts(link_server):
    server = link_server("127.0.0.2")
    url = server.serve("/tabela.csv", TABLE)

    error = refused(url, safe_http.FetchPolicy.build(allowed_hosts=["127.0.0.2"]))

    assert error.reason == "port"
    assert str(error) == (
        "O link usa uma porta de rede que o portal não acessa (permitidas: 80, 443).")
    assert server.requests == []


@pytest.mark.parametrize("trusted", ["127.0.0.2", "127.0.0.0/30", "localhost"])
def test_trusted_internal_hosts_are_fetched(link_server, trusted):
    server = link_server("127.0.0.2" if trusted != "localhost" else "127.0.0.1")
    server.serve("/tabela.csv", TABLE)
    host = "localhost" if trusted == "localhost" else "127.0.0.2"
    policy = safe_http.FetchPolicy.build([server.server_port], [trusted])

    body = fetch(f"http://{host}:{server.server_port}/tabela.csv", policy)

    assert body == TABLE.encode()
    assert server.requests == ["GET /tabela.csv HTTP/1.1"]


def test_proxy_environment_variables_are_ignored(link_server, monkeypatch):
    proxy = link_server("127.0.0.1")
    server = link_server("127.0.0.2")
    url = server.serve("/tabela.csv", TABLE)
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy.base)
    policy = safe_http.FetchPolicy.build([server.server_port], ["127.0.0.2"])

    assert fetch(url, policy) == TABLE.encode()
    assert proxy.requests == []


def test_bodies_are_capped(link_server):
    server = link_server("127.0.0.2")
    url = server.serve("/grande.csv", TABLE * 100)
    policy = safe_http.FetchPolicy.build([server.server_port], ["127.0.0.2"])

    with pytest.raises(safe_http.ResponseTooLarge) as caught:
        fetch(url, policy, limit=100)

    assert caught.value.reason == "too_big"


def test_an_error_status_is_reported_with_its_code(link_server):
    server = link_server("127.0.0.2")
    policy = safe_http.FetchPolicy.build([server.server_port], ["127.0.0.2"])

    with pytest.raises(safe_http.ErrorStatus) as caught:
        fetch(server.base + "/sumiu.csv", policy)

    assert caught.value.code == 404
    assert str(caught.value) == "O servidor do link respondeu com o código HTTP 404."


def test_unreachable_public_hosts_say_could_not_connect():
    error = refused("http://portal.invalid/tabela.csv", safe_http.FetchPolicy())
    assert error.reason == "connect"
    assert str(error) == "Não foi possível conectar ao servidor do link."


def test_bad_port_lists_are_refused():
    with pytest.raises(ValueError):
        safe_http.FetchPolicy.build(["oitenta"])
    with pytest.raises(ValueError):
        safe_http.FetchPolicy.build([70000])


@pytest.mark.usefixtures("with_request_context")
def test_reasons_are_in_portuguese_in_the_portal(link_server):
    server = link_server("127.0.0.1")
    server.serve("/status", '{"segredo": "segredo-do-portal"}')
    policy = safe_http.FetchPolicy.build([server.server_port])

    error = refused(server.base + "/status", policy)

    assert error.message == (
        "O link aponta para um endereço de rede interna, que o portal não acessa.")
    assert "segredo" not in error.message
