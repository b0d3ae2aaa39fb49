"""``schemas/vocabularies.yaml`` against the official DCAT-BR and CGU vocabularies.

The official files are read where they are published in the workspace
(``../shared/standards``), never copied. Two of them do not parse as
published (see the standards README, "Known defects") and are repaired in
memory only.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from ckanext.mogi.common import vocabularies as vocab
from ckanext.mogi.dcat import shacl

STANDARDS = Path(__file__).resolve().parents[2].parent / "shared" / "standards"
VOCABS = STANDARDS / "dcat-br" / "vocabularies"




# ----------------------------------------------------------------- file readers


def read_csv(path: Path) -> list[tuple[str, str]]:
    """(uri, second column) pairs. The second column may hold unquoted commas
    (sei.csv labels), so each line is split on its first comma only."""
    pairs = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.strip():
            uri, _, rest = line.partition(",")
            pairs.append((uri.strip(), rest.strip()))
    return pairs


def parse_ttl(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(data=shacl.repaired(path), format="turtle")
    return graph


def pt_label(graph: Graph, subject: str, predicate=SKOS.prefLabel) -> str:
    labels = [o for o in graph.objects(URIRef(subject), predicate) if isinstance(o, Literal)]
    pt = [str(o) for o in labels if (o.language or "").lower() == "pt-br"]
    assert pt, f"no pt-BR {predicate} for {subject}"
    return pt[0]


def top_concepts(graph: Graph, scheme: str) -> set[str]:
    return {str(o) for o in graph.objects(URIRef(scheme), SKOS.hasTopConcept)}


def by_value(name: str) -> dict[str, dict]:
    return {entry["value"]: dict(entry) for entry in vocab.entries(name)}


@pytest.fixture(scope="module")
def readme() -> str:
    return (STANDARDS / "README.md").read_text(encoding="utf-8")


def cgu_codes(readme: str, extra: str) -> list[str]:
    """Codes listed in the README's CGU field list: ``<extra> (A, B, C)``."""
    match = re.search(rf"\b{extra} \(([A-Z_, ]+)\)", readme)
    assert match, f"{extra} not found in the standards README"
    return [code.strip() for code in match.group(1).split(",")]


# ----------------------------------------------------------------- the broken files


def test_published_defects_are_still_there_and_repaired():
    """If upstream fixes the files, the repair becomes a no-op (and this says so)."""
    for name in ("VCR-FR/freq.ttl", "VCR-LN/language.ttl"):
        path = VOCABS / name
        with pytest.raises(BadSyntax):
            Graph().parse(path, format="turtle")
        assert len(parse_ttl(path)) > 0


# ----------------------------------------------------------------------- themes


def test_themes_equal_the_26_dcat_br_themes():
    rows = read_csv(VOCABS / "themes" / "themes.csv")
    assert len(rows) == 26
    ours = by_value("temas")
    assert list(ours) == [slug for _, slug in rows]
    scheme_graph = parse_ttl(VOCABS / "themes" / "themes.ttl")
    scheme = vocab.scheme("temas")
    assert top_concepts(scheme_graph, scheme) == {uri for uri, _ in rows}
    for uri, slug in rows:
        graph = parse_ttl(VOCABS / "themes" / f"{slug}.ttl")
        assert ours[slug]["uri"] == uri
        # Exact label: the federal harvester matches group titles on it.
        assert ours[slug]["label"] == pt_label(graph, uri), slug
        assert str(graph.value(URIRef(uri), SKOS.notation)) == slug
    assert vocab.label("temas", "saude") == "Saúde"
    assert vocab.label("temas", "economia-e-financas") == "Economia e Finanças"


# ------------------------------------------------------------------ periodicidade


def test_periodicidade_codes_are_the_cgu_list(readme):
    assert vocab.values("periodicidade") == cgu_codes(readme, "periodicidade")


