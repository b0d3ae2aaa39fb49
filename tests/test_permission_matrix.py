"""Permission matrix: every page and action, as every kind of user, against canaries.

The endpoints come from the application's URL map and the actions from
CKAN's action registry (after the plugins of test.ini load); each must have
an entry in tests/matrix_data.py, so a new endpoint or action without one
fails ``test_every_*_has_an_entry``.

Canary objects (built once for the module, in organization A whose
validation is *not* blocking, since personal data must be held back
whatever the mode):

* ``private``: a private dataset of A whose name, title, notes, tag,
  resource names, resource format and uploaded file carry unique tokens;
* ``held``: a public dataset of A with an uploaded CSV not validated yet;
* ``flagged``: a public dataset of A with an uploaded CSV of unmasked CPFs,
  validated by a real job worker;
* ``public`` (of A) and ``public_b`` (of organization B), and a group.

Users: anonymous, ``other`` (editor of B), ``editor`` (editor of A),
``sysadmin``. Every probe: no server error for anyone; for anonymous and
``other``, no token of the private dataset and no byte of the held, flagged
or private files anywhere in the response (body or headers), unless the
request itself contained that token. Staff get the data where the endpoint
returns it (``test_staff_*``); downloads answer as the file gate promises
(``test_download_*``).
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from ckan import logic, plugins
from ckan.lib import jobs
from ckan.tests import factories, helpers
from matrix_data import (
    NO_DATA_ACTIONS,
    READ_ACTIONS,
    ROUTES,
    SELF_SERVICE,
    WRITE_ACTIONS,
    Probe,
)
from sample_data import dataset_fields
from validate_docbr import CPF
from werkzeug.datastructures import FileStorage

from ckanext.mogi.ocds import imports as ocds_imports
from ckanext.mogi.ocds import releases as ocds_releases

USERS = ("anonymous", "other", "editor", "sysadmin")
OUTSIDERS = ("anonymous", "other")
STAFF = ("editor", "sysadmin")


# ------------------------------------------------------------------ canaries
def _token(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def _organization(sysadmin: dict[str, Any], name: str) -> dict[str, Any]:
    return helpers.call_action(
        "organization_create", context={"user": sysadmin["name"]}, name=name,
        title=f"Secretaria {name}", tipo="secretaria", validacao_bloqueante="nao")


def _member(org: dict[str, Any], user: dict[str, Any]) -> None:
    helpers.call_action("organization_member_create", id=org["id"], username=user["name"],
                        role="editor")


def _upload(sysadmin: dict[str, Any], dataset: dict[str, Any], content: str, filename: str,
            **resource: Any) -> dict[str, Any]:
    storage = FileStorage(stream=io.BytesIO(content.encode("utf-8")), filename=filename,
                          content_type="text/csv")
    return helpers.call_action(
        "resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"],
        upload=storage, **{"name": filename, "format": "CSV", **resource})


def _create(sysadmin: dict[str, Any], org: dict[str, Any], name: str,
            **extra: Any) -> dict[str, Any]:
    return helpers.call_action("package_create", context={"user": sysadmin["name"]},
                               **dataset_fields(org, name, **extra))


def _obj(dataset: dict[str, Any], resource: dict[str, Any] | None, **extra: Any) -> Any:
    return SimpleNamespace(id=dataset["id"], name=dataset["name"],
                           res=resource["id"] if resource else "", **extra)


def _run_worker() -> None:
    """A real CKAN job worker, in burst mode, on the validation queue (the
    DataStore's loads go to the same queue by default)."""
    queue = plugins.toolkit.config.get("ckanext.mogi.validation.queue") \
        or jobs.DEFAULT_QUEUE_NAME
    jobs.Worker([queue]).work(burst=True)


@pytest.fixture(autouse=True)
def load_standard_plugins():
    """Overrides tests/conftest.py's: ``world`` keeps the plugins of test.ini
    loaded for the whole module (loading them for each of the hundreds of
    probes would take minutes)."""


@pytest.fixture(scope="module")
def world(reset_db, migrate_db_for) -> Iterator[SimpleNamespace]:
    """The canary objects, the users and one application for the whole module."""
    plugins.load_all()
    queue = jobs.get_queue(plugins.toolkit.config.get("ckanext.mogi.validation.queue")
                           or jobs.DEFAULT_QUEUE_NAME)
    try:
        reset_db()
        migrate_db_for("mogi_search")
        migrate_db_for("mogi_validation")
        migrate_db_for("mogi_datastore")
        migrate_db_for("mogi_governance")
        migrate_db_for("mogi_ocds")
        migrate_db_for("activity")
        queue.empty()

        sysadmin = factories.SysadminWithToken()
        editor, other = factories.UserWithToken(), factories.UserWithToken()
        org_a = _organization(sysadmin, _token("secretaria-a-"))
        org_b = _organization(sysadmin, _token("secretaria-b-"))
        _member(org_a, editor)
        _member(org_b, other)

        # The private dataset: every field a token.
        tag, fmt = _token("segredo-etiqueta-"), _token("FMT").upper()
        title, notes = _token("segredotitulo"), _token("segredonotas")
        res_name, content = _token("segredotabela"), _token("segredoconteudo")
        private = _create(sysadmin, org_a, _token("segredo-"), private=True,
                          title=f"Segredo {title}", notes=f"Notas {notes}",
                          tag_string=f"saúde,{tag}")
        private_res = _upload(sysadmin, private, f"unidade;valor\n{content};1\n", "segredo.csv",
                              name=f"Tabela {res_name}")
        link = helpers.call_action(
            "resource_create", context={"user": sysadmin["name"]}, package_id=private["id"],
            url="http://example.com/segredo.bin", name=f"Link {res_name}", format=fmt)

        # A tender dump of the private dataset, imported: its processes never published.
        process_id, tender = _token("9"), _token("segredoobjeto")
        dump = _upload(sysadmin, private, json.dumps([{
            "dados": {"ano": "2022", "idlicitacao": process_id, "orgao": "PMMC",
                      "situacaos": "PUBLICADA", "tipo": "Pregão Eletrônico",
                      "licitacao": "0001/2022", "dataabertura": "10/03/2022",
                      "publicacaoinicio": "01/03/2022", "publicacaofim": "01/03/2023"},
            "ocorrencias": [], "anexos": [], "descricao": f"Objeto {tender}",
            "objeto": f"Objeto {tender}"}], ensure_ascii=False), "licitacoes.json",
            format="JSON", name="Licitações (JSON)")
        ocds_imports.import_resource(dump["id"], ocds_imports.DUMP)
        process_ocid = ocds_releases.ocid(
            plugins.toolkit.config.get("ckanext.mogi.ocds.ocid_prefix"), "PMMC", process_id)

        public = _create(sysadmin, org_a, _token("publico-"), private=False)
        helpers.call_action("resource_create", context={"user": sysadmin["name"]},
                            package_id=public["id"], url="http://example.com/a.pdf",
                            name="Relatório", format="PDF")
        public_b = _create(sysadmin, org_b, _token("publico-b-"), private=False)

        # The flagged table: unmasked CPFs, validated by the real worker.
        cpfs = [CPF().generate(mask=True) for _ in range(6)]
        flagged_content = _token("conteudosinalizado")
        rows = "".join(f"Servidor {flagged_content} {i};{cpf};{1000 + i},50\n"
                       for i, cpf in enumerate(cpfs))
        flagged = _create(sysadmin, org_a, _token("folha-"), private=False)
        flagged_res = _upload(sysadmin, flagged, "nome;cpf;valor\n" + rows, "folha.csv")

        group = helpers.call_action("group_create", context={"user": sysadmin["name"]},
                                    name=_token("grupo-"), title="Grupo de teste")
        for dataset in (private, public):
            helpers.call_action("member_create", id=group["id"], object=dataset["id"],
                                object_type="package", capacity="public")
        _run_worker()

        # The held table: uploaded after the worker ran, so never validated.
        held_content = _token("conteudoretido")
        held = _create(sysadmin, org_a, _token("retido-"), private=False)
        held_res = _upload(sysadmin, held, f"unidade;valor\n{held_content};1\n", "retido.csv")

        statuses = {
            name: helpers.call_action("resource_show", id=res["id"]).get("validation_status")
            for name, res in (("held", held_res), ("flagged", flagged_res))
        }
        record = helpers.call_action("resource_validation_show", resource_id=flagged_res["id"])
        assert statuses["held"] == "created", statuses
        assert record["lgpd"]["findings"], record  # the worker found the CPFs

        # The private table was cleared and loaded into the DataStore, with its preview.
        [view] = helpers.call_action("resource_view_list", id=private_res["id"])
        # The private dataset's latest activity (it embeds the whole dataset).
        latest = helpers.call_action("package_activity_list", context={"user": sysadmin["name"]},
                                     id=private["id"])[0]
        objects = {
            "private": _obj(private, private_res, tag=tag, fmt=fmt, view=view["id"],
                            activity=latest["id"], ocid=process_ocid),
            "public": _obj(public, None),
            "public_b": _obj(public_b, None),
            "held": _obj(held, held_res),
            "flagged": _obj(flagged, flagged_res),
            "org_a": SimpleNamespace(id=org_a["id"], name=org_a["name"]),
            "org_b": SimpleNamespace(id=org_b["id"], name=org_b["name"]),
            "group": SimpleNamespace(id=group["id"], name=group["name"]),
            "editor": SimpleNamespace(name=editor["name"]),
            "other": SimpleNamespace(name=other["name"]),
            "sysadmin": SimpleNamespace(name=sysadmin["name"]),
        }
        digits = [cpf.replace(".", "").replace("-", "") for cpf in cpfs]
        secrets = {
            # Everything of the private dataset, and the bytes of every file.
            "private": [private["id"], private["name"], title, notes, tag, fmt, res_name,
                        private_res["id"], link["id"], content, process_id, tender],
            "held": [held_content],
            "flagged": [flagged_content, *cpfs, *digits],
        }
        world = SimpleNamespace(
            objects=objects, secrets=secrets,
            file_content={"private": content, "held": held_content,
                          "flagged": flagged_content},
            tokens={"anonymous": None, "other": other["token"], "editor": editor["token"],
                    "sysadmin": sysadmin["token"]},
            app=helpers._get_test_app(),
        )
        yield world
    finally:
        queue.empty()
        plugins.unload_all()


# ------------------------------------------------------------------ requests
def fill(value: Any, objects: dict[str, Any]) -> Any:
    """A probe template with the canary objects filled in."""
    if isinstance(value, str):
        return value.format(**objects)
    if isinstance(value, list):
        return [fill(item, objects) for item in value]
    if isinstance(value, dict):
        return {fill(k, objects): fill(v, objects) for k, v in value.items()}
    return value


def send(world: SimpleNamespace, user: str, probe: Probe) -> tuple[str, int, str]:
    """Run one probe as ``user``: (the request as text, status, response as text)."""
    path, data = fill(probe.path, world.objects), fill(probe.data, world.objects)
    headers = dict(probe.headers)
    if world.tokens[user]:
        headers["Authorization"] = world.tokens[user]
    asked = f"{probe.method} {path} {json.dumps(data, ensure_ascii=False)}"
    try:
        if probe.method == "GET":
            response = world.app.get(path, headers=headers, follow_redirects=False)
        elif probe.method == "JSON":
            response = world.app.post(path, json=data, headers=headers, follow_redirects=False)
        else:
            response = world.app.post(path, data=data, headers=headers, follow_redirects=False)
    except Exception as error:  # the test app re-raises what would be a 500
        return asked, 500, f"uncaught {error!r}"
    text = str(response.headers) + response.get_data().decode("utf-8", "replace")
    return asked, response.status_code, text


def leaks(world: SimpleNamespace, asked: str, text: str) -> list[str]:
    """Which canaries (``object: token``) the response shows and the request did not hold."""
    return [f"{obj}: {secret}" for obj, found in world.secrets.items() for secret in found
            if secret in text and secret not in asked]


def check(world: SimpleNamespace, user: str, probes: list[Probe]) -> list[str]:
    """The failures of ``probes`` as ``user`` (empty: all fine)."""
    failures = []
    for probe in probes:
        if probe.method == "POST" and user not in OUTSIDERS:
            continue  # staff may write: that would change the canaries
        asked, status, text = send(world, user, probe)
        if status >= 500:
            failures.append(f"{asked} -> {status} (server error) {text[-200:]}")
        if user in OUTSIDERS:
            leaked = leaks(world, asked, text)
            if leaked:
                failures.append(f"{asked} -> {status} leaks {leaked}")
    return failures


def action_probes(name: str, dicts: list[dict[str, Any]]) -> list[Probe]:
    return [Probe(f"/api/3/action/{name}", "JSON", data) for data in dicts]


def report(title: str, failures: list[str]) -> str:
    return f"{title}: {len(failures)} failing probe(s)\n" + "\n".join(failures)


# ----------------------------------------------------------------- inventory
def _shadowed(entry: Any) -> bool:
    return isinstance(entry, tuple) and entry[0] == "shadowed"


def test_every_endpoint_has_an_entry(world):
    endpoints = {rule.endpoint for rule in world.app.flask_app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ROUTES))
    stale = sorted(set(ROUTES) - endpoints)
    assert not missing, f"endpoints without an entry in tests/matrix_data.py ROUTES: {missing}"
    assert not stale, f"ROUTES entries for endpoints that no longer exist: {stale}"


