"""CKAN validators for the portal's metadata (Brazilian documents, dates, vocabularies).

Every validator has one of CKAN's signatures, ``(value, context)`` or
``(key, data, errors, context)``; ``mogi_vocabulary`` is a ckanext-scheming
factory ``(field, schema)``. :func:`ckanext.mogi.schema.validators` returns
them by name, for the plugin's ``IValidators``; scheming then finds them by
the names used in the ``validators:`` strings of the YAML schemas.

Error messages are English msgids translated through ``toolkit._`` (the pt_BR
catalogue holds the Portuguese text). Each message has a stable key in
:data:`MESSAGES`; :class:`MogiInvalid` carries it as ``.code`` so that callers
and tests can tell errors apart without depending on the locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from ckan.plugins import toolkit
from ckanext.scheming.validation import scheming_validator
from validate_docbr import CNPJ

from ckanext.mogi.common import vocabularies
from ckanext.mogi.common.city import city
from ckanext.mogi.common.i18n import N_
from ckanext.mogi.common.lists import as_list

missing = toolkit.missing
Invalid = toolkit.Invalid


#: message key -> English msgid (placeholders in ``str.format`` style).
MESSAGES: dict[str, str] = {
    "cnpj_format": N_(
        'Invalid CNPJ "{value}": it must have 14 characters, 12 letters or digits followed '
        "by 2 check digits (e.g. 11.222.333/0001-81 or 12.ABC.345/01DE-35)."
    ),
    "cnpj_check_digits": N_('Invalid CNPJ "{value}": the check digits do not match.'),
    "ibge_format": N_(
        'Invalid IBGE municipality code "{value}": use the 7-digit code (e.g. 3530607) '
        "or the 6-digit code without the check digit (e.g. 353060)."
    ),
    "ibge_uf": N_('Invalid IBGE municipality code "{value}": "{prefix}" is not a state code.'),
    "ibge_check_digit": N_(
        'Invalid IBGE municipality code "{value}": the check digit should be {expected}.'
    ),
    "uf_invalid": N_('"{value}" is not a Brazilian state abbreviation (e.g. SP, RJ, DF).'),
    "date_format": N_('Invalid date "{value}": use dd/mm/yyyy (e.g. 31/12/2024).'),
    "date_impossible": N_('"{value}" is not a valid calendar date.'),
    "email_invalid": N_('"{value}" is not a valid e-mail address.'),
    "url_invalid": N_('"{value}" is not a valid address: use a link starting with https:// or http://.'),
    "sei_invalid": N_(
        "Unknown legal-compliance (observância legal) codes: {codes}. Use codes from 1 to 34."
    ),
    "sei_type": N_(
        "Legal-compliance (observância legal) codes must be a list or comma-separated text."
    ),
    "vocabulary_invalid": N_('"{value}" is not an accepted value for this field.'),
    "vocabulary_type": N_("Expected a value or a list of values."),
    "temporal_range": N_(
        "The end of the temporal coverage ({end}) is before its start ({start})."
    ),
    "spatial_federal": N_('For a federal coverage the territory is "BR", not "{value}".'),
    "private_restricted": N_(
        "The legal-compliance codes {codes} restrict access: this dataset can only be "
        "published as private."
    ),
    "private_personal_data": N_(
        "This dataset contains personal data that has not been anonymised: it can only "
        "be published as private."
    ),
}

# Dataset fields read by the dataset-level validators (``after_validators``).
FIELD_INICIO = "cobertura_temporal_inicio"
FIELD_FIM = "cobertura_temporal_fim"
FIELD_OBSERVANCIA = "observancia_legal"
FIELD_DADOS_PESSOAIS = "dados_pessoais"
FIELD_PRIVATE = "private"


class MogiInvalid(Invalid):
    """``toolkit.Invalid`` with the message key (``code``) and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(message(code, **params))
        self.code = code
        self.params = params


def message(code: str, **params: Any) -> str:
    """The translated message ``code`` with ``params`` filled in."""
    return toolkit._(MESSAGES[code]).format(**params)


