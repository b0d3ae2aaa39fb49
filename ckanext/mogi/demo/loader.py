"""Loads the demo catalogue through CKAN's actions, as the site user.

Idempotent: an existing organization, theme or dataset is patched only where
it differs from the catalogue, and a resource is created (and its file
uploaded) only when its dataset has no resource of that name yet.
"""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.mogi.demo import catalogue, tables
from ckanext.mogi.demo.themes import Theme, ThemeError, read_themes, themes_file

SOURCE_OPTION = "ckanext.mogi.demo.source_dir"
DEFAULT_SOURCE = Path("..", "shared", "data")

CONTENT_TYPES = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Echo = Callable[[str], None]


class DemoSourceError(Exception):
    """The source folder is unusable; the message is in Portuguese."""


@dataclass
class LoadSummary:
    organizations: int = 0
    themes: int = 0
    datasets: int = 0
    private_datasets: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    uploads: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def lines(self) -> list[str]:
        return [
            f"Organizações: {self.organizations} · Temas: {self.themes} · "
            f"Conjuntos de dados: {self.datasets} ({self.private_datasets} privados)",
            f"Criados: {self.created} · Atualizados: {self.updated} · "
            f"Sem alterações: {self.unchanged} · Arquivos enviados: {self.uploads}",
        ]


def resolve_source(option: str | Path | None = None) -> Path:
    """The ``--source`` folder, else the config option, else ``../shared/data``."""
    chosen = option or tk.config.get(SOURCE_OPTION) or DEFAULT_SOURCE
    return Path(chosen).expanduser().resolve()


def check_source(source: Path) -> list[Theme]:
    """Fail early, in Portuguese, if anything the catalogue reads is missing."""
    if not source.is_dir():
        raise DemoSourceError(
            f"pasta de dados de demonstração não encontrada: {source}. "
            f"Informe --source ou configure {SOURCE_OPTION}."
        )
    missing = sorted(
        name
        for dataset in catalogue.DATASETS
        for resource in dataset["resources"]
        for name in resource.get("tables", [])
        if not (source / "tables" / name).is_file()
    )
    if missing:
        raise DemoSourceError(
            f"tabelas ausentes em {source / 'tables'}: {', '.join(sorted(set(missing)))}"
        )
    try:
        return read_themes(themes_file(source))
    except ThemeError as error:
        raise DemoSourceError(str(error)) from error


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


