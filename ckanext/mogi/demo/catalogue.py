"""The demo catalogue of Mogi das Cruzes, as data.

Organizations and datasets are plain dicts in the shape of CKAN's actions,
with every field of the portal's schemas (``schemas/organization.yaml`` and
``schemas/dataset.yaml``) filled in. Values are typed as a person would type
them in the forms: dates as ``dd/mm/aaaa``, IBGE codes with 7 digits, yes/no
fields as ``"true"``/``"false"``; the schema's validators store them in their
canonical form. Fields that do not apply are left out (granularity inside the
municipality, LGPD legal basis and anonymisation, SDGs, discontinuation date).
Only these keys are not CKAN's own and are translated by the loader:

* a dataset's ``tags`` is a list of Portuguese keywords (sent as
  ``tag_string``). Its themes are the ``temas`` field, never ``groups``: the
  ``mogi_schema`` plugin keeps the theme groups' memberships in step;
* a resource is either a link (``url``) or an upload built from the shared
  public tables: ``tables`` (file names inside ``<source>/tables/``),
  ``convert`` (a key of ``tables.CONVERTERS``, ``"raw"`` uploads the file as
  it is) and ``filename`` (the name of the uploaded file).

The 26 theme groups themselves come from ``schemas/vocabularies.yaml``
(``ckanext.mogi.schema.themes``); only their descriptions are here.

Before publishing the portal, confirm with each body the values that are
placeholders: the e-mail addresses (all in the city's domain), the
abbreviations (``sigla``) other than SEPLAG, SEMAE and IPREM, and the pages of
the city's site (``/pagina/<secretaria>`` is the site's pattern). The CNPJ is
the Prefeitura's own (46.523.270/0001-88, "Município de Mogi das Cruzes" in
the PNCP), shared by the secretarias, which have no CNPJ of their own; the
autarchies SEMAE and IPREM have CNPJs of their own, left empty until confirmed,
as are their street addresses.

Non-Mogi tables (Minas Gerais, Belo Horizonte, São José dos Campos, federal
files) stand in for municipal data the city does not publish yet; their
spatial coverage says honestly which territory the file covers.
"""

from __future__ import annotations

from typing import Any

CITY_SITE = "https://www.mogidascruzes.sp.gov.br/"
TENDER_SYSTEM = "https://licitacao-mgcon.mogidascruzes.sp.gov.br/"
MAIL_DOMAIN = "mogidascruzes.sp.gov.br"

# Prefeitura Municipal de Mogi das Cruzes (PNCP: "MUNICIPIO DE MOGI DAS CRUZES").
PREFEITURA_CNPJ = "46523270000188"
PREFEITURA_ADDRESS = (
    "Av. Ver. Narciso Yague Guimarães, 277 - Centro Cívico, "
    "Mogi das Cruzes - SP, 08780-900"
)
PREFEITURA_PHONE = "(11) 4798-5000"
OUVIDORIA = f"Ouvidoria Municipal e Serviço de Informação ao Cidadão (SIC), {PREFEITURA_PHONE}"

# IBGE municipality codes (7 digits).
MOGI_DAS_CRUZES = "3530607"
BELO_HORIZONTE = "3106200"
SAO_JOSE_DOS_CAMPOS = "3549904"


def _page(slug: str) -> str:
    return f"{CITY_SITE}pagina/{slug}"


def _secretaria(name: str, title: str, sigla: str, head: str, mailbox: str,
                description: str) -> dict[str, Any]:
    return {
        "name": name,
        "title": title,
        "sigla": sigla,
        "description": description,
        "tipo": "secretaria",
        "cnpj": PREFEITURA_CNPJ,
        "email": f"{mailbox}@{MAIL_DOMAIN}",
        "telefone": PREFEITURA_PHONE,
        "endereco": PREFEITURA_ADDRESS,
        "responsavel": head,
        "site": _page(name),
    }


ORGANIZATIONS: list[dict[str, Any]] = [
    _secretaria(
        "secretaria-de-governo-e-transparencia",
        "Secretaria de Governo e Transparência", "SGT",
        "Secretário(a) Municipal de Governo e Transparência", "transparencia",
        "Coordena a ação de governo, a transparência ativa e o portal de dados "
        "abertos da Prefeitura de Mogi das Cruzes, incluindo o atendimento aos "
        "pedidos de acesso à informação (Lei nº 12.527/2011).",
    ),
    _secretaria(
        "secretaria-de-gestao-e-contratacoes-publicas",
        "Secretaria de Gestão e Contratações Públicas", "SGCP",
        "Secretário(a) Municipal de Gestão e Contratações Públicas", "contratacoes",
        "Responsável pelas licitações, compras e contratos da Prefeitura. Publica "
        "os dados de contratações abertas, seguindo os critérios de transparência "
        "do programa Contratações Abertas.",
    ),
    _secretaria(
        "secretaria-de-planejamento-e-gestao-estrategica",
        "Secretaria de Planejamento e Gestão Estratégica", "SEPLAG",
        "Secretário(a) Municipal de Planejamento e Gestão Estratégica", "seplag",
        "Planejamento, gestão estratégica e participação social (SEPLAG). Cuida "
        "dos programas de participação, como o Participa Mogi, e dos dados de "
        "gestão de pessoas e de obras.",
    ),
    _secretaria(
        "secretaria-de-saude",
        "Secretaria de Saúde", "SMS",
        "Secretário(a) Municipal de Saúde", "saude",
        "Gestão da rede municipal de saúde: Unidades Básicas de Saúde, vigilância "
        "epidemiológica, vacinação e atenção especializada.",
    ),
    _secretaria(
        "secretaria-de-educacao",
        "Secretaria de Educação", "SME",
        "Secretário(a) Municipal de Educação", "educacao",
        "Rede municipal de ensino: creches, pré-escolas e escolas de ensino "
        "fundamental, matrículas e programas educacionais.",
    ),
    _secretaria(
        "secretaria-de-longevidade",
        "Secretaria de Longevidade", "SMLONG",
        "Secretário(a) Municipal de Longevidade", "longevidade",
        "Políticas públicas para a pessoa idosa: centros de convivência, "
        "atividades físicas e culturais e envelhecimento ativo.",
    ),
    _secretaria(
        "secretaria-de-agricultura",
        "Secretaria de Agricultura", "SMAGRI",
        "Secretário(a) Municipal de Agricultura", "agricultura",
        "Apoio ao produtor rural do cinturão verde, abastecimento, feiras livres e "
        "produção agropecuária do município.",
    ),
    _secretaria(
        "secretaria-de-assistencia-social",
        "Secretaria de Assistência Social", "SMAS",
        "Secretário(a) Municipal de Assistência Social", "assistencia.social",
        "Proteção social básica e especial, Centros de Referência de Assistência "
        "Social (CRAS e CREAS) e programas de transferência de renda.",
    ),
    _secretaria(
        "secretaria-de-mobilidade-urbana",
        "Secretaria de Mobilidade Urbana", "SMMU",
        "Secretário(a) Municipal de Mobilidade Urbana", "mobilidade",
        "Trânsito, transporte coletivo municipal, sinalização viária e "
        "fiscalização do transporte.",
    ),
    _secretaria(
        "secretaria-de-meio-ambiente",
        "Secretaria de Meio Ambiente", "SMMA",
        "Secretário(a) Municipal de Meio Ambiente", "meioambiente",
        "Parques, áreas verdes, licenciamento ambiental, coleta seletiva e "
        "educação ambiental.",
    ),
    _secretaria(
        "secretaria-de-fazenda",
        "Secretaria de Fazenda", "SMF",
        "Secretário(a) Municipal de Fazenda", "fazenda",
        "Receitas, despesas, execução orçamentária, tributos municipais e "
        "cadastro imobiliário.",
    ),
    {
        "name": "semae",
        "title": "SEMAE – Serviço Municipal de Águas e Esgotos",
        "sigla": "SEMAE",
        "description": (
            "Autarquia municipal responsável pelo abastecimento de água, pela coleta e "
            "pelo tratamento de esgotos em Mogi das Cruzes."
        ),
        "tipo": "autarquia",
        "email": f"semae@{MAIL_DOMAIN}",
        "telefone": "115 (emergências de água e esgoto)",
        "responsavel": "Diretor(a)-Geral do SEMAE",
        "site": "https://www.semae.sp.gov.br/",
    },
    {
        "name": "iprem",
        "title": "IPREM – Instituto de Previdência Municipal",
        "sigla": "IPREM",
        "description": (
            "Autarquia criada pela Lei Complementar nº 35/2005 que administra o regime "
            "próprio de previdência dos servidores municipais: aposentadorias e pensões "
            "dos servidores efetivos da Prefeitura, da Câmara, do SEMAE e do próprio "
            "instituto."
        ),
        "tipo": "autarquia",
        "email": f"iprem@{MAIL_DOMAIN}",
        "responsavel": "Dirigente máximo(a) do IPREM",
        "site": "https://iprem.mogidascruzes.sp.gov.br/",
    },
]


