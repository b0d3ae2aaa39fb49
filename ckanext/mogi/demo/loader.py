"""Loads the demo catalogue through CKAN's actions, as the site user.

The 26 theme groups are the ``mogi_schema`` plugin's own
(:func:`ckanext.mogi.schema.themes.ensure_theme_groups`, from
``schemas/vocabularies.yaml``); the loader only adds their descriptions.
Datasets choose their themes in the ``temas`` field, and the plugin keeps the
group memberships in step.

Idempotent: an existing organization, theme or dataset is patched only where
it differs from the catalogue (values compared as the schema stores them), and
a resource is created (and its file uploaded) only when its dataset has no
resource of that name yet.
"""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from werkzeug.datastructures import FileStorage

from ckanext.mogi.demo import catalogue, tables
from ckanext.mogi.schema import themes as theme_groups
from ckanext.mogi.schema.validators import parse_date

SOURCE_OPTION = "ckanext.mogi.demo.source_dir"
DEFAULT_SOURCE = Path("..", "shared", "data")

CONTENT_TYPES = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Echo = Callable[[str], None]

#: Resource metadata the loader keeps in step (the file itself is never replaced).
RESOURCE_FIELDS = ("description", "format", "tipo_recurso", "idioma")

#: Dataset fields holding dates (stored as ISO, typed as dd/mm/aaaa).
DATE_FIELDS = frozenset({
    "cobertura_temporal_inicio", "cobertura_temporal_fim", "data_descontinuacao",
})


def _split_tags(tag_string: str) -> list[str]:
    return [tag.strip() for tag in tag_string.split(",") if tag.strip()]


def _comparable(key: str, value: Any) -> Any:
    """``value`` as the schema stores it, to tell a real change from a format one.

    Dates typed as dd/mm/aaaa are stored as ISO dates, lists of codes are
    stored sorted and without repetitions, e-mail domains lower-cased.
    """
    if value is None or value == "" or value == []:
        return None
    if key in DATE_FIELDS:
        try:
            return parse_date(value).isoformat()
        except ValueError:
            return value
    if isinstance(value, (list, tuple)):
        return sorted({str(item) for item in value})
    if key.endswith("email") and isinstance(value, str) and "@" in value:
        local, _, domain = value.strip().rpartition("@")
        return f"{local}@{domain.lower()}"
    return value


def _group_state(group: model.Group) -> tuple[Any, ...]:
    return (group.title, group.state, dict(group.extras or {}), group.description or "")


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