def test_shadowed_endpoints_are_really_shadowed(world):
    adapter = world.app.flask_app.url_map.bind("test.ckan.net")
    for endpoint, entry in ROUTES.items():
        if _shadowed(entry):
            assert adapter.match(entry[2], method="GET")[0] == entry[1], endpoint


def test_every_action_has_an_entry(world):
    # The registry after the plugins of test.ini (loaded by ``world``).
    logic.get_action("package_show")
    registered = set(logic._actions)
    listed = [*READ_ACTIONS, *NO_DATA_ACTIONS, *WRITE_ACTIONS]
    twice = sorted({name for name in listed if listed.count(name) > 1})
    assert not twice, f"actions listed twice in tests/matrix_data.py: {twice}"
    missing = sorted(registered - set(listed))
    stale = sorted(set(listed) - registered)
    assert not missing, f"actions without an entry in tests/matrix_data.py: {missing}"
    assert not stale, f"entries for actions that no longer exist: {stale}"


# -------------------------------------------------------------------- probes
PROBED_ROUTES = sorted(name for name, entry in ROUTES.items() if isinstance(entry, list))


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("endpoint", PROBED_ROUTES)
def test_page(world, endpoint, user):
    failures = check(world, user, ROUTES[endpoint])  # type: ignore[arg-type]
    assert not failures, report(f"{endpoint} as {user}", failures)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("action", sorted(READ_ACTIONS))
