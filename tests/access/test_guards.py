"""CKAN pages and actions that crashed or named a private dataset: now a clean refusal.

Found by the permission matrix (tests/test_permission_matrix.py); each is
reproduced here as the user met it.
"""

from __future__ import annotations

from typing import Any

import pytest
import sample_data
from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("clean_db")

#: What the dataset form requires; the tag is looked for where it must not show.
REQUIRED = {**sample_data.REQUIRED, "tag_string": "folha"}


@pytest.fixture
def private_dataset(sysadmin, organization) -> dict[str, Any]:
    dataset = helpers.call_action(
        "package_create", context={"user": sysadmin["name"]}, name="folha-sigilosa",
        title="Folha sigilosa", owner_org=organization["id"], private=True, **REQUIRED,
        resources=[{"url": "http://example.org/folha.csv", "name": "folha.csv"}])
    return dataset


@pytest.fixture
def public_dataset(sysadmin, organization) -> dict[str, Any]:
    return helpers.call_action(
        "package_create", context={"user": sysadmin["name"]}, name="publico",
        title="Público", owner_org=organization["id"], private=False, **REQUIRED)


def test_an_api_refusal_does_not_name_the_private_dataset(app, private_dataset):
    outsider = factories.UserWithToken()
    for action in ("package_show", "package_patch", "package_delete"):
        answer = app.post(f"/api/3/action/{action}", json={"id": private_dataset["name"]},
                          headers={"Authorization": outsider["token"]}, status=403).json
        assert private_dataset["id"] not in str(answer), action
        assert answer["error"]["message"] == (
            "Acesso negado: você não tem autorização para fazer isso.")


def test_a_resource_page_under_another_datasets_url_is_not_found(
        app, private_dataset, public_dataset, sysadmin):
    resource_id = private_dataset["resources"][0]["id"]
    editor = factories.UserWithToken()
    for suffix in ("", "/edit", "/views", "/download"):
        page = app.get(f"/dataset/{public_dataset['name']}/resource/{resource_id}{suffix}",
                       headers={"Authorization": editor["token"]}, status=404)
        assert "folha" not in page.body.replace(resource_id, "")
    # Even a sysadmin: the resource is not in that dataset.
    app.get(f"/dataset/{public_dataset['name']}/resource/{resource_id}",
            headers={"Authorization": sysadmin["token"]}, status=404)


def test_anonymous_follow_is_refused_without_a_server_error(app, organization):
    group = factories.Group()
    user = factories.User()
    for path in (f"/organization/follow/{organization['name']}",
                 f"/group/unfollow/{group['name']}", f"/user/follow/{user['name']}"):
        page = app.post(path, status=403)
        assert "Entre no portal para seguir" in page.body


def test_bulk_process_of_a_theme_group_is_not_found(app, sysadmin):
    group = factories.Group()
    app.get(f"/group/bulk_process/{group['name']}",
            headers={"Authorization": sysadmin["token"]}, status=404)


def test_collaborator_actions_refuse_anonymous_callers(app, private_dataset):
    member = factories.User()
    for action in ("package_collaborator_list", "package_collaborator_create",
                   "package_collaborator_delete"):
        answer = app.post(f"/api/3/action/{action}",
                          json={"id": private_dataset["id"], "user_id": member["name"],
                                "capacity": "member"}, status=403).json
        assert answer["success"] is False, action
