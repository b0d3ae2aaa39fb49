"""The 26 DCAT-BR themes as CKAN groups, and each dataset's membership of them.

The federal harvester reads a dataset's themes from its CKAN groups, whose
titles must equal the DCAT-BR labels exactly. Staff choose themes in the
``temas`` field; these functions keep the groups in step. Themes are a
vocabulary, not a permission boundary, so memberships are written directly
(CKAN's own ``groups`` handling would require every editor to be a member
of every theme group).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ckan import model

from ckanext.mogi.common import vocabularies

URI_EXTRA = "uri"


def theme_names() -> list[str]:
    return vocabularies.values("temas")


def ensure_theme_groups() -> dict[str, model.Group]:
    """Create missing theme groups (and fix drifted titles); name -> group."""
    entries = vocabularies.entries("temas")
    existing = {
        g.name: g
        for g in model.Session.query(model.Group).filter(
            model.Group.name.in_([e["value"] for e in entries]))
    }
    groups: dict[str, model.Group] = {}
    for entry in entries:
        group = existing.get(entry["value"])
        if group is None:
            group = model.Group(name=entry["value"], type="group", is_organization=False,
                                approval_status="approved")
            model.Session.add(group)
        if group.title != entry["label"]:
            group.title = entry["label"]
        if group.state != model.State.ACTIVE:
            group.state = model.State.ACTIVE
        if entry.get("uri") and (group.extras or {}).get(URI_EXTRA) != entry["uri"]:
            group.extras = {**(group.extras or {}), URI_EXTRA: entry["uri"]}
        groups[entry["value"]] = group
    model.Session.flush()
    return groups


def chosen_themes(value: Any) -> list[str]:
    """The ``temas`` value of a dataset dict as a list of theme names."""
    if not value:
        return []
    if isinstance(value, str):
        value = json.loads(value) if value.startswith("[") else [value]
    allowed = set(theme_names())
    return [v for v in value if v in allowed]


def themes_from_groups(groups: Iterable[Any]) -> list[str]:
    """Theme names among a dataset dict's ``groups`` (names or dicts)."""
    allowed = set(theme_names())
    names = [g.get("name") if isinstance(g, dict) else g for g in groups or []]
    return [n for n in names if n in allowed]


def sync_memberships(package_id: str, themes: Iterable[str]) -> None:
    """Make the dataset a member of exactly ``themes`` among the theme groups."""
    wanted = set(themes)
    groups = ensure_theme_groups()
    members = {
        m.group_id: m
        for m in model.Session.query(model.Member).filter(
            model.Member.table_name == "package",
            model.Member.table_id == package_id,
            model.Member.group_id.in_([g.id for g in groups.values()]),
        )
    }
    for name, group in groups.items():
        member = members.get(group.id)
        if name in wanted and member is None:
            model.Session.add(model.Member(group=group, table_id=package_id,
                                           table_name="package", capacity="public",
                                           state=model.State.ACTIVE))
        elif name in wanted and member.state != model.State.ACTIVE:
            member.state = model.State.ACTIVE
        elif name not in wanted and member is not None and member.state == model.State.ACTIVE:
            member.state = model.State.DELETED
    model.Session.flush()
