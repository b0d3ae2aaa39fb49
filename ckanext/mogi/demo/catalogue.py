"""The demo catalogue of Mogi das Cruzes, as data.

Organizations and datasets are plain dicts in the shape of CKAN's actions, so
that later schema fields can be added to them directly. Only three keys are
not CKAN's own and are translated by the loader:

* a dataset's ``groups`` and ``tags`` are lists of plain strings (DCAT-BR
  theme identifiers and Portuguese keywords);
* a resource is either a link (``url``) or an upload built from the shared
  public tables: ``tables`` (file names inside ``<source>/tables/``),
  ``convert`` (a key of ``tables.CONVERTERS``, ``"raw"`` uploads the file as
  it is) and ``filename`` (the name of the uploaded file).

The themes (CKAN groups) are not listed here: they are read from the DCAT-BR
vocabulary at load time.

The maintainers' e-mail addresses below are placeholders in the city's
domain; confirm them with each body before publishing the portal.
"""

from __future__ import annotations

from typing import Any

CITY_SITE = "https://www.mogidascruzes.sp.gov.br/"
TENDER_SYSTEM = "https://licitacao-mgcon.mogidascruzes.sp.gov.br/"

ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "name": "secretaria-de-governo-e-transparencia",
        "title": "Secretaria de Governo e Transparência",
        "description": (
            "Coordena a ação de governo, a transparência ativa e o portal de dados "
            "abertos da Prefeitura de Mogi das Cruzes, incluindo o atendimento aos "
            "pedidos de acesso à informação (Lei nº 12.527/2011)."
        ),
    },
    {
        "name": "secretaria-de-gestao-e-contratacoes-publicas",
        "title": "Secretaria de Gestão e Contratações Públicas",
        "description": (
            "Responsável pelas licitações, compras e contratos da Prefeitura. Publica "
            "os dados de contratações abertas, seguindo os critérios de transparência "
            "do programa Contratações Abertas."
        ),
    },
    {
        "name": "secretaria-de-planejamento-e-gestao-estrategica",
        "title": "Secretaria de Planejamento e Gestão Estratégica",
        "description": (
            "Planejamento, gestão estratégica e participação social (SEPLAG). Cuida "
            "dos programas de participação, como o Participa Mogi, e dos dados de "
            "gestão de pessoas e de obras."
        ),
    },
    {
        "name": "secretaria-de-saude",
        "title": "Secretaria de Saúde",
        "description": (
            "Gestão da rede municipal de saúde: Unidades Básicas de Saúde, vigilância "
            "epidemiológica, vacinação e atenção especializada."
        ),
    },
    {
        "name": "secretaria-de-educacao",
        "title": "Secretaria de Educação",
        "description": (
            "Rede municipal de ensino: creches, pré-escolas e escolas de ensino "
            "fundamental, matrículas e programas educacionais."
        ),
    },
    {
        "name": "secretaria-de-longevidade",
        "title": "Secretaria de Longevidade",
        "description": (
            "Políticas públicas para a pessoa idosa: centros de convivência, "
            "atividades físicas e culturais e envelhecimento ativo."
        ),
    },
    {
        "name": "secretaria-de-agricultura",
        "title": "Secretaria de Agricultura",
        "description": (
            "Apoio ao produtor rural do cinturão verde, abastecimento, feiras livres e "
            "produção agropecuária do município."
        ),
    },
    {
        "name": "secretaria-de-assistencia-social",
        "title": "Secretaria de Assistência Social",
        "description": (
            "Proteção social básica e especial, Centros de Referência de Assistência "
            "Social (CRAS e CREAS) e programas de transferência de renda."
        ),
    },
    {
        "name": "secretaria-de-mobilidade-urbana",
        "title": "Secretaria de Mobilidade Urbana",
        "description": (
            "Trânsito, transporte coletivo municipal, sinalização viária e "
            "fiscalização do transporte."
        ),
    },
    {
        "name": "secretaria-de-meio-ambiente",
        "title": "Secretaria de Meio Ambiente",
        "description": (
            "Parques, áreas verdes, licenciamento ambiental, coleta seletiva e "
            "educação ambiental."
        ),
    },
    {
        "name": "secretaria-de-fazenda",
        "title": "Secretaria de Fazenda",
        "description": (
            "Receitas, despesas, execução orçamentária, tributos municipais e "
            "cadastro imobiliário."
        ),
    },
    {
        "name": "semae",
        "title": "SEMAE – Serviço Municipal de Águas e Esgotos",
        "description": (
            "Autarquia municipal responsável pelo abastecimento de água, pela coleta e "
            "pelo tratamento de esgotos em Mogi das Cruzes."
        ),
    },
    {
        "name": "iprem",
        "title": "IPREM – Instituto de Previdência Municipal",
        "description": (
            "Autarquia que administra o regime próprio de previdência dos servidores "
            "municipais: aposentadorias e pensões."
        ),
    },
]


