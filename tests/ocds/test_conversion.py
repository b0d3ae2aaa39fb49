"""The city's two real tender-system dumps as OCDS 1.1.5: every process one
record, valid against the local schema and codelists, ocids stable, counts
per buyer, modality and status equal to a direct count of the input; the
library's ``licitacoes`` and ``contratos`` tables too."""

from __future__ import annotations

import importlib.util
import io
import json
from collections import Counter
from pathlib import Path

import ocdsmerge.rules
import pytest

from ckanext.mogi.ocds import check, mapping, releases

SHARED = Path(__file__).parents[2].parent / "shared"
SCHEMA_DIR = SHARED / "standards" / "ocds" / "1.1.5"
DUMPS = [SHARED / "data" / "tables" / f"mogi_licitacoes_{year}.json" for year in (2018, 2022)]
PREFIX = "ocds-xxxxxx"
PUBLISHED = "2024-05-02T10:00:00-03:00"
HEAD = {"uri": "http://test.ckan.net/ocds/records.json", "published_date": PUBLISHED,
        "publisher": {"name": "Prefeitura Municipal de Mogi das Cruzes"}}


def convert_dumps(published: str = PUBLISHED) -> list[releases.Converted]:
    converted = []
    for path in DUMPS:
        with path.open("rb") as stream:
            converted += releases.releases_from_dump(stream, prefix=PREFIX, published=published)
    return converted


def raw_processes() -> list[dict]:
    return [p for path in DUMPS for p in json.loads(path.read_text("utf-8"))]


@pytest.fixture(scope="module")
def standard() -> check.Standard:
    return check.Standard(SCHEMA_DIR)


@pytest.fixture(scope="module")
def converted() -> list[releases.Converted]:
    return convert_dumps()


def test_every_process_becomes_one_valid_record(converted, standard):
    raw = raw_processes()
    assert len(raw) == 884 and len(converted) == 884
    assert all(c.release is not None for c in converted)
    rels = [c.release for c in converted]
    assert len({r["ocid"] for r in rels}) == 884

    package = releases.release_package(rels, **HEAD)
    assert check.validate_package(package, standard) == []
    # Streamed, the same package.
    text = "".join(releases.iter_release_package(rels, **HEAD))
    assert json.loads(text) == json.loads(json.dumps(package))

    records = releases.record_package(rels, **HEAD)
    assert len(records["records"]) == 884
    assert check.validate_package(records, standard) == []
    compiled = records["records"][0]["compiledRelease"]
    assert compiled["tag"] == ["compiled"] and compiled["tender"]["title"]


def test_codelist_values_are_the_standards(converted, standard):
    codes = standard.codelists
    for release in (c.release for c in converted):
        tender = release["tender"]
        assert tender.get("status", "active") in codes["tenderStatus.csv"]
        assert tender.get("procurementMethod", "open") in codes["method.csv"]
        assert {d["documentType"] for d in tender.get("documents", [])} <= \
            codes["documentType.csv"]
        assert {m["type"] for m in tender.get("milestones", [])} <= codes["milestoneType.csv"]
        assert set(release["tag"]) <= codes["releaseTag.csv"]
        assert {role for p in release["parties"] for role in p["roles"]} <= \
            codes["partyRole.csv"]


def test_ocids_and_release_ids_are_stable_across_imports(converted):
    again = convert_dumps(published="2025-01-01T00:00:00-03:00")
    assert [c.ocid for c in again] == [c.ocid for c in converted]
    assert [c.release["id"] for c in again] == [c.release["id"] for c in converted]
    first = converted[0].release
    assert first["ocid"] == "ocds-xxxxxx-PMMC-2489"


def test_counts_per_buyer_modality_and_status_match_the_input(converted):
    raw = raw_processes()
    by_buyer = Counter(p["dados"]["orgao"].strip().upper() for p in raw)
    by_modality = Counter(p["dados"]["tipo"] for p in raw)
    by_status = Counter(p["dados"]["situacaos"] for p in raw)
    rels = [c.release for c in converted]
    assert Counter(r["ocid"].split("-")[2] for r in rels) == by_buyer
    names = {"PMMC": "Prefeitura Municipal de Mogi das Cruzes"}
    assert sum(r["buyer"]["name"] == names["PMMC"] for r in rels) == by_buyer["PMMC"]
    assert Counter(r["tender"]["procurementMethodDetails"] for r in rels) == by_modality
    assert Counter(r["tender"].get("statusDetails", "") for r in rels) == by_status
    mapped = Counter(r["tender"].get("status") for r in rels)
    assert mapped["complete"] == by_status["CONCLUÍDA"]
    assert mapped["cancelled"] == by_status["REVOGADA"]
    assert mapped[None] == by_status[""]
    assert mapped["active"] == sum(by_status[s] for s in (
        "PUBLICADA", "REPUBLICADA", "EM ANDAMENTO", "SUSPENSA"))
    methods = Counter(r["tender"].get("procurementMethod") for r in rels)
    assert methods["limited"] == by_modality["Convite"]
    assert methods["selective"] == by_modality["Tomada de Preços"]
    assert methods["direct"] == by_modality["Dispensa/Inexigibilidade"]


