"""Loads the demo catalogue (:mod:`.catalogue`) through CKAN's actions, as the site user.

The 26 theme groups are the ``mogi_schema`` plugin's own: it creates them
(from ``schemas/vocabularies.yaml``) when a dataset is saved, and keeps each
dataset's memberships in step with its ``temas`` field. The loader reads the
theme names from the dataset schema (ckanext-scheming), loads the datasets,
and then only sets the groups' descriptions.

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
from ckanext.scheming.helpers import scheming_field_choices, scheming_get_dataset_schema
from werkzeug.datastructures import FileStorage

from ckanext.mogi.common.i18n import translate as _
from ckanext.mogi.demo import catalogue, tables
from ckanext.mogi.demo.catalogue import Catalogue, DemoSourceError

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
#: Keys of a catalogue resource that tell how to build its file (not CKAN's).
FILE_KEYS = ("tables", "convert", "filename", "columns")
#: The dataset field whose choices are the theme groups.
THEMES_FIELD = "temas"
#: ``group_show`` without what the theme step never reads.
GROUP_SHOW = {"include_datasets": False, "include_users": False, "include_groups": False,
              "include_followers": False, "include_tags": False}


def _split_tags(tag_string: str) -> list[str]:
    return [tag.strip() for tag in tag_string.split(",") if tag.strip()]


def _comparable(key: str, value: Any) -> Any:
    """``value`` as the schema stores it, to tell a real change from a format one.

    Lists of codes are stored sorted and without repetitions, e-mail domains
    lower-cased.
    """
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, (list, tuple)):
        return sorted({str(item) for item in value})
    if key.endswith("email") and isinstance(value, str) and "@" in value:
        local, _, domain = value.strip().rpartition("@")
        return f"{local}@{domain.lower()}"
    return value


def _group_state(group: dict[str, Any]) -> tuple[Any, ...]:
    extras = {extra["key"]: extra["value"] for extra in group.get("extras") or []}
    return (group["title"], group["state"], extras, group.get("description") or "")


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
            _("Organizations: {organizations} · Themes: {themes} · "
              "Datasets: {datasets} ({private} private)").format(
                organizations=self.organizations, themes=self.themes,
                datasets=self.datasets, private=self.private_datasets),
            _("Created: {created} · Updated: {updated} · "
              "Unchanged: {unchanged} · Files uploaded: {uploads}").format(
                created=self.created, updated=self.updated,
                unchanged=self.unchanged, uploads=self.uploads),
        ]


def resolve_source(option: str | Path | None = None) -> Path:
    """The ``--source`` folder, else the config option, else ``../shared/data``."""
    chosen = option or tk.config.get(SOURCE_OPTION) or DEFAULT_SOURCE
    return Path(chosen).expanduser().resolve()


def check_source(source: Path, datasets: list[dict[str, Any]]) -> None:
    """Fail early, with a clear message, if any table ``datasets`` read is missing."""
    if not source.is_dir():
        raise DemoSourceError(
            _("Demo data folder not found: {source}. Give --source or set {option}.").format(
                source=source, option=SOURCE_OPTION)
        )
    missing = sorted({
        name
        for dataset in datasets
        for resource in dataset["resources"]
        for name in resource.get("tables", [])
        if not (source / "tables" / name).is_file()
    })
    if missing:
        raise DemoSourceError(
            _("Tables missing in {folder}: {names}").format(
                folder=source / "tables", names=", ".join(missing))
        )


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def theme_choices() -> list[dict[str, str]]:
    """The theme groups (``value``, ``label``): the choices of the dataset schema's
    ``temas`` field."""
    fields = scheming_get_dataset_schema("dataset")["dataset_fields"]
    (field,) = [f for f in fields if f["field_name"] == THEMES_FIELD]
    return list(scheming_field_choices(field))


class _Loader:
    def __init__(self, source: Path, content: Catalogue, echo: Echo) -> None:
        self.source = source
        self.catalogue = content
        self.echo = echo
        self.user = _site_user()
        self.summary = LoadSummary()

    def call(self, action: str, data: dict[str, Any]) -> Any:
        # A fresh context per call: CKAN's actions write into it.
        return tk.get_action(action)({"user": self.user}, data)

    def show(self, action: str, name: str, **options: Any) -> dict[str, Any] | None:
        try:
            return self.call(action, {"id": name, **options})
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
        for organization in self.catalogue.organizations:
            self.summary.count(self.ensure_organization(dict(organization)))
            self.summary.organizations += 1

    def theme_states(self, names: list[str]) -> dict[str, tuple[Any, ...] | None]:
        """Each theme group as the outcome compares it (``None``: not there)."""
        states: dict[str, tuple[Any, ...] | None] = {}
        for name in names:
            group = self.show("group_show", name, **GROUP_SHOW)
            states[name] = None if group is None else _group_state(group)
        return states

    def load_themes(self, choices: list[dict[str, str]],
                    before: dict[str, tuple[Any, ...] | None]) -> None:
        """The catalogue's descriptions on the plugin's theme groups.

        Runs after the datasets, whose saving made the plugin create (or fix)
        the groups; ``before`` is their state before the load, to tell what
        the load created or changed.
        """
        for choice in choices:
            name = choice["value"]
            description = self.catalogue.themes.get(name, "")
            group = self.show("group_show", name, **GROUP_SHOW)
            if group is None:
                # Only when no dataset was saved and the group was purged.
                self.call("group_create", {
                    "name": name, "title": choice["label"], "description": description,
                    "extras": [{"key": "uri", "value": tk.h.mogi_vocabulary_uri(
                        THEMES_FIELD, name)}],
                })
            else:
                changes: dict[str, Any] = {}
                if (group.get("description") or "") != description:
                    changes["description"] = description
                if group["state"] != "active":
                    changes["state"] = "active"
                if changes:
                    self.call("group_patch", {"id": group["id"], **changes})
            if before[name] is None:
                outcome = "created"
            elif before[name] != self.theme_states([name])[name]:
                outcome = "updated"
            else:
                outcome = "unchanged"
            self.summary.count(outcome)
            self.summary.themes += 1

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
            self.echo("  " + _("{name}: validation error").format(name=dataset["name"]))
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
            "created": _("{name}: created"),
            "updated": _("{name}: updated"),
            "unchanged": _("{name}: unchanged"),
        }
        line = labels[outcome].format(name=dataset["name"])
        if uploads:
            line += " " + _("({count} file(s) uploaded)").format(count=uploads)
        self.echo("  " + line)

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
        data = {key: value for key, value in resource.items() if key not in FILE_KEYS}
        if "tables" not in resource:
            return data

        paths = [self.source / "tables" / name for name in resource["tables"]]
        options = {"columns": resource["columns"]} if "columns" in resource else {}
        content = tables.CONVERTERS[resource.get("convert", "raw")](paths, **options)
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


def load_demo(source: Path, echo: Echo | None = None, *,
              catalogue_dir: Path | None = None) -> LoadSummary:
    """Create or update the demo catalogue of ``catalogue_dir`` (default: the
    ``ckanext.mogi.demo.catalogue_dir`` option) from the tables in ``source``."""
    say: Echo = echo or (lambda _message: None)
    source = Path(source).resolve()
    folder = catalogue.resolve_folder(catalogue_dir)
    content = catalogue.read(folder)
    check_source(source, content.datasets)
    loader = _Loader(source, content, say)
    choices = theme_choices()
    themes_before = loader.theme_states([choice["value"] for choice in choices])

    say(_("Loading the demo catalogue of {folder} with the tables of {source}").format(
        folder=folder, source=source))
    loader.load_organizations()
    say(_("Organizations ready: {count}").format(count=loader.summary.organizations))
    say(_("Datasets:"))
    for dataset in content.datasets:
        loader.load_dataset(dataset)
    loader.load_themes(choices, themes_before)
    say(_("DCAT-BR themes ready: {count}").format(count=loader.summary.themes))
    return loader.summary