def _is_empty(value: Any) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------- CNPJ

_CNPJ_PUNCTUATION = re.compile(r"[\s./\-]")
_CNPJ_SHAPE = re.compile(r"[0-9A-Z]{12}[0-9]{2}")
_CNPJ = CNPJ()


def normalize_cnpj(value: str) -> str:
    """``value`` without punctuation or spaces, upper-case (not validated)."""
    return _CNPJ_PUNCTUATION.sub("", str(value)).upper()


def format_cnpj(value: str) -> str:
    """``12.ABC.345/01DE-35`` from a normalised CNPJ."""
    v = normalize_cnpj(value)
    return f"{v[:2]}.{v[2:5]}.{v[5:8]}/{v[8:12]}-{v[12:]}"


def is_valid_cnpj(value: str) -> bool:
    v = normalize_cnpj(value)
    return bool(_CNPJ_SHAPE.fullmatch(v)) and _CNPJ.validate(v)


def mogi_cnpj(value: Any, context: Mapping[str, Any]) -> Any:
    """A numeric or alphanumeric (from July 2026) CNPJ, stored as 14 characters.

    Punctuation is ignored and letters are upper-cased; the check digits follow
    the Receita Federal rule (character value = ASCII code - 48, modulo 11).
    """
    if _is_empty(value):
        return value
    text = str(value).strip()
    normalised = normalize_cnpj(text)
    if not _CNPJ_SHAPE.fullmatch(normalised) or len(set(normalised)) == 1:
        raise MogiInvalid("cnpj_format", value=text)
    if not _CNPJ.validate(normalised):
        raise MogiInvalid("cnpj_check_digits", value=text)
    return normalised


# ------------------------------------------------------------------ IBGE município

# Codes whose published check digit differs from IBGE's algorithm
# (SEFAZ, Nota Técnica 2008.004): 6-digit prefix -> official 7-digit code.
IBGE_CHECK_DIGIT_EXCEPTIONS: dict[str, str] = {
    code[:6]: code
    for code in (
        "2201919",  # Bom Princípio do Piauí (PI)
        "2201988",  # Brejo do Piauí (PI)
        "2202251",  # Canavieira (PI)
        "2611533",  # Quixaba (PE)
        "3117836",  # Cônego Marinho (MG)
        "3152131",  # Ponto Chique (MG)
        "4305871",  # Coronel Barros (RS)
        "5203939",  # Buriti de Goiás (GO)
        "5203962",  # Buritinópolis (GO)
    )
}

MOGI_DAS_CRUZES_IBGE = "3530607"


def mogi_city_ibge_default(value: Any, context: Mapping[str, Any]) -> Any:
    """CKAN's ``default`` validator with the city's IBGE code (``ckanext.mogi.city.ibge_code``)."""
    if value is None or value == "" or value is missing:
        return city().ibge_code
    return value


def ibge_check_digit(prefix: str) -> str:
    """IBGE's check digit of a 6-digit municipality code.

    Weights 1,2,1,2,1,2; two-digit products are reduced to the sum of their
    digits; the digit is what brings the total to the next multiple of ten.
    """
    if not re.fullmatch(r"\d{6}", prefix):
        raise ValueError(f"expected 6 digits, got {prefix!r}")
    total = 0
    for position, char in enumerate(prefix):
        product = int(char) * (1 if position % 2 == 0 else 2)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def ibge_full_code(prefix: str) -> str:
    """The 7-digit code of a 6-digit prefix (known exceptions included)."""
    return IBGE_CHECK_DIGIT_EXCEPTIONS.get(prefix) or prefix + ibge_check_digit(prefix)