def _contact(team: str, mailbox: str) -> dict[str, str]:
    return {"maintainer": team, "maintainer_email": f"{mailbox}@mogidascruzes.sp.gov.br"}


TRANSPARENCY = _contact("Equipe de Dados Abertos – Governo e Transparência", "dadosabertos")
PROCUREMENT = _contact("Departamento de Licitações", "licitacoes")
PLANNING = _contact("Equipe de Gestão Estratégica – SEPLAG", "seplag")
HEALTH = _contact("Vigilância em Saúde", "saude.dados")
EDUCATION = _contact("Departamento de Planejamento Escolar", "educacao.dados")
LONGEVITY = _contact("Coordenadoria de Longevidade", "longevidade")
AGRICULTURE = _contact("Departamento de Abastecimento e Produção Rural", "agricultura")
SOCIAL = _contact("Vigilância Socioassistencial", "assistencia.social")
MOBILITY = _contact("Departamento de Transportes", "mobilidade")
ENVIRONMENT = _contact("Departamento de Áreas Verdes", "meioambiente")
FINANCE = _contact("Departamento de Contabilidade", "fazenda")
WATER = _contact("SEMAE – Controle de Qualidade", "semae")
PENSIONS = _contact("IPREM – Atendimento ao Segurado", "iprem")