def test_periodicidade_uris_and_labels_match_vcr_fr():
    graph = parse_ttl(
        VOCABS / "VCR-FR" / "freq.ttl",
        VOCABS / "VCR-FR" / "outras.ttl",
        VOCABS / "VCR-FR" / "quadrimestral.ttl",
        VOCABS / "VCR-FR" / "sob-demanda.ttl",
    )
    csv_uri = {code: uri for uri, code in read_csv(VOCABS / "VCR-FR" / "freq.csv")}
    for code, entry in by_value("periodicidade").items():
        concept = URIRef(entry["uri"])
        assert (concept, None, SKOS.Concept) in graph, code
        assert entry["uri"].endswith("/VCR-FR/" + code)
        assert entry["label"] == pt_label(graph, entry["uri"]), code
        # The URI of freq.csv is the concept's exactMatch in the per-term files.
        assert entry["exact_match"] == csv_uri[code], code
    for code in ("OUTRAS", "QUADRIMESTRAL", "SOB_DEMANDA"):
        entry = by_value("periodicidade")[code]
        matches = {str(o) for o in graph.objects(URIRef(entry["uri"]), SKOS.exactMatch)}
        assert entry["exact_match"] in matches
    assert vocab.label("periodicidade", "DIARIA") == "Diária"


# ------------------------------------------------------------- observância legal


def test_observancia_legal_has_every_sei_code():
    rows = read_csv(VOCABS / "SEI" / "sei.csv")
    assert len(rows) == 34
    ours = by_value("observancia_legal")
    assert list(ours) == [str(n) for n in range(1, 35)]
    graph = parse_ttl(VOCABS / "SEI" / "sei.ttl")
    assert top_concepts(graph, vocab.scheme("observancia_legal")) == {u for u, _ in rows}
    for uri, label in rows:
        code = uri.rsplit("/", 1)[1]
        assert ours[code]["uri"] == uri
        assert ours[code]["label"] == label


def test_only_publico_is_unrestricted():
    for code, entry in by_value("observancia_legal").items():
        label = entry["label"]
        prefix = label.split(" - ", 1)[0]
        assert prefix in ("Público", "Restrito", "Sigiloso"), label
        assert entry["nivel"] == {"Público": "publico", "Restrito": "restrito",
                                  "Sigiloso": "sigiloso"}[prefix]
        assert entry["restricted"] is (code != "1")
        assert vocab.is_restricted_access(code) is (code != "1")
    assert vocab.is_restricted_access(1) is False
    assert vocab.is_restricted_access("99") is True  # unknown: never public
    assert vocab.label("observancia_legal", "1") == "Público"
    assert vocab.default("observancia_legal") == "1"


# ------------------------------------------------------------------------ licences


def test_licencas_match_vcr_lu_and_ckan_license_ids():
    from ckan.model.license import LicenseRegister

    graph = parse_ttl(VOCABS / "VCR-LU" / "licenca-uso.ttl")
    rows = read_csv(VOCABS / "VCR-LU" / "licensa-uso.csv")
    ours = by_value("licencas")
    assert {e["uri"] for e in ours.values()} == {u for u, _ in rows}
    assert top_concepts(graph, vocab.scheme("licencas")) == {u for u, _ in rows}
    ckan_ids = {license.id for license in LicenseRegister().licenses}
    for uri, notation in rows:
        assert ours[notation]["uri"] == uri
        assert ours[notation]["label"] == pt_label(graph, uri)
        assert ours[notation]["spdx"] == pt_label(graph, uri, SKOS.altLabel)
        assert str(graph.value(URIRef(uri), SKOS.notation)) == notation
        assert notation in ckan_ids
    assert vocab.default("licencas") == "cc-by"
    assert vocab.uri("licencas", "cc-by") == "https://creativecommons.org/licenses/by/4.0/"


# ---------------------------------------------------------------- spatial coverage


