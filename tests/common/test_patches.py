"""Every override of a CKAN route or internal is listed, holds on this CKAN,
and stops the start, naming itself, when its seam is missing."""

from __future__ import annotations

import types

import pytest
from flask import Flask

from ckanext.mogi import patches as registry
from ckanext.mogi.common import patches

OVERRIDES = [o for plugin in registry.REGISTRY for o in registry.overrides_of(plugin)]


def _empty_module(name: str) -> types.ModuleType:
    """A module of that name with nothing in it: the seam is gone."""
    return types.ModuleType(name)


@pytest.mark.usefixtures("with_plugins")
def test_every_override_holds_on_the_application(app):
    assert OVERRIDES
    assert patches.problems(OVERRIDES, app.flask_app) == []
    assert {o.plugin for o in registry.enabled()} == set(registry.REGISTRY)


@pytest.mark.parametrize("override", OVERRIDES,
                         ids=[f"{o.plugin}:{o.target}" for o in OVERRIDES])
def test_a_missing_seam_stops_the_start_with_its_name(override):
    bare = Flask("bare")
    problem = override.problem(bare, _empty_module)
    assert problem is not None
    assert f"{override.name} ({override.purpose})" in problem
    with pytest.raises(patches.IncompatibleCKAN) as stopped:
        patches.verify([override], bare, advice="Fix it.", modules=_empty_module)
    assert problem in str(stopped.value)
    assert override.plugin in str(stopped.value)
    assert str(stopped.value).endswith("Fix it.")


@pytest.mark.usefixtures("with_plugins")
def test_the_mogi_plugin_refuses_an_application_without_the_routes():
    with pytest.raises(patches.IncompatibleCKAN) as stopped:
        registry.verify(Flask("bare"))
    for name in ("dataset.read", "resource.download", "group.bulk_process"):
        assert f"the view {name} (" in str(stopped.value)
    assert "ckanext/mogi/patches.py" in str(stopped.value)


def test_a_patched_function_is_checked_by_the_parameters_it_replaced():
    def original(decode_dates=True):
        return decode_dates

    def replacement():
        return None

    setattr(replacement, patches.ORIGINAL, original)
    module = types.ModuleType("somewhere")
    module.make_connection = replacement
    override = patches.Override("mogi_search", "parameters", "make_connection", "search",
                                module="somewhere", needs=("decode_dates",))
    assert override.problem(None, lambda name: module) is None
    del module.make_connection.__mogi_original__
    assert "lost parameters ['decode_dates']" in override.problem(None, lambda name: module)