#: Descriptions of the 26 DCAT-BR theme groups (titles and URIs come from
#: ``schemas/vocabularies.yaml``), written for the city's portal.
THEME_DESCRIPTIONS: dict[str, str] = {
    "abastecimento": (
        "Abastecimento alimentar da cidade: feiras livres, Mercado Municipal, "
        "Mercado do Produtor e programas de segurança alimentar."
    ),
    "administracao": (
        "Administração pública municipal: estrutura, servidores, cadastros, "
        "atendimento ao cidadão e acesso à informação."
    ),
    "agropecuaria-pesca-e-extrativismo": (
        "Produção rural do cinturão verde, aquicultura, pecuária e apoio ao "
        "produtor rural."
    ),
    "comunicacoes": "Comunicação institucional, serviços de telecomunicação e inclusão digital.",
    "comercio-e-servicos": (
        "Atividades comerciais e de serviços: feiras, licenças de funcionamento e "
        "atendimento ao consumidor."
    ),
    "cultura": "Equipamentos culturais, patrimônio histórico, eventos e incentivo à cultura.",
    "defesa-nacional": "Dados relacionados à defesa nacional.",
    "economia-e-financas": (
        "Receitas, despesas, orçamento, licitações, contratos e finanças públicas "
        "do município."
    ),
    "educacao": "Rede municipal de ensino: escolas, creches, matrículas e programas educacionais.",
    "energia": "Iluminação pública, consumo de energia e eficiência energética.",
    "esporte-e-lazer": "Equipamentos esportivos, parques, programas esportivos e de lazer.",
    "habitacao": "Programas habitacionais, regularização fundiária e moradia.",
    "industria": "Atividade industrial e desenvolvimento econômico do município.",
    "infraestrutura-e-fomento": (
        "Obras públicas, infraestrutura urbana e investimentos em equipamentos "
        "públicos."
    ),
    "meio-ambiente": (
        "Áreas verdes, parques, licenciamento ambiental, resíduos sólidos e "
        "educação ambiental."
    ),
    "pesquisa-e-desenvolvimento": "Pesquisa, inovação e parcerias com universidades.",
    "planejamento-e-gestao": (
        "Planejamento municipal, gestão estratégica, participação social e "
        "contratações públicas."
    ),
    "previdencia-social": (
        "Regime próprio de previdência dos servidores municipais: aposentadorias "
        "e pensões."
    ),
    "protecao-social": (
        "Assistência social, programas de transferência de renda e atenção à "
        "pessoa idosa."
    ),
    "relacoes-internacionais": "Cooperação internacional e cidades-irmãs.",
    "saneamento": "Abastecimento de água, esgotamento sanitário, drenagem e coleta de resíduos.",
    "saude": (
        "Rede municipal de saúde, vigilância epidemiológica, vacinação e "
        "atendimentos."
    ),
    "seguranca-e-ordem-publica": "Guarda Municipal, defesa civil, fiscalização e ordem pública.",
    "trabalho": "Emprego, renda, qualificação profissional e quadro de servidores.",
    "transportes": "Transporte coletivo municipal, trânsito e mobilidade urbana.",
    "urbanismo": (
        "Uso e ocupação do solo, cadastro imobiliário, plano diretor e "
        "equipamentos urbanos."
    ),
}


# --- building blocks of the datasets ------------------------------------------


def _contact(team: str, mailbox: str, *, extra: str = OUVIDORIA) -> dict[str, str]:
    """Área técnica responsável, its e-mail and where citizens ask questions."""
    email = f"{mailbox}@{MAIL_DOMAIN}"
    return {
        "maintainer": team,
        "maintainer_email": email,
        "ponto_contato": f"{team}: {email}; {extra}",
    }


TRANSPARENCY = _contact("Departamento de Transparência e Dados Abertos", "dadosabertos")
PROCUREMENT = _contact("Departamento de Compras e Licitações", "licitacoes")
PARTICIPATION = _contact("Departamento de Participação Social – SEPLAG", "participacao")
PEOPLE = _contact("Departamento de Gestão de Pessoas", "gestaodepessoas")
WORKS = _contact("Departamento de Gestão de Obras – SEPLAG", "obras")
SPORTS = _contact("Equipe de Gestão Estratégica – SEPLAG", "seplag")
HEALTH_SURVEILLANCE = _contact("Departamento de Vigilância em Saúde", "vigilancia.saude")
PRIMARY_CARE = _contact("Departamento de Atenção Básica", "atencao.basica")
EDUCATION = _contact("Departamento de Planejamento Escolar", "educacao.dados")
LONGEVITY = _contact("Coordenadoria de Longevidade", "longevidade")
AGRICULTURE = _contact("Departamento de Abastecimento e Produção Rural", "agricultura")
SOCIAL = _contact("Departamento de Vigilância Socioassistencial", "vigilancia.social")
MOBILITY = _contact("Departamento de Transportes", "mobilidade")
ENVIRONMENT = _contact("Departamento de Áreas Verdes e Parques", "meioambiente")
FINANCE = _contact("Departamento de Contabilidade e Orçamento", "contabilidade")
TAXES = _contact("Departamento de Tributos Imobiliários", "tributos")
WATER_QUALITY = _contact("SEMAE – Divisão de Controle de Qualidade da Água", "semae",
                         extra="emergências de água e esgoto: 115")
WATER_PROCUREMENT = _contact("SEMAE – Setor de Licitações", "semae.licitacoes",
                             extra="emergências de água e esgoto: 115")
PENSIONS = _contact("IPREM – Divisão de Benefícios", "iprem")


def _period(start: str, end: str) -> dict[str, str]:
    """Temporal coverage, dd/mm/aaaa."""
    return {"cobertura_temporal_inicio": start, "cobertura_temporal_fim": end}


def _municipal(code: str = MOGI_DAS_CRUZES, detail: str | None = None) -> dict[str, str]:
    """A municipality's data (IBGE code); ``detail`` = granularity inside it."""
    fields = {
        "cobertura_espacial": "MUNICIPAL",
        "valor_cobertura_espacial": code,
        "granularidade_espacial": "MUNICIPAL",
    }
    if detail:
        fields["granularidade_municipal"] = detail
    return fields


def _state(uf: str, granularity: str = "ESTADUAL") -> dict[str, str]:
    return {
        "cobertura_espacial": "ESTADUAL",
        "valor_cobertura_espacial": uf,
        "granularidade_espacial": granularity,
    }


def _federal(granularity: str = "FEDERAL") -> dict[str, str]:
    return {
        "cobertura_espacial": "FEDERAL",
        "valor_cobertura_espacial": "BR",
        "granularidade_espacial": granularity,
    }


def _ods(*goals: int) -> dict[str, Any]:
    """Sustainable Development Goals (none: not related)."""
    if not goals:
        return {"relacao_ods": "false"}
    return {"relacao_ods": "true", "ods": [str(goal) for goal in sorted(goals)]}


# Access and LGPD. SEI codes: 1 Público; 3 Restrito - Informação Pessoal
# (art. 31 da LAI); 22 Sigiloso - Informação Pessoal Sensível.
OPEN = {"private": False, "observancia_legal": ["1"], "dados_pessoais": "nao"}


def _anonymised(legal_bases: list[str], how: str) -> dict[str, Any]:
    """Public data derived from personal data, anonymised."""
    return {
        "private": False,
        "observancia_legal": ["1"],
        "dados_pessoais": "sim_anonimizados",
        "base_legal_lgpd": legal_bases,
        "anonimizacao": how,
    }


