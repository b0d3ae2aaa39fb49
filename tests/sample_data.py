"""Test data shared by the test packages (one source for a complete dataset)."""

from __future__ import annotations

from typing import Any

#: A complete, valid dataset of schemas/dataset.yaml.
DATASET: dict[str, Any] = {
    "title": "Atendimentos nas Unidades Básicas de Saúde 2022",
    "notes": "Atendimentos mensais por UBS, com custo por atendimento.",
    "version": "1.2",
    "temas": ["saude"],
    "tag_string": "saúde, atendimentos",
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
    "dados_pessoais": "nao",
    "maintainer": "Departamento de Atenção Básica",
    "maintainer_email": "atencao.basica@mogidascruzes.sp.gov.br",
    "ponto_contato": "Ouvidoria Municipal, (11) 4798-5000",
    "fonte": "Prontuário eletrônico da rede municipal",
    "metodologia": "Contagem de atendimentos registrados no prontuário.",
    "relacao_ods": "false",
    "dados_raca_etnia": "false",
    "dados_genero": "false",
    "atualizacao_versao": "false",
    "descontinuado": "false",
}
