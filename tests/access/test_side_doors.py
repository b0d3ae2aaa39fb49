"""Tags and group members leave out what the caller may not read (plugin ``mogi_access``).

Four callers through the real API: anonymous, an editor of another
Secretaria, a member of the dataset's Secretaria and a sysadmin. The private
dataset's only tag (``sigilo-interno``) and its id must show to the last two
only.
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers
from sample_data import DATASET, OTHER_ORGANIZATION

pytestmark = pytest.mark.usefixtures("clean_db")

SECRET_TAG = "sigilo-interno"
SHARED_TAG = "atendimentos"



def _dataset(sysadmin: dict[str, Any], org_id: str, name: str, **changes: Any) -> dict[str, Any]:
    return helpers.call_action("package_create", context={"user": sysadmin["name"]},
                               **{**DATASET, "name": name, "owner_org": org_id, **changes})


@pytest.fixture
def catalogue(sysadmin, organization) -> dict[str, dict[str, Any]]:
    public = _dataset(sysadmin, organization["id"], "atendimentos-ubs-2022")
    private = _dataset(sysadmin, organization["id"], "prontuarios-sigilosos",
                       title="Prontuários sigilosos", private=True,
                       tag_string=f"{SHARED_TAG}, {SECRET_TAG}")
    return {"public": public, "private": private}


def _user_in(sysadmin: dict[str, Any], org_id: str, role: str) -> dict[str, Any]:
    user = factories.UserWithToken()
    helpers.call_action("organization_member_create", context={"user": sysadmin["name"]},
                        id=org_id, username=user["name"], role=role)
    return user


@pytest.fixture
def callers(sysadmin, organization) -> dict[str, dict[str, str]]:
    """Authorization headers of the four callers."""
    other = helpers.call_action("organization_create", context={"user": sysadmin["name"]},
                                **OTHER_ORGANIZATION)
    return {
        "anonymous": {},
        "editor of another Secretaria": {
            "Authorization": _user_in(sysadmin, other["id"], "editor")["token"]},
        "member of the Secretaria": {
            "Authorization": _user_in(sysadmin, organization["id"], "member")["token"]},
        "sysadmin": {"Authorization": sysadmin["token"]},
    }


ENTITLED = {"anonymous": False, "editor of another Secretaria": False,
            "member of the Secretaria": True, "sysadmin": True}
CALLERS = sorted(ENTITLED)


def _action(app, headers: dict[str, str], name: str, status: int = 200, **params: Any) -> Any:
    response = app.get(f"/api/3/action/{name}", query_string=params, headers=headers,
                       status=status)
    return response.json["result"] if status == 200 else response.json["error"]


@pytest.mark.parametrize("who", CALLERS)
def test_tag_list(app, catalogue, callers, who):
    names = _action(app, callers[who], "tag_list")
    assert SHARED_TAG in names and "saúde" in names
    assert (SECRET_TAG in names) is ENTITLED[who]

    full = _action(app, callers[who], "tag_list", all_fields="true")
    assert {tag["name"] for tag in full} == set(names)
    assert all({"id", "name", "vocabulary_id"} <= set(tag) for tag in full)

    queried = _action(app, callers[who], "tag_list", query="sigilo")
    assert queried == ([SECRET_TAG] if ENTITLED[who] else [])


@pytest.mark.parametrize("who", CALLERS)
def test_tag_search_counts_only_visible_tags(app, catalogue, callers, who):
    found = _action(app, callers[who], "tag_search", query="i")
    names = [tag["name"] for tag in found["results"]]
    assert SHARED_TAG in names
    assert (SECRET_TAG in names) is ENTITLED[who]
    assert found["count"] == len(names) == (2 if ENTITLED[who] else 1)

    secret = _action(app, callers[who], "tag_search", query="sigilo")
    assert secret["count"] == (1 if ENTITLED[who] else 0)
    assert (SECRET_TAG in str(secret)) is ENTITLED[who]

    page = _action(app, callers[who], "tag_search", query="i", limit=1, offset=1)
    assert page["count"] == found["count"]
    assert [tag["name"] for tag in page["results"]] == names[1:2]


@pytest.mark.parametrize("who", CALLERS)
def test_tag_autocomplete(app, catalogue, callers, who):
    names = _action(app, callers[who], "tag_autocomplete", q="sig")
    assert names == ([SECRET_TAG] if ENTITLED[who] else [])
    assert _action(app, callers[who], "tag_autocomplete", q="atend") == [SHARED_TAG]


@pytest.mark.parametrize("who", CALLERS)
def test_form_autocomplete_endpoint(app, catalogue, callers, who):
    response = app.get("/api/2/util/tag/autocomplete", query_string={"incomplete": "sigilo"},
                       headers=callers[who], status=200)
    result = response.json["ResultSet"]["Result"]
    assert result == ([{"Name": SECRET_TAG}] if ENTITLED[who] else [])
    assert (SECRET_TAG in response.get_data(as_text=True)) is ENTITLED[who]


def test_tags_of_deleted_and_draft_datasets_are_left_out(app, sysadmin, organization,
                                                         callers):
    gone = _dataset(sysadmin, organization["id"], "obras-apagadas",
                    tag_string="obra-apagada")
    helpers.call_action("package_delete", context={"user": sysadmin["name"]}, id=gone["id"])
    _dataset(sysadmin, organization["id"], "obras-rascunho", tag_string="obra-rascunho",
             state="draft")
    for who in ("anonymous", "editor of another Secretaria", "member of the Secretaria"):
        names = _action(app, callers[who], "tag_list")
        assert "obra-apagada" not in names and "obra-rascunho" not in names
        assert _action(app, callers[who], "tag_autocomplete", q="obra-") == []


def test_vocabulary_tags_are_ckans(app, sysadmin, callers):
    context = {"user": sysadmin["name"]}
    vocabulary = helpers.call_action("vocabulary_create", context=context, name="niveis",
                                     tags=[{"name": "basico"}, {"name": "avancado"}])
    listed = _action(app, callers["anonymous"], "tag_list", vocabulary_id=vocabulary["id"])
    assert sorted(listed) == ["avancado", "basico"]
    found = _action(app, callers["anonymous"], "tag_search", query="bas",
                    vocabulary_id="niveis")
    assert [tag["name"] for tag in found["results"]] == ["basico"]


def test_bad_paging_is_a_field_error(app, catalogue, callers):
    error = _action(app, callers["anonymous"], "tag_search", status=409, query="a",
                    limit="muitos")
    assert error["limit"] == ["Deve ser um número inteiro, 0 ou mais"]


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize("object_type", [None, "package"])
def test_member_list_of_a_theme_group(app, catalogue, callers, who, object_type):
    params = {"id": "saude"}
    if object_type:
        params["object_type"] = object_type
    response = app.get("/api/3/action/member_list", query_string=params,
                       headers=callers[who], status=200)
    ids = {member[0] for member in response.json["result"] if member[1] == "package"}
    assert catalogue["public"]["id"] in ids
    assert (catalogue["private"]["id"] in ids) is ENTITLED[who]
    assert (catalogue["private"]["id"] in response.get_data(as_text=True)) is ENTITLED[who]


def test_member_list_of_users_is_ckans(app, sysadmin, organization, callers):
    member = _user_in(sysadmin, organization["id"], "member")
    users = _action(app, callers["sysadmin"], "member_list", id=organization["id"],
                    object_type="user")
    assert member["id"] in {user[0] for user in users}
