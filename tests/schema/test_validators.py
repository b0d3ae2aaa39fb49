"""Validators of ``ckanext.mogi.schema.validators`` and ``next_expected_update``.

Tests run without a request, so ``toolkit._`` returns the msgid: errors are
checked by their message key (``MogiInvalid.code``) and by the text that
:func:`validators.message` builds from it.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from ckan.lib.navl.dictization_functions import validate
from ckan.logic.converters import convert_to_extras
from ckan.plugins.toolkit import Invalid, get_validator

from ckanext.mogi import schema as schema_package
from ckanext.mogi.schema import validators as v
from ckanext.mogi.schema.periodicity import next_expected_update

CONTEXT: dict = {}


def invalid(validator, value, code: str) -> v.MogiInvalid:
    """Run ``validator`` expecting ``Invalid`` with message key ``code``."""
    with pytest.raises(Invalid) as caught:
        validator(value, CONTEXT)
    error = caught.value
    assert isinstance(error, v.MogiInvalid)
    assert error.code == code, error.error
    assert error.error == v.message(code, **error.params)
    return error


def receita_check_digits(base12: str) -> str:
    """Reference implementation of the Receita Federal rule (value = ASCII - 48)."""
    digits = base12
    for weights in ([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]):
        total = sum((ord(c) - 48) * w for c, w in zip(digits, weights, strict=True))
        rest = total % 11
        digits += str(0 if rest < 2 else 11 - rest)
    return digits[12:]


# --------------------------------------------------------------------------- CNPJ


@pytest.mark.parametrize(("given", "stored"), [
    ("11.222.333/0001-81", "11222333000181"),
    ("11222333000181", "11222333000181"),
    (" 11 222 333 0001 81 ", "11222333000181"),
    ("12.ABC.345/01DE-35", "12ABC34501DE35"),   # Receita Federal's alphanumeric example
    ("12abc34501de35", "12ABC34501DE35"),
])
def test_cnpj_valid(given, stored):
    assert v.mogi_cnpj(given, CONTEXT) == stored
    assert v.format_cnpj(stored) in ("11.222.333/0001-81", "12.ABC.345/01DE-35")


def test_cnpj_check_digits_follow_the_receita_rule():
    for base in ("112223330001", "12ABC34501DE", "A1B2C3D4E5F6", "ZZZZZZZZ0001"):
        full = base + receita_check_digits(base)
        assert v.mogi_cnpj(full, CONTEXT) == full
        wrong = base + str((int(full[12]) + 1) % 10) + full[13]
        invalid(v.mogi_cnpj, wrong, "cnpj_check_digits")


@pytest.mark.parametrize("given", [
    "11.222.333/0001-8",        # 13 characters
    "11.222.333/0001-811",      # 15
    "12.ABC.345/01DE-3X",       # a letter in the check digits
    "12.ABC.345/01DE#35",       # a symbol
    "00.000.000/0000-00",       # repeated characters
    "ÁB.CDE.FGH/IJKL-00",
])
def test_cnpj_bad_format(given):
    error = invalid(v.mogi_cnpj, given, "cnpj_format")
    assert given in error.error


def test_cnpj_bad_check_digits():
    error = invalid(v.mogi_cnpj, "11.222.333/0001-82", "cnpj_check_digits")
    assert error.error == 'Invalid CNPJ "11.222.333/0001-82": the check digits do not match.'
    invalid(v.mogi_cnpj, "12.ABC.345/01DE-36", "cnpj_check_digits")


def test_empty_values_are_left_to_required_or_ignore_missing():
    from ckan.plugins.toolkit import missing

    for validator in (v.mogi_cnpj, v.mogi_ibge_municipio, v.mogi_uf, v.mogi_date,
                      v.mogi_email, v.mogi_url, v.mogi_sei_codes):
        assert validator("", CONTEXT) == ""
        assert validator(None, CONTEXT) is None
        assert validator(missing, CONTEXT) is missing


# -------------------------------------------------------------------- IBGE


@pytest.mark.parametrize(("given", "stored"), [
    ("3530607", "3530607"),   # Mogi das Cruzes
    ("353060", "3530607"),
    (353060, "3530607"),
    ("3550308", "3550308"),   # São Paulo
    ("355030", "3550308"),
    ("3304557", "3304557"),   # Rio de Janeiro
    ("5300108", "5300108"),   # Brasília
    ("2201919", "2201919"),   # Bom Princípio do Piauí: published digit differs from the rule
    ("220191", "2201919"),
])
def test_ibge_valid(given, stored):
    assert v.mogi_ibge_municipio(given, CONTEXT) == stored


def test_mogi_das_cruzes_constant():
    assert v.ibge_full_code(v.MOGI_DAS_CRUZES_IBGE[:6]) == v.MOGI_DAS_CRUZES_IBGE
    assert v.ibge_check_digit("353060") == "7"


def test_ibge_wrong_check_digit():
    error = invalid(v.mogi_ibge_municipio, "3530601", "ibge_check_digit")
    assert error.params["expected"] == "7"
    assert error.error == (
        'Invalid IBGE municipality code "3530601": the check digit should be 7.'
    )
    # The algorithmic digit is wrong for the nine published exceptions.
    invalid(v.mogi_ibge_municipio, "2201911", "ibge_check_digit")


@pytest.mark.parametrize("given", ["35306", "35306071", "35306A7", "", "abc"])
def test_ibge_bad_format(given):
    if given == "":
        assert v.mogi_ibge_municipio(given, CONTEXT) == ""
        return
    invalid(v.mogi_ibge_municipio, given, "ibge_format")


def test_ibge_unknown_state_prefix():
    # 99 is no UF; the check digit would be right.
    code = "990001" + v.ibge_check_digit("990001")
    error = invalid(v.mogi_ibge_municipio, code, "ibge_uf")
    assert error.params["prefix"] == "99"


# --------------------------------------------------------------------------- UF


def test_uf():
    assert v.mogi_uf("SP", CONTEXT) == "SP"
    assert v.mogi_uf(" df ", CONTEXT) == "DF"
    error = invalid(v.mogi_uf, "XX", "uf_invalid")
    assert error.error == '"XX" is not a Brazilian state abbreviation (e.g. SP, RJ, DF).'


# ------------------------------------------------------------------------ dates


@pytest.mark.parametrize(("given", "stored"), [
    ("31/12/2024", "2024-12-31"),
    ("1/2/2024", "2024-02-01"),
    ("01/02/2024", "2024-02-01"),
    ("29/02/2024", "2024-02-29"),
    ("2024-02-01", "2024-02-01"),
    ("2024-02-01T10:30:00", "2024-02-01"),
    (" 2024-02-01 ", "2024-02-01"),
    (date(2024, 2, 1), "2024-02-01"),
    (datetime(2024, 2, 1, 12, 0), "2024-02-01"),
])
def test_date_valid(given, stored):
    assert v.mogi_date(given, CONTEXT) == stored


@pytest.mark.parametrize("given", ["31/02/2024", "29/02/2023", "00/01/2024", "2024-13-01"])
def test_date_impossible(given):
    error = invalid(v.mogi_date, given, "date_impossible")
    assert error.error == f'"{given}" is not a valid calendar date.'


@pytest.mark.parametrize("given", ["2024/02/01", "01-02-2024", "1/2/24", "fevereiro", "20240201"])
def test_date_bad_format(given):
    error = invalid(v.mogi_date, given, "date_format")
    assert "dd/mm/yyyy" in error.error


def test_format_date_br():
    assert v.format_date_br("2024-02-01") == "01/02/2024"
    assert v.format_date_br("") == ""


# ------------------------------------------------------------------ e-mail, URL


@pytest.mark.parametrize(("given", "stored"), [
    ("dados@MogiDasCruzes.SP.gov.br", "dados@mogidascruzes.sp.gov.br"),
    (" maria.silva+ti@example.com ", "maria.silva+ti@example.com"),
])
def test_email_valid(given, stored):
    assert v.mogi_email(given, CONTEXT) == stored


@pytest.mark.parametrize("given", [
    "dados", "dados@", "@pmmc.sp.gov.br", "dados@pmmc", "da dos@pmmc.sp.gov.br",
    ".dados@pmmc.sp.gov.br", "da..dos@pmmc.sp.gov.br", "dados@pmmc..sp.gov.br",
])
def test_email_invalid(given):
    invalid(v.mogi_email, given, "email_invalid")


@pytest.mark.parametrize("given", [
    "https://dados.mogidascruzes.sp.gov.br/dataset/x?y=1#z",
    "http://www.ibge.gov.br",
    "https://localhost:5000/api",
    "https://[2001:db8::1]/",
])
def test_url_valid(given):
    assert v.mogi_url(given, CONTEXT) == given


@pytest.mark.parametrize("given", [
    "ftp://example.com/x", "javascript:alert(1)", "www.example.com", "https://",
    "https://exa mple.com", "https://intranet/x", "mailto:dados@example.com",
    "https://[::1",
])
def test_url_invalid(given):
    error = invalid(v.mogi_url, given, "url_invalid")
    assert "https://" in error.error


# ---------------------------------------------------------------------- SEI codes


@pytest.mark.parametrize(("given", "stored"), [
    ("1", ["1"]),
    ("3, 1,03", ["1", "3"]),
    ("22;2", ["2", "22"]),
    (["10", "2", 2], ["2", "10"]),
    ('["34", "1"]', ["1", "34"]),
    (5, ["5"]),
])
def test_sei_codes_valid(given, stored):
    assert v.mogi_sei_codes(given, CONTEXT) == stored


def test_sei_codes_unknown():
    error = invalid(v.mogi_sei_codes, "1, 35, x", "sei_invalid")
    assert error.params["codes"] == "35, x"
    assert error.error == (
        "Unknown legal-compliance (observância legal) codes: 35, x. Use codes from 1 to 34."
    )
    invalid(v.mogi_sei_codes, "0", "sei_invalid")
    invalid(v.mogi_sei_codes, {"1": True}, "sei_type")
    invalid(v.mogi_sei_codes, "[1, {}]", "sei_type")


# -------------------------------------------------------------- vocabulary factory


def test_mogi_vocabulary_is_a_scheming_factory():
    assert v.mogi_vocabulary.is_a_scheming_validator is True
    validator = v.mogi_vocabulary({"field_name": "periodicidade", "vocabulary": "periodicidade"},
                                  {})
    assert validator.__code__.co_argcount == 2  # CKAN's (value, context)
    assert validator("MENSAL", CONTEXT) == "MENSAL"
    assert validator(" ANUAL ", CONTEXT) == "ANUAL"
    assert validator("", CONTEXT) == ""
    error = invalid(validator, "BIENAL", "vocabulary_invalid")
    assert error.error == '"BIENAL" is not an accepted value for this field.'
    invalid(validator, 3, "vocabulary_type")


def test_mogi_vocabulary_multiple():
    validator = v.mogi_vocabulary({"field_name": "ods", "vocabulary": "ods", "multiple": True}, {})
    assert validator("11, 3", CONTEXT) == ["3", "11"]
    assert validator(["3", "3", "17"], CONTEXT) == ["3", "17"]
    assert validator('["16"]', CONTEXT) == ["16"]
    invalid(validator, "3, 18", "vocabulary_invalid")
    temas = v.mogi_vocabulary({"field_name": "temas", "vocabulary": "temas"}, {})
    assert temas(["saude", "educacao"], CONTEXT) == ["educacao", "saude"]
    invalid(temas, ["saude", "Saúde"], "vocabulary_invalid")


def test_mogi_vocabulary_needs_a_known_vocabulary():
    with pytest.raises(ValueError, match="vocabulary"):
        v.mogi_vocabulary({"field_name": "x"}, {})
    with pytest.raises(KeyError):
        v.mogi_vocabulary({"field_name": "x", "vocabulary": "nope"}, {})


def test_registry():
    registry = schema_package.get_validators()
    assert registry == v.validators()
    assert set(registry) == {
        "mogi_required", "mogi_cnpj", "mogi_ibge_municipio", "mogi_city_ibge_default",
        "mogi_uf", "mogi_date", "mogi_email", "mogi_url",
        "mogi_sei_codes", "mogi_vocabulary", "mogi_temporal_range", "mogi_spatial_value",
        "mogi_access_rules",
    }
    for name, function in registry.items():
        assert name == function.__name__
        if not getattr(function, "is_a_scheming_validator", False):
            assert function.__code__.co_argcount in (2, 4), name
    helpers = schema_package.get_helpers()
    assert helpers["mogi_vocabulary_choices"]({"vocabulary": "dados_pessoais"})[2] == {
        "value": "sim_anonimizados", "label": "Sim, anonimizados",
    }


# ----------------------------------------------------------- dataset-level rules


def dataset_schema() -> dict:
    """A small navl schema wired like scheming wires custom dataset fields."""
    ignore_missing = get_validator("ignore_missing")
    boolean_validator = get_validator("boolean_validator")
    return {
        "private": [ignore_missing, boolean_validator],
        "observancia_legal": [ignore_missing, v.mogi_sei_codes, convert_to_extras],
        "dados_pessoais": [ignore_missing, convert_to_extras],
        "cobertura_temporal_inicio": [ignore_missing, v.mogi_date, convert_to_extras],
        "cobertura_temporal_fim": [ignore_missing, v.mogi_date, convert_to_extras],
        "__after": [v.mogi_temporal_range, v.mogi_access_rules],
    }


def run(data: dict, context: dict | None = None) -> tuple[dict, dict]:
    return validate(data, dataset_schema(), context or {})


def test_temporal_range():
    data, errors = run({"cobertura_temporal_inicio": "01/01/2024",
                        "cobertura_temporal_fim": "2024-12-31"})
    assert not errors
    assert data["cobertura_temporal_inicio"] == "2024-01-01"
    data, errors = run({"cobertura_temporal_inicio": "31/12/2024",
                        "cobertura_temporal_fim": "31/12/2024"})
    assert not errors
    data, errors = run({"cobertura_temporal_inicio": "31/12/2024",
                        "cobertura_temporal_fim": "01/01/2024"})
    assert errors == {"cobertura_temporal_fim": [v.message(
        "temporal_range", start="31/12/2024", end="01/01/2024")]}
    assert errors["cobertura_temporal_fim"][0] == (
        "The end of the temporal coverage (01/01/2024) is before its start (31/12/2024)."
    )


def test_temporal_range_leaves_bad_dates_to_the_fields():
    data, errors = run({"cobertura_temporal_inicio": "31/02/2024",
                        "cobertura_temporal_fim": "01/01/2024"})
    assert list(errors) == ["cobertura_temporal_inicio"]
    data, errors = run({"cobertura_temporal_fim": "01/01/2024"})
    assert not errors


def test_public_dataset_with_restricted_observancia_is_refused():
    data, errors = run({"private": False, "observancia_legal": "1,22,3"})
    assert errors == {"observancia_legal": [v.message("private_restricted", codes="3, 22")]}
    assert "only be published as private" in errors["observancia_legal"][0]
    # The same dataset may exist as private.
    data, errors = run({"private": True, "observancia_legal": "1,22,3"})
    assert not errors
    assert json.loads(data["extras"][0]["value"]) == ["1", "3", "22"]


def test_public_dataset_with_only_publico_is_accepted():
    data, errors = run({"private": "False", "observancia_legal": ["1"],
                        "dados_pessoais": "sim_anonimizados"})
    assert not errors


def test_public_dataset_with_personal_data_is_refused():
    data, errors = run({"private": False, "dados_pessoais": "sim"})
    assert errors == {"dados_pessoais": [v.message("private_personal_data")]}
    data, errors = run({"private": "true", "dados_pessoais": "sim"})
    assert not errors
    data, errors = run({"dados_pessoais": "nao"})
    assert not errors


def test_missing_private_means_public_unless_the_stored_dataset_is_private():
    data, errors = run({"observancia_legal": "2"})
    assert list(errors) == ["observancia_legal"]

    class StoredPackage:  # what package_update puts in context["package"]
        private = True

    data, errors = run({"observancia_legal": "2"}, {"package": StoredPackage()})
    assert not errors


def test_rules_read_values_from_extras_too():
    flat = {("private",): False, ("extras", 0, "key"): "dados_pessoais",
            ("extras", 0, "value"): "sim"}
    errors: dict = {}
    v.mogi_access_rules(("__after",), flat, errors, {})
    assert errors == {("dados_pessoais",): [v.message("private_personal_data")]}


# ----------------------------------------------------------- next expected update


@pytest.mark.parametrize(("code", "last", "expected"), [
    ("DIARIA", date(2024, 12, 31), date(2025, 1, 1)),
    ("SEMANAL", date(2024, 1, 1), date(2024, 1, 8)),
    ("QUINZENAL", date(2024, 1, 1), date(2024, 1, 16)),
    ("MENSAL", date(2024, 1, 31), date(2024, 2, 29)),
    ("MENSAL", date(2024, 3, 15), date(2024, 4, 15)),
    ("TRIMESTRAL", date(2024, 11, 30), date(2025, 2, 28)),
    ("QUADRIMESTRAL", date(2024, 1, 10), date(2024, 5, 10)),
    ("SEMESTRAL", date(2024, 8, 31), date(2025, 2, 28)),
    ("ANUAL", date(2024, 2, 29), date(2025, 2, 28)),
    ("anual", datetime(2024, 6, 1, 23, 59), date(2025, 6, 1)),
    ("SOB_DEMANDA", date(2024, 1, 1), None),
    ("OUTRAS", date(2024, 1, 1), None),
    ("", date(2024, 1, 1), None),
    (None, date(2024, 1, 1), None),
])
def test_next_expected_update(code, last, expected):
    assert next_expected_update(code, last) == expected


def test_every_periodicidade_has_a_rule():
    from ckanext.mogi.common import vocabularies
    from ckanext.mogi.schema import periodicity

    assert list(periodicity.INTERVALS) == vocabularies.values("periodicidade")


@pytest.mark.parametrize(("coverage", "value", "stored", "error"), [
    ("MUNICIPAL", "353060", "3530607", None),
    ("MUNICIPAL", "3530601", None, "check digit should be 7"),
    ("ESTADUAL", "sp", "SP", None),
    ("ESTADUAL", "XX", None, "not a Brazilian state"),
    ("FEDERAL", "br", "BR", None),
    ("FEDERAL", "3530607", None, 'the territory is "BR"'),
])
def test_spatial_value_follows_coverage(coverage, value, stored, error):
    data = {("cobertura_espacial",): coverage, ("valor_cobertura_espacial",): value}
    errors: dict = {("valor_cobertura_espacial",): []}
    v.mogi_spatial_value(("__after",), data, errors, {})
    if error:
        assert error in " ".join(errors[("valor_cobertura_espacial",)])
    else:
        assert errors[("valor_cobertura_espacial",)] == []
        assert data[("valor_cobertura_espacial",)] == stored
