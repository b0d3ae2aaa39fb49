"""Link checks: real local HTTP servers stand for the sites that resources link
to; the tests check what staff read (badge, API, CLI), what the servers
received, and that internal addresses are never contacted."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers
from sample_data import OTHER_ORGANIZATION, dataset_fields

from ckanext.mogi.common.signals import WORKER_MAINTENANCE, signal
from ckanext.mogi.governance import link_model, link_runs

pytestmark = pytest.mark.usefixtures("clean_db")

CSV = "unidade;atendimentos\nUBS Centro;120\n"
PAGE = "<!doctype html><html><body><a href='dados.csv'>Baixar</a></body></html>"
INTERNAL = "O link aponta para um endereço de rede interna, que o portal não acessa."


@pytest.fixture
def allow(ckan_config, monkeypatch):
    """``allow(*servers, hosts="127.0.0.1")``: the servers' ports allowed, ``hosts``
    trusted (the allow-list), no per-host wait, a 1-second timeout."""

    def set_up(*servers: Any, hosts: str = "127.0.0.1") -> None:
        ports = " ".join(str(s.server_port) for s in servers)
        monkeypatch.setitem(ckan_config, "ckanext.mogi.fetch.allowed_ports", f"80 443 {ports}")
        monkeypatch.setitem(ckan_config, "ckanext.mogi.fetch.allowed_hosts", hosts)
        monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.link_check.host_interval", 0)
        monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.link_check.timeout", 1)

    return set_up


def linked(new_dataset, name: str, url: str, fmt: str = "CSV", private: bool = True
           ) -> tuple[dict[str, Any], dict[str, Any]]:
    dataset = new_dataset(name, private=private,
                          resources=[{"url": url, "format": fmt, "name": "Tabela"}])
    return dataset, dataset["resources"][0]


def check(dataset: dict[str, Any]) -> None:
    """What ``ckan mogi links check --dataset`` and the scheduled run do."""
    list(link_runs.check_targets(link_runs.targets([dataset["id"]])))


def shown(resource: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    return helpers.call_action("mogi_link_check_show", context={"user": user["name"]},
                               resource_id=resource["id"])


# ---------------------------------------------------------------- outcomes
def test_a_working_link_is_ok_after_a_head_request_only(
        new_dataset, link_server, allow, sysadmin):
    server = link_server()
    url = server.serve("/ubs.csv", CSV, Content_Type="text/csv; charset=utf-8")
    allow(server)
    dataset, resource = linked(new_dataset, "ubs", url)

    check(dataset)

    result = shown(resource, sysadmin)
    assert (result["outcome"], result["http_status"], result["broken"]) == ("ok", 200, False)
    assert result["label"] == "Link OK"
    assert result["message"] == "O servidor respondeu com o código HTTP 200."
    assert result["content_type"] == "text/csv"
    assert result["final_url"] == url and result["checked_at"]
    # Nothing of the file was downloaded.
    assert server.requests == ["HEAD /ubs.csv HTTP/1.1"]


def test_a_server_that_refuses_head_is_asked_with_get(new_dataset, link_server, allow, sysadmin):
    server = link_server()
    server.head_allowed = False
    url = server.serve("/ubs.csv", CSV, Content_Type="text/csv")
    allow(server)
    dataset, resource = linked(new_dataset, "sem-head", url)

    check(dataset)

    assert shown(resource, sysadmin)["label"] == "Link OK"
    assert server.requests == ["HEAD /ubs.csv HTTP/1.1", "GET /ubs.csv HTTP/1.1"]


def test_a_missing_file_is_a_broken_link_404(new_dataset, link_server, allow, sysadmin):
    server = link_server()
    allow(server)
    dataset, resource = linked(new_dataset, "sumiu", server.base + "/antigo.csv")

    check(dataset)

    result = shown(resource, sysadmin)
    assert (result["outcome"], result["http_status"], result["broken"]) == (
        "http_error", 404, True)
    assert result["label"] == "Link quebrado: 404"
    assert result["message"] == (
        "O servidor informa que o endereço não existe (código HTTP 404). Verifique se o "
        "arquivo mudou de lugar e corrija o link.")


def test_a_redirect_is_followed_and_counted(new_dataset, link_server, allow, sysadmin):
    server = link_server()
    final = server.serve("/novo/ubs.csv", CSV, Content_Type="text/csv")
    url = server.redirect("/ubs.csv", "/novo/ubs.csv")
    allow(server)
    dataset, resource = linked(new_dataset, "mudou", url)

    check(dataset)

    result = shown(resource, sysadmin)
    assert (result["outcome"], result["redirects"], result["final_url"]) == ("ok", 1, final)
    assert result["message"] == (
        f"O servidor respondeu com o código HTTP 200. Ele redireciona 1 vez(es), para {final}.")


def test_a_redirect_loop_is_a_broken_link(new_dataset, link_server, allow, sysadmin):
    server = link_server()
    url = server.redirect("/a.csv", server.base + "/b.csv")
    server.redirect("/b.csv", "/a.csv")
    allow(server)
    dataset, resource = linked(new_dataset, "ciclo", url)

    check(dataset)

    result = shown(resource, sysadmin)
    assert (result["outcome"], result["redirects"]) == ("redirect_loop", 2)
    assert result["label"] == "Link quebrado: redirecionamento em ciclo"
    assert result["message"] == (
        f"O link redireciona em ciclo (volta para {url}) e nunca chega a um arquivo.")
    assert server.requests == ["HEAD /a.csv HTTP/1.1", "HEAD /b.csv HTTP/1.1"]


def test_too_many_redirects_and_a_closed_port_are_broken_links(
        new_dataset, link_server, allow, ckan_config, monkeypatch, sysadmin):
    server = link_server()
    first = server.redirect("/1.csv", "/2.csv")
    server.redirect("/2.csv", "/3.csv")
    server.serve("/3.csv", CSV, Content_Type="text/csv")
    closed = link_server()
    closed_url = closed.base + "/x.csv"
    closed.stop()
    allow(server, closed)
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.link_check.max_redirects", 1)
    dataset = new_dataset("longe", resources=[
        {"url": first, "format": "CSV", "name": "Longe"},
        {"url": closed_url, "format": "CSV", "name": "Fechado"}])

    check(dataset)

    far, gone = (shown(res, sysadmin) for res in dataset["resources"])
    assert (far["label"], far["message"]) == (
        "Link quebrado: redirecionamentos demais",
        "O link redireciona mais de 1 vezes sem chegar a um arquivo.")
    assert (gone["label"], gone["message"]) == (
        "Link quebrado: servidor inacessível",
        "Não foi possível conectar ao servidor do link (nome desconhecido, ou a conexão "
        "foi recusada).")


def test_a_server_that_does_not_answer_in_time_is_a_timeout(
        new_dataset, link_server, allow, sysadmin):
    server = link_server()
    url = server.serve("/lento.csv", CSV, delay=3, Content_Type="text/csv")
    allow(server)
    dataset, resource = linked(new_dataset, "lento", url)

    started = time.monotonic()
    check(dataset)

    assert time.monotonic() - started < 2.5  # one 1-second wait, no retry with GET
    result = shown(resource, sysadmin)
    assert (result["outcome"], result["http_status"]) == ("timeout", None)
    assert result["label"] == "Link quebrado: sem resposta"
    assert result["message"] == "O servidor do link não respondeu em 1 segundos."


def test_a_web_page_declared_as_csv_is_unexpected_content(
        new_dataset, link_server, allow, sysadmin):
    server = link_server()
    url = server.serve("/pagina", PAGE, Content_Type="text/html; charset=utf-8")
    allow(server)
    dataset, resource = linked(new_dataset, "pagina", url)

    check(dataset)

    result = shown(resource, sysadmin)
    assert (result["outcome"], result["http_status"], result["broken"]) == (
        "wrong_type", 200, True)
    assert result["content_type"] == "text/html"
    assert result["label"] == "Conteúdo inesperado: HTML"
    assert result["message"] == (
        "O link abre uma página web (HTML), não um arquivo CSV: provavelmente é a página "
        "que oferece o arquivo, não o próprio arquivo.")


def test_a_generic_content_type_or_a_matching_one_is_not_judged(
        new_dataset, link_server, allow, sysadmin):
    server = link_server()
    binary = server.serve("/planilha", b"PK\x03\x04", Content_Type="application/octet-stream")
    pdf = server.serve("/relatorio.pdf", b"%PDF-1.4", Content_Type="application/pdf")
    allow(server)
    dataset = new_dataset("tipos", resources=[
        {"url": binary, "format": "XLSX", "name": "Planilha"},
        {"url": pdf, "format": "application/pdf", "name": "Relatório"},
        {"url": pdf, "format": "CSV", "name": "Errado"}])

    check(dataset)

    labels = [shown(res, sysadmin)["label"] for res in dataset["resources"]]
    assert labels == ["Link OK", "Link OK", "Conteúdo inesperado: PDF"]


# ------------------------------------------------------------------- SSRF
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_link_to_loopback_is_refused_without_contacting_it(
        new_dataset, link_server, allow, sysadmin, host):
    server = link_server()
    server.serve("/api/3/action/status_show", "segredo")
    allow(server, hosts="")  # the port is allowed: the refusal is the address's
    url = f"http://{host}:{server.server_port}/api/3/action/status_show"
    dataset, resource = linked(new_dataset, "interna", url)

    check(dataset)

    result = shown(resource, sysadmin)
    assert (result["outcome"], result["broken"]) == ("refused", True)
    assert result["label"] == "Link recusado: não verificado"
    assert result["message"] == INTERNAL
    assert server.requests == []


@pytest.mark.parametrize("address", ["10.20.30.40", "192.168.0.10", "172.16.5.5",
                                     "169.254.169.254", "[fd00::1]"])
def test_a_link_to_a_private_range_is_refused(new_dataset, link_server, allow, sysadmin,
                                              address):
    server = link_server()
    allow(server)  # only 127.0.0.1 is trusted
    dataset, resource = linked(
        new_dataset, "privada", f"http://{address}:{server.server_port}/tabela.csv")

    started = time.monotonic()
    check(dataset)

    assert time.monotonic() - started < 0.9  # refused before any connect (timeout: 1 s)
    result = shown(resource, sysadmin)
    assert (result["outcome"], result["message"]) == ("refused", INTERNAL)


def test_a_redirect_to_an_internal_address_is_refused(new_dataset, link_server, allow,
                                                      sysadmin):
    internal = link_server("127.0.0.1")
    internal.serve("/segredo", "segredo")
    trusted = link_server("127.0.0.2")
    url = trusted.redirect("/tabela.csv", internal.base + "/segredo")
    allow(trusted, internal, hosts="127.0.0.2")
    dataset, resource = linked(new_dataset, "redirecionada", url)

    check(dataset)

    assert shown(resource, sysadmin)["outcome"] == "refused"
    assert trusted.requests == ["HEAD /tabela.csv HTTP/1.1"]
    assert internal.requests == []


# ------------------------------------------------------------ rate limit
def test_requests_to_one_host_keep_the_per_host_interval(
        new_dataset, link_server, allow, ckan_config, monkeypatch, sysadmin):
    server = link_server()
    first = server.serve("/1.csv", CSV, Content_Type="text/csv")
    second = server.serve("/2.csv", CSV, Content_Type="text/csv")
    allow(server)
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.link_check.host_interval", 1)
    dataset = new_dataset("dois", resources=[{"url": first, "format": "CSV", "name": "1"},
                                             {"url": second, "format": "CSV", "name": "2"}])

    started = time.monotonic()
    check(dataset)

    assert time.monotonic() - started >= 1
    assert [shown(res, sysadmin)["label"] for res in dataset["resources"]] == ["Link OK"] * 2


# ---------------------------------------------------------------- schedule
def test_the_worker_maintenance_queues_one_run_and_not_two(
        new_dataset, link_server, allow, ckan_config, monkeypatch, sysadmin):
    queue_name = f"mogi-links-test-{time.monotonic_ns()}"
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.link_check.queue", queue_name)
    queue = ckan_jobs.get_queue(queue_name)
    server = link_server()
    allow(server)
    _dataset, resource = linked(new_dataset, "agendado", server.base + "/sumiu.csv")
    try:
        # Never run yet: the first maintenance queues a run, the second sees it waiting.
        signal(WORKER_MAINTENANCE).send("teste")
        signal(WORKER_MAINTENANCE).send("teste")
        assert len(queue.jobs) == 1

        ckan_jobs.Worker([queue_name]).work(burst=True)

        assert shown(resource, sysadmin)["label"] == "Link quebrado: 404"
        state = link_model.run_state()
        assert state["checked"] == 1 and state["finished_at"] >= state["started_at"]
        # Ran just now: not due before the interval (24 hours).
        signal(WORKER_MAINTENANCE).send("teste")
        assert len(queue.jobs) == 0

        # A day and more later (the stored start set back): due again, once.
        link_model.save_run(started_at=link_model.utcnow() - datetime.timedelta(hours=25))
        model.Session.commit()
        signal(WORKER_MAINTENANCE).send("teste")
        signal(WORKER_MAINTENANCE).send("teste")
        assert len(queue.jobs) == 1
    finally:
        queue.delete(delete_jobs=True)


def test_a_run_checks_the_longest_unchecked_links_first_and_stops_at_its_limit(
        new_dataset, link_server, allow, ckan_config, monkeypatch, upload_table):
    server = link_server()
    urls = [server.serve(f"/{n}.csv", CSV, Content_Type="text/csv") for n in range(3)]
    allow(server)
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.link_check.max_per_run", 2)
    dataset = new_dataset("limite", resources=[
        {"url": url, "format": "CSV", "name": f"R{n}"} for n, url in enumerate(urls)])
    upload_table(dataset, CSV, "enviado.csv")  # an upload is never a link to check

    assert link_runs.run_job() == 2
    assert link_runs.run_job() == 2  # the one left first, then the oldest check
    assert sorted(server.requests) == sorted(
        [f"HEAD /{n}.csv HTTP/1.1" for n in (0, 1, 2)] + ["HEAD /0.csv HTTP/1.1"])


# ------------------------------------------------------------ staff badge
def resource_page(app, dataset, resource, user=None) -> BeautifulSoup:
    headers = {"Authorization": user["token"]} if user else {}
    body = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}",
                   headers=headers, status=200).body
    return BeautifulSoup(body, "html.parser")


def test_the_badge_shows_to_the_dataset_editors_only(
        app, new_dataset, link_server, allow, editor, upload_table):
    server = link_server()
    allow(server)
    # Not a table (a table waits for its validation before it may be public).
    dataset, resource = linked(new_dataset, "publico", server.base + "/sumiu.pdf",
                               fmt="PDF", private=False)
    uploaded = upload_table(dataset, CSV, "enviado.csv")
    outsider = factories.UserWithToken()

    badge = resource_page(app, dataset, resource, editor).select_one(".mogi-link-check")
    assert badge is not None
    assert badge.get_text(" ", strip=True) == "Verificação do link: Link ainda não verificado"

    check(dataset)

    badge = resource_page(app, dataset, resource, editor).select_one(".mogi-link-check")
    text = badge.get_text(" ", strip=True)
    assert "Link quebrado: 404" in text
    assert "O servidor informa que o endereço não existe (código HTTP 404)." in text
    assert "Verificado em" in text
    for visitor in (None, outsider):
        page = resource_page(app, dataset, resource, visitor)
        assert page.select_one(".mogi-link-check") is None
        assert "Link quebrado" not in page.get_text()
    # An uploaded file is no link: no badge, even for staff.
    assert resource_page(app, dataset, uploaded, editor).select_one(".mogi-link-check") is None


# ------------------------------------------------------------- actions
def test_the_list_holds_only_the_broken_links_the_caller_may_edit(
        app, sysadmin, organization, new_dataset, link_server, allow, editor):
    server = link_server()
    allow(server)
    ok_url = server.serve("/ok.csv", CSV, Content_Type="text/csv")
    own, _ = linked(new_dataset, "nossa-privada", server.base + "/sumiu.csv")
    fine, _ = linked(new_dataset, "nossa-ok", ok_url)
    other_org = helpers.call_action("organization_create", context={"user": sysadmin["name"]},
                                    **OTHER_ORGANIZATION)
    others = [helpers.call_action(
        "package_create", context={"user": sysadmin["name"]},
        **dataset_fields(other_org, name, private=private,
                         resources=[{"url": server.base + "/outra.pdf", "format": "PDF",
                                     "name": "Tabela"}]))
        for name, private in (("outra-privada-secreta", True), ("outra-publica", False))]
    for dataset in (own, fine, *others):
        check(dataset)

    def listed(user, **params) -> Any:
        headers = {"Authorization": user["token"]} if user else {}
        return app.post("/api/3/action/mogi_link_check_list", headers=headers, json=params)

    answer = listed(editor)
    assert answer.status_code == 200
    results = answer.json["result"]
    assert [(r["dataset_name"], r["outcome"], r["http_status"]) for r in results] == [
        ("nossa-privada", "http_error", 404)]
    item = results[0]
    assert item["dataset_title"] == "Conjunto nossa-privada"
    assert item["resource_name"] == "Tabela" and item["url"] == server.base + "/sumiu.csv"
    assert item["label"] == "Link quebrado: 404" and item["checked_at"]
    assert "outra-privada-secreta" not in answer.body
    assert listed(editor, owner_org=other_org["name"]).json["result"] == []

    everything = listed(sysadmin).json["result"]
    assert sorted(r["dataset_name"] for r in everything) == [
        "nossa-privada", "outra-privada-secreta", "outra-publica"]
    assert [r["dataset_name"] for r in listed(sysadmin, owner_org=organization["id"]).json[
        "result"]] == ["nossa-privada"]
    assert listed(None).status_code == 403

    # A link changed since its check is not listed with the old result.
    helpers.call_action("resource_patch", context={"user": sysadmin["name"]},
                        id=own["resources"][0]["id"], url=ok_url)
    assert listed(editor).json["result"] == []


def test_show_is_for_the_dataset_editors(app, new_dataset, link_server, allow, editor):
    server = link_server()
    allow(server)
    dataset, resource = linked(new_dataset, "mostrar", server.base + "/x.pdf", fmt="PDF",
                               private=False)
    outsider = factories.UserWithToken()

    def show(user) -> Any:
        headers = {"Authorization": user["token"]} if user else {}
        return app.post("/api/3/action/mogi_link_check_show", headers=headers,
                        json={"resource_id": resource["id"]})

    answer = show(editor)
    assert answer.status_code == 200
    assert answer.json["result"]["outcome"] is None
    assert answer.json["result"]["label"] == "Link ainda não verificado"
    assert show(outsider).status_code == 403
    assert show(None).status_code == 403


# ---------------------------------------------------------------------- CLI
def test_cli_check_and_status_in_portuguese(cli, new_dataset, link_server, allow):
    server = link_server()
    ok_url = server.serve("/ok.csv", CSV, Content_Type="text/csv")
    allow(server)
    dataset = new_dataset("linhas", resources=[
        {"url": ok_url, "format": "CSV", "name": "Boa"},
        {"url": server.base + "/sumiu.csv", "format": "CSV", "name": "Sumiu"}])

    checked = cli.invoke(ckan_cli, ["mogi", "links", "check", "--dataset", dataset["name"]])
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines() == [
        "linhas / Boa: Link OK",
        "linhas / Sumiu: Link quebrado: 404 - O servidor informa que o endereço não existe "
        "(código HTTP 404). Verifique se o arquivo mudou de lugar e corrija o link.",
        "2 link(s) verificado(s), 1 com problema.",
    ]

    status = cli.invoke(ckan_cli, ["mogi", "links", "status"])
    assert status.exit_code == 0, status.output
    lines = status.output.splitlines()
    assert lines[0] == "Última verificação: iniciada -, concluída -, 0 link(s) verificado(s)."
    assert lines[1:] == [
        "2 recurso(s) por link: 1 funcionando, 1 com erro HTTP.",
        f"  linhas / Sumiu: Link quebrado: 404 ({server.base}/sumiu.csv)",
    ]

    wrong = cli.invoke(ckan_cli, ["mogi", "links", "check"])
    assert wrong.exit_code != 0
    assert "Escolha exatamente uma opção" in wrong.output
