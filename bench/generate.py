"""Reproducible Mogi-like catalogue for the search benchmark.

Rows go straight into CKAN's tables with SQLAlchemy bulk inserts (one
transaction); every index document is then built by CKAN itself
(``ckan.logic.index_update_package``: ``package_show`` + the
``before_dataset_index`` hooks + ``permission_labels``), so the search table
holds exactly what ``package_create`` would have indexed.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
import time
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from ckan import logic, model

SEED = 20_260_124
NAME_PREFIX = "bench-"
FORMATS = ("CSV", "XLSX", "JSON", "PDF")
FORMAT_WEIGHTS = (5, 3, 2, 2)
LICENSES = ("cc-by", "cc-by-sa", "odc-odbl", "cc-zero", "other-open", "notspecified")
LICENSE_WEIGHTS = (8, 3, 2, 2, 1, 1)
PRIVATE_SHARE = 0.10
_EPOCH = dt.datetime(2025, 6, 1, 12, 0, 0)

ORGANIZATIONS = (
    "Secretaria de Saúde",
    "Secretaria de Educação",
    "Secretaria de Mobilidade Urbana",
    "Secretaria de Finanças",
    "Secretaria de Administração",
    "Secretaria de Obras",
    "Secretaria do Verde e Meio Ambiente",
    "Secretaria de Assistência Social",
    "Secretaria de Cultura e Turismo",
    "Secretaria de Esporte e Lazer",
    "Secretaria de Segurança",
    "Secretaria de Planejamento e Urbanismo",
    "Secretaria de Agricultura",
    "Secretaria de Desenvolvimento Econômico",
    "Procuradoria-Geral do Município",
)

GROUPS = (
    "Saúde", "Educação", "Transporte", "Meio Ambiente", "Finanças Públicas",
    "Licitações e Contratos", "Obras Públicas", "Segurança Pública", "Cultura",
    "Esporte", "Assistência Social", "Habitação", "Urbanismo", "Agricultura",
    "Turismo", "Trabalho e Emprego", "Ciência e Tecnologia", "Administração",
    "Legislação", "Mobilidade Urbana", "Saneamento", "Energia", "População",
    "Economia", "Orçamento", "Recursos Humanos",
)

# (subject, organization index, group indexes, tags): the catalogue's themes.
SUBJECTS: tuple[tuple[str, int, tuple[int, ...], tuple[str, ...]], ...] = (
    ("Unidades de saúde", 0, (0,), ("saúde", "ubs", "atendimento")),
    ("Atendimentos nas UBS", 0, (0,), ("saúde", "ubs", "consultas")),
    ("Vacinação contra a gripe", 0, (0, 22), ("saúde", "vacinação", "campanha")),
    ("Casos de dengue notificados", 0, (0,), ("saúde", "dengue", "vigilância")),
    ("Leitos hospitalares", 0, (0,), ("saúde", "hospital", "leitos")),
    ("Farmácias municipais", 0, (0,), ("saúde", "medicamentos", "farmácia")),
    ("Escolas municipais", 1, (1,), ("educação", "escolas", "ensino fundamental")),
    ("Matrículas na rede municipal", 1, (1, 22), ("educação", "matrículas", "alunos")),
    ("Merenda escolar", 1, (1, 10), ("educação", "alimentação", "merenda")),
    ("Creches conveniadas", 1, (1, 10), ("educação", "creches", "educação infantil")),
    ("Transporte escolar", 1, (1, 2), ("educação", "transporte", "ônibus")),
    ("Linhas de ônibus", 2, (2, 19), ("transporte", "ônibus", "mobilidade")),
    ("Pontos de parada do transporte coletivo", 2, (2, 19), ("transporte", "ônibus")),
    ("Acidentes de trânsito", 2, (19, 7), ("trânsito", "acidentes", "mobilidade")),
    ("Multas de trânsito", 2, (19, 4), ("trânsito", "multas", "arrecadação")),
    ("Ciclovias e ciclofaixas", 2, (19, 12), ("mobilidade", "bicicleta", "ciclovias")),
    ("Receitas municipais", 3, (4, 24), ("finanças", "receitas", "orçamento")),
    ("Despesas por função", 3, (4, 24), ("finanças", "despesas", "orçamento")),
    ("Dívida ativa", 3, (4,), ("finanças", "dívida ativa", "tributos")),
    ("Arrecadação de IPTU", 3, (4, 23), ("tributos", "iptu", "arrecadação")),
    ("Licitações", 4, (5,), ("licitações", "compras", "transparência")),
    ("Contratos administrativos", 4, (5, 17), ("contratos", "licitações", "transparência")),
    ("Pregões eletrônicos", 4, (5,), ("licitações", "pregão", "compras")),
    ("Servidores municipais", 4, (25, 17), ("servidores", "folha de pagamento", "pessoal")),
    ("Folha de pagamento", 4, (25, 4), ("folha de pagamento", "salários", "servidores")),
    ("Obras em andamento", 5, (6, 12), ("obras", "infraestrutura", "investimentos")),
    ("Pavimentação de vias", 5, (6, 12), ("obras", "pavimentação", "vias")),
    ("Iluminação pública", 5, (6, 21), ("iluminação", "energia", "infraestrutura")),
    ("Áreas verdes e parques", 6, (3, 12), ("meio ambiente", "parques", "áreas verdes")),
    ("Arborização urbana", 6, (3,), ("meio ambiente", "árvores", "arborização")),
    ("Coleta seletiva", 6, (3, 20), ("meio ambiente", "reciclagem", "resíduos")),
    ("Qualidade da água", 6, (20, 3), ("saneamento", "água", "qualidade")),
    ("Licenças ambientais", 6, (3, 18), ("meio ambiente", "licenciamento")),
    ("Famílias atendidas pelo CRAS", 7, (10,), ("assistência social", "cras", "famílias")),
    ("Bolsa Família no município", 7, (10, 23), ("assistência social", "benefícios")),
    ("Abrigos e acolhimento", 7, (10, 11), ("assistência social", "acolhimento")),
    ("Eventos culturais", 8, (8, 14), ("cultura", "eventos", "agenda")),
    ("Bibliotecas públicas", 8, (8, 1), ("cultura", "bibliotecas", "leitura")),
    ("Pontos turísticos", 8, (14,), ("turismo", "pontos turísticos", "patrimônio")),
    ("Patrimônio histórico", 8, (8, 14), ("patrimônio", "cultura", "história")),
    ("Equipamentos esportivos", 9, (9,), ("esporte", "ginásios", "lazer")),
    ("Escolinhas de esporte", 9, (9, 1), ("esporte", "crianças", "lazer")),
    ("Ocorrências da Guarda Municipal", 10, (7,), ("segurança", "guarda municipal")),
    ("Câmeras de monitoramento", 10, (7, 16), ("segurança", "monitoramento", "câmeras")),
    ("Defesa Civil: áreas de risco", 10, (7, 11), ("defesa civil", "áreas de risco")),
    ("Zoneamento urbano", 11, (12, 18), ("urbanismo", "zoneamento", "plano diretor")),
    ("Alvarás de construção", 11, (12, 6), ("urbanismo", "alvarás", "construção")),
    ("Loteamentos aprovados", 11, (12, 11), ("urbanismo", "loteamentos", "habitação")),
    ("Habitação de interesse social", 11, (11, 10), ("habitação", "moradia", "social")),
    ("Produção agrícola", 12, (13, 23), ("agricultura", "produção", "caqui")),
    ("Feiras livres", 12, (13, 23), ("feiras", "agricultura", "abastecimento")),
    ("Empresas abertas no município", 13, (23, 15), ("economia", "empresas", "cnpj")),
    ("Vagas de emprego", 13, (15,), ("emprego", "trabalho", "vagas")),
    ("Inovação e startups", 13, (16, 23), ("inovação", "tecnologia", "startups")),
    ("Leis municipais", 14, (18,), ("legislação", "leis", "decretos")),
    ("Decretos do executivo", 14, (18, 17), ("legislação", "decretos")),
    ("Processos judiciais do município", 14, (18, 17), ("processos", "justiça")),
)

DISTRICTS = (
    "Centro", "Brás Cubas", "César de Souza", "Jundiapeba", "Vila Oliveira",
    "Mogi Moderno", "Alto Ipiranga", "Biritiba Ussu", "Taiaçupeba", "Sabaúna",
    "Quatinga", "Taboão", "Botujuru", "Cocuera", "Jardim Universo", "Vila Industrial",
)
QUALIFIERS = ("por bairro", "por mês", "por distrito", "consolidado", "série histórica",
              "por secretaria", "por faixa etária", "georreferenciado")
EXTRA_TAGS = ("dados abertos", "transparência", "mogi das cruzes", "estatísticas",
              "indicadores", "série histórica", "mapa", "georreferenciamento", "gestão")
NOTE_SENTENCES = (
    "Dados publicados pela {org} da Prefeitura de Mogi das Cruzes.",
    "A tabela reúne informações sobre {subject_lower} no período de {start} a {end}.",
    "Os registros são atualizados {frequency} a partir dos sistemas de gestão municipais.",
    "Inclui informações do distrito de {district} e dos demais bairros do município.",
    "Os valores financeiros estão em reais (R$), sem correção monetária.",
    "Informações sujeitas a revisão; consulte a nota metodológica no recurso em PDF.",
    "Publicação em atendimento à Lei de Acesso à Informação (Lei nº 12.527/2011).",
    "Cada linha corresponde a um registro; as colunas seguem o dicionário de dados anexo.",
)
FREQUENCIES = ("mensalmente", "trimestralmente", "anualmente", "semanalmente")
RESOURCE_KINDS = ("Tabela de dados", "Dicionário de dados", "Nota metodológica",
                  "Série completa", "Resumo anual")


def slugify(text: str) -> str:
    """A CKAN-valid name fragment: ascii, lower case, dashes."""
    folded = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@dataclass
class Catalogue:
    """The generated rows, per CKAN table."""

    groups: list[dict[str, Any]] = field(default_factory=list)
    packages: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    package_tags: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)


class _Generator:
    def __init__(self, seed: int, creator_id: str) -> None:
        self.rng = random.Random(seed)
        self.creator_id = creator_id
        self.out = Catalogue()

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def group_rows(self) -> tuple[list[str], list[str]]:
        org_ids, group_ids = [], []
        for titles, is_org, ids in ((ORGANIZATIONS, True, org_ids), (GROUPS, False, group_ids)):
            for title in titles:
                gid = self.uuid()
                ids.append(gid)
                self.out.groups.append({
                    "id": gid, "name": slugify(title), "title": title,
                    "type": "organization" if is_org else "group",
                    "description": f"{title} - Prefeitura de Mogi das Cruzes.",
                    "image_url": "", "created": _EPOCH - dt.timedelta(days=4000),
                    "is_organization": is_org, "approval_status": "approved",
                    "state": "active", "extras": {},
                })
        return org_ids, group_ids

    def tag_id(self, name: str) -> str:
        if name not in self.out.tags:
            self.out.tags[name] = self.uuid()
        return self.out.tags[name]

    def package(self, number: int, org_ids: Sequence[str], group_ids: Sequence[str]) -> None:
        rng = self.rng
        subject, org, groups, tags = rng.choice(SUBJECTS)
        year = rng.randint(2013, 2024)
        shape = rng.random()
        district = rng.choice(DISTRICTS)
        if shape < 0.45:
            title = f"{subject} {year}"
        elif shape < 0.7:
            title = f"{subject} - {district}"
        else:
            title = f"{subject} {rng.choice(QUALIFIERS)} {year}"
        org_title = ORGANIZATIONS[org]
        start = year - rng.randint(0, 5)
        values = {"org": org_title, "subject_lower": subject.lower(), "start": start,
                  "end": year, "frequency": rng.choice(FREQUENCIES), "district": district}
        sentences = [NOTE_SENTENCES[0], NOTE_SENTENCES[1],
                     *rng.sample(NOTE_SENTENCES[2:], rng.randint(1, 3))]
        notes = " ".join(s.format(**values) for s in sentences)
        created = _EPOCH - dt.timedelta(seconds=rng.randint(0, 10 * 365 * 86400))
        modified = min(_EPOCH, created + dt.timedelta(seconds=rng.randint(0, 900 * 86400)))
        pid = self.uuid()
        extras: dict[str, str] = {}
        if rng.random() < 0.6:
            extras["frequencia"] = rng.choice(FREQUENCIES)
        if rng.random() < 0.4:
            extras["cobertura_temporal"] = f"{start}-{year}"
        if rng.random() < 0.3:
            extras["fonte"] = f"Sistema de gestão da {org_title}"
        self.out.packages.append({
            "id": pid, "name": f"{NAME_PREFIX}{slugify(title)[:80]}-{number:05d}",
            "title": title, "version": None, "url": "",
            "author": org_title, "author_email": "dados@mogidascruzes.sp.gov.br",
            "maintainer": "Coordenadoria de Dados Abertos",
            "maintainer_email": "transparencia@mogidascruzes.sp.gov.br",
            "notes": notes, "license_id": rng.choices(LICENSES, LICENSE_WEIGHTS)[0],
            "type": "dataset", "owner_org": org_ids[org], "creator_user_id": self.creator_id,
            "metadata_created": created, "metadata_modified": modified,
            "private": rng.random() < PRIVATE_SHARE, "state": "active",
            "plugin_data": None, "extras": extras,
        })
        self.out.members.append({
            "id": self.uuid(), "table_name": "package", "table_id": pid,
            "capacity": "organization", "group_id": org_ids[org], "state": "active",
        })
        chosen_groups = set(rng.sample(groups, rng.randint(1, len(groups))))
        if rng.random() < 0.2:
            chosen_groups.add(rng.randrange(len(group_ids)))
        for index in sorted(chosen_groups):
            self.out.members.append({
                "id": self.uuid(), "table_name": "package", "table_id": pid,
                "capacity": "public", "group_id": group_ids[index], "state": "active",
            })
        tag_names = {*rng.sample(tags, rng.randint(1, len(tags))),
                     *rng.sample(EXTRA_TAGS, rng.randint(0, 3)), str(year)}
        for name in sorted(tag_names):
            self.out.package_tags.append({
                "id": self.uuid(), "package_id": pid, "tag_id": self.tag_id(name),
                "state": "active",
            })
        for position in range(rng.randint(1, 4)):
            fmt = rng.choices(FORMATS, FORMAT_WEIGHTS)[0]
            kind = rng.choice(RESOURCE_KINDS)
            self.out.resources.append({
                "id": self.uuid(), "package_id": pid,
                "url": f"https://dados.mogidascruzes.sp.gov.br/arquivos/{pid}/{position}."
                       f"{fmt.lower()}",
                "format": fmt, "description": f"{kind} de {subject.lower()} ({year}).",
                "position": position, "name": f"{kind} {year} ({fmt})",
                "size": rng.randint(2_000, 20_000_000), "created": created,
                "metadata_modified": modified, "url_type": None, "extras": {},
                "state": "active",
            })


def generate(count: int, seed: int, creator_id: str) -> Catalogue:
    """``count`` datasets (plus organizations, groups, tags), fully determined by ``seed``."""
    generator = _Generator(seed, creator_id)
    org_ids, group_ids = generator.group_rows()
    for number in range(count):
        generator.package(number, org_ids, group_ids)
    return generator.out


def bench_package_count(session: Any) -> tuple[int, int]:
    """(bench datasets in ``package``, rows in the search table)."""
    packages = session.execute(
        sa.text("SELECT count(*) FROM package WHERE name LIKE :p AND state = 'active'"),
        {"p": f"{NAME_PREFIX}%"},
    ).scalar_one()
    indexed = session.execute(sa.text("SELECT count(*) FROM mogi_search_index")).scalar_one()
    return packages, indexed


def insert(catalogue: Catalogue) -> None:
    """Write the catalogue's rows in one transaction (bulk ``INSERT``s)."""
    session = model.Session()
    tables = model.meta.metadata.tables
    session.execute(sa.insert(tables["group"]), catalogue.groups)
    session.execute(sa.insert(tables["package"]), catalogue.packages)
    session.execute(sa.insert(tables["tag"]),
                    [{"id": tid, "name": name, "vocabulary_id": None}
                     for name, tid in catalogue.tags.items()])
    session.execute(sa.insert(tables["package_tag"]), catalogue.package_tags)
    session.execute(sa.insert(tables["member"]), catalogue.members)
    session.execute(sa.insert(tables["resource"]), catalogue.resources)
    session.commit()


def index_all(package_ids: Sequence[str], batch: int = 500) -> None:
    """Index each dataset the way ``ckan search-index rebuild`` does."""
    context: dict[str, Any] = {"ignore_auth": True}
    started = time.perf_counter()
    for number, package_id in enumerate(package_ids, 1):
        logic.index_update_package(context, package_id, defer_commit=True)
        if number % batch == 0 or number == len(package_ids):
            model.Session.commit()
            rate = number / (time.perf_counter() - started)
            sys.stderr.write(f"\r  indexed {number}/{len(package_ids)} ({rate:.0f}/s)")
            sys.stderr.flush()
    sys.stderr.write("\n")