def mogi_ibge_municipio(value: Any, context: Mapping[str, Any]) -> Any:
    """An IBGE municipality code (6 or 7 digits), stored in its 7-digit form."""
    if _is_empty(value):
        return value
    text = str(value).strip()
    digits = re.sub(r"[\s.\-]", "", text)
    if not re.fullmatch(r"\d{6}|\d{7}", digits):
        raise MogiInvalid("ibge_format", value=text)
    prefix = digits[:6]
    if prefix[:2] not in {e.get("codigo_ibge") for e in vocabularies.entries("uf")}:
        raise MogiInvalid("ibge_uf", value=text, prefix=prefix[:2])
    expected = ibge_full_code(prefix)
    if len(digits) == 7 and digits != expected:
        raise MogiInvalid("ibge_check_digit", value=text, expected=expected[6])
    return expected


# ---------------------------------------------------------------------------- UF


def mogi_uf(value: Any, context: Mapping[str, Any]) -> Any:
    """A UF abbreviation (``sp`` -> ``SP``)."""
    if _is_empty(value):
        return value
    text = str(value).strip().upper()
    if not vocabularies.contains("uf", text):
        raise MogiInvalid("uf_invalid", value=str(value).strip())
    return text


# -------------------------------------------------------------------------- dates

_DATE_BR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


