"""The whole validation of one local file: sniff, frictionless, LGPD check.

:func:`validate_file` never raises: a file that is not a table (HTML page, binary)
or a broken schema ends in status "failure" with a frictionless-shaped report whose
error carries a translated message; only an unexpected crash ends in "error".
Messages are translated by the ``translate`` a caller passes (the sandboxed
child, which has no CKAN, passes the site language's catalogue).
"""

from __future__ import annotations

import codecs
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import frictionless

from ckanext.mogi.common import i18n
from ckanext.mogi.common.i18n import N_
from ckanext.mogi.validation import engine, lgpd
from ckanext.mogi.validation.dialect import Dialect, RejectedFile, sniff

log = logging.getLogger(__name__)

#: The report keeps each failing cell but not whole rows: they would copy personal
#: data (CPFs, names) of erroneous rows into the stored report, and bloat it.
_DROPPED_ERROR_KEYS = ("cells",)


@dataclass
class Outcome:
    """What one validation found, ready to be stored."""

    status: str
    report: dict[str, Any]
    dialect: dict[str, Any] | None = None
    inferred_schema: dict[str, Any] | None = None
    lgpd: dict[str, Any] = field(default_factory=lambda: {"findings": []})
    error: str | None = None


def validate_file(
    path: str,
    *,
    fmt: str | None,
    schema: dict[str, Any] | None,
    options: dict[str, Any] | None = None,
    translate: Callable[[str], str] = i18n.translate,
) -> Outcome:
    """Validate the table in ``path`` (declared format ``fmt``) against ``schema``.

    With no schema, one is inferred with pt-BR conventions and returned as
    ``inferred_schema``. ``options`` are ckanext-validation's ``validation_options``
    (see :class:`Options`); invalid options are a failure explained in the report.
    Messages are translated by ``translate`` (a msgid -> text function).
    """
    name = os.path.basename(path)
    try:
        settings = Options.parse(options)
    except InvalidOptions as invalid:
        message = translate(_OPTIONS_MESSAGE).format(
            detail=invalid.render(translate), example=_OPTIONS_EXAMPLE
        )
        return Outcome(status="failure", report=rejection_report(name, "options-error", message))
    if schema is not None and not isinstance(schema, dict):
        message = translate(_SCHEMA_MESSAGE).format(
            detail=translate(N_("the schema must be a JSON object with the list of fields"))
        )
        return Outcome(status="failure", report=rejection_report(name, "schema-error", message))
    try:
        dialect = _sniff(path, fmt, settings)
    except RejectedFile as rejected:
        return Outcome(
            status="failure",
            report=rejection_report(name, rejected.code, rejected.render(translate)),
        )
    except MemoryError:
        raise  # the sandbox's memory limit: its runner reports it
    except Exception:
        log.exception("Could not read table %s", path)
        return _crash(translate(N_("Could not read the file. Try sending it again.")))
    try:
        inferred = None if schema else engine.infer_schema(path, dialect)
        try:
            report = engine.validate(
                path,
                dialect,
                schema or inferred or {},
                limit_errors=settings.limit_errors,
                limit_rows=settings.limit_rows,
                skip_errors=settings.skip_errors,
                pick_errors=settings.pick_errors,
            )
        except frictionless.FrictionlessException as exception:
            notes = (error.note for error in chain([exception.error], exception.reasons))
            message = translate(_SCHEMA_MESSAGE).format(
                detail="; ".join(note for note in notes if note)
            )
            return Outcome(
                status="failure",
                report=rejection_report(name, "schema-error", message),
                dialect=dialect.to_dict(),
            )
        _tidy(report, name)
        lgpd = _scan(path, dialect)
    except MemoryError:
        raise  # the sandbox's memory limit: its runner reports it
    except Exception:
        log.exception("Validation of %s crashed", path)
        return _crash(
            translate(N_("The validation was interrupted by an unexpected error. Try again."))
        )
    return Outcome(
        status="success" if report.get("valid") else "failure",
        report=report,
        dialect=dialect.to_dict(),
        inferred_schema=inferred,
        lgpd=lgpd,
    )


