"""A frictionless validation report, rendered in Portuguese for municipal staff.

Every text staff read is in the single table :data:`TEXTS` below (report content in
Portuguese directly, like schema labels): a label, a message template and a hint on
how to fix it, per frictionless error type, with sub-entries per field type
("type-error:number") and per constraint ("constraint-error:enum"). Templates are
filled with the error's row, column, field name and value.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections import Counter
from typing import Any

from ckanext.mogi.validation.lgpd import BLOCKING_KINDS

#: At most this many errors are rendered (the summary still counts them all).
MAX_RENDERED_ERRORS = 1000
#: Long cell values are cut to this many characters in messages.
MAX_VALUE_CHARS = 80

_NUMBER_HINT = "Use vírgula como separador decimal e ponto para milhar, ex.: 1.234,56."
_FILE_HINT = "Exporte a tabela novamente do sistema de origem e envie o arquivo original."

# type -> label, message, hint. Placeholders: {value} {field} {column} {row} {label}
# {format} {example} {limit} {other} {encoding} {message} {type_label}.
TEXTS: dict[str, dict[str, str]] = {
    # Cell values
    "type-error": {
        "label": "Tipo de dado incorreto",
        "message": '"{value}" não é do tipo {type_label}.',
        "hint": "Corrija o valor ou ajuste o tipo da coluna no esquema.",
    },
    "type-error:integer": {
        "message": '"{value}" não é um número inteiro.',
        "hint": "Use só algarismos, sem separador de milhar nem casas decimais, ex.: 1234.",
    },
    "type-error:number": {
        "message": '"{value}" não é um número.',
        "hint": _NUMBER_HINT,
    },
    "type-error:number:.": {
        "message": '"{value}" não é um número.',
        "hint": "Use ponto como separador decimal e não use separador de milhar, ex.: 1234.56.",
    },
    "type-error:date": {
        "message": '"{value}" não é uma data válida no formato {format}.',
        "hint": "Escreva a data como {format}, ex.: {example}; confira o dia e o mês "
        "(31/02 não existe).",
    },
    "type-error:datetime": {
        "message": '"{value}" não é uma data e hora válida no formato {format}.',
        "hint": "Escreva a data e a hora como {format}, ex.: {example}.",
    },
    "type-error:time": {
        "message": '"{value}" não é um horário válido no formato {format}.',
        "hint": "Escreva o horário como {format}, ex.: {example}.",
    },
    "type-error:year": {
        "message": '"{value}" não é um ano.',
        "hint": "Use o ano com quatro algarismos, ex.: 2024.",
    },
    "type-error:yearmonth": {
        "message": '"{value}" não é um mês de um ano.',
        "hint": "Use ano e mês como aaaa-mm, ex.: 2024-03.",
    },
    "type-error:boolean": {
        "message": '"{value}" não é um valor de verdadeiro ou falso.',
        "hint": "Use um dos valores aceitos pelo esquema, ex.: true ou false.",
    },
    "type-error:string:email": {
        "message": '"{value}" não é um endereço de e-mail válido.',
        "hint": "Confira o endereço, ex.: ouvidoria@mogidascruzes.sp.gov.br.",
    },
    "type-error:string:uri": {
        "message": '"{value}" não é um endereço (URL) válido.',
        "hint": "Use o endereço completo, começando por https://.",
    },
    "type-error:geopoint": {
        "message": '"{value}" não é uma coordenada geográfica válida.',
        "hint": "Use latitude e longitude com ponto decimal, ex.: -23.5229, -46.1880.",
    },
    "constraint-error": {
        "label": "Valor fora das regras da coluna",
        "message": '"{value}" não respeita uma regra da coluna.',
        "hint": "Confira as regras da coluna na descrição do esquema. (detalhe técnico: {other})",
    },
    "constraint-error:required": {
        "label": "Valor obrigatório ausente",
        "message": "o valor é obrigatório, mas a célula está vazia.",
        "hint": "Preencha a célula; se o dado não existir, use o marcador de ausência "
        "combinado no esquema (ex.: -).",
    },
    "constraint-error:unique": {
        "label": "Valor repetido",
        "message": '"{value}" se repete, mas a coluna não admite valores repetidos.',
        "hint": "Cada linha deve ter um valor diferente nesta coluna; remova linhas duplicadas.",
    },
    "constraint-error:enum": {
        "label": "Valor não permitido",
        "message": '"{value}" não está entre os valores permitidos: {limit}.',
        "hint": "Use exatamente um dos valores da lista (confira acentos e maiúsculas).",
    },
    "constraint-error:pattern": {
        "label": "Formato inválido",
        "message": '"{value}" não segue o formato exigido para a coluna.',
        "hint": "Confira o formato esperado na descrição do campo (padrão: {limit}).",
    },
    "constraint-error:minimum": {
        "label": "Valor abaixo do mínimo",
        "message": '"{value}" é menor que o mínimo permitido ({limit}).',
        "hint": "Confira o valor; o esquema só aceita valores a partir de {limit}.",
    },
    "constraint-error:exclusiveMinimum": {
        "label": "Valor abaixo do mínimo",
        "message": '"{value}" deve ser maior que {limit}.',
        "hint": "Confira o valor; o esquema só aceita valores acima de {limit}.",
    },
    "constraint-error:maximum": {
        "label": "Valor acima do máximo",
        "message": '"{value}" é maior que o máximo permitido ({limit}).',
        "hint": "Confira o valor; o esquema só aceita valores até {limit}.",
    },
    "constraint-error:exclusiveMaximum": {
        "label": "Valor acima do máximo",
        "message": '"{value}" deve ser menor que {limit}.',
        "hint": "Confira o valor; o esquema só aceita valores abaixo de {limit}.",
    },
    "constraint-error:minLength": {
        "label": "Texto curto demais",
        "message": '"{value}" tem menos que os {limit} caracteres exigidos.',
        "hint": "Complete o valor (confira se não faltam dígitos ou zeros à esquerda).",
    },
    "constraint-error:maxLength": {
        "label": "Texto longo demais",
        "message": '"{value}" passa dos {limit} caracteres permitidos.',
        "hint": "Encurte o valor ou confira se duas informações foram juntadas na mesma célula.",
    },
    "unique-error": {
        "label": "Valor repetido",
        "message": '"{value}" já aparece na linha {other}, mas a coluna não admite repetição.',
        "hint": "Cada linha deve ter um valor diferente nesta coluna; remova linhas duplicadas.",
    },
    "extra-cell": {
        "label": "Célula a mais",
        "message": 'há um valor ("{value}") além das colunas do cabeçalho.',
        "hint": "Confira se algum texto contém o separador sem estar entre aspas, ou se falta "
        "o título de uma coluna no cabeçalho.",
    },
    "missing-cell": {
        "label": "Célula faltando",
        "message": "a linha termina antes desta coluna.",
        "hint": "Complete a linha com as colunas que faltam (mesmo vazias, com o separador) ou "
        "confira se um texto com quebra de linha não partiu a linha em duas.",
    },
    "ascii-value": {
        "label": "Caractere não ASCII",
        "message": '"{value}" contém caracteres fora do padrão ASCII.',
        "hint": "Remova acentos e símbolos especiais desta coluna, como pede o esquema.",
    },
    "forbidden-value": {
        "label": "Valor proibido",
        "message": '"{value}" não é permitido nesta coluna.',
        "hint": "Substitua o valor conforme as regras do esquema.",
    },
    "sequential-value": {
        "label": "Sequência quebrada",
        "message": '"{value}" quebra a numeração sequencial da coluna.',
        "hint": "Confira se há linhas faltando ou repetidas.",
    },
    "truncated-value": {
        "label": "Valor possivelmente cortado",
        "message": '"{value}" parece ter sido cortado pelo sistema de origem.',
        "hint": "Exporte de novo sem limite de tamanho de texto ou de número.",
    },
    "deviated-value": {
        "label": "Valor fora do padrão",
        "message": "o valor está muito distante da média da coluna.",
        "hint": "Confira se não há erro de digitação ou de unidade (ex.: reais e milhares). "
        "(detalhe técnico: {other})",
    },
    "deviated-cell": {
        "label": "Célula fora do padrão",
        "message": "a célula é muito maior que as demais da coluna.",
        "hint": "Confira se não foram juntadas várias informações numa só célula. "
        "(detalhe técnico: {other})",
    },
    # Rows
    "blank-row": {
        "label": "Linha em branco",
        "message": "a linha está totalmente vazia.",
        "hint": "Apague as linhas em branco no meio da tabela.",
    },
    "duplicate-row": {
        "label": "Linha duplicada",
        "message": "a linha repete integralmente a linha {other}.",
        "hint": "Apague a linha repetida.",
    },
    "primary-key": {
        "label": "Chave primária repetida ou vazia",
        "message": "a chave primária da linha repete a da linha {other}.",
        "hint": "Cada linha deve ter uma chave (ex.: número do processo) única e preenchida.",
    },
    "primary-key:blank": {
        "message": "as colunas da chave primária estão vazias.",
        "hint": "Preencha a chave (ex.: número do processo) em todas as linhas.",
    },
    "foreign-key": {
        "label": "Referência inexistente",
        "message": 'o valor {value} da coluna "{field}" não existe na tabela de referência.',
        "hint": "Use um valor que exista na tabela de referência ou corrija-a primeiro.",
    },
    "row-constraint": {
        "label": "Regra da linha não atendida",
        "message": "a linha não respeita uma regra do esquema.",
        "hint": "Confira os valores da linha conforme a regra do esquema. "
        "(detalhe técnico: {other})",
    },
    # Header
    "blank-label": {
        "label": "Coluna sem título",
        "message": "a coluna não tem título no cabeçalho.",
        "hint": "Dê um nome à coluna ou apague-a se estiver vazia.",
    },
    "duplicate-label": {
        "label": "Título de coluna repetido",
        "message": 'o título "{label}" repete o de outra coluna ({other}).',
        "hint": "Dê a cada coluna um título diferente.",
    },
    "incorrect-label": {
        "label": "Título de coluna diferente do esquema",
        "message": 'o título "{label}" não corresponde ao campo "{field}" do esquema.',
        "hint": 'Renomeie a coluna para "{field}" ou confira a ordem das colunas.',
    },
    "missing-label": {
        "label": "Coluna faltando",
        "message": 'falta a coluna "{field}", exigida pelo esquema.',
        "hint": 'Inclua a coluna "{field}" na tabela (mesmo vazia) ou escolha outro esquema.',
    },
    "extra-label": {
        "label": "Coluna a mais",
        "message": 'a coluna "{label}" não existe no esquema.',
        "hint": "Apague a coluna ou acrescente-a ao esquema.",
    },
    "blank-header": {
        "label": "Cabeçalho vazio",
        "message": "a tabela não tem linha de cabeçalho.",
        "hint": "Inclua na primeira linha os títulos das colunas.",
    },
    # Table
    "field-count": {
        "label": "Número de colunas",
        "message": "a tabela não tem o número de colunas esperado.",
        "hint": "Confira se todas as colunas foram exportadas. (detalhe técnico: {other})",
    },
    "row-count": {
        "label": "Número de linhas",
        "message": "a tabela não tem o número de linhas esperado.",
        "hint": "Confira se a exportação não foi interrompida. (detalhe técnico: {other})",
    },
    "table-dimensions": {
        "label": "Dimensões da tabela",
        "message": "as dimensões da tabela não são as esperadas.",
        "hint": "Confira se todas as linhas e colunas foram exportadas. (detalhe técnico: {other})",
    },
    "required-value": {
        "label": "Valor obrigatório ausente",
        "message": "um valor obrigatório não aparece na coluna.",
        "hint": "Confira se a tabela está completa. (detalhe técnico: {other})",
    },
    "byte-count": {
        "label": "Tamanho do arquivo",
        "message": "o tamanho do arquivo não é o informado.",
        "hint": "Envie o arquivo novamente; ele pode ter sido corrompido.",
    },
    "hash-count": {
        "label": "Conferência do arquivo",
        "message": "o arquivo não confere com a assinatura (hash) informada.",
        "hint": "Envie o arquivo novamente; ele pode ter sido alterado ou corrompido.",
    },
    # File
    "encoding-error": {
        "label": "Codificação de caracteres",
        "message": "o arquivo tem caracteres que não puderam ser lidos na codificação "
        "{encoding}; acentos sairiam trocados.",
        "hint": 'Salve o arquivo em UTF-8 (no Excel: "CSV UTF-8 (delimitado por vírgulas)") '
        "e envie de novo.",
    },
    "source-error": {
        "label": "Arquivo ilegível",
        "message": "o arquivo não pôde ser lido como tabela.",
        "hint": _FILE_HINT,
    },
    "scheme-error": {
        "label": "Arquivo inacessível",
        "message": "o arquivo não pôde ser aberto.",
        "hint": "Confira o endereço do recurso ou envie o arquivo novamente.",
    },
    "format-error": {
        "label": "Formato não reconhecido",
        "message": "o conteúdo não corresponde ao formato declarado do recurso.",
        "hint": "Confira o formato do recurso (CSV, XLSX, XLS ou ODS) e envie o arquivo original.",
    },
    "compression-error": {
        "label": "Arquivo compactado inválido",
        "message": "o arquivo compactado não pôde ser aberto.",
        "hint": "Envie a tabela descompactada.",
    },
    "dialect-error": {
        "label": "Opções de leitura inválidas",
        "message": "as opções de leitura da tabela são inválidas.",
        "hint": "Revise as opções de validação do recurso (separador, linha de cabeçalho).",
    },
    "control-error": {
        "label": "Opções de leitura inválidas",
        "message": "as opções de leitura da tabela são inválidas.",
        "hint": "Revise as opções de validação do recurso (separador, linha de cabeçalho).",
    },
    "schema-error": {
        "label": "Esquema inválido",
        "message": "{message}",  # pipeline.py's Portuguese explanation, with the detail
        "hint": "",
    },
    "resource-error": {
        "label": "Recurso inválido",
        "message": "a descrição do recurso impede a validação.",
        "hint": "Revise o formato, a codificação e as opções de validação do recurso.",
    },
    "check-error": {
        "label": "Verificação inválida",
        "message": "uma das verificações pedidas nas opções de validação é inválida.",
        "hint": "Revise as opções de validação do recurso.",
    },
    # Our own rejections: dialect.py's Portuguese message already says how to fix it
    "html-file": {
        "label": "Página HTML em vez de tabela",
        "message": "{message}",
        "hint": "",
    },
    "binary-file": {
        "label": "Arquivo binário em vez de tabela",
        "message": "{message}",
        "hint": "",
    },
    "empty-file": {
        "label": "Arquivo vazio",
        "message": "{message}",
        "hint": "",
    },
    "format-mismatch": {
        "label": "Formato diferente do declarado",
        "message": "{message}",
        "hint": "",
    },
    "options-error": {
        "label": "Opções de validação inválidas",
        "message": "{message}",
        "hint": "",
    },
    "unknown": {
        "label": "Problema na tabela",
        "message": "{message}",
        "hint": "",
    },
}

TYPE_LABELS = {
    "string": "texto",
    "integer": "número inteiro",
    "number": "número",
    "date": "data",
    "datetime": "data e hora",
    "time": "horário",
    "year": "ano",
    "yearmonth": "mês e ano",
    "boolean": "verdadeiro/falso",
    "geopoint": "coordenada geográfica",
    "geojson": "GeoJSON",
    "object": "objeto JSON",
    "array": "lista JSON",
    "duration": "duração",
    "any": "qualquer",
}

LGPD_KIND_LABELS = {
    "cpf": "CPF",
    "email": "E-mail",
    "telefone": "Telefone",
    "nis": "NIS/PIS",
    "cns": "Cartão Nacional de Saúde (CNS)",
    "rg": "RG",
    "data_nascimento": "Data de nascimento",
    "nome": "Nome de pessoa",
}

LGPD_MESSAGES = {
    "masked": 'A coluna "{field}" traz {kind} mascarado em {rows} linha(s), como no Portal '
    "da Transparência: pode ser publicada.",
    "blocking": 'A coluna "{field}" traz {kind} completo em {rows} linha(s). Publique a cópia '
    "mascarada ou registre a base legal (LGPD) antes de tornar o conjunto público.",
    "sensitive": 'A coluna "{field}" parece trazer {kind} de pessoas em {rows} linha(s). '
    "Confira se a publicação é necessária e tem base legal (LGPD).",
}

_DEFAULT_FORMATS = {
    "date": "%Y-%m-%d",
    "datetime": "%Y-%m-%dT%H:%M:%S",
    "time": "%H:%M:%S",
}
_EXAMPLE_MOMENT = dt.datetime(2024, 3, 31, 14, 30, 0)
_TYPE_NOTE = re.compile(r'type is "([^/"]+)/([^"]*)"')
_CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)
_POSITION = re.compile(r"position \"?(\d+)")
_CODEC = re.compile(r"'([\w-]+)' codec")


def render(
    report: dict[str, Any] | None,
    lgpd: dict[str, Any] | None = None,
    schema: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Portuguese summary, errors and LGPD findings of a frictionless report.

    ``schema`` (optional) is the Table Schema the table was checked against; it lets
    number hints follow the field's decimal separator.
    """
    report = report or {}
    tasks = report.get("tasks") or []
    raw_errors = list(report.get("errors") or [])
    for task in tasks:
        raw_errors.extend(task.get("errors") or [])
    fields = {f.get("name"): f for f in (schema or {}).get("fields") or []}
    errors = [_render_error(error, fields) for error in raw_errors[:MAX_RENDERED_ERRORS]]
    counts = Counter(_error_type(error) for error in raw_errors)
    warnings = [w for task in tasks for w in task.get("warnings") or []]
    return {
        "valid": bool(report.get("valid")),
        "summary": {
            "rows": _task_stat(tasks, "rows"),
            "columns": _columns(tasks),
            "errors": len(raw_errors),
            "partial": any("limit" in str(warning) for warning in warnings),
            "by_type": [
                {"type": kind, "label": _text(kind, "label"), "count": count}
                for kind, count in counts.most_common()
            ],
        },
        "errors": errors,
        "lgpd": render_lgpd(lgpd),
    }