def test_dirty_values_are_normalised_or_reported(converted):
    by_label = {c.record: c for c in converted}
    # Padded dates: read as local midnight (2018: daylight saving time in November).
    tender = by_label["PMMC-2489"].release["tender"]
    assert tender["tenderPeriod"] == {"startDate": "2018-06-15T00:00:00-03:00",
                                      "endDate": "2018-07-20T00:00:00-03:00"}
    assert tender["milestones"][0]["dateMet"] == "2018-07-13T00:00:00-03:00"
    assert tender["milestones"][0]["title"] == "PERGUNTAS E RESPOSTAS"
    assert tender["amendments"][0]["rationale"] == "AVISO DE SUSPENSÃO"
    # pMMC: the Prefeitura, reported.
    lower = by_label["pMMC-4993"]
    assert lower.release["ocid"] == "ocds-xxxxxx-PMMC-4993"
    assert [f.code for f in lower.findings] == ["buyer_normalised"]
    assert lower.findings[0].message == 'Órgão "pMMC" lido como "PMMC".'
    # Empty status: no tender.status, reported in Portuguese.
    empty = by_label["PMMC-5035"]
    assert "status" not in empty.release["tender"]
    assert [(f.level, f.code, f.path) for f in empty.findings] == \
        [("warning", "status_empty", "dados.situacaos")]
    assert "situação" in empty.findings[0].message
    # A public hearing is no procurement method: kept in the details, reported.
    hearing = by_label["PMMC-2835"]
    assert "procurementMethod" not in hearing.release["tender"]
    assert hearing.release["tender"]["procurementMethodDetails"] == "Audiência Pública - Saúde"
    assert [f.code for f in hearing.findings] == ["method_unmapped"]
    codes = Counter(f.code for c in converted for f in c.findings)
    assert codes == {"buyer_normalised": 3, "status_empty": 3, "method_unmapped": 1}


def test_a_broken_dump_loses_no_process(standard):
    items = [
        "not a process",
        {"dados": {"orgao": "SEMAE", "situacaos": "CONCLUÍDA", "tipo": "Convite",
                   "licitacao": "0001/2020", "dataabertura": " 31/02/2020 "},
         "objeto": "OBRA", "anexos": [{"descricao": "Edital"}], "ocorrencias": "x"},
        {"dados": {"orgao": "CETESB", "idlicitacao": "77", "tipo": "Pregão Eletrônico"},
         "objeto": "SERVIÇO"},
    ]
    stream = io.BytesIO(json.dumps(items).encode())
    out = list(releases.releases_from_dump(stream, prefix=PREFIX, published=PUBLISHED))
    assert len(out) == 3
    assert out[0].release is None and out[0].findings[0].level == "error"
    second = out[1]
    assert second.release["ocid"].startswith("ocds-xxxxxx-SEMAE-sem-id-")
    assert {f.code for f in second.findings} == {
        "process_id_missing", "date_invalid", "document_without_link", "not_a_list"}
    third = out[2]
    assert third.release["ocid"] == "ocds-xxxxxx-DESCONHECIDO-77"
    assert "buyer" not in third.release
    assert [f.code for f in third.findings] == ["buyer_unknown", "status_empty"]
    package = releases.release_package([c.release for c in out[1:]], **HEAD)
    assert [f for f in check.validate_package(package, standard) if f.level == "error"] == []


def test_a_file_that_is_not_a_dump_is_refused():
    from ckanext.mogi.ocds.dump import DumpError

    with pytest.raises(DumpError):
        list(releases.releases_from_dump(io.BytesIO(b'{"releases": []}'), prefix=PREFIX,
                                         published=PUBLISHED))
    broken = io.BytesIO(b'[{"dados": {"orgao": "PMMC", "idlicitacao": "1"}}, {"dados": ')
    seen = []
    with pytest.raises(DumpError):
        seen.extend(releases.releases_from_dump(broken, prefix=PREFIX, published=PUBLISHED))


