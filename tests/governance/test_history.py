"""A dataset's history (CKAN's activity plugin, in Portuguese) with the portal's
own events, and no activity of a private dataset for anyone not entitled.

Tables are uploaded for real and validated by the real job worker; the
DataStore loads run in the same worker.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories, helpers
from sample_data import CPFS, OTHER_ORGANIZATION, UNITS, dataset_fields, payroll

from ckanext.mogi.governance import history

pytestmark = pytest.mark.usefixtures("clean_db")

#: Words of CKAN's English activity lines that must not show in Portuguese.
ENGLISH = re.compile(r"\b(ago|updated|created|deleted|validated|loaded|found|recorded|"
                     r"made|the dataset|View this version|Changes|Activity)\b")


def text_of(node: Any) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def history_lines(app, name: str, headers: dict[str, str]) -> list[str]:
    """The lines of the dataset's history page, newest first, without their dates."""
    page = BeautifulSoup(app.get(f"/dataset/activity/{name}", headers=headers,
                                 status=200).body, "html.parser")
    items = page.select("ul.activity li.item")
    for item in items:
        for date in item.select("span.date"):
            date.extract()
    # Links and text are joined with a space: none before punctuation.
    return [re.sub(r" ([.,:)])", r"\1", text_of(item)) for item in items]


def action(app, name: str, headers: dict[str, str], status: int = 200, **params: Any) -> Any:
    answer = app.get(f"/api/3/action/{name}", query_string=params, headers=headers,
                     status=status)
    return answer.json["result"] if status == 200 else answer.json["error"]


def publish(app, user: dict[str, Any], dataset: dict[str, Any], private: bool) -> None:
    app.post("/api/3/action/package_patch", json={"id": dataset["id"], "private": private},
             headers={"Authorization": user["token"]}, status=200)


def activities_of(dataset_id: str) -> list[dict[str, Any]]:
    """The dataset's whole history, newest first (as a sysadmin sees it)."""
    site = helpers.call_action("get_site_user")
    return helpers.call_action("package_activity_list", context={"user": site["name"]},
                               id=dataset_id, limit=100)


@pytest.fixture
def outsider(sysadmin) -> dict[str, Any]:
    """An editor of another Secretaria (Obras), with an API token."""
    other = helpers.call_action("organization_create", context={"user": sysadmin["name"]},
                                **OTHER_ORGANIZATION)
    user = factories.UserWithToken()
    helpers.call_action("organization_member_create", context={"user": sysadmin["name"]},
                        id=other["id"], username=user["name"], role="editor")
    return user


@pytest.fixture
def member(sysadmin, organization) -> dict[str, Any]:
    """A member of the dataset's Secretaria (Saúde), with an API token."""
    user = factories.UserWithToken()
    helpers.call_action("organization_member_create", context={"user": sysadmin["name"]},
                        id=organization["id"], username=user["name"], role="member")
    return user


# ------------------------------------------------------------ the journey
def test_history_follows_a_dataset_from_creation_to_publication(
        app, organization, editor, sysadmin, upload_table, validation_worker):
    staff = {"Authorization": editor["token"]}
    title = "Folha de pagamento 2024"
    dataset = helpers.call_action(
        "package_create", context={"user": editor["name"]},
        **dataset_fields(organization, "folha-de-pagamento", private=False, title=title))
    # A table with citizens' CPFs: flagged, so the worker makes the dataset private.
    table = upload_table(dataset, payroll(), "folha.csv")
    validation_worker()
    assert helpers.call_action("package_show", id=dataset["id"])["private"]
    # Staff record the legal basis, publish again; the rows are loaded.
    helpers.call_action("resource_validation_justify", context={"user": editor["name"]},
                        resource_id=table["id"], legal_basis="art7_ii",
                        text="Remuneração nominal de servidores: LAI, art. 8º.")
    publish(app, editor, dataset, private=False)
    validation_worker()

    automatic, person, admin = ("Verificação automática", editor["fullname"],
                                sysadmin["fullname"])
    lines = history_lines(app, dataset["name"], staff)
    assert lines == [
        f"{automatic} carregou 6 linhas da tabela folha.csv do conjunto de dados "
        f"{title} no DataStore.",
        f"{person} atualizou o conjunto de dados {title}",
        f"{person} registrou uma justificativa para publicar os dados pessoais da tabela "
        f"folha.csv do conjunto de dados {title} (base legal: "
        f"{history_label(table['id'])}).",
        f"{automatic} tornou privado o conjunto de dados {title}. Conjunto tornado privado "
        'pela validação automática: na tabela "folha.csv", a tabela contém dados pessoais '
        "sem justificativa registrada.",
        f"{automatic} encontrou dados pessoais (LGPD) na tabela folha.csv do conjunto de "
        f"dados {title}: o arquivo fica retido até que uma justificativa seja registrada.",
        f"{automatic} validou a tabela folha.csv do conjunto de dados {title}: válida.",
        f"{admin} atualizou o conjunto de dados {title}",
        f"{person} criou o conjunto de dados {title}",
    ]
    # The events name the table, never what was found in it.
    assert not any(cpf in json.dumps(activities_of(dataset["id"])) for cpf in CPFS)
    page = app.get(f"/dataset/activity/{dataset['name']}", headers=staff).body
    stream = BeautifulSoup(page, "html.parser").select_one("ul.activity")
    assert not ENGLISH.search(text_of(stream)), text_of(stream)
    # The type filter names every type in Portuguese, the portal's events too.
    options = [text_of(o) for o in BeautifulSoup(page, "html.parser").select(
        "#activity_types_filter_select option")]
    assert "Tabela validada" in options and "Conjunto de dados criado" in options
    assert not any(ENGLISH.search(o) or o.islower() for o in options), options

    # The changes of the publication, the Secretaria's and the user's pages.
    published = activities_of(dataset["id"])[1]
    assert published["activity_type"] == "changed package"
    changes = text_of(BeautifulSoup(app.get(f"/dataset/changes/{published['id']}",
                                            headers=staff, status=200).body, "html.parser"))
    assert "Ver alterações de" in changes and "View changes" not in changes
    org_page = text_of(BeautifulSoup(app.get(f"/organization/activity/{organization['name']}",
                                             headers=staff, status=200).body, "html.parser"))
    assert f"{automatic} carregou 6 linhas da tabela folha.csv" in org_page
    user_page = text_of(BeautifulSoup(app.get(f"/user/activity/{editor['name']}",
                                              headers=staff, status=200).body, "html.parser"))
    assert f"{person} registrou uma justificativa" in user_page
    for text in (org_page, user_page):
        assert not re.search(r"\b(ago|updated the|created the|View this version)\b", text)


