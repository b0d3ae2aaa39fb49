"""Sample tables and dataset fields shared by the validation tests."""

from __future__ import annotations

from typing import Any

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


def dataset_fields(organization: dict[str, Any], name: str, **extra: Any) -> dict[str, Any]:
    """The required fields of schemas/dataset.yaml for a dataset of ``organization``."""
    return {
        "name": name, "title": f"Conjunto {name}", "notes": "Dados da Secretaria.",
        "owner_org": organization["id"], "temas": ["saude"], "periodicidade": "MENSAL",
        "tag_string": "saúde,atendimento",
        "maintainer": "Departamento de Dados",
        "maintainer_email": "dados@mogidascruzes.sp.gov.br", **extra,
    }