# ------------------------------------------------------------ library tables


def library_samples() -> dict:
    """The schemas library's own test samples (tests/validation/test_library.py)."""
    path = Path(__file__).parents[1] / "validation" / "test_library.py"
    spec = importlib.util.spec_from_file_location("library_samples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SAMPLES


def rows(name: str) -> list[dict]:
    _encoding, header, lines = library_samples()[name]
    return [dict(zip(header, line, strict=True)) for line in lines]


def test_the_licitacoes_sample_yields_valid_releases(standard):
    out = list(releases.releases_from_rows(rows("licitacoes"), "licitacoes", prefix=PREFIX,
                                           published=PUBLISHED))
    assert len(out) == 3
    first = out[0].release
    assert first["ocid"] == "ocds-xxxxxx-PMMC-PE-0127-2022"
    assert first["tender"]["value"] == {"amount": 1234567.89, "currency": "BRL"}
    assert first["tender"]["status"] == "complete"
    assert first["tender"]["documents"][0]["documentType"] == "tenderNotice"
    assert out[2].release["tender"]["status"] == "active"  # SUSPENSA
    assert "value" not in out[2].release["tender"]  # "-": a missing value
    package = releases.release_package([c.release for c in out], **HEAD)
    assert check.validate_package(package, standard) == []


def test_the_contratos_sample_yields_awards_and_contracts_in_reais(standard):
    contracts = list(releases.releases_from_rows(rows("contratos"), "contratos", prefix=PREFIX,
                                                 published=PUBLISHED))
    first = contracts[0].release
    assert first["ocid"] == "ocds-xxxxxx-PMMC-PE-0127-2022"  # the tender's, from the table
    assert first["awards"][0]["value"] == {"amount": 1250300.5, "currency": "BRL"}
    assert first["contracts"][0]["value"] == {"amount": 1250300.5, "currency": "BRL"}
    assert first["contracts"][0]["period"] == {"startDate": "2023-03-16T00:00:00-03:00",
                                               "endDate": "2024-03-15T00:00:00-03:00"}
    assert first["contracts"][0]["status"] == "active"
    supplier = next(p for p in first["parties"] if "supplier" in p["roles"])
    assert supplier["identifier"] == {"scheme": "BR-CNPJ", "id": "35820448003070",
                                      "legalName": "DROGARIA SÃO JOÃO LTDA"}
    person = contracts[1].release
    assert person["ocid"] == "ocds-xxxxxx-PMMC-CT-046-2023"  # no tender: its own ocid
    payee = next(p for p in person["parties"] if "supplier" in p["roles"])
    assert "identifier" not in payee and "456.789" not in json.dumps(person)
    assert person["contracts"][0]["status"] == "terminated"
    # Typed values, as the DataStore gives them, convert the same.
    typed = dict(rows("contratos")[0], valor=1250300.50)
    again = next(releases.releases_from_rows([typed], "contratos", prefix=PREFIX,
                                             published=PUBLISHED)).release
    assert again["awards"] == first["awards"]
    # The tender (licitacoes) and its contract (contratos) make one record.
    tenders = [c.release for c in releases.releases_from_rows(
        rows("licitacoes"), "licitacoes", prefix=PREFIX, published=PUBLISHED)]
    package = releases.record_package([*tenders, *(c.release for c in contracts)], **HEAD)
    assert check.validate_package(package, standard) == []
    joined = next(r for r in package["records"] if r["ocid"] == first["ocid"])
    assert len(joined["releases"]) == 2
    assert joined["compiledRelease"]["tender"]["title"] == "ÓLEOS, GRAXAS E LUBRIFICANTES"
    assert joined["compiledRelease"]["contracts"][0]["value"]["amount"] == 1250300.5


def test_the_shipped_merge_rules_are_the_standards():
    """Records are compiled with merge rules kept as data (no schema folder on
    the server): the same ocdsmerge derives from OCDS 1.1.5's release schema."""
    schema = json.loads((SCHEMA_DIR / "dereferenced-release-schema.json").read_text("utf-8"))
    assert mapping.merge_rules() == ocdsmerge.rules.get_merge_rules(schema)
