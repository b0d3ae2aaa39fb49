"""The quality panel of each Secretaria and of the whole catalogue (/painel).

Datasets are overdue, due soon or current because of their stored dates
(tests/aging.py) and their periodicity; nothing mocks the clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import jobs
from ckan.tests import helpers
from sample_data import payroll
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from ckanext.mogi.common.signals import WORKER_MAINTENANCE, signal
from ckanext.mogi.governance import freshness, link_model, link_runs, pages, snapshots

pytestmark = [pytest.mark.usefixtures("clean_db"),
              pytest.mark.ckan_config("ckanext.mogi.validation.blocking", "false")]

PANEL = "/organization/secretaria-de-saude/painel"


def auth(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": user["token"]}


def section(html: str, key: str) -> BeautifulSoup:
    found = BeautifulSoup(html, "html.parser").find(id=f"lista-{key}")
    assert found is not None, key
    return found


def rows_of(body: str) -> list[list[str]]:
    text = body
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def three(dated):
    """Overdue (weekly, 10 days old), due soon (weekly, 4 days old), current (monthly)."""
    return (dated("atrasado", 10, title="Conjunto atrasado"),
            dated("quase", 4, title="Conjunto quase"),
            dated("em-dia", 0, periodicidade="MENSAL", title="Conjunto em dia"))


def test_freshness_of_the_stored_dates(three):
    shown = [helpers.call_action("package_show", id=d["id"]) for d in three]
    statuses = [freshness.status(s, freshness.today(), 7) for s in shown]
    assert statuses == ["overdue", "due_soon", "current"]


def test_overdue_and_due_soon_list_links_to_the_new_data_form(app, sysadmin, three):
    html = app.get(PANEL, headers=auth(sysadmin), status=200).body
    listed = section(html, "atualizacao")
    text = listed.get_text(" ")
    assert "Conjunto atrasado" in text and "Conjunto quase" in text
    assert "Conjunto em dia" not in text
    assert "Atrasado" in text and "Vence em breve" in text
    links = {a["href"] for a in listed.find_all("a") if a["href"].endswith("/resource/new")}
    assert {link.split("/dataset/")[1] for link in links} == {
        "atrasado/resource/new", "quase/resource/new"}
    counts = BeautifulSoup(html, "html.parser").find(
        "tr", attrs={"data-org": "secretaria-de-saude"})
    cell = {td["data-key"]: td.get_text() for td in counts.find_all("td")}
    assert (cell["total"], cell["overdue"], cell["due_soon"]) == ("3", "1", "1")


def test_csv_of_a_list_is_spreadsheet_safe(app, sysadmin, dated):
    dated("formula", 10, title='=HYPERLINK("http://exemplo.org","clique")')
    response = app.get(f"{PANEL}/atualizacao.csv", headers=auth(sysadmin), status=200)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = rows_of(response.body)
    assert header[:2] == ["Secretaria", "Conjunto de dados"]
    assert header[-1] == "Endereço"
    assert len(rows) == 1
    assert rows[0][1] == "'=HYPERLINK(\"http://exemplo.org\",\"clique\")"
    assert rows[0][3] == "Atrasado"
    assert rows[0][-1].endswith("/dataset/formula/resource/new")


def test_seal_list_names_the_criteria_missing(app, sysadmin, dated):
    dated("sem-versao", 0)
    html = app.get(PANEL, headers=auth(sysadmin), status=200).body
    text = section(html, "selo").get_text(" ")
    assert "Conjunto sem-versao" in text and "Versão" in text and "Sem selo" in text
    rows = rows_of(app.get(f"{PANEL}/selo.csv", headers=auth(sysadmin)).body)
    assert "Versão" in rows[1][5]


def test_broken_links_link_to_the_resource_form(app, sysadmin, dated):
    dataset = dated("com-link", 0, title="Conjunto com link", resources=[
        {"name": "Planilha antiga", "url": "https://dados.exemplo.org/antiga.csv",
         "format": "CSV"}])
    resource = dataset["resources"][0]
    link_model.save(resource["id"], dataset["id"], resource["url"], outcome="http_error",
                    http_status=404)
    model.Session.commit()

    html = app.get(PANEL, headers=auth(sysadmin), status=200).body
    listed = section(html, "links")
    text = listed.get_text(" ")
    assert "Planilha antiga" in text and "404" in text
    assert any(a["href"].endswith(f"/dataset/com-link/resource/{resource['id']}/edit")
               for a in listed.find_all("a"))
    counts = BeautifulSoup(html, "html.parser").find(
        "tr", attrs={"data-org": "secretaria-de-saude"})
    cell = {td["data-key"]: td.get_text() for td in counts.find_all("td")}
    assert cell["broken_links"] == "1"
    rows = rows_of(app.get(f"{PANEL}/links.csv", headers=auth(sysadmin)).body)
    assert rows[1][3:5] == ["Planilha antiga", "https://dados.exemplo.org/antiga.csv"]


def test_incomplete_datasets_link_to_the_new_resource_form(app, sysadmin, dated):
    dated("vazio", 0)
    listed = section(app.get(PANEL, headers=auth(sysadmin)).body, "incompletos")
    assert any(a["href"].endswith("/dataset/vazio/resource/new") for a in listed.find_all("a"))


def test_failing_tables_and_personal_data_link_to_the_report(app, sysadmin, dated,
                                                             upload_table):
    dataset = dated("folha", 0, title="Folha de pagamento")
    table = upload_table(dataset, payroll(), "folha.csv")
    helpers.call_action("resource_validation_run", id=table["id"], **{"async": False})
    broken = dated("quebrada", 0, title="Tabela quebrada")
    bad = upload_table(broken, "valor;data\nmil reais;31/02/2024\n", "quebrada.csv",
                       schema=json.dumps({"fields": [
                           {"name": "valor", "type": "number", "decimalChar": ","},
                           {"name": "data", "type": "date", "format": "%d/%m/%Y"}]}))
    helpers.call_action("resource_validation_run", id=bad["id"], **{"async": False})
    html = app.get(PANEL, headers=auth(sysadmin), status=200).body
    lgpd = section(html, "lgpd")
    assert "Folha de pagamento" in lgpd.get_text(" ") and "cpf" in lgpd.get_text(" ")
    assert any(a["href"].endswith(f"/resource/{table['id']}/validacao")
               for a in lgpd.find_all("a"))
    failing = section(html, "validacao")
    assert "Tabela quebrada" in failing.get_text(" ")
    assert "Folha de pagamento" not in failing.get_text(" ")
    assert any(a["href"].endswith(f"/resource/{bad['id']}/validacao")
               for a in failing.find_all("a"))
    rows = rows_of(app.get(f"{PANEL}/lgpd.csv", headers=auth(sysadmin)).body)
    assert [r[1] for r in rows[1:]] == ["Folha de pagamento"]


@pytest.mark.ckan_config("ckanext.mogi.governance.transparency_organization",
                         "secretaria-de-obras")
def test_who_may_open_the_panels(app, organization, other_organization, member_of,
                                 sysadmin, dated):
    dated("um", 0)
    own, other = member_of(organization), member_of(other_organization, "member")
    reader = member_of(organization, "member")
    governance = member_of(other_organization, "editor")
    outsider = member_of(other_organization, "member")
    refused = app.get(PANEL, status=403).body
    assert "Somente" in BeautifulSoup(refused, "html.parser").get_text()
    for user in (other, reader, outsider):
        app.get(PANEL, headers=auth(user), status=403)
        app.get(f"{PANEL}/conjuntos.csv", headers=auth(user), status=403)
        app.get("/painel", headers=auth(user), status=403)
    app.get("/painel", status=403)
    app.get("/painel/conjuntos.csv", status=403)
    app.get(PANEL, headers=auth(own), status=200)
    app.get("/painel", headers=auth(own), status=403)
    for user in (sysadmin, governance):
        app.get(PANEL, headers=auth(user), status=200)
        app.get("/painel", headers=auth(user), status=200)
    app.get("/organization/nao-existe/painel", headers=auth(sysadmin), status=404)
    app.get(f"{PANEL}/nada.csv", headers=auth(sysadmin), status=404)
    app.get("/painel/nada.csv", headers=auth(sysadmin), status=404)


@pytest.mark.ckan_config("ckanext.mogi.governance.transparency_organization",
                         "secretaria-de-obras")
def test_governance_staff_see_no_private_dataset_of_another_secretaria(
        app, other_organization, member_of, sysadmin, dated):
    dated("aberto", 10, title="Conjunto aberto")
    dated("fechado", 10, title="Conjunto fechado secreto", private=True)
    governance = member_of(other_organization, "editor")
    for path in ("/painel", PANEL):
        html = app.get(path, headers=auth(governance), status=200).body
        assert "Conjunto aberto" in html
        assert "fechado" not in html
    body = app.get("/painel/conjuntos.csv", headers=auth(governance)).body
    assert "Conjunto aberto" in body and "fechado" not in body
    row = BeautifulSoup(app.get("/painel", headers=auth(governance)).body, "html.parser").find(
        "tr", attrs={"data-org": "secretaria-de-saude"})
    assert {td["data-key"]: td.get_text() for td in row.find_all("td")}["total"] == "1"
    html = app.get("/painel", headers=auth(sysadmin)).body
    assert "Conjunto fechado secreto" in html


def test_charts_are_svg_with_text_alternatives_and_a_table(app, sysadmin, dated):
    org_id = dated("atrasado", 10)["owner_org"]
    earlier = freshness.today() - dt.timedelta(days=3)
    pages.take_snapshot(on=earlier)
    html = app.get("/painel", headers=auth(sysadmin), status=200).body
    page = BeautifulSoup(html, "html.parser")
    svgs = page.find_all("svg", attrs={"role": "img"})
    assert len(svgs) == 2
    for svg in svgs:
        title, desc = svg.find("title"), svg.find("desc")
        assert title.get_text() and desc.get_text()
        assert set(svg["aria-labelledby"].split()) == {title["id"], desc["id"]}
        beside = svg.find_parent(class_="mogi-painel-grafico").find("table")
        assert beside is not None and "Secretaria Municipal de Saúde" in beside.get_text()
    overdue = svgs[1].find_parent(class_="mogi-painel-grafico").find("table")
    assert earlier.strftime("%d/%m/%Y") in overdue.get_text()
    assert "Secretaria Municipal de Saúde: " in svgs[1].find("desc").get_text()
    assert org_id
    assert not page.find_all("script", src=re.compile(r"^https?://"))


def test_coverage_of_the_recurring_publications(app, sysadmin, dated):
    dataset = dated("contratos-2024", 0, title="Contratos 2024")
    helpers.call_action("resource_create", context={"user": sysadmin["name"]},
                        package_id=dataset["id"], name="contratos.csv",
                        url="https://dados.example.org/contratos.csv", format="CSV",
                        esquema_biblioteca="contratos")
    html = app.get("/painel", headers=auth(sysadmin), status=200).body
    listed = section(html, "cobertura")
    row = next(tr for tr in listed.find_all("tr") if "Contratos 2024" in tr.get_text())
    assert row.find("td").get_text() == "Contratos"
    assert "Secretaria Municipal de Saúde" in row.get_text()
    gaps = listed.find(class_="mogi-lacunas").get_text()
    assert "Licitações" in gaps and "Contratos" not in gaps.split(":", 1)[1]
    rows = rows_of(app.get("/painel/cobertura.csv", headers=auth(sysadmin)).body)
    found = next(r for r in rows if "Contratos 2024" in r)
    assert found[:3] == ["Contratos", "Secretaria Municipal de Saúde", "Contratos 2024"]


def test_staff_find_the_panel_from_the_organization_page(app, organization, member_of, dated):
    own = member_of(organization)
    page = app.get("/organization/secretaria-de-saude", headers=auth(own)).body
    assert PANEL in page
    assert PANEL not in app.get("/organization/secretaria-de-saude").body


def test_cli_prints_the_figures(cli, dated):
    dated("atrasado", 10)
    dated("fechado", 10, private=True)
    result = cli.invoke(ckan_cli, ["mogi", "painel", "--org", "secretaria-de-saude",
                                   "--format", "json"])
    assert result.exit_code == 0, result.output
    [figures] = json.loads(result.output)
    assert (figures["total"], figures["private"], figures["overdue"]) == (2, 1, 2)
    result = cli.invoke(ckan_cli, ["mogi", "painel"])
    assert result.exit_code == 0, result.output
    assert "Atrasado" in result.output.splitlines()[0]
    result = cli.invoke(ckan_cli, ["mogi", "painel", "--org", "nao-existe"])
    assert result.exit_code != 0 and "nao-existe" in result.output


def test_the_worker_maintenance_queues_the_day_snapshot_once(dated, ckan_config,
                                                              monkeypatch):
    """The snapshot is a job with a hard time limit and the day in its id:
    queued once while it waits; run, it is not queued again that day."""
    org_id = dated("atrasado", 10)["owner_org"]
    dated("segredo", 10, private=True)
    # The link check the same signal queues goes to a queue of its own here.
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.link_check.queue",
                        "mogi-link-check-test")
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.reminders.enabled", False)
    queue = jobs.get_queue()
    queue.empty()
    today = freshness.today()
    job_id = f"mogi-panel-snapshot-{today.isoformat()}"
    for _ in range(2):
        signal(WORKER_MAINTENANCE).send("worker-de-teste")
    assert queue.job_ids == [job_id]
    assert queue.fetch_job(job_id).timeout == 600
    assert not snapshots.taken(today)

    jobs.Worker([jobs.DEFAULT_QUEUE_NAME]).work(burst=True)

    signal(WORKER_MAINTENANCE).send("worker-de-teste")
    assert queue.job_ids == []
    assert snapshots.taken(today)
    assert snapshots.series(today, "overdue", {org_id: "all"}) == {org_id: {today: 2}}
    assert snapshots.series(today, "overdue", {org_id: "public"}) == {org_id: {today: 1}}
    stored = select(func.count()).select_from(snapshots.snapshot_table)
    assert model.Session.execute(stored).scalar() == 2  # one Secretaria, two scopes


def _statements(app, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """SQL statements of a first (cold) and a second (warm) request of ``path``."""
    seen: list[str] = []

    def count(*_args: Any) -> None:
        seen.append("x")

    engine = model.meta.engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        app.get(path, headers=headers, status=200)
        cold = len(seen)
        app.get(path, headers=headers, status=200)
        return cold, len(seen) - cold
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)


def test_statements_do_not_grow_with_the_datasets(app, sysadmin, dated):
    pages_ = (PANEL, "/painel", "/transparencia/qualidade")
    # CKAN records the user's last activity on a first request: not the panel's.
    app.get("/dashboard/datasets", headers=auth(sysadmin), status=200)
    measured = []
    for batch, size in (("a", 3), ("b", 9)):
        for n in range(size):
            dated(f"{batch}-{n}", n * 3, private=n % 2 == 1)
        measured.append({path: _statements(app, path, auth(sysadmin)) for path in pages_})
    few, many = measured
    assert many == few
    # A second visit gets the kept body: none of the panel's own statements.
    for path in (PANEL, "/painel"):
        cold, warm = few[path]
        assert warm < cold - 3, (path, cold, warm)


# ------------------------------------------------------- the kept panel body
def _cell(html: str, org: str, key: str) -> str:
    row = BeautifulSoup(html, "html.parser").find("tr", attrs={"data-org": org})
    return {td["data-key"]: td.get_text() for td in row.find_all("td")}[key]


def test_a_kept_panel_never_shows_what_has_changed(app, sysadmin, dated, upload_table):
    """The panel's body is kept between visits (rendered.py); whatever it shows
    changes at once: a link checked, a justification recorded, a dataset
    edited, a Secretaria renamed."""
    dataset = dated("com-link", 0, title="Conjunto com link", resources=[
        {"name": "Planilha interna", "url": "http://10.20.30.40/interna.csv", "format": "CSV"}])
    folha = dated("folha", 0, title="Folha de pagamento")
    table = upload_table(folha, payroll(), "folha.csv")
    helpers.call_action("resource_validation_run", id=table["id"], **{"async": False})
    first = app.get(PANEL, headers=auth(sysadmin), status=200).body
    assert _cell(first, "secretaria-de-saude", "broken_links") == "0"
    assert _cell(first, "secretaria-de-saude", "lgpd") == "1"
    # Kept as it was (the page around it carries a CSRF token of its own).
    body = BeautifulSoup(first, "html.parser").find("article")
    assert BeautifulSoup(app.get(PANEL, headers=auth(sysadmin)).body,
                         "html.parser").find("article") == body

    # A link check (a private address: refused without contact, a problem).
    checked = list(link_runs.check_targets(link_runs.targets([dataset["id"]])))
    assert [result.outcome for _target, result in checked] != ["ok"]
    html = app.get(PANEL, headers=auth(sysadmin)).body
    assert _cell(html, "secretaria-de-saude", "broken_links") == "1"
    assert "Planilha interna" in section(html, "links").get_text(" ")

    # A justification of the personal data: the decision is no longer pending.
    helpers.call_action("resource_validation_justify", context={"user": sysadmin["name"]},
                        resource_id=table["id"], legal_basis="art7_ii",
                        text="Transparência ativa da remuneração (LAI, art. 8º).")
    html = app.get(PANEL, headers=auth(sysadmin)).body
    assert _cell(html, "secretaria-de-saude", "lgpd") == "0"
    assert "Folha de pagamento" not in section(html, "lgpd").get_text(" ")

    # An edit (the index) and a new title of the Secretaria (not in the index).
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=dataset["id"], title="Conjunto de links revisto")
    helpers.call_action("organization_patch", context={"user": sysadmin["name"]},
                        id="secretaria-de-saude", title="Secretaria de Saúde e Bem-Estar")
    html = app.get(PANEL, headers=auth(sysadmin)).body
    assert "Conjunto de links revisto" in html and "Conjunto com link" not in html
    assert "Secretaria de Saúde e Bem-Estar" in html


def test_a_body_kept_for_a_member_never_reaches_other_staff(
        app, organization, other_organization, member_of, ckan_config, monkeypatch, dated):
    """Viewers who may read different datasets never share a kept body, in
    either order of their visits."""
    monkeypatch.setitem(ckan_config, "ckanext.mogi.governance.transparency_organization",
                        other_organization["name"])
    dated("aberto", 10, title="Conjunto aberto")
    dated("fechado", 10, title="Conjunto fechado secreto", private=True)
    editor, governance = member_of(organization), member_of(other_organization, "editor")
    assert "Conjunto fechado secreto" in app.get(PANEL, headers=auth(editor)).body
    html = app.get(PANEL, headers=auth(governance)).body
    assert "Conjunto aberto" in html and "fechado" not in html
    assert _cell(html, "secretaria-de-saude", "total") == "1"
    # Made a member of the Secretaria: the private dataset is theirs to see now.
    helpers.call_action("organization_member_create", id=organization["id"],
                        username=governance["name"], role="editor")
    assert "Conjunto fechado secreto" in app.get(PANEL, headers=auth(governance)).body


def test_each_language_gets_its_own_body(app, sysadmin, dated):
    dated("um", 10)
    portuguese = app.get("/painel", headers=auth(sysadmin)).body
    english = app.get("/en/painel", headers=auth(sysadmin)).body
    assert "Indicadores por Secretaria" in portuguese
    assert "Indicators per Secretaria" in english and "Indicadores por" not in english