def _city_page(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "description": description, "format": "HTML", "url": CITY_SITE}


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
        "groups": ["economia-e-financas", "planejamento-e-gestao"],
        "tags": ["licitações", "compras públicas", "contratações abertas", "pregão"],
        "license_id": "cc-by",
        **PROCUREMENT,
        "private": False,
        "resources": [
            {
                "name": "Licitações 2022 (CSV)",
                "description": "Uma linha por licitação, com objeto, modalidade, "
                "situação e datas.",
                "format": "CSV",
                "tables": ["mogi_licitacoes_2022.json"],
                "convert": "tenders",
                "filename": "licitacoes-2022.csv",
            },
            {
                "name": "Exportação original do sistema de licitações (JSON)",
                "description": "Arquivo JSON com ocorrências e documentos de cada "
                "licitação, como publicado pelo sistema.",
                "format": "JSON",
                "tables": ["mogi_licitacoes_2022.json"],
                "convert": "raw",
                "filename": "licitacoes-2022.json",
            },
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
        "groups": ["economia-e-financas", "planejamento-e-gestao"],
        "tags": ["licitações", "compras públicas", "contratações abertas", "série histórica"],
        "license_id": "cc-by",
        **PROCUREMENT,
        "private": False,
        "resources": [
            {
                "name": "Licitações 2018 (CSV)",
                "description": "Uma linha por licitação de 2018.",
                "format": "CSV",
                "tables": ["mogi_licitacoes_2018.json"],
                "convert": "tenders",
                "filename": "licitacoes-2018.csv",
            },
            {
                "name": "Exportação original do sistema de licitações (JSON)",
                "description": "Arquivo JSON original, com ocorrências e documentos.",
                "format": "JSON",
                "tables": ["mogi_licitacoes_2018.json"],
                "convert": "raw",
                "filename": "licitacoes-2018.json",
            },
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
        "groups": ["planejamento-e-gestao"],
        "tags": ["licitações", "homologação", "atas", "contratações abertas"],
        "license_id": "cc-by",
        **PROCUREMENT,
        "private": False,
        "resources": [
            {
                "name": "Ocorrências das licitações 2018 (CSV)",
                "description": "Uma linha por ocorrência: número da licitação, órgão, "
                "modalidade, data e descrição.",
                "format": "CSV",
                "tables": ["mogi_licitacoes_2018.json"],
                "convert": "tender_events",
                "filename": "ocorrencias-licitacoes-2018.csv",
            },
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
        "groups": ["planejamento-e-gestao"],
        "tags": ["licitações", "editais", "documentos", "contratações abertas"],
        "license_id": "cc-by",
        **PROCUREMENT,
        "private": False,
        "resources": [
            {
                "name": "Documentos das licitações 2022 (CSV)",
                "description": "Uma linha por documento, com o link de download.",
                "format": "CSV",
                "tables": ["mogi_licitacoes_2022.json"],
                "convert": "tender_documents",
                "filename": "documentos-licitacoes-2022.csv",
            },
            {
                "name": "Sistema de licitações da Prefeitura",
                "description": "Consulta pública às licitações em andamento.",
                "format": "HTML",
                "url": TENDER_SYSTEM,
            },
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
        "groups": ["saneamento", "economia-e-financas"],
        "tags": ["licitações", "saneamento", "água", "esgoto"],
        "license_id": "cc-by",
        **WATER,
        "private": False,
        "resources": [
            {
                "name": "Licitações do SEMAE (CSV)",
                "description": "Licitações do SEMAE de 2018 e 2022, uma por linha.",
                "format": "CSV",
                "tables": ["mogi_licitacoes_2018.json", "mogi_licitacoes_2022.json"],
                "convert": "semae_tenders",
                "filename": "licitacoes-semae.csv",
            },
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
            "de Minas Gerais e trazem os dados reais daquela publicação."
        ),
        "owner_org": "secretaria-de-gestao-e-contratacoes-publicas",
        "groups": ["saude", "economia-e-financas"],
        "tags": ["covid-19", "compras emergenciais", "saúde", "contratos"],
        "license_id": "cc-by",
        **PROCUREMENT,
        "private": False,
        "resources": [
            {
                "name": "Compras emergenciais COVID-19 (CSV)",
                "description": "Itens contratados, um por linha (UTF-8, separado por "
                "vírgulas).",
                "format": "CSV",
                "tables": ["mg_compras_coronavirus_published.csv"],
                "convert": "raw",
                "filename": "compras-emergenciais-covid-19.csv",
            },
            {
                "name": "Compras emergenciais COVID-19 (planilha)",
                "description": "Os mesmos dados em planilha Excel.",
                "format": "XLSX",
                "tables": ["mg_compras_coronavirus_published.xlsx"],
                "convert": "raw",
                "filename": "compras-emergenciais-covid-19.xlsx",
            },
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
        "groups": ["economia-e-financas"],
        "tags": ["despesas", "empenho", "orçamento", "execução orçamentária"],
        "license_id": "cc-by",
        **FINANCE,
        "private": False,
        "resources": [
            {
                "name": "Despesas empenhadas (CSV)",
                "description": "Notas de empenho, uma por linha.",
                "format": "CSV",
                "tables": ["federal_portaltransparencia_20250101_Despesas_Empenho.csv"],
                "convert": "raw",
                "filename": "despesas-empenhadas.csv",
            },
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
        "groups": ["economia-e-financas"],
        "tags": ["receitas", "orçamento", "tributos", "IPTU", "ISS"],
        "license_id": "cc-by",
        **FINANCE,
        "private": False,
        "resources": [
            _city_page("Receitas no site da Prefeitura", "Consulta às receitas municipais."),
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
        "groups": ["urbanismo", "economia-e-financas"],
        "tags": ["IPTU", "imóveis", "cadastro", "lotes"],
        "license_id": "cc-by",
        **FINANCE,
        "private": False,
        "resources": [
            _city_page("Cadastro imobiliário", "Consulta ao cadastro imobiliário."),
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
        "groups": ["administracao", "trabalho"],
        "tags": ["servidores", "cargos", "carga horária", "pessoal"],
        "license_id": "cc-by",
        **PLANNING,
        "private": False,
        "resources": [
            {
                "name": "Cargos e carga horária (CSV)",
                "description": "Código do cargo, nome do cargo e horas semanais.",
                "format": "CSV",
                "tables": ["mogi_cargos_carga_horaria.json"],
                "convert": "job_titles",
                "filename": "cargos-carga-horaria.csv",
            },
            {
                "name": "Cargos e carga horária (JSON)",
                "description": "Lista original publicada no portal da transparência.",
                "format": "JSON",
                "tables": ["mogi_cargos_carga_horaria.json"],
                "convert": "raw",
                "filename": "cargos-carga-horaria.json",
            },
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
        "groups": ["administracao", "trabalho"],
        "tags": ["folha de pagamento", "servidores", "remuneração", "LGPD"],
        "license_id": "other-closed",
        **PLANNING,
        "private": True,
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
        "groups": ["administracao", "planejamento-e-gestao"],
        "tags": ["cadastro unificado", "governança de dados", "LGPD"],
        "license_id": "other-closed",
        **TRANSPARENCY,
        "private": True,
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
        "groups": ["administracao"],
        "tags": ["LAI", "transparência", "acesso à informação", "ouvidoria"],
        "license_id": "cc-by",
        **TRANSPARENCY,
        "private": False,
        "resources": [
            _city_page("Serviço de Informação ao Cidadão", "Como fazer um pedido de "
                       "acesso à informação."),
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
        "groups": ["planejamento-e-gestao"],
        "tags": ["participação social", "Participa Mogi", "bairros"],
        "license_id": "cc-by",
        **PLANNING,
        "private": False,
        "resources": [
            _city_page("Participa Mogi", "Página do programa de participação social."),
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
        "groups": ["infraestrutura-e-fomento", "urbanismo"],
        "tags": ["obras", "infraestrutura", "contratos", "engenharia"],
        "license_id": "cc-by",
        **PLANNING,
        "private": False,
        "resources": [
            _city_page("Obras no site da Prefeitura", "Acompanhamento das obras."),
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
        "groups": ["esporte-e-lazer", "urbanismo"],
        "tags": ["esporte", "lazer", "quadras", "campos de futebol"],
        "license_id": "cc-by",
        **PLANNING,
        "private": False,
        "resources": [
            {
                "name": "Equipamentos esportivos (CSV)",
                "description": "Um equipamento por linha, com geometria em WKT.",
                "format": "CSV",
                "tables": ["bh_equipamentos_esportivos_datastore_dump_bom.csv"],
                "convert": "raw",
                "filename": "equipamentos-esportivos.csv",
            },
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
        "groups": ["saude", "infraestrutura-e-fomento"],
        "tags": ["saúde", "UBS", "atenção básica", "PAC"],
        "license_id": "cc-by",
        **HEALTH,
        "private": False,
        "resources": [
            {
                "name": "UBS em Mogi das Cruzes – PAC 2018 (CSV)",
                "description": "Linhas da base nacional do PAC referentes a Mogi das "
                "Cruzes.",
                "format": "CSV",
                "tables": ["federal_pac_ubs_geoserver_2018.csv"],
                "convert": "mogi_rows",
                "filename": "ubs-mogi-das-cruzes-pac-2018.csv",
            },
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
        "groups": ["saude"],
        "tags": ["saúde", "tuberculose", "vigilância epidemiológica", "DATASUS"],
        "license_id": "cc-by",
        **HEALTH,
        "private": False,
        "resources": [
            {
                "name": "Casos de tuberculose 2001–2019 (CSV)",
                "description": "Tabela do TabNet como exportada.",
                "format": "CSV",
                "tables": ["datasus_tabnet_sinan_tuberculose_2001-2019.csv"],
                "convert": "raw",
                "filename": "tuberculose-sinan-2001-2019.csv",
            },
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
        "groups": ["saude"],
        "tags": ["saúde", "vacinação", "imunização"],
        "license_id": "cc-by",
        **HEALTH,
        "private": False,
        "resources": [
            _city_page("Vacinação no site da Prefeitura", "Calendário e locais de "
                       "vacinação."),
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
        "groups": ["saude"],
        "tags": ["saúde", "UBS", "atendimentos", "LGPD"],
        "license_id": "other-closed",
        **HEALTH,
        "private": True,
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
        "groups": ["educacao"],
        "tags": ["educação", "escolas", "rede municipal", "endereços"],
        "license_id": "cc-by",
        **EDUCATION,
        "private": False,
        "resources": [
            {
                "name": "Escolas municipais (CSV)",
                "description": "Cadastro de escolas no formato da SEDUC-SP (separador "
                "ponto e vírgula).",
                "format": "CSV",
                "tables": ["sjc_seducsp_escolas_municipais.csv"],
                "convert": "raw",
                "filename": "escolas-municipais.csv",
            },
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
        "groups": ["educacao"],
        "tags": ["educação", "matrículas", "Censo Escolar"],
        "license_id": "cc-by",
        **EDUCATION,
        "private": False,
        "resources": [
            _city_page("Educação no site da Prefeitura", "Informações da rede municipal."),
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
        "groups": ["protecao-social"],
        "tags": ["pessoa idosa", "longevidade", "convivência"],
        "license_id": "cc-by",
        **LONGEVITY,
        "private": False,
        "resources": [
            _city_page("Longevidade no site da Prefeitura", "Programação dos centros de "
                       "convivência."),
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
        "groups": ["protecao-social"],
        "tags": ["assistência social", "CRAS", "CREAS"],
        "license_id": "cc-by",
        **SOCIAL,
        "private": False,
        "resources": [
            _city_page("Assistência social no site da Prefeitura", "Endereços das "
                       "unidades."),
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
        "groups": ["protecao-social"],
        "tags": ["assistência social", "beneficiários", "LGPD"],
        "license_id": "other-closed",
        **SOCIAL,
        "private": True,
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
        "groups": ["agropecuaria-pesca-e-extrativismo"],
        "tags": ["aquicultura", "IBGE", "pecuária", "produção rural"],
        "license_id": "cc-by",
        **AGRICULTURE,
        "private": False,
        "resources": [
            {
                "name": "Tabela 3940 – aquicultura por município (CSV)",
                "description": "Tabela do SIDRA como exportada.",
                "format": "CSV",
                "tables": ["ibge_sidra_tabela3940_aquicultura_raw.csv"],
                "convert": "raw",
                "filename": "ibge-sidra-3940-aquicultura.csv",
            },
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
        "groups": ["agropecuaria-pesca-e-extrativismo"],
        "tags": ["agricultura", "hortaliças", "cinturão verde", "produção rural"],
        "license_id": "cc-by",
        **AGRICULTURE,
        "private": False,
        "resources": [
            _city_page("Agricultura no site da Prefeitura", "Programas de apoio ao "
                       "produtor rural."),
        ],
    },
    {
        "name": "feiras-livres",
        "title": "Feiras livres",
        "notes": (
            "Feiras livres do município: dia da semana, horário, endereço e bairro."
        ),
        "owner_org": "secretaria-de-agricultura",
        "groups": ["abastecimento", "comercio-e-servicos"],
        "tags": ["feiras livres", "abastecimento", "comércio"],
        "license_id": "cc-by",
        **AGRICULTURE,
        "private": False,
        "resources": [
            _city_page("Feiras livres no site da Prefeitura", "Dias e locais das feiras."),
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
        "groups": ["transportes"],
        "tags": ["ônibus", "transporte coletivo", "itinerários", "mobilidade"],
        "license_id": "cc-by",
        **MOBILITY,
        "private": False,
        "resources": [
            _city_page("Transporte coletivo no site da Prefeitura", "Linhas e horários."),
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
        "groups": ["meio-ambiente", "esporte-e-lazer"],
        "tags": ["parques", "áreas verdes", "praças", "lazer"],
        "license_id": "cc-by",
        **ENVIRONMENT,
        "private": False,
        "resources": [
            _city_page("Parques no site da Prefeitura", "Parques e horários."),
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
        "groups": ["meio-ambiente", "saneamento"],
        "tags": ["reciclagem", "coleta seletiva", "resíduos sólidos"],
        "license_id": "cc-by",
        **ENVIRONMENT,
        "private": False,
        "resources": [
            _city_page("Coleta seletiva no site da Prefeitura", "Ecopontos e roteiros."),
        ],
    },
    {
        "name": "qualidade-da-agua-distribuida",
        "title": "Qualidade da água distribuída",
        "notes": (
            "Resultados mensais das análises da água distribuída pelo SEMAE: cloro "
            "residual, turbidez, cor, pH, flúor e coliformes, por sistema de "
            "abastecimento, conforme a norma de potabilidade do Ministério da Saúde."
        ),
        "owner_org": "semae",
        "groups": ["saneamento", "saude"],
        "tags": ["água", "potabilidade", "saneamento", "análises"],
        "license_id": "cc-by",
        **WATER,
        "private": False,
        "resources": [
            _city_page("SEMAE no site da Prefeitura", "Relatórios de qualidade da água."),
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
        "groups": ["previdencia-social"],
        "tags": ["previdência", "aposentadorias", "pensões", "RPPS"],
        "license_id": "cc-by",
        **PENSIONS,
        "private": False,
        "resources": [
            _city_page("IPREM no site da Prefeitura", "Informações aos segurados."),
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
        "groups": ["previdencia-social"],
        "tags": ["previdência", "beneficiários", "LGPD"],
        "license_id": "other-closed",
        **PENSIONS,
        "private": True,
        "resources": [],
    },
]