def test_cobertura_espacial_matches_vcr_ce_and_cgu(readme):
    folder = VOCABS / "VCR-CE"
    graph = parse_ttl(*sorted(folder.glob("*.ttl")))
    rows = read_csv(folder / "cobertura-espacial.csv")
    assert vocab.values("cobertura_espacial") == [code for _, code in rows]
    assert vocab.values("cobertura_espacial") == cgu_codes(readme, "coberturaEspacial")
    assert top_concepts(graph, vocab.scheme("cobertura_espacial")) == {u for u, _ in rows}
    for uri, code in rows:
        entry = vocab.entry("cobertura_espacial", code)
        assert entry["uri"] == uri
        assert entry["label"] == pt_label(graph, uri)
    assert vocab.default("cobertura_espacial") == "MUNICIPAL"


def test_granularidade_espacial_is_the_cgu_list(readme):
    assert vocab.values("granularidade_espacial") == cgu_codes(readme, "granularidadeEspacial")
    for entry in vocab.entries("granularidade_espacial"):
        assert entry["uri"] == vocab.uri("cobertura_espacial", entry["value"])
    assert vocab.values("granularidade_municipal") == [
        "distrito", "bairro", "setor_censitario", "endereco",
    ]
    assert vocab.label("granularidade_municipal", "setor_censitario") == "Setor censitário"


# --------------------------------------------------------------- resource types


def test_tipo_recurso_matches_the_ttl_files():
    folder = VOCABS / "tipo-recurso"
    graph = parse_ttl(*sorted(folder.glob("*.ttl")))
    scheme_concepts = top_concepts(graph, vocab.scheme("tipo_recurso"))
    ours = by_value("tipo_recurso")
    assert list(ours) == ["DADOS", "DICIONARIO_DE_DADOS", "DOCUMENTACAO", "API", "OUTRO"]
    assert {e["uri"] for e in ours.values()} == scheme_concepts
    for code, entry in ours.items():
        assert str(graph.value(URIRef(entry["uri"]), SKOS.notation)) == code
        assert entry["label"] == pt_label(graph, entry["uri"])
    # The CSV list, where present, agrees (it may lag behind the .ttl files).
    for uri, code in read_csv(folder / "tipo-recurso.csv"):
        assert ours[code]["uri"] == uri


# ---------------------------------------------------------------------- languages


def test_idiomas_are_vcr_ln_concepts():
    graph = parse_ttl(VOCABS / "VCR-LN" / "language.ttl")
    ours = by_value("idiomas")
    assert {"pt-BR", "en", "es"} <= set(ours)
    for value, entry in ours.items():
        concept = URIRef(entry["uri"])
        assert (concept, None, SKOS.Concept) in graph, value
        assert str(graph.value(concept, SKOS.notation)) == entry["notation"]
        assert value.split("-")[0].lower() == entry["notation"]
    assert vocab.default("idiomas") == "pt-BR"
    assert vocab.uri("idiomas", "pt-BR") == "http://id.loc.gov/vocabulary/iso639-1/pt"


# ------------------------------------------------------------------------ formats


def test_formatos_match_the_dcat_br_formats():
    folder = VOCABS / "formato"
    rows = read_csv(folder / "formatos.csv")
    machine = {ext for _, ext in read_csv(folder / "machine_readable_formats.csv")}
    open_formats = {ext for _, ext in read_csv(folder / "non_proprietary_formats.csv")}
    graph = parse_ttl(folder / "formato.ttl")
    ours = {e["extension"]: e for e in vocab.entries("formatos")}
    assert list(ours) == [ext for _, ext in rows]
    assert top_concepts(graph, vocab.scheme("formatos")) == {u for u, _ in rows}
    for uri, ext in rows:
        entry = ours[ext]
        assert entry["uri"] == uri
        assert entry["value"] == ext.upper()
        assert uri.endswith("/" + entry["media_type"])
        assert str(graph.value(URIRef(uri), SKOS.notation)) == ext
        assert str(graph.value(URIRef(uri), DCTERMS.source)) == uri
        assert entry["machine_readable"] is (ext in machine)
        assert entry["non_proprietary"] is (ext in open_formats)
    csv_uri = "https://www.iana.org/assignments/media-types/text/csv"
    assert vocab.value_for_uri("formatos", csv_uri) == "CSV"