class _DateError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_date(value: Any) -> date:
    """A ``date`` from dd/mm/aaaa, d/m/aaaa, ISO yyyy-mm-dd (or an ISO datetime).

    Raises ``ValueError`` (with ``.code`` ``date_format`` or ``date_impossible``).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if match := _DATE_BR.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _DATE_ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise _DateError("date_format")
    try:
        return date(year, month, day)
    except ValueError:
        raise _DateError("date_impossible") from None


def format_date_br(value: Any) -> str:
    """dd/mm/aaaa, as the federal CKAN harvest expects (``""`` when empty)."""
    return "" if _is_empty(value) else parse_date(value).strftime("%d/%m/%Y")


def mogi_date(value: Any, context: Mapping[str, Any]) -> Any:
    """A date typed as dd/mm/aaaa or yyyy-mm-dd, stored as ISO yyyy-mm-dd."""
    if _is_empty(value):
        return value
    try:
        return parse_date(value).isoformat()
    except _DateError as error:
        raise MogiInvalid(error.code, value=str(value).strip()) from None


# ------------------------------------------------------------------ e-mail and URL

_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def mogi_email(value: Any, context: Mapping[str, Any]) -> Any:
    """An e-mail address (``nome@dominio.gov.br``); the domain is lower-cased."""
    if _is_empty(value):
        return value
    text = str(value).strip()
    local, _sep, domain = text.rpartition("@")
    if (
        not _EMAIL.fullmatch(text)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or len(text) > 254
    ):
        raise MogiInvalid("email_invalid", value=text)
    return f"{local}@{domain.lower()}"


def mogi_url(value: Any, context: Mapping[str, Any]) -> Any:
    """An absolute http(s) URL with a host name."""
    if _is_empty(value):
        return value
    text = str(value).strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        raise MogiInvalid("url_invalid", value=text) from None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not host
        or re.search(r"\s", text)
        or not ("." in host or ":" in host or host == "localhost")
        or host.startswith(".")
        or ".." in host
    ):
        raise MogiInvalid("url_invalid", value=text)
    return text


# -------------------------------------------------------------- lists of values


def parse_sei_codes(value: Any) -> tuple[list[str], list[str]]:
    """(valid codes sorted numerically and unique, unknown items) of ``value``."""
    items = as_list(value)
    if items is None:
        raise TypeError(value)
    known, unknown = set(), []
    for item in items:
        code = item.lstrip("0") if item.isdigit() else item
        if code.isdigit() and vocabularies.contains("observancia_legal", code):
            known.add(code)
        elif item not in unknown:
            unknown.append(item)
    return sorted(known, key=int), unknown


def mogi_sei_codes(value: Any, context: Mapping[str, Any]) -> Any:
    """SEI observância-legal codes (1-34) -> sorted unique list of strings.

    Accepts a list, a JSON list or ``"1, 3"``. CKAN stores the list as JSON
    (``["1", "3"]``); read it back with ``scheming_multiple_choice_output``.
    """
    if _is_empty(value) or value == []:
        return value
    try:
        codes, unknown = parse_sei_codes(value)
    except TypeError:
        raise MogiInvalid("sei_type") from None
    if unknown:
        raise MogiInvalid("sei_invalid", codes=", ".join(unknown))
    return codes


@scheming_validator
def mogi_vocabulary(field: Mapping[str, Any], schema: Any) -> Callable[..., Any]:
    """Membership in the vocabulary named by the field's ``vocabulary`` key.

    A single value is returned unchanged. With ``multiple: true`` on the field
    (or a list given), a list, JSON list or comma-separated string is accepted
    and returned as a list in vocabulary order, without repetitions.
    """
    name = field.get("vocabulary") if field else None
    if not name:
        raise ValueError(
            f"mogi_vocabulary: field {field and field.get('field_name')!r} needs a 'vocabulary' key"
        )
    allowed = vocabularies.values(str(name))  # fails early on an unknown vocabulary
    multiple = bool(field.get("multiple"))

    def validator(value: Any, context: Mapping[str, Any]) -> Any:
        if _is_empty(value) or value == []:
            return value
        if multiple or isinstance(value, (list, tuple)):
            items = as_list(value)
            if items is None:
                raise MogiInvalid("vocabulary_type")
            for item in items:
                if item not in allowed:
                    raise MogiInvalid("vocabulary_invalid", value=item)
            chosen = set(items)
            return [v for v in allowed if v in chosen]
        if not isinstance(value, str):
            raise MogiInvalid("vocabulary_type")
        if value.strip() not in allowed:
            raise MogiInvalid("vocabulary_invalid", value=value.strip())
        return value.strip()

    return validator


# ------------------------------------------------------------- dataset level rules


def _field_value(data: Mapping[Any, Any], name: str) -> Any:
    """A top-level field of flattened ``data``, also looked up in ``extras``."""
    value = data.get((name,), missing)
    if value is not missing:
        return value
    for key, extra_key in data.items():
        if len(key) == 3 and key[0] == "extras" and key[2] == "key" and extra_key == name:
            return data.get(("extras", key[1], "value"), missing)
    return missing


def _add_error(errors: dict[Any, list[str]], name: str, text: str) -> None:
    bucket = errors.setdefault((name,), [])
    if text not in bucket:
        bucket.append(text)


def mogi_temporal_range(key: Any, data: dict[Any, Any], errors: dict[Any, list[str]],
                        context: Mapping[str, Any]) -> None:
    """Dataset-level: ``cobertura_temporal_inicio`` <= ``cobertura_temporal_fim``.

    Use in ``after_validators``. The error goes on the end field. Values that
    are empty or not dates are left to the fields' own validators.
    """
    if errors.get((FIELD_INICIO,)) or errors.get((FIELD_FIM,)):
        return
    start, end = _field_value(data, FIELD_INICIO), _field_value(data, FIELD_FIM)
    if _is_empty(start) or _is_empty(end):
        return
    try:
        start_date, end_date = parse_date(start), parse_date(end)
    except ValueError:
        return
    if end_date < start_date:
        _add_error(errors, FIELD_FIM, message(
            "temporal_range",
            start=start_date.strftime("%d/%m/%Y"),
            end=end_date.strftime("%d/%m/%Y"),
        ))


def mogi_spatial_value(key: Any, data: dict[Any, Any], errors: dict[Any, list[str]],
                       context: Mapping[str, Any]) -> None:
    """Dataset-level: the territory matches the spatial coverage.

    MUNICIPAL takes an IBGE municipality code (stored with 7 digits), ESTADUAL
    a UF, FEDERAL ``BR``. Use in ``after_validators``; the error goes on
    ``valor_cobertura_espacial``.
    """
    name = "valor_cobertura_espacial"
    coverage = _field_value(data, "cobertura_espacial")
    value = _field_value(data, name)
    if errors.get((name,)) or _is_empty(value) or value is missing:
        return
    try:
        if coverage == "ESTADUAL":
            normalised = mogi_uf(value, context)
        elif coverage == "FEDERAL":
            if str(value).strip().upper() != "BR":
                raise MogiInvalid("spatial_federal", value=value)
            normalised = "BR"
        else:
            normalised = mogi_ibge_municipio(value, context)
    except Invalid as error:
        _add_error(errors, name, error.error)
        return
    if (name,) in data:
        data[(name,)] = normalised
    for flat_key, extra_key in list(data.items()):
        if (len(flat_key) == 3 and flat_key[0] == "extras" and flat_key[2] == "key"
                and extra_key == name):
            data[("extras", flat_key[1], "value")] = normalised


def _is_private(data: Mapping[Any, Any], context: Mapping[str, Any]) -> bool:
    value = _field_value(data, FIELD_PRIVATE)
    if value is missing or value is None or value == "":
        # package_update without "private" keeps the stored visibility;
        # a new dataset is public by default.
        package = context.get("package")
        return bool(getattr(package, "private", False))
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on", "sim", "t")
    return bool(value)


def restricted_codes(value: Any) -> list[str]:
    """The codes of an observância-legal value that restrict access (unknown included)."""
    if _is_empty(value):
        return []
    items = as_list(value) or []
    return [item for item in items if vocabularies.is_restricted_access(item.lstrip("0") or item)]


def mogi_access_rules(key: Any, data: dict[Any, Any], errors: dict[Any, list[str]],
                      context: Mapping[str, Any]) -> None:
    """Dataset-level: restricted observância legal or personal data => private only.

    Use in ``after_validators``. A public dataset (``private`` false) gets an
    error on ``observancia_legal`` when any code other than 1 (Público) is
    set, and on ``dados_pessoais`` when it is ``sim`` (not anonymised).
    """
    if _is_private(data, context):
        return
    codes = restricted_codes(_field_value(data, FIELD_OBSERVANCIA))
    if codes and not errors.get((FIELD_OBSERVANCIA,)):
        _add_error(errors, FIELD_OBSERVANCIA, message("private_restricted", codes=", ".join(codes)))
    if _field_value(data, FIELD_DADOS_PESSOAIS) == "sim":
        _add_error(errors, FIELD_DADOS_PESSOAIS, message("private_personal_data"))


@scheming_validator
def mogi_required(field: Mapping[str, Any], schema: Any) -> Callable[..., Any]:
    """``scheming_required``, except for fields not yet sent while the dataset is a draft.

    The form pages save a draft after each page; fields of later pages are
    absent then. An empty value that *is* sent is still an error on its page.
    """
    not_empty = toolkit.get_validator("not_empty")
    if not field.get("required"):
        return toolkit.get_validator("ignore_missing")

    def validator(key: Any, data: dict[Any, Any], errors: dict[Any, list[str]],
                  context: Mapping[str, Any]) -> Any:
        value = data.get(key, missing)
        if data.get(("state",)) == "draft" and (value is missing or value is None):
            data.pop(key, None)
            raise toolkit.StopOnError
        return not_empty(key, data, errors, context)

    return validator


VALIDATORS: dict[str, Callable[..., Any]] = {
    "mogi_required": mogi_required,
    "mogi_cnpj": mogi_cnpj,
    "mogi_ibge_municipio": mogi_ibge_municipio,
    "mogi_city_ibge_default": mogi_city_ibge_default,
    "mogi_uf": mogi_uf,
    "mogi_date": mogi_date,
    "mogi_email": mogi_email,
    "mogi_url": mogi_url,
    "mogi_sei_codes": mogi_sei_codes,
    "mogi_vocabulary": mogi_vocabulary,
    "mogi_temporal_range": mogi_temporal_range,
    "mogi_spatial_value": mogi_spatial_value,
    "mogi_access_rules": mogi_access_rules,
}


def validators() -> dict[str, Callable[..., Any]]:
    """Name -> validator, for ``IValidators.get_validators``."""
    return dict(VALIDATORS)
