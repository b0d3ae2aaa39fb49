"""Fixtures for the metadata acceptance tests (API, web form, federal harvest).

Everything is real: CKAN with the plugins of ``test.ini`` (or those a test
class selects), PostgreSQL and, for the harvest, a real HTTP server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

#: A complete, valid, public dataset: every field of schemas/dataset.yaml.
COMPLETE_DATASET: dict[str, Any] = {
    "name": "atendimentos-ubs-2022",
    "title": "Atendimentos nas Unidades Básicas de Saúde 2022",
    "notes": "Atendimentos mensais por UBS, com custo por atendimento.",
    "version": "1.2",
    "temas": ["saude", "economia-e-financas"],
    "tag_string": "saúde, atendimentos, custos",
    "license_id": "cc-by",
    "idioma": "pt-BR",
    "periodicidade": "MENSAL",
    "cobertura_temporal_inicio": "01/01/2022",
    "cobertura_temporal_fim": "31/12/2022",
    "cobertura_espacial": "MUNICIPAL",
    "valor_cobertura_espacial": "3530607",
    "granularidade_espacial": "MUNICIPAL",
    "granularidade_municipal": "bairro",
    "observancia_legal": ["1"],
    "dados_pessoais": "sim_anonimizados",
    "base_legal_lgpd": ["art7_iii", "art11_ii_b"],
    "anonimizacao": "Agregação por UBS e mês; nenhum dado individual.",
    "maintainer": "Departamento de Atenção Básica",
    "maintainer_email": "atencao.basica@MOGIDASCRUZES.SP.GOV.BR",
    "ponto_contato": "Ouvidoria Municipal, (11) 4798-5000",
    "fonte": "Prontuário eletrônico da rede municipal",
    "metodologia": "Contagem de atendimentos registrados no prontuário.",
    "documentacao": "https://dados.mogidascruzes.sp.gov.br/dicionario/atendimentos",
    "relacao_ods": "true",
    "ods": ["3", "10"],
    "dados_raca_etnia": "false",
    "dados_genero": "true",
    "atualizacao_versao": "false",
    "descontinuado": "false",
}


@pytest.fixture
def dataset_data(organization) -> Callable[..., dict[str, Any]]:
    """``dataset_data(**changes)``: a complete valid dataset dict (not yet created)."""

    def build(**changes: Any) -> dict[str, Any]:
        data = {**COMPLETE_DATASET, "owner_org": organization["id"]}
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    return build