def test_read_action(world, action, user):
    failures = check(world, user, action_probes(action, READ_ACTIONS[action]))
    assert not failures, report(f"{action} as {user}", failures)


# ------------------------------------------------------------ staff and files
def _get(world: SimpleNamespace, user: str, path: str) -> tuple[int, str]:
    _asked, status, text = send(world, user, Probe(path))
    return status, text


@pytest.mark.parametrize("user", STAFF)
def test_staff_reach_the_private_dataset(world, user):
    o, secrets = world.objects, world.secrets["private"]
    _asked, status, shown = send(world, user, action_probes(
        "package_show", [{"id": o["private"].id}])[0])
    assert status == 200 and all(secret in shown for secret in secrets[:7])
    _asked, status, found = send(world, user, action_probes(
        "package_search", [{"q": "segredo", "include_private": True}])[0])
    assert status == 200 and o["private"].name in found
    status, page = _get(world, user, f"/dataset/{o['private'].name}")
    assert status == 200 and secrets[2] in page


@pytest.mark.parametrize("obj", ["private", "held", "flagged"])
@pytest.mark.parametrize("user", STAFF)
def test_staff_download_the_file(world, user, obj):
    target = world.objects[obj]
    for suffix in ("/download", "/download/x.csv"):
        status, body = _get(world, user, f"/dataset/{target.name}/resource/{target.res}{suffix}")
        assert (status, world.file_content[obj] in body) == (200, True), suffix