# --------------------------------------------------------------- our own lists


def test_municipal_vocabularies():
    assert vocab.scheming_choices("dados_pessoais") == [
        {"value": "nao", "label": "Não"},
        {"value": "sim", "label": "Sim"},
        {"value": "sim_anonimizados", "label": "Sim, anonimizados"},
    ]
    bases = vocab.values("base_legal_lgpd")
    roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    assert bases == [f"art7_{n}" for n in roman] + [f"art11_ii_{c}" for c in "abcdefg"]
    for entry in vocab.entries("base_legal_lgpd"):
        assert entry["label"].startswith(("Art. 7º, ", "Art. 11, II, "))
    assert vocab.values("ods") == [str(n) for n in range(1, 18)]
    assert vocab.label("ods", "3") == "Saúde e bem-estar"
    assert vocab.values("tipo_organizacao") == [
        "secretaria", "autarquia", "fundacao", "empresa_publica",
    ]
    ufs = vocab.entries("uf")
    assert len(ufs) == 27
    assert len({e["codigo_ibge"] for e in ufs}) == 27
    assert vocab.entry("uf", "SP")["codigo_ibge"] == "35"
    assert all(re.fullmatch(r"[1-5][0-9]", e["codigo_ibge"]) for e in ufs)


def test_every_vocabulary_is_well_formed():
    assert set(vocab.names()) >= {
        "temas", "periodicidade", "observancia_legal", "licencas", "cobertura_espacial",
        "granularidade_espacial", "granularidade_municipal", "tipo_recurso", "idiomas",
        "formatos", "dados_pessoais", "base_legal_lgpd", "ods", "tipo_organizacao", "uf",
    }
    for name in vocab.names():
        choices = vocab.scheming_choices(name)
        assert [c["value"] for c in choices] == vocab.values(name)
        assert all(set(c) == {"value", "label"} and c["label"] for c in choices)
        if vocab.default(name) is not None:
            assert vocab.default(name) in vocab.values(name), name
        for entry in vocab.entries(name):
            assert "uri" in entry, (name, entry["value"])
            if entry["uri"]:
                assert entry["uri"].startswith(("http://", "https://"))
                assert vocab.value_for_uri(name, entry["uri"]) == entry["value"]


def test_lookups_of_unknown_things():
    assert vocab.label("temas", "nada") == "nada"
    assert vocab.uri("temas", "nada") is None
    assert vocab.value_for_uri("temas", "https://example.org/x") is None
    assert vocab.entry("temas", "nada") is None
    with pytest.raises(vocab.UnknownVocabulary):
        vocab.values("no-such-vocabulary")


def test_field_choices_is_a_scheming_choices_helper():
    field = {"field_name": "periodicidade", "vocabulary": "periodicidade"}
    assert vocab.field_choices(field)[0] == {"value": "DIARIA", "label": "Diária"}
    with pytest.raises(vocab.UnknownVocabulary):
        vocab.field_choices({"field_name": "x"})


def test_no_file_is_read_at_import_time(tmp_path):
    code = (
        "import ckanext.mogi.common.vocabularies as v, ckanext.mogi.schema as s\n"
        "assert v._load.cache_info().currsize == 0\n"
        "s.get_helpers()\n"
        "assert v._load.cache_info().currsize == 0\n"
        "v.values('temas')\n"
        "assert v._load.cache_info().currsize == 1\n"
    )
    # cwd: the checkout must not shadow the installed package (make test installs the wheel)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)