def history_label(resource_id: str) -> str:
    shown = helpers.call_action("resource_validation_show", resource_id=resource_id)
    return shown["justification"]["legal_basis_label"]


def test_the_same_verdict_again_adds_no_line(new_dataset, upload_table, validation_worker):
    dataset = new_dataset("unidades")
    table = upload_table(dataset, UNITS, "unidades.csv")
    validation_worker()
    helpers.call_action("resource_validation_run", id=table["id"], **{"async": False})
    validation_worker()

    kinds = [a["activity_type"] for a in activities_of(dataset["id"])]
    assert kinds.count(history.VERDICT) == 1
    assert kinds.count(history.DATASTORE) == 1


# ---------------------------------------------------------------- privacy
def leaks(text: str, dataset: dict[str, Any]) -> bool:
    return dataset["id"] in text or dataset["title"] in text or dataset["name"] in text


def refused(app, path: str, who: dict[str, str], dataset: dict[str, Any]) -> None:
    answer = app.get(path, headers=who)
    assert answer.status_code in (403, 404), path
    # The page may repeat its own address (language links), nothing else.
    assert not leaks(answer.body.replace(path, ""), dataset), path


def probe(app, dataset: dict[str, Any], old: list[dict[str, Any]], author: dict[str, Any],
          organization: dict[str, Any], who: dict[str, str], outsider: bool) -> None:
    """Every list, page and feed of activities, as ``who``: nothing of ``dataset``."""
    action(app, "package_activity_list", who, status=403, id=dataset["id"])
    lists = [
        action(app, "user_activity_list", who, id=author["name"]),
        action(app, "user_activity_list", who, id=history.system_user().name),
        action(app, "recently_changed_packages_activity_list", who),
        action(app, "organization_activity_list", who, id=organization["id"]),
    ]
    if outsider:
        lists.append(action(app, "dashboard_activity_list", who))
    for listed in lists:
        assert not leaks(json.dumps(listed), dataset)
    for activity in old:
        # Without include_data too (CKAN's auth reads it unconditionally).
        action(app, "activity_show", who, status=403, id=activity["id"])
        for name in ("activity_show", "activity_data_show"):
            error = action(app, name, who, status=403, id=activity["id"],
                           include_data="true")
            assert not leaks(json.dumps(error), dataset)
        action(app, "activity_diff", who, status=403, id=activity["id"], object_type="package")
        refused(app, f"/dataset/changes/{activity['id']}", who, dataset)
        refused(app, f"/dataset/{dataset['id']}/history/{activity['id']}", who, dataset)
    refused(app, f"/dataset/activity/{dataset['name']}", who, dataset)
    pages = [f"/user/activity/{author['name']}",
             f"/user/activity/{history.system_user().name}",
             f"/organization/activity/{organization['name']}",
             "/feeds/dataset.atom", f"/feeds/organization/{organization['name']}.atom"]
    if outsider:
        pages.append("/dashboard/")
    for path in pages:
        assert not leaks(app.get(path, headers=who, status=200).body, dataset), path


