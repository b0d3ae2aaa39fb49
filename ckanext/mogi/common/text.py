"""Accent folding of Portuguese text (``Saúde`` -> ``saude``)."""

from __future__ import annotations

import unicodedata


def strip_accents(text: str) -> str:
    """``text`` without its diacritics (``Ação`` -> ``Acao``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its diacritics (``Saúde`` -> ``saude``)."""
    return strip_accents(text.casefold())
