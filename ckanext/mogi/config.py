"""Config declarations: one ``config_declaration.yaml``, one group per plugin.

Each plugin declares only the groups annotated with its name, so any set of
ckanext-mogi plugins can be enabled together without declaring an option
twice.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

import yaml


def declarations(plugin_name: str) -> Callable[[Any, Any], None]:
    """A ``blanket.config_declarations`` subject for ``plugin_name``'s options."""

    def declare(declaration: Any, _key: Any) -> None:
        source = resources.files("ckanext.mogi").joinpath("config_declaration.yaml")
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        groups = [g for g in data["groups"]
                  if g["annotation"].split(":", 1)[0].strip() == plugin_name]
        declaration.load_dict({"version": data["version"], "groups": groups})

    return declare
