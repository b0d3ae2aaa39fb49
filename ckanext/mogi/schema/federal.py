"""Our scheming fields <-> the 15 ``extras`` keys the federal CKAN harvester reads.

The Portal Brasileiro de Dados Abertos harvests municipal CKANs through the
API and reads these keys from ``extras`` in the formats of CGU's guide
("guia-ckan"): ``periodicidade=MENSAL``, ``coberturaTemporalInicio=01/01/2022``,
``valorCoberturaEspacial=353060``, ``observanciaLegal=1,3``... Our own UI keeps
the same values as first-class scheming fields; this module is the one place
that converts between the two, driven by the :data:`CGU_KEYS` table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.mogi.common import vocabularies
from ckanext.mogi.schema.validators import format_date_br, parse_date


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            return [str(v) for v in json.loads(stripped)]
        return [v.strip() for v in stripped.split(",") if v.strip()]
    return [str(v) for v in value]


def _date_out(value: Any) -> str:
    return format_date_br(value) if value else ""


def _date_in(value: str) -> str:
    return parse_date(value).isoformat()


def _bool_out(value: Any) -> str:
    return "true" if _text(value).strip().lower() in ("true", "1", "sim", "yes") else "false"


def _spatial_out(value: Any) -> str:
    # The guide wants the 6-digit IBGE code (without the check digit).
    text = _text(value).strip()
    return text[:6] if len(text) == 7 and text.isdigit() else text


@dataclass(frozen=True)
class CguKey:
    """One federal key: our field and how its value is written for CGU."""

    key: str
    field: str
    to_cgu: Callable[[Any], str]
    from_cgu: Callable[[str], Any]


def _identity(value: str) -> str:
    return value.strip()


CGU_KEYS: tuple[CguKey, ...] = (
    CguKey("periodicidade", "periodicidade", _text, _identity),
    CguKey("coberturaTemporalInicio", "cobertura_temporal_inicio", _date_out, _date_in),
    CguKey("coberturaTemporalFim", "cobertura_temporal_fim", _date_out, _date_in),
    CguKey("coberturaEspacial", "cobertura_espacial", _text, _identity),
    CguKey("valorCoberturaEspacial", "valor_cobertura_espacial", _spatial_out, _identity),
    CguKey("granularidadeEspacial", "granularidade_espacial", _text, _identity),
    CguKey("atualizacaoVersao", "atualizacao_versao", _bool_out, _bool_out),
    CguKey("descontinuado", "descontinuado", _bool_out, _bool_out),
    CguKey("dataDescontinuacao", "data_descontinuacao", _date_out, _date_in),
    CguKey("observanciaLegal", "observancia_legal", lambda v: ",".join(_list(v)), _list),
    CguKey("relacaoOds", "relacao_ods", _bool_out, _bool_out),
    CguKey("ods", "ods", lambda v: ",".join(_list(v)), _list),
    CguKey("dadosRacaEtnia", "dados_raca_etnia", _bool_out, _bool_out),
    CguKey("dadosGenero", "dados_genero", _bool_out, _bool_out),
)
# The 15th key is derived, never entered: is this open data?
OPEN_DATA_KEY = "dadosAbertos"
FEDERAL_KEYS = frozenset({k.key for k in CGU_KEYS} | {OPEN_DATA_KEY})


def is_open_data(pkg: Mapping[str, Any]) -> bool:
    """Public, under an open licence of VCR-LU, with no access restriction."""
    codes = _list(pkg.get("observancia_legal")) or ["1"]
    return (
        not pkg.get("private")
        and vocabularies.contains("licencas", _text(pkg.get("license_id")))
        and not any(vocabularies.is_restricted_access(c) for c in codes)
    )


def cgu_extras(pkg: Mapping[str, Any]) -> list[dict[str, str]]:
    """The 15 federal ``extras`` entries of a dataset, in the guide's formats."""
    extras = [{"key": k.key, "value": k.to_cgu(pkg.get(k.field))} for k in CGU_KEYS]
    extras.append({"key": OPEN_DATA_KEY, "value": "true" if is_open_data(pkg) else "false"})
    return extras


def with_cgu_extras(pkg: dict[str, Any]) -> dict[str, Any]:
    """``pkg`` with its federal extras (replacing any stale ones)."""
    kept = [e for e in pkg.get("extras") or [] if e.get("key") not in FEDERAL_KEYS]
    pkg["extras"] = kept + cgu_extras(pkg)
    return pkg


def absorb_cgu_extras(data: Mapping[str, Any]) -> dict[str, Any]:
    """Move federal ``extras`` into our fields before validation.

    A value already given as our field wins (the UI and round trips of our own
    ``package_show`` output); a value only given as a CGU extra (other
    Brazilian portals, plain CKAN clients) fills the field. The federal keys
    never reach storage, so update round trips cannot duplicate them.
    Unreadable values are passed on as given, for the field's validator to
    reject with its Portuguese message.
    """
    result = dict(data)
    extras = result.get("extras")
    if not isinstance(extras, list):
        return result
    by_key = {e.get("key"): e.get("value") for e in extras if isinstance(e, Mapping)}
    result["extras"] = [e for e in extras
                        if not (isinstance(e, Mapping) and e.get("key") in FEDERAL_KEYS)]
    for cgu in CGU_KEYS:
        value = by_key.get(cgu.key)
        if value in (None, "") or cgu.field in result:
            continue
        try:
            result[cgu.field] = cgu.from_cgu(str(value))
        except ValueError:
            result[cgu.field] = value
    return result