class _Loader:
    def __init__(self, source: Path, echo: Echo) -> None:
        self.source = source
        self.echo = echo
        self.user = _site_user()
        self.summary = LoadSummary()

    def call(self, action: str, data: dict[str, Any]) -> Any:
        # A fresh context per call: CKAN's actions write into it.
        return tk.get_action(action)({"user": self.user}, data)

    def show(self, action: str, name: str) -> dict[str, Any] | None:
        try:
            return self.call(action, {"id": name})
        except tk.ObjectNotFound:
            return None

    # --- organizations and themes ------------------------------------------

    def ensure_group(self, kind: str, desired: dict[str, Any]) -> str:
        """Create or patch an organization or a group; returns the outcome."""
        existing = self.show(f"{kind}_show", desired["name"])
        if existing is None:
            self.call(f"{kind}_create", desired)
            return "created"
        changes = {
            key: value for key, value in desired.items()
            if key != "extras" and existing.get(key) != value
        }
        if "extras" in desired:
            current = {e["key"]: e["value"] for e in existing.get("extras") or []}
            if any(current.get(e["key"]) != e["value"] for e in desired["extras"]):
                changes["extras"] = desired["extras"]
        if existing.get("state") != "active":
            changes["state"] = "active"
        if not changes:
            return "unchanged"
        self.call(f"{kind}_patch", {"id": existing["id"], **changes})
        return "updated"

    def load_organizations(self) -> None:
        for organization in catalogue.ORGANIZATIONS:
            self.summary.count(self.ensure_group("organization", dict(organization)))
            self.summary.organizations += 1

    def load_themes(self, themes: list[Theme]) -> None:
        for theme in themes:
            group = {
                "name": theme.identifier,
                "title": theme.label,
                "description": theme.definition,
                "extras": [{"key": "uri", "value": theme.uri}],
            }
            self.summary.count(self.ensure_group("group", group))
            self.summary.themes += 1

    # --- datasets ----------------------------------------------------------

    @staticmethod
    def package_fields(dataset: dict[str, Any]) -> dict[str, Any]:
        """The dataset in CKAN's shape, without its resources."""
        fields = {k: v for k, v in dataset.items() if k != "resources"}
        fields["tags"] = [{"name": tag} for tag in dataset.get("tags", [])]
        fields["groups"] = [{"name": group} for group in dataset.get("groups", [])]
        return fields

    @staticmethod
    def package_changes(existing: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for key, value in desired.items():
            if key in ("tags", "groups"):
                current = sorted(item["name"] for item in existing.get(key) or [])
                if current != sorted(item["name"] for item in value):
                    changes[key] = value
            elif key == "owner_org":
                if (existing.get("organization") or {}).get("name") != value:
                    changes[key] = value
            elif existing.get(key) != value:
                changes[key] = value
        if existing.get("state") != "active":
            changes["state"] = "active"
        return changes

    def load_dataset(self, dataset: dict[str, Any]) -> None:
        fields = self.package_fields(dataset)
        existing = self.show("package_show", dataset["name"])
        if existing is None:
            package = self.call("package_create", fields)
            outcome = "created"
        else:
            changes = self.package_changes(existing, fields)
            if changes:
                package = self.call("package_patch", {"id": existing["id"], **changes})
                outcome = "updated"
            else:
                package = existing
                outcome = "unchanged"

        current = {r["name"]: r for r in package.get("resources") or []}
        uploads = 0
        for resource in dataset["resources"]:
            if resource["name"] in current:
                if self.patch_resource(current[resource["name"]], resource) and (
                    outcome == "unchanged"
                ):
                    outcome = "updated"
            else:
                uploads += self.create_resource(package["id"], resource)
                if outcome == "unchanged":
                    outcome = "updated"

        self.summary.count(outcome)
        self.summary.uploads += uploads
        self.summary.datasets += 1
        if dataset.get("private"):
            self.summary.private_datasets += 1
        labels = {
            "created": "criado",
            "updated": "atualizado",
            "unchanged": "sem alterações",
        }
        detail = f" ({uploads} arquivo(s) enviado(s))" if uploads else ""
        self.echo(f"  {dataset['name']}: {labels[outcome]}{detail}")

    def patch_resource(self, existing: dict[str, Any], desired: dict[str, Any]) -> bool:
        """Update a resource's metadata (never its file); True if it changed."""
        changes = {
            key: desired[key]
            for key in ("description", "format")
            if existing.get(key) != desired[key]
        }
        if "url" in desired and existing.get("url") != desired["url"]:
            changes["url"] = desired["url"]
        if changes:
            self.call("resource_patch", {"id": existing["id"], **changes})
        return bool(changes)

    def create_resource(self, package_id: str, resource: dict[str, Any]) -> int:
        """Create one resource; returns the number of files uploaded (0 or 1)."""
        data = {
            key: value for key, value in resource.items()
            if key not in ("tables", "convert", "filename")
        }
        data["package_id"] = package_id
        if "tables" not in resource:
            self.call("resource_create", data)
            return 0

        paths = [self.source / "tables" / name for name in resource["tables"]]
        content = tables.CONVERTERS[resource.get("convert", "raw")](paths)
        filename = resource["filename"]
        content_type = (
            CONTENT_TYPES.get(resource["format"])
            or mimetypes.guess_type(filename)[0]
            or "application/octet-stream"
        )
        data.update(
            url=filename,
            url_type="upload",
            upload=FileStorage(
                stream=io.BytesIO(content), filename=filename, content_type=content_type
            ),
        )
        self.call("resource_create", data)
        return 1


def load_demo(source: Path, echo: Echo | None = None) -> LoadSummary:
    """Create or update the demo catalogue from the tables in ``source``."""
    say: Echo = echo or (lambda _message: None)
    source = Path(source).resolve()
    themes = check_source(source)
    loader = _Loader(source, say)

    say(f"Carregando o catálogo de demonstração a partir de {source}")
    loader.load_organizations()
    say(f"Organizações prontas: {loader.summary.organizations}")
    loader.load_themes(themes)
    say(f"Temas DCAT-BR prontos: {loader.summary.themes}")
    say("Conjuntos de dados:")
    for dataset in catalogue.DATASETS:
        loader.load_dataset(dataset)
    return loader.summary
