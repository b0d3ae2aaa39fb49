"""Test data shared by every test package: datasets, organizations, tables.

One source for the dicts the tests create through CKAN's actions; a test that
needs a variation overrides fields (``{**DATASET, "private": True}``).
"""

from __future__ import annotations

from typing import Any

# ------------------------------------------------------------ organizations

#: The Secretaria de Saúde, with every field of schemas/organization.yaml.
ORGANIZATION: dict[str, Any] = {
    "name": "secretaria-de-saude",
    "title": "Secretaria Municipal de Saúde",
    "sigla": "SMS",
    "description": "Gestão do Sistema Único de Saúde no município.",
    "tipo": "secretaria",
    "cnpj": "11.222.333/0001-81",
    "email": "saude@mogidascruzes.sp.gov.br",
    "telefone": "(11) 4798-5000",
    "endereco": "Av. Ver. Narciso Yague Guimarães, 277 - Centro Cívico",
    "responsavel": "Secretário Municipal de Saúde",
    "site": "https://www.mogidascruzes.sp.gov.br/saude",
}

#: Another Secretaria (its staff are not the Secretaria de Saúde's).
OTHER_ORGANIZATION: dict[str, Any] = {
    "name": "secretaria-de-obras",
    "title": "Secretaria de Obras",
}

# ----------------------------------------------------------------- datasets

#: The fields schemas/dataset.yaml requires besides name, title and owner_org.
REQUIRED: dict[str, Any] = {
    "notes": "Dados da Secretaria.",
    "temas": ["saude"],
    "periodicidade": "MENSAL",
    "tag_string": "saúde,atendimento",
    "maintainer": "Departamento de Dados",
    "maintainer_email": "dados@mogidascruzes.sp.gov.br",
}


def dataset_fields(organization: dict[str, Any], name: str, **extra: Any) -> dict[str, Any]:
    """The required fields of schemas/dataset.yaml for a dataset of ``organization``."""
    return {"name": name, "title": f"Conjunto {name}", **REQUIRED,
            "owner_org": organization["id"], **extra}


#: A complete, valid dataset of schemas/dataset.yaml (no personal data).
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

#: DATASET with every field of schemas/dataset.yaml filled, the conditional
#: ones too (anonymised personal data, its legal bases, SDGs, documentation).
FULL_DATASET: dict[str, Any] = {
    **DATASET,
    "temas": ["saude", "economia-e-financas"],
    "tag_string": "saúde, atendimentos, custos",
    "dados_pessoais": "sim_anonimizados",
    "base_legal_lgpd": ["art7_iii", "art11_ii_b"],
    "anonimizacao": "Agregação por UBS e mês; nenhum dado individual.",
    "documentacao": "https://dados.mogidascruzes.sp.gov.br/dicionario/atendimentos",
    "relacao_ods": "true",
    "ods": ["3", "10"],
    "dados_genero": "true",
}

# ------------------------------------------------------------------- tables

#: Valid CPFs (check digits right).
CPFS = ["529.982.247-25", "111.444.777-35", "390.533.447-05", "483.583.594-89",
        "988.556.061-07", "593.189.353-90"]


def payroll(masked: bool = False) -> str:
    """A payroll table with citizens' CPFs, in clear or masked (federal pattern)."""
    lines = ["nome;cpf;valor"]
    for index, cpf in enumerate(CPFS):
        shown = f"***.{cpf[4:11]}-**" if masked else cpf
        lines.append(f"Servidor Número {index};{shown};{1000 + index},50")
    return "\n".join(lines) + "\n"


#: Two citizens with their CPFs (personal data).
PEOPLE = "nome;cpf\nJoão da Silva;529.982.247-25\nMaria Souza;111.444.777-35\n"

#: Companies under contract: CNPJs are not personal data.
COMPANIES = "\n".join([
    "empresa;cnpj;valor",
    "Construtora Alto Tietê Ltda;11.222.333/0001-81;150.000,00",
    "Papelaria Central Ltda;45.723.174/0001-10;1.200,50",
    "Serviços Médicos Mogi S.A.;60.701.190/0001-04;98.765,43",
]) + "\n"

#: A sound table without personal data.
UNITS = "\n".join([
    "unidade;bairro;atendimentos;data",
    "UBS Jundiapeba;Jundiapeba;1.204;31/01/2024",
    "UBS Braz Cubas;Braz Cubas;987;31/01/2024",
    "UBS César de Souza;César de Souza;1.530;31/01/2024",
]) + "\n"

#: A table with a broken row (an extra cell).
BROKEN = "unidade;atendimentos\nUBS Jundiapeba;1204\nUBS Braz Cubas;987;x;y\n"


# ------------------------------------------------------------------ callers


def as_site() -> dict[str, Any]:
    """``helpers.call_action``'s context acting as the site user. With CKAN's
    activity plugin, every change of a dataset is recorded under a real user
    (``helpers.call_action``'s default caller, ``127.0.0.1``, is none)."""
    from ckan.tests import helpers

    return {"user": helpers.call_action("get_site_user")["name"]}