#: What outsiders get for each canary file on its own URL.
OUTSIDER_DOWNLOAD = {"private": {404}, "held": {403, 404}, "flagged": {403, 404}}


@pytest.mark.parametrize("obj", sorted(OUTSIDER_DOWNLOAD))
@pytest.mark.parametrize("user", OUTSIDERS)
def test_download_refused_to_outsiders(world, user, obj):
    target = world.objects[obj]
    for suffix in ("/download", "/download/x.csv"):
        path = f"/dataset/{target.name}/resource/{target.res}{suffix}"
        status, _body = _get(world, user, path)
        assert status in OUTSIDER_DOWNLOAD[obj], f"{path} -> {status}"


@pytest.mark.parametrize("obj", ["private", "held", "flagged"])
@pytest.mark.parametrize("user", USERS)
def test_download_under_another_datasets_url_is_not_found(world, user, obj):
    other_dataset = world.objects["public_b"].name
    path = f"/dataset/{other_dataset}/resource/{world.objects[obj].res}/download/x.csv"
    status, _body = _get(world, user, path)
    assert status == 404, f"{path} -> {status}"


# ------------------------------------------------------------------- writes
# Last in the module: a write that wrongly succeeds changes the canaries.
@pytest.mark.parametrize("user", OUTSIDERS)
@pytest.mark.parametrize("action", sorted(WRITE_ACTIONS))
def test_write_action_refused(world, action, user):
    failures = []
    for probe in action_probes(action, WRITE_ACTIONS[action]):
        asked, status, text = send(world, user, probe)
        if (status == 200 and action not in SELF_SERVICE) or status >= 500:
            failures.append(f"{asked} -> {status}: {text[-300:]}")
        leaked = leaks(world, asked, text)
        if leaked:
            failures.append(f"{asked} -> {status} leaks {leaked}")
    assert not failures, report(f"{action} as {user}", failures)
