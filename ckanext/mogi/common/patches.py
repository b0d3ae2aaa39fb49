"""Overrides of CKAN's routes and internals, each with a start-up check.

CKAN (and ckanext-dcat) offer no interface for a few things the portal does:
answering a core route differently (``dataset.read`` in RDF, the download
view behind the file gate), replacing a core view (the organization's bulk
publish form), using private helpers, or patching the search module. Each
such override is an :class:`Override`: what it relies on, and a check that
it is still there. Every capability lists its overrides in one module; the
``mogi`` plugin's registry (:mod:`ckanext.mogi.patches`) lists them all and
verifies those of the enabled plugins when the web application is built, so
a CKAN upgrade that removes a seam stops the start with a message naming it,
instead of a feature silently ceasing to work.

A check looks where it is told: ``app`` (the Flask application, for routes)
and ``modules`` (a module by name, ``importlib.import_module`` by default).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

ModuleLookup = Callable[[str], Any]


class IncompatibleCKAN(RuntimeError):
    """CKAN (or an extension) changed: an override no longer has its seam."""


def _resolve(modules: ModuleLookup, module: str, dotted: str) -> Any:
    target: Any = modules(module)
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


@dataclass(frozen=True)
class Override:
    """One override: the plugin that makes it, what it relies on and why.

    ``kind`` is what the check looks for:

    * ``endpoint``: the view ``name`` is registered in the application;
    * ``attribute``: ``module`` has ``name`` (a dotted path);
    * ``parameters``: ``module.name`` is a callable taking every one of ``needs``;
    * ``calls``: the source of ``module.name`` holds every one of ``needs``.
    """

    plugin: str
    kind: str
    name: str
    purpose: str
    module: str = ""
    needs: tuple[str, ...] = ()

    @property
    def target(self) -> str:
        return f"{self.module}.{self.name}" if self.module else self.name

    def problem(self, app: Any = None,
                modules: ModuleLookup = importlib.import_module) -> str | None:
        """What is wrong (``<seam> (<purpose>) <what changed>``), or ``None``."""
        if self.kind == "endpoint":
            if app is None or self.name not in app.view_functions:
                return f"the view {self.name} ({self.purpose}) is gone"
            return None
        try:
            found = _resolve(modules, self.module, self.name)
        except (ImportError, AttributeError):
            return f"{self.target} ({self.purpose}) no longer exists"
        if self.kind == "parameters":
            original = inspect.unwrap(found)
            original = getattr(original, ORIGINAL, original)
            try:
                missing = set(self.needs) - set(inspect.signature(original).parameters)
            except (TypeError, ValueError):
                missing = set(self.needs)
            if missing:
                return f"{self.target} ({self.purpose}) lost parameters {sorted(missing)}"
        elif self.kind == "calls":
            try:
                source = inspect.getsource(found)
            except (OSError, TypeError):
                source = ""
            if not all(snippet in source for snippet in self.needs):
                return (f"{self.target} ({self.purpose}) no longer calls "
                        + " and ".join(self.needs))
        return None


#: Attribute under which a patched function keeps the one it replaced.
ORIGINAL = "__mogi_original__"


def problems(overrides: Iterable[Override], app: Any = None,
             modules: ModuleLookup = importlib.import_module) -> list[str]:
    """The problem of every override whose seam is missing."""
    found = (override.problem(app, modules) for override in overrides)
    return [problem for problem in found if problem]


def verify(overrides: Iterable[Override], app: Any = None, *, advice: str,
           modules: ModuleLookup = importlib.import_module,
           error: type[IncompatibleCKAN] = IncompatibleCKAN) -> None:
    """Refuse to start (``error``) when a seam is missing, naming each one."""
    overrides = list(overrides)
    found = problems(overrides, app, modules)
    if found:
        plugins = ", ".join(sorted({o.plugin for o in overrides}))
        raise error(f"ckanext-mogi ({plugins}) cannot run on this CKAN: "
                    + "; ".join(found) + f". {advice}")
