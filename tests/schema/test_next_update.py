"""The next expected update follows the last update of the DATA (the dataset's
resources), not any edit of its description; the search carries it.

Dates are set in the database (as time would have left them), then the
dataset is indexed again; the clock is never touched.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from aging import age_dataset
from ckan.tests import helpers
from dateutil.relativedelta import relativedelta

pytestmark = pytest.mark.usefixtures("clean_db")

LONG_AGO = dt.datetime(2025, 3, 10, 15, 0)  # UTC: 10/03/2025 12:00 in São Paulo


def _searched(name: str) -> dict:
    found = helpers.call_action("package_search", fq=f"name:{name}", include_private=True)
    assert found["count"] == 1
    return found["results"][0]


def test_editing_the_description_does_not_postpone_the_next_update(sysadmin, new_dataset):
    dataset = new_dataset("sem-recursos", private=False)
    age_dataset(dataset["id"], LONG_AGO)

    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=dataset["id"], notes="Descrição revista hoje.")

    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["notes"] == "Descrição revista hoje."
    assert shown["metadata_modified"][:4] != "2025"
    # MENSAL, no data ever: one month after the dataset was created
    assert shown["proxima_atualizacao"] == "2025-04-10"
    assert _searched("sem-recursos")["proxima_atualizacao"] == "2025-04-10"


def test_a_new_file_sets_the_next_update_from_its_upload(sysadmin, new_dataset, upload_table):
    dataset = new_dataset("com-arquivo", private=False)
    upload_table(dataset, "a;b\n1;2\n", "tabela.csv")
    age_dataset(dataset["id"], LONG_AGO)
    assert helpers.call_action("package_show", id=dataset["id"])[
        "proxima_atualizacao"] == "2025-04-10"

    fresh = upload_table(dataset, "a;b\n3;4\n", "tabela-nova.csv")

    upload_day = (dt.datetime.fromisoformat(fresh["last_modified"]).replace(tzinfo=dt.UTC)
                  .astimezone(ZoneInfo("America/Sao_Paulo")).date())
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["proxima_atualizacao"] == (upload_day + relativedelta(months=1)).isoformat()
    assert _searched("com-arquivo")["proxima_atualizacao"] == shown["proxima_atualizacao"]


def test_an_edited_link_counts_as_an_update_of_the_data(sysadmin, new_dataset):
    dataset = new_dataset("com-link", private=False, periodicidade="ANUAL")
    resource = helpers.call_action(
        "resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"],
        url="https://dados.mogidascruzes.sp.gov.br/2024.csv", name="2024", format="CSV")
    age_dataset(dataset["id"], LONG_AGO)
    assert _searched("com-link")["proxima_atualizacao"] == "2026-03-10"

    helpers.call_action("resource_patch", context={"user": sysadmin["name"]},
                        id=resource["id"], url="https://dados.mogidascruzes.sp.gov.br/2025.csv")

    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["proxima_atualizacao"] > dt.date.today().isoformat()
    assert _searched("com-link")["proxima_atualizacao"] == shown["proxima_atualizacao"]
