"""The city's identity: the ``ckanext.mogi.city.*`` block of options.

The pages (header, footer, home and about pages, citations), the DCAT-BR
catalogue (its publisher and territory) and the schema's default territory
read the city's facts from here only, so changing the block in the
configuration re-brands the portal without touching code. The options are
declared once, by the ``mogi`` plugin (``config_declaration.yaml``), with
Mogi das Cruzes' values as defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ckan.plugins import toolkit

PREFIX = "ckanext.mogi.city."


class CityNotConfigured(RuntimeError):
    """The block is missing: the ``mogi`` plugin, which declares it, is not enabled."""


@dataclass(frozen=True)
class City:
    """One value per option ``ckanext.mogi.city.<field>``."""

    name: str
    state: str
    ibge_code: str
    government: str
    government_short: str
    url: str
    esic_url: str
    ouvidoria_url: str
    transparency_url: str
    data_policy_url: str

    @property
    def place(self) -> str:
        """``Mogi das Cruzes (SP)``."""
        return f"{self.name} ({self.state})"


def city() -> City:
    """The configured city (defaults: Mogi das Cruzes)."""
    values = {field.name: str(toolkit.config.get(PREFIX + field.name) or "")
              for field in fields(City)}
    if not values["name"]:
        raise CityNotConfigured(
            f"{PREFIX}name is empty: enable the mogi plugin, which declares the city's "
            "options, and set the city's name")
    return City(**values)
