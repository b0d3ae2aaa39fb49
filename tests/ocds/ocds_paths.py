"""Where the OCDS tests find the real tender dumps (../shared, read only)."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TABLES = SHARED / "data" / "tables"
DUMP_2018 = TABLES / "mogi_licitacoes_2018.json"
DUMP_2022 = TABLES / "mogi_licitacoes_2022.json"
