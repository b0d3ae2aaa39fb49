"""What a citizen reads on a dataset page."""

from __future__ import annotations

import re

import pytest
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers
from sample_data import as_site

pytestmark = pytest.mark.usefixtures("clean_db")


def details(app, name: str) -> dict[str, str]:
    """The "Informações adicionais" table of a dataset page: label -> value."""
    body = app.get(f"/dataset/{name}", status=200).body
    rows = re.findall(r'<th scope="row" class="dataset-label">(.*?)</th>\s*'
                      r'<td class="dataset-details"[^>]*>(.*?)</td>', body, re.S)
    clean = [(re.sub(r"<[^>]+>|\s+", " ", k).strip(), re.sub(r"<[^>]+>|\s+", " ", v).strip())
             for k, v in rows]
    return dict(clean)


def test_dataset_page_shows_dates_next_update_and_no_empty_rows(app):
    org = factories.Organization()
    helpers.call_action(
        "package_create", context=as_site(),
        name="licitacoes-2022", title="Licitações 2022", notes="Processos.",
        owner_org=org["id"], temas=["economia-e-financas"], tags=[{"name": "compras"}],
        periodicidade="MENSAL", cobertura_temporal_inicio="01/01/2022",
        cobertura_temporal_fim="2022-12-31", maintainer="Departamento de Compras",
        maintainer_email="compras@mogidascruzes.sp.gov.br")
    shown = details(app, "licitacoes-2022")
    assert shown["Periodicidade"] == "Mensal"
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", shown["Próxima atualização prevista"])
    assert shown["Cobertura temporal – início"] == "01/01/2022"
    assert shown["Cobertura temporal – fim"] == "31/12/2022"
    assert shown["Temas"] == "Economia e Finanças"
    assert "Base legal (LGPD)" not in shown and "Data de descontinuação" not in shown


def test_edit_form_shows_dates_as_typed_in_brazil(app, sysadmin, dataset_data):
    helpers.call_action("package_create", context=as_site(), **dataset_data(name="obras-2024"))
    coverage_page = url_for("dataset.scheming_edit_page", id="obras-2024", page=3)
    body = app.get(coverage_page, headers={"Authorization": sysadmin["token"]}).body
    start = re.search(r'id="field-cobertura_temporal_inicio"[^>]*value="([^"]*)"', body)
    assert start and re.fullmatch(r"\d{2}/\d{2}/\d{4}", start.group(1))