def _restricted(codes: list[str], legal_bases: list[str]) -> dict[str, Any]:
    """Personal data, not anonymised: only ever private."""
    return {
        "private": True,
        "observancia_legal": codes,
        "dados_pessoais": "sim",
        "base_legal_lgpd": legal_bases,
    }


def _flags(*, race: bool = False, gender: bool = False, new_version: bool = False
           ) -> dict[str, str]:
    """The yes/no questions of the federal guide (``descontinuado`` apart)."""
    def yes_no(value: bool) -> str:
        return "true" if value else "false"

    return {
        "dados_raca_etnia": yes_no(race),
        "dados_genero": yes_no(gender),
        "atualizacao_versao": yes_no(new_version),
    }


CURRENT = {"descontinuado": "false"}


def _city_page(name: str, description: str, url: str = CITY_SITE) -> dict[str, Any]:
    """A link to a page with more information (documentation, not data)."""
    return {
        "name": name,
        "description": description,
        "format": "HTML",
        "url": url,
        "tipo_recurso": "DOCUMENTACAO",
        "idioma": "pt-BR",
    }


def _table(name: str, description: str, fmt: str, tables: list[str], convert: str,
           filename: str, kind: str = "DADOS") -> dict[str, Any]:
    """A file built from the shared public tables and uploaded."""
    return {
        "name": name,
        "description": description,
        "format": fmt,
        "tables": tables,
        "convert": convert,
        "filename": filename,
        "tipo_recurso": kind,
        "idioma": "pt-BR",
    }


COMMON = {"idioma": "pt-BR"}