@pytest.fixture
def public_history(app, organization, editor, outsider, upload_table, validation_worker):
    """A public dataset with a history (created, changed, a validated and
    loaded table), followed by the outsider while it was public."""
    dataset = helpers.call_action(
        "package_create", context={"user": editor["name"]},
        **dataset_fields(organization, "contratos-sigilosos", private=False,
                         title="Contratos sigilosos 2024"))
    helpers.call_action("package_patch", context={"user": editor["name"]},
                        id=dataset["id"], notes="Contratos emergenciais da Secretaria.")
    upload_table(dataset, UNITS, "unidades.csv")
    validation_worker()
    helpers.call_action("follow_dataset", context={"user": outsider["name"]},
                        id=dataset["id"])
    old = activities_of(dataset["id"])
    kinds = {a["activity_type"] for a in old}
    assert {"new package", "changed package", history.VERDICT, history.DATASTORE} <= kinds
    # Visible to everyone while public.
    assert leaks(json.dumps(action(app, "recently_changed_packages_activity_list", {})),
                 dataset)
    return dataset, old


@pytest.mark.parametrize("who", ["anonymous", "editor of another Secretaria"])
def test_a_dataset_made_private_by_hand_takes_its_history_along(
        app, organization, editor, outsider, member, public_history, who):
    dataset, old = public_history
    publish(app, editor, dataset, private=True)

    # The past activities now carry the Secretaria's label, not "public".
    labels = {a["id"]: a["permission_labels"] for a in activities_of(dataset["id"])}
    assert all(labels[a["id"]] == [f"member-{organization['id']}"] for a in old)
    headers = {} if who == "anonymous" else {"Authorization": outsider["token"]}
    probe(app, dataset, old, editor, organization, headers, outsider=bool(headers))
    # The Secretaria still sees all of it.
    staff = {"Authorization": member["token"]}
    listed = action(app, "package_activity_list", staff, id=dataset["id"])
    assert {a["id"] for a in old} <= {a["id"] for a in listed}
    assert leaks(json.dumps(action(app, "user_activity_list", staff, id=editor["name"])),
                 dataset)


@pytest.mark.parametrize("who", ["anonymous", "editor of another Secretaria"])
def test_a_dataset_made_private_by_the_lgpd_check_takes_its_history_along(
        app, organization, editor, outsider, member, public_history, upload_table,
        validation_worker, who):
    dataset, old = public_history
    upload_table(dataset, payroll(), "folha.csv")
    validation_worker()
    assert helpers.call_action("package_show", id=dataset["id"])["private"]
    labels = {a["id"]: a["permission_labels"] for a in activities_of(dataset["id"])}
    assert all(labels[a["id"]] == [f"member-{organization['id']}"] for a in old)

    headers = {} if who == "anonymous" else {"Authorization": outsider["token"]}
    probe(app, dataset, old, editor, organization, headers, outsider=bool(headers))
    staff = {"Authorization": member["token"]}
    kinds = [a["activity_type"] for a in action(app, "package_activity_list", staff,
                                                id=dataset["id"])]
    assert kinds[:3] == [history.MADE_PRIVATE, history.LGPD, history.VERDICT]


def test_publishing_again_does_not_open_the_private_period(
        app, organization, editor, public_history):
    dataset, old = public_history
    publish(app, editor, dataset, private=True)
    helpers.call_action("package_patch", context={"user": editor["name"]},
                        id=dataset["id"], notes="Rascunho interno: não divulgar.")
    draft = activities_of(dataset["id"])[0]
    helpers.call_action("package_patch", context={"user": editor["name"]},
                        id=dataset["id"], notes="Contratos emergenciais de 2024.")
    publish(app, editor, dataset, private=False)

    # Only the publication is public: nothing of the private period (nor,
    # failing closed, of the public period before it).
    listed = action(app, "package_activity_list", {}, id=dataset["id"])
    assert [a["activity_type"] for a in listed] == ["changed package"]
    assert "Rascunho interno" not in json.dumps(listed)
    action(app, "activity_data_show", {}, status=403, id=draft["id"], include_data="true")
    assert len(activities_of(dataset["id"])) == len(old) + 4


def test_a_view_of_a_private_dataset_is_not_in_the_users_public_stream(
        app, new_dataset, editor, outsider, upload_table):
    dataset = new_dataset("painel-interno")
    table = upload_table(dataset, UNITS, "unidades.csv")
    helpers.call_action("resource_view_create", context={"user": editor["name"]},
                        resource_id=table["id"], view_type="datatables_view",
                        title="Painel reservado da Secretaria")

    for who in ({}, {"Authorization": outsider["token"]}):
        listed = json.dumps(action(app, "user_activity_list", who, id=editor["name"]))
        assert "Painel reservado" not in listed and dataset["id"] not in listed
        page = app.get(f"/user/activity/{editor['name']}", headers=who).body
        assert "Painel reservado" not in page
    staff = {"Authorization": editor["token"]}
    assert "Painel reservado" in json.dumps(
        action(app, "user_activity_list", staff, id=editor["name"]))
