"""``ckan mogi ocds validate`` and ``convert``: Portuguese findings, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from ckan.cli.cli import ckan as ckan_cli

SHARED = Path(__file__).parents[2].parent / "shared"
SCHEMA_DIR = SHARED / "standards" / "ocds" / "1.1.5"
DUMP = SHARED / "data" / "tables" / "mogi_licitacoes_2022.json"


def run(cli, command, *args):
    """``ckan mogi ocds <command>``; validation reads the schema folder, conversion
    needs none (records are compiled with the merge rules kept as data)."""
    folder = ["--schema-dir", str(SCHEMA_DIR)] if command == "validate" else []
    return cli.invoke(ckan_cli, ["mogi", "ocds", command, *args, *folder])


def test_a_real_dump_converts_and_validates(cli, tmp_path):
    result = run(cli, "validate", str(DUMP))
    assert result.exit_code == 0, result.output
    assert "431 releases ou registros verificados: 0 erros" in result.output
    assert 'aviso [pMMC-4993] dados.orgao: Órgão "pMMC" lido como "PMMC".' in result.output

    package = tmp_path / "records.json"
    result = run(cli, "convert", str(DUMP), "--records", "--output", str(package))
    assert result.exit_code == 0, result.output
    records = json.loads(package.read_text("utf-8"))["records"]
    assert len(records) == 431
    result = run(cli, "validate", str(package))
    assert result.exit_code == 0, result.output


def test_a_broken_package_is_reported_in_portuguese(cli, tmp_path):
    package = tmp_path / "releases.json"
    result = run(cli, "convert", str(DUMP), "--output", str(package))
    assert result.exit_code == 0, result.output
    data = json.loads(package.read_text("utf-8"))
    data["releases"][0]["tender"]["status"] = "aberta"
    del data["releases"][1]["date"]
    data["releases"][2]["tender"]["tenderPeriod"]["startDate"] = "01/02/2022"
    package.write_text(json.dumps(data), "utf-8")
    result = run(cli, "validate", str(package))
    assert result.exit_code == 1
    ocid = data["releases"][0]["ocid"]
    assert (f'erro [{ocid}] /releases/0/tender/status: "aberta" não é um código da '
            "lista fechada.") in result.output
    assert 'O campo obrigatório "date" está ausente.' in result.output
    assert "não é uma data e hora" in result.output
    assert "3 erros" in result.output


def test_a_file_that_is_no_json_is_refused(cli, tmp_path):
    broken = tmp_path / "x.json"
    broken.write_text("isto não é JSON", "utf-8")
    result = run(cli, "validate", str(broken))
    assert result.exit_code == 2
    assert "Erro:" in result.output
