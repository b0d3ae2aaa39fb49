"""Files uploaded by the demo catalogue, built from the shared public tables.

Every function here reads the real tables (never writes them) and returns the
bytes of one file to upload. Raw tables are uploaded as they are, byte for
byte; the Mogi das Cruzes JSON dumps are flattened into UTF-8 CSV files, one
row per record, with trimmed text and ``dd/mm/aaaa`` dates.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ckanext.mogi.common.i18n import translate as _

#: ``converter(paths, **options)``: the options are the resource's ``columns``
#: in the catalogue, when it has them.
Converter = Callable[..., bytes]

_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
_SPACES = re.compile(r"\s+")

TENDER_COLUMNS = (
    "ano",
    "id_licitacao",
    "numero",
    "orgao",
    "modalidade",
    "situacao",
    "objeto",
    "descricao",
    "complemento",
    "data_abertura",
    "data_publicacao_inicio",
    "data_publicacao_fim",
    "quantidade_ocorrencias",
    "quantidade_documentos",
)


def clean_text(value: Any) -> str:
    """``value`` as one line of text: trimmed, inner whitespace collapsed."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value)).strip()


def clean_date(value: Any) -> str:
    """The first ``dd/mm/aaaa`` date in ``value`` (padded with spaces or
    followed by more text in the source), else the cleaned text."""
    text = clean_text(value)
    match = _DATE.search(text)
    return match.group(0) if match else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A comma-separated UTF-8 file with a header line."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def read_json_list(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(_("{file}: a JSON list was expected").format(file=path.name))
    return data


def _tender_key(tender: dict[str, Any]) -> tuple[str, str, str]:
    info = tender.get("dados") or {}
    return (
        clean_text(info.get("orgao")).upper(),
        clean_text(info.get("tipo")),
        clean_text(info.get("licitacao")),
    )


def tender_row(tender: dict[str, Any]) -> list[Any]:
    """One flat row (``TENDER_COLUMNS``) of a tender from the city's system."""
    info = tender.get("dados") or {}
    return [
        clean_text(info.get("ano")),
        clean_text(info.get("idlicitacao")),
        clean_text(info.get("licitacao")),
        # The source mixes "PMMC" and "pMMC".
        clean_text(info.get("orgao")).upper(),
        clean_text(info.get("tipo")),
        clean_text(info.get("situacaos")),
        clean_text(tender.get("objeto")),
        clean_text(tender.get("descricao")),
        clean_text(tender.get("complemento")),
        clean_date(info.get("dataabertura")),
        clean_date(info.get("publicacaoinicio")),
        clean_date(info.get("publicacaofim")),
        len(tender.get("ocorrencias") or []),
        len(tender.get("anexos") or []),
    ]


def tenders(paths: Sequence[Path]) -> bytes:
    """All tenders of the given yearly dumps, one row each."""
    rows = [tender_row(t) for path in paths for t in read_json_list(path)]
    return to_csv(TENDER_COLUMNS, rows)


def semae_tenders(paths: Sequence[Path]) -> bytes:
    """Only the tenders of SEMAE, the water and sewage autarchy."""
    rows = [
        tender_row(t)
        for path in paths
        for t in read_json_list(path)
        if _tender_key(t)[0] == "SEMAE"
    ]
    return to_csv(TENDER_COLUMNS, rows)


def tender_documents(paths: Sequence[Path]) -> bytes:
    """One row per document (notice, minutes...) attached to a tender."""
    rows = []
    for path in paths:
        for tender in read_json_list(path):
            organ, modality, number = _tender_key(tender)
            for document in tender.get("anexos") or []:
                rows.append(
                    [
                        number,
                        organ,
                        modality,
                        clean_text(document.get("descricao")),
                        clean_text(document.get("link")),
                    ]
                )
    return to_csv(("numero", "orgao", "modalidade", "documento", "link"), rows)


def tender_events(paths: Sequence[Path]) -> bytes:
    """One row per event (questions, minutes, suspension...) of a tender."""
    rows = []
    for path in paths:
        for tender in read_json_list(path):
            organ, modality, number = _tender_key(tender)
            for event in tender.get("ocorrencias") or []:
                rows.append(
                    [
                        number,
                        organ,
                        modality,
                        clean_date(event.get("data")),
                        clean_text(event.get("descricao")),
                    ]
                )
    return to_csv(("numero", "orgao", "modalidade", "data", "ocorrencia"), rows)


def job_titles(paths: Sequence[Path]) -> bytes:
    """Job titles of the city's staff with their weekly hours."""
    rows = [
        [item.get("id"), clean_text(item.get("descricao")), item.get("horas_semanais")]
        for path in paths
        for item in read_json_list(path)
    ]
    return to_csv(("codigo", "cargo", "horas_semanais"), rows)


def mogi_rows(paths: Sequence[Path]) -> bytes:
    """Rows of a UTF-8 CSV whose ``municipio`` is Mogi das Cruzes."""
    rows: list[list[str]] = []
    header: list[str] = []
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            column = header.index("municipio")
            rows.extend(
                row for row in reader
                if len(row) > column and row[column].upper().startswith("MOGI DAS CRUZES")
            )
    return to_csv(header, rows)


def tender_dictionary(paths: Sequence[Path], columns: Mapping[str, Mapping[str, str]]
                      ) -> bytes:
    """The data dictionary of the flat tender files: each column's type and
    description (``columns``, from the catalogue), with an example taken from
    the first tender of the dumps."""
    first = next((t for path in paths for t in read_json_list(path)), None)
    examples = tender_row(first) if first else [""] * len(TENDER_COLUMNS)
    rows = [
        [column, columns[column]["tipo"], columns[column]["descricao"], example]
        for column, example in zip(TENDER_COLUMNS, examples, strict=True)
    ]
    return to_csv(("coluna", "tipo", "descricao", "exemplo"), rows)


def raw(paths: Sequence[Path]) -> bytes:
    """The table exactly as published (a single file)."""
    (path,) = paths
    return path.read_bytes()


CONVERTERS: dict[str, Converter] = {
    "raw": raw,
    "tenders": tenders,
    "semae_tenders": semae_tenders,
    "tender_documents": tender_documents,
    "tender_events": tender_events,
    "tender_dictionary": tender_dictionary,
    "job_titles": job_titles,
    "mogi_rows": mogi_rows,
}
