"""The word lists of the sniffer and of the LGPD check (``validation/data/*.yaml``)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The data file ``validation/data/<name>.yaml``."""
    data = resources.files("ckanext.mogi.validation").joinpath("data").joinpath(f"{name}.yaml")
    return yaml.safe_load(data.read_text("utf-8"))
