"""The demo catalogue's data files: where they are and what they hold.

The catalogue is data, kept outside the package (the repository's ``demo/``
folder, not shipped in the wheel): ``organizations.yaml``, ``themes.yaml``
and ``datasets.yaml``, described in their own header comments and in
``demo/README.md``. This module only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

from ckanext.mogi.common.i18n import translate as _

CATALOGUE_OPTION = "ckanext.mogi.demo.catalogue_dir"
DEFAULT_CATALOGUE = Path("demo")


class DemoSourceError(Exception):
    """A folder the demo reads is unusable; the message is translated."""


@dataclass(frozen=True)
class Catalogue:
    """Organizations, theme descriptions and datasets in the shape of CKAN's actions."""

    organizations: list[dict[str, Any]]
    themes: dict[str, str]
    datasets: list[dict[str, Any]]


def resolve_folder(option: str | Path | None = None) -> Path:
    """The ``--catalogue`` folder, else the config option, else ``./demo``."""
    chosen = option or tk.config.get(CATALOGUE_OPTION) or DEFAULT_CATALOGUE
    return Path(chosen).expanduser().resolve()


def _read(folder: Path, name: str, key: str | None) -> Any:
    path = folder / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise DemoSourceError(
            _("Demo catalogue file not found: {path}. Give --catalogue or set {option}.")
            .format(path=path, option=CATALOGUE_OPTION)
        ) from None
    except yaml.YAMLError as error:
        raise DemoSourceError(
            _("Demo catalogue file {path} is not valid YAML: {error}").format(
                path=path, error=error)
        ) from None
    return data[key] if key else data


def _as_stored(value: Any) -> Any:
    """YAML dates (``2022-01-01``) as the ISO text the schema stores."""
    return value.isoformat() if isinstance(value, date) else value


def read(folder: Path) -> Catalogue:
    """The catalogue of ``folder`` (see :func:`resolve_folder`)."""
    return Catalogue(
        organizations=_read(folder, "organizations.yaml", "organizations"),
        themes=_read(folder, "themes.yaml", None),
        datasets=[
            {key: _as_stored(value) for key, value in dataset.items()}
            for dataset in _read(folder, "datasets.yaml", "datasets")
        ],
    )
