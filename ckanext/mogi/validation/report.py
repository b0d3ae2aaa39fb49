"""A frictionless validation report, rendered for municipal staff in their language.

Every text staff read is in the single table :data:`TEXTS` below (English
msgids, translated when a report is shown; pt_BR in the catalogue): a label,
a message template and a hint on how to fix it, per frictionless error type,
with sub-entries per field type ("type-error:number") and per constraint
("constraint-error:enum"). Templates are filled with the error's row, column,
field name and value.

The messages of our own rejections (an HTML page, invalid options...) come
stored in the report, already translated into the site's language when the
file was checked.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections import Counter
from typing import Any

from ckanext.mogi.common import dates
from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.validation.lgpd import BLOCKING_KINDS

#: At most this many errors are rendered (the summary still counts them all).
MAX_RENDERED_ERRORS = 1000
#: Long cell values are cut to this many characters in messages.
MAX_VALUE_CHARS = 80

_NUMBER_HINT = N_("Use a comma as the decimal separator and a dot for thousands, e.g. 1.234,56.")
_FILE_HINT = N_("Export the table again from the source system and send the original file.")
_REREAD_OPTIONS = N_("Review the resource's validation options (delimiter, header row).")

# type -> label, message, hint; "detail": the hint ends with frictionless' note
# (see _DETAIL). Placeholders: {value} {field} {column} {row} {label} {format}
# {example} {limit} {other} {encoding} {message} {type_label}.
TEXTS: dict[str, dict[str, Any]] = {
    # Cell values
    "type-error": {
        "label": N_("Wrong data type"),
        "message": N_('"{value}" is not of type {type_label}.'),
        "hint": N_("Fix the value or change the column's type in the schema."),
    },
    "type-error:integer": {
        "message": N_('"{value}" is not a whole number.'),
        "hint": N_("Use digits only, with no thousands separator nor decimals, e.g. 1234."),
    },
    "type-error:number": {
        "message": N_('"{value}" is not a number.'),
        "hint": _NUMBER_HINT,
    },
    "type-error:number:.": {
        "message": N_('"{value}" is not a number.'),
        "hint": N_(
            "Use a dot as the decimal separator and no thousands separator, e.g. 1234.56."
        ),
    },
    "type-error:date": {
        "message": N_('"{value}" is not a valid date in the format {format}.'),
        "hint": N_(
            "Write the date as {format}, e.g. {example}; check the day and the month "
            "(31/02 does not exist)."
        ),
    },
    "type-error:datetime": {
        "message": N_('"{value}" is not a valid date and time in the format {format}.'),
        "hint": N_("Write the date and the time as {format}, e.g. {example}."),
    },
    "type-error:time": {
        "message": N_('"{value}" is not a valid time of day in the format {format}.'),
        "hint": N_("Write the time as {format}, e.g. {example}."),
    },
    "type-error:year": {
        "message": N_('"{value}" is not a year.'),
        "hint": N_("Use the year with four digits, e.g. 2024."),
    },
    "type-error:yearmonth": {
        "message": N_('"{value}" is not a month of a year.'),
        "hint": N_("Use year and month as yyyy-mm, e.g. 2024-03."),
    },
    "type-error:boolean": {
        "message": N_('"{value}" is not a true or false value.'),
        "hint": N_("Use one of the values the schema accepts, e.g. true or false."),
    },
    "type-error:string:email": {
        "message": N_('"{value}" is not a valid e-mail address.'),
        "hint": N_("Check the address, e.g. ouvidoria@mogidascruzes.sp.gov.br."),
    },
    "type-error:string:uri": {
        "message": N_('"{value}" is not a valid address (URL).'),
        "hint": N_("Use the full address, starting with https://."),
    },
    "type-error:geopoint": {
        "message": N_('"{value}" is not a valid geographic coordinate.'),
        "hint": N_("Use latitude and longitude with a decimal dot, e.g. -23.5229, -46.1880."),
    },
    "constraint-error": {
        "label": N_("Value outside the column's rules"),
        "message": N_('"{value}" does not follow a rule of the column.'),
        "hint": N_("Check the column's rules in the schema's description."),
        "detail": True,
    },
    "constraint-error:required": {
        "label": N_("Required value missing"),
        "message": N_("the value is required, but the cell is empty."),
        "hint": N_(
            "Fill in the cell; if the data does not exist, use the missing-value marker "
            "agreed in the schema (e.g. -)."
        ),
    },
    "constraint-error:unique": {
        "label": N_("Repeated value"),
        "message": N_('"{value}" repeats, but the column does not accept repeated values.'),
        "hint": N_("Each row must have a different value in this column; remove duplicate rows."),
    },
    "constraint-error:enum": {
        "label": N_("Value not allowed"),
        "message": N_('"{value}" is not among the allowed values: {limit}.'),
        "hint": N_("Use exactly one of the values of the list (check accents and capitals)."),
    },
    "constraint-error:pattern": {
        "label": N_("Invalid format"),
        "message": N_('"{value}" does not follow the format required for the column.'),
        "hint": N_("Check the expected format in the field's description (pattern: {limit})."),
    },
    "constraint-error:minimum": {
        "label": N_("Value below the minimum"),
        "message": N_('"{value}" is less than the allowed minimum ({limit}).'),
        "hint": N_("Check the value; the schema only accepts values from {limit} on."),
    },
    "constraint-error:exclusiveMinimum": {
        "label": N_("Value below the minimum"),
        "message": N_('"{value}" must be greater than {limit}.'),
        "hint": N_("Check the value; the schema only accepts values above {limit}."),
    },
    "constraint-error:maximum": {
        "label": N_("Value above the maximum"),
        "message": N_('"{value}" is greater than the allowed maximum ({limit}).'),
        "hint": N_("Check the value; the schema only accepts values up to {limit}."),
    },
    "constraint-error:exclusiveMaximum": {
        "label": N_("Value above the maximum"),
        "message": N_('"{value}" must be less than {limit}.'),
        "hint": N_("Check the value; the schema only accepts values below {limit}."),
    },
    "constraint-error:minLength": {
        "label": N_("Text too short"),
        "message": N_('"{value}" has fewer than the {limit} characters required.'),
        "hint": N_("Complete the value (check that no digits or leading zeros are missing)."),
    },
    "constraint-error:maxLength": {
        "label": N_("Text too long"),
        "message": N_('"{value}" goes over the {limit} characters allowed.'),
        "hint": N_(
            "Shorten the value or check whether two pieces of information were joined in "
            "the same cell."
        ),
    },
    "unique-error": {
        "label": N_("Repeated value"),
        "message": N_(
            '"{value}" already appears in row {other}, but the column does not accept '
            "repetition."
        ),
        "hint": N_("Each row must have a different value in this column; remove duplicate rows."),
    },
    "extra-cell": {
        "label": N_("Extra cell"),
        "message": N_('there is a value ("{value}") beyond the header\'s columns.'),
        "hint": N_(
            "Check whether some text contains the delimiter without being quoted, or "
            "whether a column's title is missing from the header."
        ),
    },
    "missing-cell": {
        "label": N_("Missing cell"),
        "message": N_("the row ends before this column."),
        "hint": N_(
            "Complete the row with the missing columns (even empty, with the delimiter) "
            "or check whether a text with a line break split the row in two."
        ),
    },
    "ascii-value": {
        "label": N_("Non-ASCII character"),
        "message": N_('"{value}" contains characters outside the ASCII standard.'),
        "hint": N_("Remove accents and special symbols from this column, as the schema asks."),
    },
    "forbidden-value": {
        "label": N_("Forbidden value"),
        "message": N_('"{value}" is not allowed in this column.'),
        "hint": N_("Replace the value according to the schema's rules."),
    },
    "sequential-value": {
        "label": N_("Broken sequence"),
        "message": N_('"{value}" breaks the sequential numbering of the column.'),
        "hint": N_("Check whether rows are missing or repeated."),
    },
    "truncated-value": {
        "label": N_("Value possibly cut off"),
        "message": N_('"{value}" seems to have been cut off by the source system.'),
        "hint": N_("Export it again with no size limit on texts or numbers."),
    },
    "deviated-value": {
        "label": N_("Value out of pattern"),
        "message": N_("the value is very far from the column's average."),
        "hint": N_(
            "Check that there is no typing or unit mistake (e.g. reais and thousands)."
        ),
        "detail": True,
    },
    "deviated-cell": {
        "label": N_("Cell out of pattern"),
        "message": N_("the cell is much larger than the others of the column."),
        "hint": N_("Check that several pieces of information were not joined in one cell."),
        "detail": True,
    },
    # Rows
    "blank-row": {
        "label": N_("Blank row"),
        "message": N_("the row is completely empty."),
        "hint": N_("Delete the blank rows in the middle of the table."),
    },
    "duplicate-row": {
        "label": N_("Duplicate row"),
        "message": N_("the row repeats row {other} in full."),
        "hint": N_("Delete the repeated row."),
    },
    "primary-key": {
        "label": N_("Repeated or empty primary key"),
        "message": N_("the row's primary key repeats that of row {other}."),
        "hint": N_(
            "Each row must have a key (e.g. the process number) that is unique and filled in."
        ),
    },
    "primary-key:blank": {
        "message": N_("the primary key columns are empty."),
        "hint": N_("Fill in the key (e.g. the process number) in every row."),
    },
    "foreign-key": {
        "label": N_("Reference that does not exist"),
        "message": N_('the value {value} of the column "{field}" does not exist in the '
                      "reference table."),
        "hint": N_("Use a value that exists in the reference table or fix that table first."),
    },
    "row-constraint": {
        "label": N_("Row rule not met"),
        "message": N_("the row does not follow a rule of the schema."),
        "hint": N_("Check the row's values against the schema's rule."),
        "detail": True,
    },
    # Header
    "blank-label": {
        "label": N_("Column without a title"),
        "message": N_("the column has no title in the header."),
        "hint": N_("Give the column a name or delete it if it is empty."),
    },
    "duplicate-label": {
        "label": N_("Repeated column title"),
        "message": N_('the title "{label}" repeats that of another column ({other}).'),
        "hint": N_("Give each column a different title."),
    },
    "incorrect-label": {
        "label": N_("Column title different from the schema"),
        "message": N_('the title "{label}" does not match the field "{field}" of the schema.'),
        "hint": N_('Rename the column to "{field}" or check the order of the columns.'),
    },
    "missing-label": {
        "label": N_("Missing column"),
        "message": N_('the column "{field}", required by the schema, is missing.'),
        "hint": N_(
            'Add the column "{field}" to the table (even empty) or choose another schema.'
        ),
    },
    "extra-label": {
        "label": N_("Extra column"),
        "message": N_('the column "{label}" does not exist in the schema.'),
        "hint": N_("Delete the column or add it to the schema."),
    },
    "blank-header": {
        "label": N_("Empty header"),
        "message": N_("the table has no header row."),
        "hint": N_("Put the titles of the columns in the first row."),
    },
    # Table
    "field-count": {
        "label": N_("Number of columns"),
        "message": N_("the table does not have the expected number of columns."),
        "hint": N_("Check that all the columns were exported."),
        "detail": True,
    },
    "row-count": {
        "label": N_("Number of rows"),
        "message": N_("the table does not have the expected number of rows."),
        "hint": N_("Check that the export was not interrupted."),
        "detail": True,
    },
    "table-dimensions": {
        "label": N_("Table dimensions"),
        "message": N_("the dimensions of the table are not the expected ones."),
        "hint": N_("Check that all the rows and columns were exported."),
        "detail": True,
    },
    "required-value": {
        "label": N_("Required value missing"),
        "message": N_("a required value does not appear in the column."),
        "hint": N_("Check that the table is complete."),
        "detail": True,
    },
    "byte-count": {
        "label": N_("File size"),
        "message": N_("the size of the file is not the one given."),
        "hint": N_("Send the file again; it may have been corrupted."),
    },
    "hash-count": {
        "label": N_("File check"),
        "message": N_("the file does not match the signature (hash) given."),
        "hint": N_("Send the file again; it may have been altered or corrupted."),
    },
    # File
    "encoding-error": {
        "label": N_("Character encoding error"),
        "message": N_(
            "the file has characters that could not be read in the {encoding} encoding; "
            "accents would come out wrong."
        ),
        "hint": N_(
            'Save the file in UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and send '
            "it again."
        ),
    },
    "source-error": {
        "label": N_("Unreadable file"),
        "message": N_("the file could not be read as a table."),
        "hint": _FILE_HINT,
    },
    "scheme-error": {
        "label": N_("Inaccessible file"),
        "message": N_("the file could not be opened."),
        "hint": N_("Check the resource's address or send the file again."),
    },
    "format-error": {
        "label": N_("Format not recognised"),
        "message": N_("the content does not match the resource's declared format."),
        "hint": N_(
            "Check the resource's format (CSV, XLSX, XLS or ODS) and send the original file."
        ),
    },
    "compression-error": {
        "label": N_("Invalid compressed file"),
        "message": N_("the compressed file could not be opened."),
        "hint": N_("Send the table uncompressed."),
    },
    "dialect-error": {
        "label": N_("Invalid reading options"),
        "message": N_("the table's reading options are invalid."),
        "hint": _REREAD_OPTIONS,
    },
    "control-error": {
        "label": N_("Invalid reading options"),
        "message": N_("the table's reading options are invalid."),
        "hint": _REREAD_OPTIONS,
    },
    "schema-error": {
        "label": N_("Invalid schema"),
        "message": "{message}",  # pipeline.py's explanation, with the detail
        "hint": "",
    },
    "resource-error": {
        "label": N_("Invalid resource"),
        "message": N_("the description of the resource prevents the validation."),
        "hint": N_("Review the resource's format, encoding and validation options."),
    },
    "check-error": {
        "label": N_("Invalid check"),
        "message": N_("one of the checks asked for in the validation options is invalid."),
        "hint": N_("Review the resource's validation options."),
    },
    # Our own rejections: dialect.py's message already says how to fix it
    "html-file": {
        "label": N_("HTML page instead of a table"),
        "message": "{message}",
        "hint": "",
    },
    "binary-file": {
        "label": N_("Binary file instead of a table"),
        "message": "{message}",
        "hint": "",
    },
    "empty-file": {
        "label": N_("Empty file"),
        "message": "{message}",
        "hint": "",
    },
    "format-mismatch": {
        "label": N_("Format different from the declared one"),
        "message": "{message}",
        "hint": "",
    },
    "options-error": {
        "label": N_("Invalid validation options"),
        "message": "{message}",
        "hint": "",
    },
    "unknown": {
        "label": N_("Problem in the table"),
        "message": "{message}",
        "hint": "",
    },
}

TYPE_LABELS = {
    "string": N_("text"),
    "integer": N_("whole number"),
    "number": N_("number"),
    "date": N_("date"),
    "datetime": N_("date and time"),
    "time": N_("time of day"),
    "year": N_("year"),
    "yearmonth": N_("month and year"),
    "boolean": N_("true/false"),
    "geopoint": N_("geographic coordinate"),
    "geojson": "GeoJSON",
    "object": N_("JSON object"),
    "array": N_("JSON list"),
    "duration": N_("duration"),
    "any": N_("any"),
}

LGPD_KIND_LABELS = {
    "cpf": "CPF",
    "email": N_("E-mail"),
    "telefone": N_("Phone"),
    "nis": "NIS/PIS",
    "cns": N_("National Health Card (CNS)"),
    "rg": "RG",
    "data_nascimento": N_("Date of birth"),
    "nome": N_("Person's name"),
}

LGPD_MESSAGES = {
    "masked": N_(
        'The column "{field}" holds masked {kind} in {rows} row(s), as on the federal '
        "Transparency Portal: it may be published."
    ),
    "blocking": N_(
        'The column "{field}" holds full {kind} in {rows} row(s). Publish the masked copy '
        "or record the legal basis (LGPD) before making the dataset public."
    ),
    "sensitive": N_(
        'The column "{field}" seems to hold {kind} of people in {rows} row(s). Check '
        "whether publishing it is necessary and has a legal basis (LGPD)."
    ),
}

#: Appended to a hint marked "detail" when frictionless gave a note.
_DETAIL = N_(" (technical detail: {other})")
#: Where an error is, by what frictionless tagged it with.
_LOCATIONS = {
    "header_column": N_("Header, column {column}"),
    "cell_field": N_('Row {row}, column "{field}"'),
    "cell_column": N_("Row {row}, column {column}"),
    "row": N_("Row {row}"),
    "header": N_("Header"),
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
    """Translated summary, errors and LGPD findings of a frictionless report.

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
    """The LGPD findings with a translated kind label and message."""
    rendered = []
    for finding in (lgpd or {}).get("findings") or []:
        kind = finding.get("kind", "")
        label = translate(LGPD_KIND_LABELS[kind]) if kind in LGPD_KIND_LABELS else kind
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
                "message": translate(template).format(
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


def _entry(key: str, part: str) -> dict[str, Any]:
    """The entry of ``TEXTS`` that gives ``key`` its ``part``: its own, else the
    error type's."""
    entry = TEXTS.get(key, {})
    if part in entry:
        return entry
    return TEXTS.get(key.split(":", 1)[0], TEXTS["unknown"])


def _text(key: str, part: str) -> str:
    """``TEXTS[key][part]`` translated (a template without msgid stays as is)."""
    template = str(_entry(key, part).get(part, ""))
    return translate(template) if template and template != "{message}" else template


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


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
        if match and kind == "duplicate-label":
            params["other"] = translate(N_("column {number}")).format(number=match.group(1))
        else:
            params["other"] = match.group(1) if match else translate(N_("earlier"))
        if kind == "primary-key" and not match:
            key = "primary-key:blank"
    elif kind == "encoding-error":
        match = _CODEC.search(note)
        params["encoding"] = match.group(1).upper() if match else translate(N_("declared"))
    elif kind == "foreign-key":
        params["value"] = ", ".join(f'"{_short(v)}"' for v in error.get("fieldCells") or [])
        params["field"] = ", ".join(error.get("fieldNames") or [])
    message = _text(key, "message").format(**params)
    hint = _text(key, "hint").format(**params)
    if _entry(key, "hint").get("detail") and params["other"]:
        hint += translate(_DETAIL).format(other=params["other"])
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
        where = "header_column"
    elif "#cell" in tags and row:
        where = "cell_field" if field else "cell_column"
    elif "#row" in tags and row:
        where = "row"
    elif "#header" in tags:
        where = "header"
    else:
        return ""
    return translate(_LOCATIONS[where]).format(row=row, column=column, field=field)


def _type_key(note: str, field: dict[str, Any] | None, params: dict[str, Any]) -> str:
    match = _TYPE_NOTE.search(note)
    field_type, fmt = (match.group(1), match.group(2)) if match else ("", "default")
    type_label = TYPE_LABELS.get(field_type, field_type) or N_("expected")
    params["type_label"] = translate(type_label)
    if field_type in _DEFAULT_FORMATS:
        pattern = _DEFAULT_FORMATS[field_type] if fmt in ("default", "any", "") else fmt
        params["format"] = dates.human_format(pattern, translate)
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