DATASETS: list[dict[str, Any]] = [
    # --- Contratações públicas (real data of the city's tender system) ---------
    {
        "name": "licitacoes-2022",
        "title": "Licitações 2022",
        "notes": (
            "Licitações abertas em 2022 pela Prefeitura de Mogi das Cruzes (PMMC) e "
            "pelas autarquias SEMAE e IPREM: número, modalidade (pregão eletrônico, "
            "pregão presencial, convite, tomada de preços, concorrência...), situação, "
            "objeto e datas de abertura e de publicação.\n\n"
            "Extraído do sistema de licitações da Prefeitura. O arquivo CSV traz uma "
            "linha por licitação, com datas no formato dd/mm/aaaa e nomes de órgãos "
            "padronizados; o arquivo JSON é a exportação original do sistema."
        ),
        "owner_org": "secretaria-de-gestao-e-contratacoes-publicas",
        "version": "1.1",
        "temas": ["economia-e-financas", "planejamento-e-gestao"],
        "tags": ["licitações", "compras públicas", "contratações abertas", "pregão"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2022", "31/12/2022"),
        **_municipal(),
        **OPEN,
        **PROCUREMENT,
        "fonte": (
            "Sistema de licitações da Prefeitura de Mogi das Cruzes "
            "(licitacao-mgcon.mogidascruzes.sp.gov.br), exportação JSON do ano de 2022."
        ),
        "metodologia": (
            "Exportação anual do sistema de licitações, achatada em uma linha por "
            "licitação. Na versão 1.1, os textos foram aparados, as datas normalizadas "
            "para dd/mm/aaaa e a sigla do órgão padronizada (\"pMMC\" → \"PMMC\"); "
            "três licitações não têm situação informada no sistema."
        ),
        "documentacao": TENDER_SYSTEM,
        **_ods(12, 16),
        **_flags(new_version=True),
        **CURRENT,
        "resources": [
            _table(
                "Licitações 2022 (CSV)",
                "Uma linha por licitação, com objeto, modalidade, situação e datas.",
                "CSV", ["mogi_licitacoes_2022.json"], "tenders", "licitacoes-2022.csv",
            ),
            _table(
                "Exportação original do sistema de licitações (JSON)",
                "Arquivo JSON com ocorrências e documentos de cada licitação, como "
                "publicado pelo sistema.",
                "JSON", ["mogi_licitacoes_2022.json"], "raw", "licitacoes-2022.json",
            ),
            _table(
                "Dicionário de dados das licitações (CSV)",
                "Colunas do arquivo CSV: tipo, descrição e um exemplo de cada.",
                "CSV", ["mogi_licitacoes_2022.json"], "tender_dictionary",
                "dicionario-licitacoes.csv", kind="DICIONARIO_DE_DADOS",
            ),
        ],
    },
    {
        "name": "licitacoes-2018",
        "title": "Licitações 2018",
        "notes": (
            "Licitações abertas em 2018 pela Prefeitura de Mogi das Cruzes e pelo "
            "SEMAE, com número, modalidade, situação, objeto, descrição completa e "
            "datas de abertura e de publicação.\n\n"
            "O CSV é derivado da exportação JSON do sistema de licitações da "
            "Prefeitura, com textos e datas padronizados."
        ),
        "owner_org": "secretaria-de-gestao-e-contratacoes-publicas",
        "version": "1.0",
        "temas": ["economia-e-financas", "planejamento-e-gestao"],
        "tags": ["licitações", "compras públicas", "contratações abertas", "série histórica"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2018", "31/12/2018"),
        **_municipal(),
        **OPEN,
        **PROCUREMENT,
        "fonte": (
            "Sistema de licitações da Prefeitura de Mogi das Cruzes, exportação JSON "
            "do ano de 2018."
        ),
        "metodologia": (
            "Uma linha por licitação do ano de 2018, com textos aparados e datas em "
            "dd/mm/aaaa. Licitações abertas em 2018 continuam recebendo ocorrências "
            "até a sua conclusão."
        ),
        "documentacao": TENDER_SYSTEM,
        **_ods(12, 16),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Licitações 2018 (CSV)", "Uma linha por licitação de 2018.",
                "CSV", ["mogi_licitacoes_2018.json"], "tenders", "licitacoes-2018.csv",
            ),
            _table(
                "Exportação original do sistema de licitações (JSON)",
                "Arquivo JSON original, com ocorrências e documentos.",
                "JSON", ["mogi_licitacoes_2018.json"], "raw", "licitacoes-2018.json",
            ),
        ],
    },
    {
        "name": "andamento-das-licitacoes-2018",
        "title": "Andamento das licitações 2018",
        "notes": (
            "Ocorrências registradas em cada licitação de 2018: perguntas e respostas, "
            "atas de abertura e de julgamento, suspensões, recursos e homologações, "
            "com a data de cada evento."
        ),
        "owner_org": "secretaria-de-gestao-e-contratacoes-publicas",
        "version": "1.0",
        "temas": ["planejamento-e-gestao"],
        "tags": ["licitações", "homologação", "atas", "contratações abertas"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "SEMANAL",
        **_period("29/01/2018", "25/09/2019"),
        **_municipal(),
        **OPEN,
        **PROCUREMENT,
        "fonte": "Sistema de licitações da Prefeitura de Mogi das Cruzes (ocorrências).",
        "metodologia": (
            "Uma linha por ocorrência das licitações de 2018, com a data extraída do "
            "texto da ocorrência; a cobertura vai da primeira à última ocorrência "
            "registrada."
        ),
        "documentacao": TENDER_SYSTEM,
        **_ods(16),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Ocorrências das licitações 2018 (CSV)",
                "Uma linha por ocorrência: número da licitação, órgão, modalidade, data "
                "e descrição.",
                "CSV", ["mogi_licitacoes_2018.json"], "tender_events",
                "ocorrencias-licitacoes-2018.csv",
            ),
        ],
    },
    {
        "name": "documentos-das-licitacoes-2022",
        "title": "Editais e documentos das licitações 2022",
        "notes": (
            "Lista dos documentos publicados em cada licitação de 2022 (avisos, "
            "editais, atas, decretos, homologações), com o endereço para download no "
            "sistema de licitações da Prefeitura."
        ),
        "owner_org": "secretaria-de-gestao-e-contratacoes-publicas",
        "version": "1.0",
        "temas": ["planejamento-e-gestao"],
        "tags": ["licitações", "editais", "documentos", "contratações abertas"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "QUINZENAL",
        **_period("01/01/2022", "31/12/2022"),
        **_municipal(),
        **OPEN,
        **PROCUREMENT,
        "fonte": "Sistema de licitações da Prefeitura de Mogi das Cruzes (anexos).",
        "metodologia": (
            "Uma linha por documento anexado às licitações de 2022, com o link "
            "permanente de download do sistema."
        ),
        "documentacao": TENDER_SYSTEM,
        **_ods(16),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Documentos das licitações 2022 (CSV)",
                "Uma linha por documento, com o link de download.",
                "CSV", ["mogi_licitacoes_2022.json"], "tender_documents",
                "documentos-licitacoes-2022.csv",
            ),
            _city_page(
                "Sistema de licitações da Prefeitura",
                "Consulta pública às licitações em andamento.", TENDER_SYSTEM,
            ),
        ],
    },
    {
        "name": "licitacoes-do-semae",
        "title": "Licitações do SEMAE (2018 e 2022)",
        "notes": (
            "Licitações do Serviço Municipal de Águas e Esgotos em 2018 e 2022: "
            "produtos químicos para tratamento de água, peças para bombas, obras e "
            "serviços de saneamento."
        ),
        "owner_org": "semae",
        "version": "1.0",
        "temas": ["saneamento", "economia-e-financas"],
        "tags": ["licitações", "saneamento", "água", "esgoto"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2018", "31/12/2022"),
        **_municipal(),
        **OPEN,
        **WATER_PROCUREMENT,
        "fonte": (
            "Sistema de licitações da Prefeitura de Mogi das Cruzes, licitações do "
            "órgão SEMAE nas exportações de 2018 e 2022."
        ),
        "metodologia": (
            "Licitações cujo órgão é o SEMAE, uma por linha, no mesmo leiaute das "
            "licitações da Prefeitura. Os anos de 2019 a 2021 não constam das "
            "exportações disponíveis."
        ),
        "documentacao": TENDER_SYSTEM,
        **_ods(6, 16),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Licitações do SEMAE (CSV)", "Licitações do SEMAE de 2018 e 2022, uma por linha.",
                "CSV", ["mogi_licitacoes_2018.json", "mogi_licitacoes_2022.json"],
                "semae_tenders", "licitacoes-semae.csv",
            ),
        ],
    },
    {
        "name": "compras-emergenciais-covid-19",
        "title": "Compras emergenciais COVID-19",
        "notes": (
            "Contratações emergenciais para o enfrentamento da pandemia de COVID-19: "
            "processo de compra, órgão demandante, contratado, item, quantidade e "
            "valores de referência e homologados.\n\n"
            "Demonstração: os arquivos seguem o modelo publicado pelo Governo do Estado "
            "de Minas Gerais e trazem os dados reais daquela publicação. O conjunto "
            "deixou de ser atualizado com o fim da Emergência em Saúde Pública de "
            "Importância Nacional (ESPIN)."
        ),
        "owner_org": "secretaria-de-gestao-e-contratacoes-publicas",
        "version": "1.0",
        "temas": ["saude", "economia-e-financas"],
        "tags": ["covid-19", "compras emergenciais", "saúde", "contratos"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "SOB_DEMANDA",
        **_period("13/02/2020", "17/07/2020"),
        **_state("MG"),
        **OPEN,
        **PROCUREMENT,
        "fonte": (
            "Portal da Transparência do Estado de Minas Gerais, contratações para o "
            "enfrentamento da COVID-19 (publicação da Controladoria-Geral do Estado)."
        ),
        "metodologia": (
            "Um item contratado por linha, com valores em reais. A cobertura vai do "
            "primeiro cadastramento de processo (13/02/2020) à última publicação "
            "de contrato (17/07/2020)."
        ),
        "documentacao": "https://www.transparencia.mg.gov.br/",
        **_ods(3, 16),
        **_flags(),
        "descontinuado": "true",
        "data_descontinuacao": "22/05/2022",
        "resources": [
            _table(
                "Compras emergenciais COVID-19 (CSV)",
                "Itens contratados, um por linha (UTF-8, separado por vírgulas).",
                "CSV", ["mg_compras_coronavirus_published.csv"], "raw",
                "compras-emergenciais-covid-19.csv",
            ),
            _table(
                "Compras emergenciais COVID-19 (planilha)",
                "Os mesmos dados em planilha Excel.",
                "XLSX", ["mg_compras_coronavirus_published.xlsx"], "raw",
                "compras-emergenciais-covid-19.xlsx",
            ),
        ],
    },
    # --- Finanças e pessoal ------------------------------------------------------
    {
        "name": "despesas-empenhadas",
        "title": "Despesas empenhadas",
        "notes": (
            "Notas de empenho emitidas: órgão, unidade gestora, favorecido, "
            "classificação orçamentária (função, programa, ação, elemento de despesa) "
            "e valor empenhado.\n\n"
            "Demonstração: o arquivo segue o leiaute diário do Portal da Transparência "
            "do Governo Federal (amostra de 01/01/2025, codificação ISO-8859-1, "
            "separador ponto e vírgula)."
        ),
        "owner_org": "secretaria-de-fazenda",
        "version": "1.0",
        "temas": ["economia-e-financas"],
        "tags": ["despesas", "empenho", "orçamento", "execução orçamentária"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "DIARIA",
        **_period("01/01/2025", "01/01/2025"),
        **_federal(),
        **OPEN,
        **FINANCE,
        "fonte": (
            "Portal da Transparência do Governo Federal (CGU), arquivo diário de "
            "despesas – empenhos de 01/01/2025."
        ),
        "metodologia": (
            "Arquivo publicado sem alterações: uma nota de empenho por linha, valores "
            "com vírgula decimal e datas em dd/mm/aaaa. A amostra traz as primeiras "
            "notas do dia; textos longos vêm truncados na origem."
        ),
        "documentacao": "https://portaldatransparencia.gov.br/download-de-dados/despesas",
        **_ods(16),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Despesas empenhadas (CSV)", "Notas de empenho, uma por linha.",
                "CSV", ["federal_portaltransparencia_20250101_Despesas_Empenho.csv"], "raw",
                "despesas-empenhadas.csv",
            ),
        ],
    },
    {
        "name": "receitas-arrecadadas",
        "title": "Receitas arrecadadas",
        "notes": (
            "Receitas municipais arrecadadas por categoria econômica e origem: "
            "impostos (IPTU, ISS, ITBI), taxas, transferências e demais receitas."
        ),
        "owner_org": "secretaria-de-fazenda",
        "version": "1.0",
        "temas": ["economia-e-financas"],
        "tags": ["receitas", "orçamento", "tributos", "IPTU", "ISS"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2021", "31/10/2026"),
        **_municipal(),
        **OPEN,
        **FINANCE,
        "fonte": "Sistema de contabilidade pública da Prefeitura (execução da receita).",
        "metodologia": (
            "Receita arrecadada por mês, pela classificação por natureza de receita "
            "do Manual de Contabilidade Aplicada ao Setor Público (MCASP)."
        ),
        "documentacao": _page("secretaria-de-fazenda"),
        **_ods(16, 17),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Receitas no site da Prefeitura", "Consulta às receitas municipais.",
                       _page("secretaria-de-fazenda")),
        ],
    },
    {
        "name": "cadastro-imobiliario",
        "title": "Cadastro imobiliário",
        "notes": (
            "Imóveis do cadastro imobiliário municipal (base do IPTU): inscrição, "
            "bairro, área do terreno, área construída e uso. Não inclui dados pessoais "
            "dos proprietários."
        ),
        "owner_org": "secretaria-de-fazenda",
        "version": "2026",
        "temas": ["urbanismo", "economia-e-financas"],
        "tags": ["IPTU", "imóveis", "cadastro", "lotes"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "ANUAL",
        **_period("01/01/2026", "31/12/2026"),
        **_municipal(detail="bairro"),
        **OPEN,
        **TAXES,
        "fonte": "Cadastro imobiliário fiscal da Prefeitura (lançamento do IPTU de 2026).",
        "metodologia": (
            "Um imóvel por linha, na posição do lançamento anual do IPTU; nome, CPF e "
            "endereço de correspondência dos proprietários são excluídos."
        ),
        "documentacao": _page("secretaria-de-fazenda"),
        **_ods(11),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Cadastro imobiliário", "Consulta ao cadastro imobiliário.",
                       _page("secretaria-de-fazenda")),
        ],
    },
    {
        "name": "cargos-e-carga-horaria-dos-servidores",
        "title": "Cargos e carga horária dos servidores",
        "notes": (
            "Cargos do quadro de pessoal da Prefeitura de Mogi das Cruzes com a carga "
            "horária semanal de cada um (de 12 a 44 horas), de administrador hospitalar "
            "a professor de educação básica."
        ),
        "owner_org": "secretaria-de-planejamento-e-gestao-estrategica",
        "version": "1.0",
        "temas": ["administracao", "trabalho"],
        "tags": ["servidores", "cargos", "carga horária", "pessoal"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "SOB_DEMANDA",
        **_period("01/01/2024", "31/12/2024"),
        **_municipal(),
        **OPEN,
        **PEOPLE,
        "fonte": "Portal da Transparência da Prefeitura de Mogi das Cruzes (cargos e salários).",
        "metodologia": (
            "Lista de cargos publicada no portal da transparência, com o código do "
            "cargo e as horas semanais; atualizada quando a lei altera o quadro de "
            "pessoal."
        ),
        "documentacao": _page("secretaria-de-planejamento-e-gestao-estrategica"),
        **_ods(),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Cargos e carga horária (CSV)",
                "Código do cargo, nome do cargo e horas semanais.",
                "CSV", ["mogi_cargos_carga_horaria.json"], "job_titles",
                "cargos-carga-horaria.csv",
            ),
            _table(
                "Cargos e carga horária (JSON)",
                "Lista original publicada no portal da transparência.",
                "JSON", ["mogi_cargos_carga_horaria.json"], "raw", "cargos-carga-horaria.json",
            ),
        ],
    },
    {
        "name": "folha-de-pagamento-detalhada",
        "title": "Folha de pagamento detalhada",
        "notes": (
            "Remuneração mensal por servidor, com verbas, descontos e dados "
            "funcionais. Conjunto de uso interno: contém dados pessoais protegidos "
            "pela LGPD; a versão pública é agregada por cargo."
        ),
        "owner_org": "secretaria-de-planejamento-e-gestao-estrategica",
        "version": "1.0",
        "temas": ["administracao", "trabalho"],
        "tags": ["folha de pagamento", "servidores", "remuneração", "LGPD"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2020", "31/10/2026"),
        **_municipal(),
        **_restricted(["3"], ["art7_ii"]),
        **PEOPLE,
        "fonte": "Sistema de folha de pagamento da Prefeitura.",
        "metodologia": (
            "Um registro por servidor e verba em cada competência mensal, com CPF, "
            "matrícula, sexo e dados bancários."
        ),
        "documentacao": _page("secretaria-de-planejamento-e-gestao-estrategica"),
        **_ods(8),
        **_flags(gender=True),
        **CURRENT,
        "resources": [],
    },
    {
        "name": "cadastro-municipal-unificado",
        "title": "Cadastro municipal unificado",
        "notes": (
            "Base unificada de cidadãos atendidos pelos serviços municipais, "
            "prevista no decreto de unificação das bases de dados da Prefeitura. "
            "Acesso restrito, conforme as regras de proteção de dados e de sigilo "
            "do decreto e da LGPD."
        ),
        "owner_org": "secretaria-de-governo-e-transparencia",
        "version": "1.0",
        "temas": ["administracao", "planejamento-e-gestao"],
        "tags": ["cadastro unificado", "governança de dados", "LGPD"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "DIARIA",
        **_period("01/01/2023", "31/10/2026"),
        **_municipal(detail="endereco"),
        **_restricted(["3"], ["art7_iii"]),
        **TRANSPARENCY,
        "fonte": (
            "Bases de atendimento das secretarias municipais (saúde, educação, "
            "assistência social), unificadas por CPF."
        ),
        "metodologia": (
            "Pareamento diário dos cadastros das secretarias pelo CPF e pelo Cartão "
            "Nacional de Saúde, com regras de qualidade de completude e consistência."
        ),
        "documentacao": _page("secretaria-de-governo-e-transparencia"),
        **_ods(),
        **_flags(race=True, gender=True),
        **CURRENT,
        "resources": [],
    },
    {
        "name": "pedidos-de-acesso-a-informacao",
        "title": "Pedidos de acesso à informação (LAI)",
        "notes": (
            "Pedidos de acesso à informação recebidos pela Prefeitura com base na "
            "Lei nº 12.527/2011: data, assunto, órgão responsável, prazo e situação "
            "da resposta. Os dados dos requerentes não são publicados."
        ),
        "owner_org": "secretaria-de-governo-e-transparencia",
        "version": "1.0",
        "temas": ["administracao"],
        "tags": ["LAI", "transparência", "acesso à informação", "ouvidoria"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2019", "31/10/2026"),
        **_municipal(),
        **_anonymised(
            ["art7_ii"],
            "Nome, CPF, e-mail, telefone e endereço dos requerentes são removidos; o "
            "texto de cada pedido é revisado para retirar nomes e outros dados que "
            "identifiquem pessoas antes da publicação.",
        ),
        **TRANSPARENCY,
        "fonte": "Sistema eletrônico do Serviço de Informação ao Cidadão (e-SIC) da Prefeitura.",
        "metodologia": (
            "Um pedido por linha, com datas de abertura e de resposta, prazo legal "
            "(20 dias, prorrogáveis por mais 10) e situação."
        ),
        "documentacao": _page("secretaria-de-governo-e-transparencia"),
        **_ods(16),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Serviço de Informação ao Cidadão",
                       "Como fazer um pedido de acesso à informação.",
                       _page("secretaria-de-governo-e-transparencia")),
        ],
    },
    {
        "name": "propostas-do-participa-mogi",
        "title": "Propostas do Participa Mogi",
        "notes": (
            "Propostas e votos registrados no Participa Mogi, programa de "
            "participação social da Prefeitura, por bairro e por tema."
        ),
        "owner_org": "secretaria-de-planejamento-e-gestao-estrategica",
        "version": "1.0",
        "temas": ["planejamento-e-gestao"],
        "tags": ["participação social", "Participa Mogi", "bairros"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "SEMESTRAL",
        **_period("01/01/2021", "30/06/2026"),
        **_municipal(detail="bairro"),
        **OPEN,
        **PARTICIPATION,
        "fonte": "Plataforma do programa Participa Mogi.",
        "metodologia": (
            "Propostas consolidadas ao fim de cada ciclo de participação, com o "
            "bairro e o tema de cada uma e o total de votos; os participantes não "
            "são identificados."
        ),
        "documentacao": _page("secretaria-de-planejamento-e-gestao-estrategica"),
        **_ods(11, 16),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Participa Mogi", "Página do programa de participação social.",
                       _page("secretaria-de-planejamento-e-gestao-estrategica")),
        ],
    },
    {
        "name": "obras-publicas",
        "title": "Obras públicas",
        "notes": (
            "Obras públicas municipais: objeto, bairro, empresa contratada, valor, "
            "prazo, percentual executado e situação (em andamento, paralisada, "
            "concluída)."
        ),
        "owner_org": "secretaria-de-planejamento-e-gestao-estrategica",
        "version": "1.0",
        "temas": ["infraestrutura-e-fomento", "urbanismo"],
        "tags": ["obras", "infraestrutura", "contratos", "engenharia"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "QUADRIMESTRAL",
        **_period("01/01/2021", "31/08/2026"),
        **_municipal(detail="bairro"),
        **OPEN,
        **WORKS,
        "fonte": "Controle de contratos de obras da Prefeitura.",
        "metodologia": (
            "Uma obra por linha, com o percentual executado medido ao fim de cada "
            "quadrimestre, junto à prestação de contas da Lei de Responsabilidade "
            "Fiscal."
        ),
        "documentacao": _page("secretaria-de-planejamento-e-gestao-estrategica"),
        **_ods(9, 11),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Obras no site da Prefeitura", "Acompanhamento das obras.",
                       _page("secretaria-de-planejamento-e-gestao-estrategica")),
        ],
    },
    {
        "name": "equipamentos-esportivos",
        "title": "Equipamentos esportivos",
        "notes": (
            "Campos de futebol, quadras poliesportivas, ginásios e pistas de "
            "caminhada: nome, tipo, endereço, bairro, gestor e localização.\n\n"
            "Demonstração: o arquivo é uma exportação real do portal de dados abertos "
            "de Belo Horizonte (coordenadas UTM/SIRGAS em WKT), usada como modelo."
        ),
        "owner_org": "secretaria-de-planejamento-e-gestao-estrategica",
        "version": "1.0",
        "temas": ["esporte-e-lazer", "urbanismo"],
        "tags": ["esporte", "lazer", "quadras", "campos de futebol"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "SOB_DEMANDA",
        **_period("01/01/2023", "31/12/2023"),
        **_municipal(BELO_HORIZONTE, detail="endereco"),
        **OPEN,
        **SPORTS,
        "fonte": (
            "Portal de dados abertos da Prefeitura de Belo Horizonte, equipamentos "
            "esportivos (exportação do datastore do CKAN)."
        ),
        "metodologia": (
            "Arquivo publicado sem alterações: um equipamento por linha, com a "
            "geometria em WKT (UTM, SIRGAS 2000) e a coluna _id do datastore."
        ),
        "documentacao": "https://dados.pbh.gov.br/",
        **_ods(3, 11),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Equipamentos esportivos (CSV)", "Um equipamento por linha, com geometria em WKT.",
                "CSV", ["bh_equipamentos_esportivos_datastore_dump_bom.csv"], "raw",
                "equipamentos-esportivos.csv",
            ),
        ],
    },
    # --- Saúde ---------------------------------------------------------------
    {
        "name": "unidades-basicas-de-saude",
        "title": "Unidades Básicas de Saúde",
        "notes": (
            "Unidades Básicas de Saúde (UBS) de Mogi das Cruzes construídas com "
            "recursos do PAC/Ministério da Saúde: empreendimento, estágio da obra, data "
            "de referência e localização.\n\n"
            "Recorte de Mogi das Cruzes da base georreferenciada do PAC de 30/06/2018."
        ),
        "owner_org": "secretaria-de-saude",
        "version": "1.0",
        "temas": ["saude", "infraestrutura-e-fomento"],
        "tags": ["saúde", "UBS", "atenção básica", "PAC"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "SEMESTRAL",
        **_period("30/06/2018", "30/06/2018"),
        **_municipal(detail="endereco"),
        **OPEN,
        **PRIMARY_CARE,
        "fonte": (
            "Programa de Aceleração do Crescimento (PAC), base georreferenciada de "
            "empreendimentos (GeoServer), posição de 30/06/2018."
        ),
        "metodologia": (
            "Linhas da base nacional de UBS do PAC cujo município é Mogi das Cruzes, "
            "no leiaute original (coordenadas em WKT MULTIPOINT, \"--\" para "
            "investimento não informado)."
        ),
        "documentacao": _page("secretaria-de-saude"),
        **_ods(3, 9),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "UBS em Mogi das Cruzes – PAC 2018 (CSV)",
                "Linhas da base nacional do PAC referentes a Mogi das Cruzes.",
                "CSV", ["federal_pac_ubs_geoserver_2018.csv"], "mogi_rows",
                "ubs-mogi-das-cruzes-pac-2018.csv",
            ),
        ],
    },
    {
        "name": "casos-de-tuberculose-sinan",
        "title": "Casos de tuberculose (SINAN)",
        "notes": (
            "Casos confirmados de tuberculose notificados no Sistema de Informação de "
            "Agravos de Notificação (SINAN), por ano e mês de diagnóstico, de 2001 a "
            "2019 (Brasil). Referência para a vigilância epidemiológica municipal.\n\n"
            "Exportação original do TabNet/DATASUS (Windows-1252, separador ponto e "
            "vírgula, com cabeçalho e notas de rodapé)."
        ),
        "owner_org": "secretaria-de-saude",
        "version": "2020.12",
        "temas": ["saude"],
        "tags": ["saúde", "tuberculose", "vigilância epidemiológica", "DATASUS"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "ANUAL",
        **_period("01/01/2001", "31/12/2019"),
        **_federal(),
        **_anonymised(
            ["art11_ii_b", "art11_ii_f"],
            "Dados agregados: contagens de casos por ano e mês de diagnóstico para o "
            "Brasil, tabuladas pelo TabNet a partir das notificações individuais do "
            "SINAN. Não há registros individuais, nomes, datas de nascimento ou "
            "endereços.",
        ),
        **HEALTH_SURVEILLANCE,
        "fonte": (
            "Ministério da Saúde/SVS – Sistema de Informação de Agravos de Notificação "
            "(Sinan Net), tabulação no TabNet/DATASUS."
        ),
        "metodologia": (
            "Casos confirmados por ano e mês de diagnóstico, excluídos os encerrados "
            "por mudança de diagnóstico. Dados de 2001 a 2015 finalizados; de 2016 a "
            "2019 atualizados em 11/2020 e sujeitos a revisão."
        ),
        "documentacao": "https://portalsinan.saude.gov.br/tuberculose",
        **_ods(3),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Casos de tuberculose 2001–2019 (CSV)", "Tabela do TabNet como exportada.",
                "CSV", ["datasus_tabnet_sinan_tuberculose_2001-2019.csv"], "raw",
                "tuberculose-sinan-2001-2019.csv",
            ),
        ],
    },
    {
        "name": "doses-de-vacinas-aplicadas",
        "title": "Doses de vacinas aplicadas na rede municipal de saúde",
        "notes": (
            "Doses aplicadas por vacina, faixa etária e unidade de saúde, nas rotinas e "
            "nas campanhas de vacinação."
        ),
        "owner_org": "secretaria-de-saude",
        "version": "1.0",
        "temas": ["saude"],
        "tags": ["saúde", "vacinação", "imunização"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2023", "31/10/2026"),
        **_municipal(detail="endereco"),
        **OPEN,
        **HEALTH_SURVEILLANCE,
        "fonte": "Sistema de Informação do Programa Nacional de Imunizações (SI-PNI).",
        "metodologia": (
            "Doses registradas no mês, somadas por vacina, dose, faixa etária e "
            "unidade de saúde aplicadora."
        ),
        "documentacao": _page("secretaria-de-saude"),
        **_ods(3),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Vacinação no site da Prefeitura", "Calendário e locais de vacinação.",
                       _page("secretaria-de-saude")),
        ],
    },
    {
        "name": "atendimentos-nas-unidades-basicas-de-saude",
        "title": "Atendimentos nas Unidades Básicas de Saúde (microdados)",
        "notes": (
            "Registros individuais de atendimento nas UBS. Contém dados pessoais "
            "sensíveis de saúde (LGPD, art. 11); uso restrito à gestão da Secretaria de "
            "Saúde."
        ),
        "owner_org": "secretaria-de-saude",
        "version": "1.0",
        "temas": ["saude"],
        "tags": ["saúde", "UBS", "atendimentos", "LGPD"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "DIARIA",
        **_period("01/01/2022", "31/10/2026"),
        **_municipal(detail="endereco"),
        **_restricted(["22"], ["art11_ii_f"]),
        **PRIMARY_CARE,
        "fonte": "Prontuário eletrônico da atenção básica (e-SUS APS) das UBS municipais.",
        "metodologia": (
            "Um registro por atendimento, com o Cartão Nacional de Saúde, sexo, "
            "raça/cor, idade, CID e unidade de atendimento."
        ),
        "documentacao": _page("secretaria-de-saude"),
        **_ods(3),
        **_flags(race=True, gender=True),
        **CURRENT,
        "resources": [],
    },
    # --- Educação ------------------------------------------------------------
    {
        "name": "escolas-municipais",
        "title": "Escolas municipais",
        "notes": (
            "Escolas da rede municipal: código da escola e código do MEC, endereço, "
            "bairro, telefone, e-mail e etapas de ensino oferecidas (creche, "
            "pré-escola, ensino fundamental, EJA).\n\n"
            "Demonstração: o arquivo segue o cadastro de escolas da Secretaria da "
            "Educação do Estado de São Paulo (SEDUC-SP); a amostra traz escolas "
            "municipais de São José dos Campos."
        ),
        "owner_org": "secretaria-de-educacao",
        "version": "1.0",
        "temas": ["educacao"],
        "tags": ["educação", "escolas", "rede municipal", "endereços"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "ANUAL",
        **_period("01/01/2023", "31/12/2023"),
        **_municipal(SAO_JOSE_DOS_CAMPOS, detail="endereco"),
        **OPEN,
        **EDUCATION,
        "fonte": (
            "Secretaria da Educação do Estado de São Paulo (SEDUC-SP), cadastro de "
            "escolas, recorte das escolas municipais de São José dos Campos."
        ),
        "metodologia": (
            "Arquivo publicado sem alterações: uma escola por linha, 90 colunas, com "
            "as etapas oferecidas e o número de classes de cada etapa."
        ),
        "documentacao": "https://dados.educacao.sp.gov.br/",
        **_ods(4),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Escolas municipais (CSV)",
                "Cadastro de escolas no formato da SEDUC-SP (separador ponto e vírgula).",
                "CSV", ["sjc_seducsp_escolas_municipais.csv"], "raw", "escolas-municipais.csv",
            ),
        ],
    },
    {
        "name": "matriculas-na-rede-municipal",
        "title": "Matrículas na rede municipal de ensino",
        "notes": (
            "Número de alunos matriculados por escola, etapa de ensino e turno, "
            "conforme o Censo Escolar."
        ),
        "owner_org": "secretaria-de-educacao",
        "version": "1.0",
        "temas": ["educacao"],
        "tags": ["educação", "matrículas", "Censo Escolar"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "ANUAL",
        **_period("01/01/2020", "31/12/2025"),
        **_municipal(detail="endereco"),
        **OPEN,
        **EDUCATION,
        "fonte": "Censo Escolar da Educação Básica (INEP), escolas da rede municipal.",
        "metodologia": (
            "Matrículas na data de referência do Censo Escolar (última quarta-feira "
            "de maio), somadas por escola, etapa e turno."
        ),
        "documentacao": _page("secretaria-de-educacao"),
        **_ods(4),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Educação no site da Prefeitura", "Informações da rede municipal.",
                       _page("secretaria-de-educacao")),
        ],
    },
    # --- Longevidade e assistência social ------------------------------------
    {
        "name": "centros-de-convivencia-do-idoso",
        "title": "Centros de convivência do idoso",
        "notes": (
            "Centros de convivência da pessoa idosa: endereço, horário de "
            "funcionamento e atividades oferecidas (ginástica, dança, oficinas "
            "culturais e de inclusão digital)."
        ),
        "owner_org": "secretaria-de-longevidade",
        "version": "1.0",
        "temas": ["protecao-social"],
        "tags": ["pessoa idosa", "longevidade", "convivência"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "SOB_DEMANDA",
        **_period("01/01/2025", "31/12/2025"),
        **_municipal(detail="endereco"),
        **OPEN,
        **LONGEVITY,
        "fonte": "Cadastro de equipamentos da Secretaria de Longevidade.",
        "metodologia": "Um centro por linha, atualizado quando muda a programação ou o endereço.",
        "documentacao": _page("secretaria-de-longevidade"),
        **_ods(3, 10),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Longevidade no site da Prefeitura",
                       "Programação dos centros de convivência.",
                       _page("secretaria-de-longevidade")),
        ],
    },
    {
        "name": "unidades-de-assistencia-social",
        "title": "Unidades de assistência social (CRAS e CREAS)",
        "notes": (
            "Centros de Referência de Assistência Social (CRAS) e Centros de "
            "Referência Especializados (CREAS): endereço, território atendido e "
            "serviços."
        ),
        "owner_org": "secretaria-de-assistencia-social",
        "version": "1.0",
        "temas": ["protecao-social"],
        "tags": ["assistência social", "CRAS", "CREAS"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "SOB_DEMANDA",
        **_period("01/01/2025", "31/12/2025"),
        **_municipal(detail="endereco"),
        **OPEN,
        **SOCIAL,
        "fonte": "Cadastro do Sistema Único de Assistência Social (CadSUAS) do município.",
        "metodologia": "Uma unidade por linha, com os bairros do território de referência.",
        "documentacao": _page("secretaria-de-assistencia-social"),
        **_ods(1, 10),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Assistência social no site da Prefeitura", "Endereços das unidades.",
                       _page("secretaria-de-assistencia-social")),
        ],
    },
    {
        "name": "cadastro-de-beneficiarios-de-programas-sociais",
        "title": "Cadastro de beneficiários de programas sociais",
        "notes": (
            "Famílias beneficiárias dos programas municipais de transferência de renda, "
            "com dados de identificação e renda. Acesso restrito (LGPD)."
        ),
        "owner_org": "secretaria-de-assistencia-social",
        "version": "1.0",
        "temas": ["protecao-social"],
        "tags": ["assistência social", "beneficiários", "LGPD"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2021", "31/10/2026"),
        **_municipal(detail="endereco"),
        **_restricted(["3"], ["art7_iii", "art11_ii_b"]),
        **SOCIAL,
        "fonte": (
            "Cadastro Único para Programas Sociais (CadÚnico) e folha de pagamento dos "
            "programas municipais de transferência de renda."
        ),
        "metodologia": (
            "Uma família por linha em cada mês de pagamento, com NIS, CPF do "
            "responsável familiar, composição, raça/cor, sexo e renda declarada."
        ),
        "documentacao": _page("secretaria-de-assistencia-social"),
        **_ods(1, 10),
        **_flags(race=True, gender=True),
        **CURRENT,
        "resources": [],
    },
    # --- Agricultura e abastecimento ------------------------------------------
    {
        "name": "aquicultura-ibge",
        "title": "Aquicultura (IBGE)",
        "notes": (
            "Valor da produção da aquicultura (mil reais) por município, de 2014 a "
            "2016, segundo a Pesquisa da Pecuária Municipal do IBGE (tabela SIDRA "
            "3940). Inclui a linha de Mogi das Cruzes (SP).\n\n"
            "Exportação original do SIDRA (ISO-8859-1, cabeçalho em duas linhas, "
            "'...' para valor não disponível)."
        ),
        "owner_org": "secretaria-de-agricultura",
        "version": "1.0",
        "temas": ["agropecuaria-pesca-e-extrativismo"],
        "tags": ["aquicultura", "IBGE", "pecuária", "produção rural"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "ANUAL",
        **_period("01/01/2014", "31/12/2016"),
        **_federal("MUNICIPAL"),
        **OPEN,
        **AGRICULTURE,
        "fonte": "IBGE – Pesquisa da Pecuária Municipal, tabela 3940 do SIDRA.",
        "metodologia": (
            "Valor da produção da aquicultura, total dos tipos de produto, em mil "
            "reais, por município e ano; '...' indica valor não disponível."
        ),
        "documentacao": "https://sidra.ibge.gov.br/tabela/3940",
        **_ods(2, 14),
        **_flags(),
        **CURRENT,
        "resources": [
            _table(
                "Tabela 3940 – aquicultura por município (CSV)", "Tabela do SIDRA como exportada.",
                "CSV", ["ibge_sidra_tabela3940_aquicultura_raw.csv"], "raw",
                "ibge-sidra-3940-aquicultura.csv",
            ),
        ],
    },
    {
        "name": "producao-agricola",
        "title": "Produção agrícola",
        "notes": (
            "Produção agrícola do cinturão verde de Mogi das Cruzes: hortaliças, "
            "cogumelos, caqui, flores e plantas ornamentais, com área plantada e "
            "quantidade produzida por ano."
        ),
        "owner_org": "secretaria-de-agricultura",
        "version": "1.0",
        "temas": ["agropecuaria-pesca-e-extrativismo"],
        "tags": ["agricultura", "hortaliças", "cinturão verde", "produção rural"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "ANUAL",
        **_period("01/01/2015", "31/12/2025"),
        **_municipal(detail="distrito"),
        **OPEN,
        **AGRICULTURE,
        "fonte": "Levantamento anual da Secretaria de Agricultura junto aos produtores rurais.",
        "metodologia": (
            "Área plantada (ha) e quantidade produzida (t) por cultura, distrito e "
            "ano-safra."
        ),
        "documentacao": _page("secretaria-de-agricultura"),
        **_ods(2),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Agricultura no site da Prefeitura",
                       "Programas de apoio ao produtor rural.",
                       _page("secretaria-de-agricultura")),
        ],
    },
    {
        "name": "feiras-livres",
        "title": "Feiras livres",
        "notes": "Feiras livres do município: dia da semana, horário, endereço e bairro.",
        "owner_org": "secretaria-de-agricultura",
        "version": "1.0",
        "temas": ["abastecimento", "comercio-e-servicos"],
        "tags": ["feiras livres", "abastecimento", "comércio"],
        "license_id": "cc-zero",
        **COMMON,
        "periodicidade": "SOB_DEMANDA",
        **_period("01/01/2025", "31/12/2025"),
        **_municipal(detail="endereco"),
        **OPEN,
        **AGRICULTURE,
        "fonte": "Cadastro de feiras livres da Secretaria de Agricultura.",
        "metodologia": "Uma feira por linha, atualizada quando muda o dia, o horário ou o local.",
        "documentacao": _page("secretaria-de-agricultura"),
        **_ods(2, 11),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Feiras livres no site da Prefeitura", "Dias e locais das feiras.",
                       _page("secretaria-de-agricultura")),
        ],
    },
    # --- Mobilidade, meio ambiente, saneamento, previdência ------------------
    {
        "name": "linhas-de-onibus-municipais",
        "title": "Linhas de ônibus municipais",
        "notes": (
            "Linhas do transporte coletivo municipal: número, itinerário, empresa "
            "operadora, horários e tarifa."
        ),
        "owner_org": "secretaria-de-mobilidade-urbana",
        "version": "1.0",
        "temas": ["transportes"],
        "tags": ["ônibus", "transporte coletivo", "itinerários", "mobilidade"],
        "license_id": "odc-odbl",
        **COMMON,
        "periodicidade": "TRIMESTRAL",
        **_period("01/01/2026", "30/09/2026"),
        **_municipal(),
        **OPEN,
        **MOBILITY,
        "fonte": "Ordens de serviço operacionais do transporte coletivo municipal.",
        "metodologia": (
            "Uma linha por registro, com itinerário de ida e volta e quadro de "
            "horários vigente no trimestre."
        ),
        "documentacao": _page("secretaria-de-mobilidade-urbana"),
        **_ods(11),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Transporte coletivo no site da Prefeitura", "Linhas e horários.",
                       _page("secretaria-de-mobilidade-urbana")),
        ],
    },
    {
        "name": "areas-verdes-e-parques",
        "title": "Áreas verdes e parques",
        "notes": (
            "Parques municipais, praças e áreas verdes: nome, área, endereço, "
            "horário de funcionamento e equipamentos de lazer."
        ),
        "owner_org": "secretaria-de-meio-ambiente",
        "version": "1.0",
        "temas": ["meio-ambiente", "esporte-e-lazer"],
        "tags": ["parques", "áreas verdes", "praças", "lazer"],
        "license_id": "odc-odbl",
        **COMMON,
        "periodicidade": "ANUAL",
        **_period("01/01/2025", "31/12/2025"),
        **_municipal(detail="endereco"),
        **OPEN,
        **ENVIRONMENT,
        "fonte": "Cadastro de áreas verdes da Secretaria de Meio Ambiente.",
        "metodologia": "Uma área por linha, com a área em metros quadrados e a localização.",
        "documentacao": _page("secretaria-de-meio-ambiente"),
        **_ods(11, 15),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Parques no site da Prefeitura", "Parques e horários.",
                       _page("secretaria-de-meio-ambiente")),
        ],
    },
    {
        "name": "ecopontos-e-coleta-seletiva",
        "title": "Ecopontos e coleta seletiva",
        "notes": (
            "Ecopontos para entrega voluntária de entulho, móveis e recicláveis, e "
            "roteiro da coleta seletiva por bairro."
        ),
        "owner_org": "secretaria-de-meio-ambiente",
        "version": "1.0",
        "temas": ["meio-ambiente", "saneamento"],
        "tags": ["reciclagem", "coleta seletiva", "resíduos sólidos"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "SEMESTRAL",
        **_period("01/01/2026", "30/06/2026"),
        **_municipal(detail="bairro"),
        **OPEN,
        **ENVIRONMENT,
        "fonte": "Programação da coleta seletiva e cadastro de ecopontos.",
        "metodologia": (
            "Um bairro por linha, com os dias da coleta seletiva e o ecoponto mais "
            "próximo."
        ),
        "documentacao": _page("secretaria-de-meio-ambiente"),
        **_ods(11, 12),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("Coleta seletiva no site da Prefeitura", "Ecopontos e roteiros.",
                       _page("secretaria-de-meio-ambiente")),
        ],
    },
    {
        "name": "qualidade-da-agua-distribuida",
        "title": "Qualidade da água distribuída",
        "notes": (
            "Resultados das análises diárias da água distribuída pelo SEMAE: cloro "
            "residual, turbidez, cor, pH, flúor e coliformes, por sistema de "
            "abastecimento, conforme a norma de potabilidade do Ministério da Saúde."
        ),
        "owner_org": "semae",
        "version": "1.0",
        "temas": ["saneamento", "saude"],
        "tags": ["água", "potabilidade", "saneamento", "análises"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "DIARIA",
        **_period("01/01/2024", "31/10/2026"),
        **_municipal(),
        **OPEN,
        **WATER_QUALITY,
        "fonte": "Laboratório de controle de qualidade do SEMAE.",
        "metodologia": (
            "Amostras coletadas diariamente na saída das estações de tratamento e na "
            "rede de distribuição, analisadas segundo o anexo XX da Portaria de "
            "Consolidação GM/MS nº 5/2017."
        ),
        "documentacao": "https://www.semae.sp.gov.br/",
        **_ods(3, 6),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("SEMAE", "Relatórios de qualidade da água.", "https://www.semae.sp.gov.br/"),
        ],
    },
    {
        "name": "beneficios-previdenciarios",
        "title": "Benefícios previdenciários",
        "notes": (
            "Aposentadorias e pensões pagas pelo IPREM por mês: quantidade de "
            "benefícios, tipo e valor total, sem identificação dos beneficiários."
        ),
        "owner_org": "iprem",
        "version": "1.0",
        "temas": ["previdencia-social"],
        "tags": ["previdência", "aposentadorias", "pensões", "RPPS"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2019", "31/10/2026"),
        **_municipal(),
        **OPEN,
        **PENSIONS,
        "fonte": "Folha de pagamento de benefícios do IPREM.",
        "metodologia": (
            "Totais mensais por tipo de benefício (aposentadoria por idade, por "
            "invalidez, compulsória, pensão por morte), sem dados individuais."
        ),
        "documentacao": "https://iprem.mogidascruzes.sp.gov.br/",
        **_ods(),
        **_flags(),
        **CURRENT,
        "resources": [
            _city_page("IPREM", "Informações aos segurados.",
                       "https://iprem.mogidascruzes.sp.gov.br/"),
        ],
    },
    {
        "name": "cadastro-de-aposentados-e-pensionistas",
        "title": "Cadastro de aposentados e pensionistas do IPREM",
        "notes": (
            "Cadastro nominal de aposentados e pensionistas, com dados pessoais e "
            "previdenciários. Uso restrito do IPREM (LGPD)."
        ),
        "owner_org": "iprem",
        "version": "1.0",
        "temas": ["previdencia-social"],
        "tags": ["previdência", "beneficiários", "LGPD"],
        "license_id": "cc-by",
        **COMMON,
        "periodicidade": "MENSAL",
        **_period("01/01/2006", "31/10/2026"),
        **_municipal(),
        **_restricted(["3"], ["art7_ii", "art7_iii"]),
        **PENSIONS,
        "fonte": "Sistema de gestão previdenciária do IPREM.",
        "metodologia": (
            "Um segurado ou dependente por linha, com CPF, sexo, data de nascimento, "
            "tipo de benefício e valor."
        ),
        "documentacao": "https://iprem.mogidascruzes.sp.gov.br/",
        **_ods(),
        **_flags(gender=True),
        **CURRENT,
        "resources": [],
    },
]