def check_source(source: Path) -> None:
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

    def ensure_organization(self, desired: dict[str, Any]) -> str:
        """Create or patch an organization; returns the outcome."""
        existing = self.show("organization_show", desired["name"])
        if existing is None:
            self.call("organization_create", desired)
            return "created"
        changes = {
            key: value for key, value in desired.items()
            if _comparable(key, existing.get(key)) != _comparable(key, value)
        }
        if existing.get("state") != "active":
            changes["state"] = "active"
        if not changes:
            return "unchanged"
        self.call("organization_patch", {"id": existing["id"], **changes})
        return "updated"

    def load_organizations(self) -> None:
        for organization in catalogue.ORGANIZATIONS:
            self.summary.count(self.ensure_organization(dict(organization)))
            self.summary.organizations += 1

    def load_themes(self) -> None:
        """The plugin's 26 theme groups, with the catalogue's descriptions."""
        names = theme_groups.theme_names()
        before = {
            group.name: _group_state(group)
            for group in model.Session.query(model.Group).filter(model.Group.name.in_(names))
        }
        groups = theme_groups.ensure_theme_groups()
        for name, group in groups.items():
            description = catalogue.THEME_DESCRIPTIONS.get(name, "")
            if (group.description or "") != description:
                group.description = description
            if name not in before:
                outcome = "created"
            elif before[name] != _group_state(group):
                outcome = "updated"
            else:
                outcome = "unchanged"
            self.summary.count(outcome)
            self.summary.themes += 1
        model.repo.commit()

    # --- datasets ----------------------------------------------------------

    @staticmethod
    def package_fields(dataset: dict[str, Any]) -> dict[str, Any]:
        """The dataset in CKAN's shape, without its resources."""
        fields = {k: v for k, v in dataset.items() if k not in ("resources", "tags")}
        fields["tag_string"] = ",".join(dataset.get("tags", []))
        return fields

    @staticmethod
    def package_changes(existing: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
        """The fields of ``desired`` that differ from ``existing`` (a ``package_show``)."""
        changes: dict[str, Any] = {}
        for key, value in desired.items():
            if key == "tag_string":
                current = sorted(tag["name"] for tag in existing.get("tags") or [])
                if current != sorted(_split_tags(value)):
                    changes[key] = value
            elif key == "owner_org":
                if (existing.get("organization") or {}).get("name") != value:
                    changes[key] = value
            elif _comparable(key, existing.get(key)) != _comparable(key, value):
                changes[key] = value
        if existing.get("state") != "active":
            changes["state"] = "active"
        if changes:
            # ``package_show`` has no ``tag_string``, which the schema requires.
            changes.setdefault("tag_string", desired["tag_string"])
        return changes

    def load_dataset(self, dataset: dict[str, Any]) -> None:
        """Create or patch one dataset and its resources.

        Resources are written with the dataset, in one ``package_patch`` (not
        ``resource_create``/``resource_patch``): those re-validate the dataset
        from ``package_show``, which has no ``tag_string``, a required field of
        the schema. Resources already there keep their file and position;
        resources the catalogue does not list are left alone.
        """
        try:
            self._load_dataset(dataset)
        except tk.ValidationError:
            self.echo(f"  {dataset['name']}: erro de validação")
            raise

    def _load_dataset(self, dataset: dict[str, Any]) -> None:
        fields = self.package_fields(dataset)
        existing = self.show("package_show", dataset["name"])
        if existing is None:
            package = self.call("package_create", fields)
            changes: dict[str, Any] = {}
            outcome = "created"
        else:
            package = existing
            changes = self.package_changes(existing, fields)
            outcome = "updated" if changes else "unchanged"

        current = list(package.get("resources") or [])
        by_name = {r["name"]: index for index, r in enumerate(current)}
        resources_changed = False
        uploads = 0
        for resource in dataset["resources"]:
            index = by_name.get(resource["name"])
            if index is None:
                current.append(self.new_resource(resource))
                uploads += "tables" in resource
                resources_changed = True
            else:
                merged = self.merged_resource(current[index], resource)
                resources_changed |= merged != current[index]
                current[index] = merged

        if resources_changed:
            changes["resources"] = current
            changes.setdefault("tag_string", fields["tag_string"])
        if changes:
            self.call("package_patch", {"id": package["id"], **changes})
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

    @staticmethod
    def merged_resource(existing: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
        """An existing resource with the catalogue's metadata (never a new file)."""
        merged = dict(existing)
        for key in RESOURCE_FIELDS:
            if key in desired and existing.get(key) != desired[key]:
                merged[key] = desired[key]
        if "tables" not in desired and existing.get("url") != desired["url"]:
            merged["url"] = desired["url"]
        return merged

    def new_resource(self, resource: dict[str, Any]) -> dict[str, Any]:
        """A resource to add: a link, or a file built from the tables, to upload."""
        data = {
            key: value for key, value in resource.items()
            if key not in ("tables", "convert", "filename")
        }
        if "tables" not in resource:
            return data

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
        return data


def load_demo(source: Path, echo: Echo | None = None) -> LoadSummary:
    """Create or update the demo catalogue from the tables in ``source``."""
    say: Echo = echo or (lambda _message: None)
    source = Path(source).resolve()
    check_source(source)
    loader = _Loader(source, say)

    say(f"Carregando o catálogo de demonstração a partir de {source}")
    loader.load_organizations()
    say(f"Organizações prontas: {loader.summary.organizations}")
    loader.load_themes()
    say(f"Temas DCAT-BR prontos: {loader.summary.themes}")
    say("Conjuntos de dados:")
    for dataset in catalogue.DATASETS:
        loader.load_dataset(dataset)
    return loader.summary