def render_lgpd(lgpd: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The LGPD findings with a Portuguese kind label and message."""
    rendered = []
    for finding in (lgpd or {}).get("findings") or []:
        kind = finding.get("kind", "")
        label = LGPD_KIND_LABELS.get(kind, kind)
        if finding.get("masked"):
            template = LGPD_MESSAGES["masked"]
        elif kind in BLOCKING_KINDS:
            template = LGPD_MESSAGES["blocking"]
        else:
            template = LGPD_MESSAGES["sensitive"]
        rendered.append(
            {
                "field": finding.get("field"),
                "kind": kind,
                "kind_label": label,
                "rows": finding.get("rows"),
                "masked": bool(finding.get("masked")),
                "message": template.format(
                    field=finding.get("field"), kind=label, rows=finding.get("rows")
                ),
            }
        )
    return rendered


def _task_stat(tasks: list[dict[str, Any]], key: str) -> int | None:
    values = [task.get("stats", {}).get(key) for task in tasks]
    present = [value for value in values if isinstance(value, int)]
    return sum(present) if present else None


def _columns(tasks: list[dict[str, Any]]) -> int | None:
    fields = _task_stat(tasks, "fields")
    if fields is not None:
        return fields
    labels = [len(task.get("labels") or []) for task in tasks]
    return sum(labels) if any(labels) else None


def _error_type(error: dict[str, Any]) -> str:
    kind = error.get("type") or "unknown"
    return kind if kind in TEXTS else "unknown"


def _text(key: str, part: str) -> str:
    """``TEXTS[key][part]``, falling back to the error type's own entry."""
    entry = TEXTS.get(key, {})
    if part in entry:
        return entry[part]
    base = key.split(":", 1)[0]
    return TEXTS.get(base, TEXTS["unknown"]).get(part, "")


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _human_format(fmt: str) -> str:
    for code, human in (
        ("%d", "dd"),
        ("%m", "mm"),
        ("%Y", "aaaa"),
        ("%y", "aa"),
        ("%H", "hh"),
        ("%M", "mm"),
        ("%S", "ss"),
    ):
        fmt = fmt.replace(code, human)
    return fmt


def _render_error(error: dict[str, Any], fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    kind = _error_type(error)
    note = str(error.get("note") or "")
    tags = error.get("tags") or []
    row = error.get("rowNumber") or next(iter(error.get("rowNumbers") or []), None)
    column = error.get("fieldNumber")
    field = error.get("fieldName") or ""
    label = error.get("label")
    value = error.get("cell") if "cell" in error else label or None
    params: dict[str, Any] = {
        "value": _short(value),
        "field": field,
        "label": _short(label),
        "column": column,
        "row": row,
        "other": note,
        "limit": "",
        "format": "",
        "example": "",
        "encoding": "",
        "type_label": "",
        "message": error.get("message") or error.get("title") or kind,
    }
    key = kind
    if kind == "type-error":
        key = _type_key(note, fields.get(field), params)
    elif kind == "constraint-error":
        match = _CONSTRAINT_NOTE.search(note)
        if match:
            key = f"constraint-error:{match.group(1)}"
            params["limit"] = _constraint_value(match.group(2))
    elif kind in ("unique-error", "duplicate-row", "primary-key", "duplicate-label"):
        match = _POSITION.search(note)
        params["other"] = (
            f"coluna {match.group(1)}"
            if match and kind == "duplicate-label"
            else (match.group(1) if match else "anterior")
        )
        if kind == "primary-key" and not match:
            key = "primary-key:blank"
    elif kind == "encoding-error":
        match = _CODEC.search(note)
        params["encoding"] = match.group(1).upper() if match else "declarada"
    elif kind == "foreign-key":
        params["value"] = ", ".join(f'"{_short(v)}"' for v in error.get("fieldCells") or [])
        params["field"] = ", ".join(error.get("fieldNames") or [])
    message = _text(key, "message").format(**params)
    hint = _text(key, "hint").format(**params).replace(" (detalhe técnico: )", "")
    location = _location(tags, row, column, field)
    return {
        "type": kind,
        "label": _text(key, "label"),
        "message": f"{location}: {message}" if location else message[:1].upper() + message[1:],
        "hint": hint,
        "row": row,
        "column": column,
        "field": params["field"] or None,
        "value": None if value is None else _short(value),
    }


def _location(tags: list[str], row: Any, column: Any, field: str) -> str:
    if "#label" in tags or ("#header" in tags and column):
        return f"Cabeçalho, coluna {column}"
    if "#cell" in tags and row:
        where = f'coluna "{field}"' if field else f"coluna {column}"
        return f"Linha {row}, {where}"
    if "#row" in tags and row:
        return f"Linha {row}"
    if "#header" in tags:
        return "Cabeçalho"
    return ""


def _type_key(note: str, field: dict[str, Any] | None, params: dict[str, Any]) -> str:
    match = _TYPE_NOTE.search(note)
    field_type, fmt = (match.group(1), match.group(2)) if match else ("", "default")
    params["type_label"] = TYPE_LABELS.get(field_type, field_type or "esperado")
    if field_type in _DEFAULT_FORMATS:
        pattern = _DEFAULT_FORMATS[field_type] if fmt in ("default", "any", "") else fmt
        params["format"] = _human_format(pattern)
        try:
            params["example"] = _EXAMPLE_MOMENT.strftime(pattern)
        except ValueError:
            params["example"] = params["format"]
        return f"type-error:{field_type}"
    if field_type == "number" and field and field.get("decimalChar", ".") == ".":
        return "type-error:number:."
    if field_type == "string" and fmt in ("email", "uri"):
        return f"type-error:string:{fmt}"
    return f"type-error:{field_type}" if f"type-error:{field_type}" in TEXTS else "type-error"


def _constraint_value(raw: str) -> str:
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw
    if isinstance(value, list | tuple):
        return ", ".join(f'"{item}"' for item in value)
    return str(value)