@dataclass(frozen=True)
class Options:
    """Staff overrides of a resource's ``validation_options`` (JSON object).

    frictionless-style keys: ``format``, ``encoding``, ``dialect`` (``delimiter``,
    ``headerRows``/``header_rows``, ``commentRows``/``comment_rows``),
    ``skip_errors``, ``pick_errors``, ``limit_errors``, ``limit_rows``; and the
    goodtables-era keys older ckanext-validation resources carry: ``headers``,
    ``skip_rows``, ``delimiter``, ``skip_checks``, ``checks``, ``error_limit``,
    ``row_limit``.
    """

    fmt: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    comment_rows: tuple[int, ...] = ()
    skip_errors: tuple[str, ...] = ()
    pick_errors: tuple[str, ...] = ()
    limit_errors: int = engine.DEFAULT_LIMIT_ERRORS
    limit_rows: int | None = None

    @classmethod
    def parse(cls, options: Any) -> Options:
        """Raise :class:`InvalidOptions` if ``options`` are invalid."""
        if not options:
            return cls()
        if not isinstance(options, dict):
            raise InvalidOptions(N_("they must be a JSON object"))
        dialect = options.get("dialect") or {}
        if not isinstance(dialect, dict):
            raise InvalidOptions(N_('"dialect" must be a JSON object'))

        def pick(*keys: str, source: dict[str, Any] = options) -> Any:
            return next((source[key] for key in keys if source.get(key) not in (None, "")), None)

        header = pick("headerRows", "header_rows", source=dialect) or pick("headers")
        if isinstance(header, list):
            header = header[-1] if header else None
        encoding = pick("encoding")
        if encoding is not None:
            try:
                codecs.lookup(str(encoding))
            except LookupError:
                raise InvalidOptions(
                    N_('the encoding "{encoding}" does not exist'), encoding=encoding
                ) from None
        delimiter = pick("delimiter", source=dialect) or pick("delimiter")
        if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
            raise InvalidOptions(N_("the delimiter must be a single character"))
        limit_errors = _positive(pick("limit_errors", "error_limit"), "limit_errors")
        return cls(
            fmt=pick("format"),
            encoding=encoding,
            delimiter=delimiter,
            header_row=_positive(header, "headerRows"),
            comment_rows=tuple(
                _positive(row, "commentRows")
                for row in _list(pick("commentRows", "comment_rows", source=dialect))
                + _list(pick("skip_rows"))
            ),
            skip_errors=tuple(str(kind) for kind in _list(pick("skip_errors", "skip_checks"))),
            pick_errors=tuple(str(kind) for kind in _list(pick("pick_errors", "checks"))),
            limit_errors=limit_errors or engine.DEFAULT_LIMIT_ERRORS,
            limit_rows=_positive(pick("limit_rows", "row_limit"), "limit_rows"),
        )


class InvalidOptions(i18n.TranslatableError):
    """Invalid ``validation_options``; the message says which part."""


#: The options' explanation, around :class:`InvalidOptions`' ``detail``.
_OPTIONS_MESSAGE = N_(
    "The resource's validation options are invalid: {detail}. Fix the resource's "
    '"Validation options" field (JSON), e.g. {example}, or leave it empty for '
    "automatic detection."
)
_OPTIONS_EXAMPLE = '{"dialect": {"delimiter": ";", "headerRows": [3]}}'
#: A schema frictionless refuses; ``detail`` is frictionless' own note.
_SCHEMA_MESSAGE = N_(
    "The schema (Table Schema) given for the resource is invalid and the table could "
    "not be checked. Fix the schema or choose one from the library. Detail: {detail}"
)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _positive(value: Any, key: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or isinstance(value, bool | float):
        raise InvalidOptions(N_('"{key}" must be a positive whole number'), key=key)
    return number


def _sniff(path: str, fmt: str | None, options: Options) -> Dialect:
    dialect = sniff(
        path, options.fmt or fmt, encoding=options.encoding, delimiter=options.delimiter
    )
    if options.header_row is None and not options.comment_rows:
        return dialect
    header_row = options.header_row or dialect.header_row
    skip = set(range(1, header_row)) | {row for row in dialect.skip_rows if row > header_row}
    skip |= {row for row in options.comment_rows if row != header_row}
    return Dialect.from_dict(
        dialect.to_dict() | {"header_row": header_row, "skip_rows": sorted(skip)}
    )


def _scan(path: str, dialect: Dialect) -> dict[str, Any]:
    """The LGPD findings, marked ``scanned``: only a scanned file can be cleared
    for visitors (a failure before this point leaves the file held)."""
    header, rows = engine.iter_rows(path, dialect)
    return {**lgpd.scan(header, rows), "scanned": True}


def _tidy(report: dict[str, Any], name: str) -> None:
    """Drop server paths and whole-row copies from a frictionless report."""
    for task in report.get("tasks", []):
        task["place"] = name
        for error in task.get("errors", []):
            for key in _DROPPED_ERROR_KEYS:
                error.pop(key, None)


def rejection_report(name: str, code: str, message: str) -> dict[str, Any]:
    """A frictionless-shaped report with a single file-level error."""
    error = {
        "type": code,
        "title": code,
        "description": message,
        "message": message,
        "tags": ["#file"],
        "note": message,
    }
    stats = {"errors": 1, "warnings": 0, "seconds": 0.0}
    return {
        "valid": False,
        "stats": {"tasks": 1, "errors": 1, "warnings": 0, "seconds": 0.0},
        "warnings": [],
        "errors": [],
        "tasks": [
            {
                "name": os.path.splitext(name)[0] or name,
                "type": "file",
                "valid": False,
                "place": name,
                "labels": [],
                "stats": stats,
                "warnings": [],
                "errors": [error],
            }
        ],
    }


def _crash(message: str) -> Outcome:
    return Outcome(status="error", report={}, error=message)
