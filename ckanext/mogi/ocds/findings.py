"""What a conversion or a validation found: a level, a message (an English
msgid with parameters, shown in Portuguese), where, and which record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ckanext.mogi.common.i18n import N_, catalogue

Level = Literal["error", "warning"]

LEVEL_LABELS: dict[str, str] = {"error": N_("error"), "warning": N_("warning")}


@dataclass(frozen=True)
class Finding:
    """One finding. ``message`` is Portuguese; :meth:`text` renders it in any language.

    ``level``: ``"error"`` (the data is not valid OCDS, or a value could not be
    used) or ``"warning"`` (a value was normalised, or kept only in a
    ``*Details`` field). ``path``: the source field (``dados.dataabertura``,
    ``linha 3: valor``) or the JSON pointer in the package
    (``/releases/0/tender/status``). ``record``: the process or row
    (``PMMC-2489``, ``linha 3``), empty for the package itself.
    """

    level: Level
    code: str
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""
    record: str = ""

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        """The message, through ``translate`` (default: the pt_BR catalogue)."""
        gettext = translate or catalogue("pt_BR")
        return gettext(self.msgid).format(**self.params)

    @property
    def message(self) -> str:
        """The message in Portuguese."""
        return self.text()

    def as_dict(self, translate: Callable[[str], str] | None = None) -> dict[str, Any]:
        """JSON-ready: level, code, message, path, record."""
        return {"level": self.level, "code": self.code, "message": self.text(translate),
                "path": self.path, "record": self.record}

    def line(self, translate: Callable[[str], str] | None = None) -> str:
        """One line for a terminal: ``erro [PMMC-2489] dados.tipo: ...``."""
        gettext = translate or catalogue("pt_BR")
        where = " ".join(x for x in (f"[{self.record}]" if self.record else "",
                                     f"{self.path}:" if self.path else "") if x)
        return " ".join(x for x in (gettext(LEVEL_LABELS[self.level]), where,
                                    self.text(translate)) if x)
