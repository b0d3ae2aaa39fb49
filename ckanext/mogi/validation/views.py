"""The validation pages: a resource's report, staff actions, the schemas library.

Server-rendered, translated, without JavaScript. Reading follows
``package_show``/``resource_show`` authorisation (a private dataset is "not
found" for outsiders, as on CKAN's resource page); every action needs
``package_update`` on the dataset and goes through the actions of
:mod:`ckanext.mogi.validation.actions`.

The masked copy of a table is for staff only: it is produced from the
stored file on request and its masking is only as good as the LGPD scan, so
it is not offered to the public as a substitute for the original. Its cells
are spreadsheet-safe (:mod:`ckanext.mogi.common.spreadsheet`): a cell that a
spreadsheet program would run as a formula starts with a single quote.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

from ckan.common import current_user
from ckan.lib import base
from ckan.plugins import toolkit
from flask import Blueprint, Response, jsonify, request

from ckanext.mogi.common.spreadsheet import neutralise_row
from ckanext.mogi.validation import engine, gate, helpers, jobs, lgpd, library
from ckanext.mogi.validation.dialect import Dialect, RejectedFile
from ckanext.mogi.validation.report import render

log = logging.getLogger(__name__)

_REPORT = "/dataset/<id>/resource/<resource_id>/validacao"


def _context() -> dict[str, Any]:
    return {"user": current_user.name, "auth_user_obj": current_user}


def _load(id: str, resource_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dataset and the resource, as the current user may read them.

    Else one 404, the same whether the dataset or the resource is missing or
    closed to the user, naming neither.
    """
    try:
        pkg = toolkit.get_action("package_show")(_context(), {"id": id})
    except (toolkit.ObjectNotFound, toolkit.NotAuthorized):
        pkg = {}
    resource = next((r for r in pkg.get("resources", []) if r["id"] == resource_id), None)
    if resource is None:
        base.abort(404, toolkit._("Resource not found"))
    return pkg, resource


def _is_staff(pkg: dict[str, Any]) -> bool:
    try:
        toolkit.check_access("package_update", _context(), {"id": pkg["id"]})
    except toolkit.NotAuthorized:
        return False
    return True


def _require_staff(pkg: dict[str, Any]) -> None:
    if not _is_staff(pkg):
        base.abort(403, toolkit._("Only the dataset's staff can do this."))


def _back(pkg: dict[str, Any], resource_id: str) -> Any:
    return toolkit.redirect_to("mogi_validation.report", id=pkg["name"], resource_id=resource_id)


def _flash_errors(error: toolkit.ValidationError) -> None:
    """An action's field errors as messages on the report page."""
    for messages in (error.error_dict or {}).values():
        for message in messages if isinstance(messages, list) else [messages]:
            toolkit.h.flash_error(str(message))


def _record(resource_id: str) -> dict[str, Any] | None:
    try:
        return toolkit.get_action("resource_validation_show")(
            _context(), {"resource_id": resource_id}
        )
    except toolkit.ObjectNotFound:
        return None


def _schema_of(resource: dict[str, Any], record: dict[str, Any]) -> dict[str, Any] | None:
    """The schema the table was checked against, when it is at hand (no download)."""
    value = resource.get("schema")
    if not value:
        return record.get("inferred_schema")
    if (
        isinstance(value, str)
        and not value.lstrip().startswith("{")
        and helpers.library_name_of(value) is None
    ):
        return None
    try:
        return jobs.resolve_schema(value)
    except jobs.FetchError:
        return None


def report(id: str, resource_id: str) -> str:
    """The report page of a resource's last validation."""
    pkg, resource = _load(id, resource_id)
    record = _record(resource_id)
    rendered = None
    if record and record.get("report"):
        rendered = render(record["report"], record.get("lgpd"), _schema_of(resource, record))
    staff = _is_staff(pkg)
    return toolkit.render(
        "mogi/validation/report.html",
        {
            "pkg_dict": pkg,
            "pkg": pkg,
            "res": resource,
            "record": record,
            "rendered": rendered,
            "lgpd_findings": (rendered or {}).get("lgpd") or [],
            "dialect_rows": helpers.dialect_rows((record or {}).get("dialect")),
            "is_staff": staff,
            "legal_bases": helpers.legal_basis_choices() if staff else [],
            "masked_copy": staff
            and bool((record or {}).get("dialect"))
            and bool(helpers.unmasked_findings((record or {}).get("lgpd"))),
        },
    )


def run(id: str, resource_id: str) -> Any:
    """Staff: validate the table again (in the background)."""
    pkg, _resource = _load(id, resource_id)
    _require_staff(pkg)
    toolkit.get_action("resource_validation_run")(_context(), {"id": resource_id, "async": True})
    toolkit.h.flash_success(toolkit._("The table will be validated again in a moment."))
    return _back(pkg, resource_id)


def justify(id: str, resource_id: str) -> Any:
    """Staff: record the legal basis for publishing personal data (audit trail)."""
    pkg, _resource = _load(id, resource_id)
    _require_staff(pkg)
    data = {
        "resource_id": resource_id,
        "legal_basis": request.form.get("legal_basis", "").strip(),
        "text": request.form.get("text", "").strip(),
    }
    try:
        toolkit.get_action("resource_validation_justify")(_context(), data)
    except toolkit.ValidationError as error:
        _flash_errors(error)
        return _back(pkg, resource_id)
    toolkit.h.flash_success(toolkit._("The justification was recorded."))
    return _back(pkg, resource_id)


def adopt_schema(id: str, resource_id: str) -> Any:
    """Staff: make the inferred schema the resource's schema (revalidates)."""
    pkg, _resource = _load(id, resource_id)
    _require_staff(pkg)
    inferred = (_record(resource_id) or {}).get("inferred_schema")
    if not inferred:
        toolkit.h.flash_error(toolkit._("There is no inferred schema to adopt."))
        return _back(pkg, resource_id)
    try:
        toolkit.get_action("resource_patch")(
            _context(), {"id": resource_id, "schema": json.dumps(inferred, ensure_ascii=False)}
        )
    except toolkit.ValidationError as error:
        _flash_errors(error)
        return _back(pkg, resource_id)
    toolkit.h.flash_success(
        toolkit._(
            "The inferred schema is now the table's schema; the table will be validated against it."
        )
    )
    return _back(pkg, resource_id)


def _csv_lines(header: list[str], rows: Iterator[list[Any]], delimiter: str) -> Iterator[str]:
    """The CSV text, with every cell a spreadsheet would run as a formula neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(neutralise_row(header))
    for row in rows:
        writer.writerow(neutralise_row("" if cell is None else cell for cell in row))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def masked_copy(id: str, resource_id: str) -> Any:
    """Staff: the table with its personal data masked, as CSV (UTF-8), streamed."""
    pkg, resource = _load(id, resource_id)
    _require_staff(pkg)
    decision = gate.file_access(resource_id, id)
    if not decision.allowed:
        base.abort(decision.status, decision.message)
    record = _record(resource_id) or {}
    if not record.get("dialect"):
        base.abort(404, toolkit._("This table has not been read yet."))
    dialect = Dialect.from_dict(record["dialect"])
    findings = record.get("lgpd") or {"findings": []}
    delimiter = dialect.delimiter if dialect.format == "csv" and dialect.delimiter else ";"

    stack = contextlib.ExitStack()
    try:
        path = stack.enter_context(jobs.local_file(resource))
        header, rows = engine.iter_rows(path, dialect)
    except (jobs.FetchError, RejectedFile, OSError, ValueError) as error:
        # The file is gone or unreadable since it was validated.
        stack.close()
        log.warning("masked copy of %s: %r", resource_id, error)
        base.abort(404, toolkit._("The table's file could not be read."))

    def generate() -> Iterator[bytes]:
        with stack:
            yield "\ufeff".encode()
            for chunk in _csv_lines(header, lgpd.mask_rows(header, rows, findings), delimiter):
                yield chunk.encode("utf-8")

    filename = f"{resource_id}-mascarado.csv"
    return Response(
        generate(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def library_index() -> str:
    """The schemas library page."""
    schemas = [{**s, "url": helpers.library_url(s["name"])} for s in library.list_schemas()]
    return toolkit.render("mogi/validation/library.html", {"schemas": schemas})


def library_schema(name: str) -> Any:
    """One library Table Schema, as JSON."""
    try:
        schema = library.load(name)
    except KeyError:
        base.abort(
            404, toolkit._('There is no schema named "{name}" in the library.').format(name=name)
        )
    response = jsonify(schema)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def bulk_process(id: str) -> Any:
    """The organization's bulk "make public/private/delete" form, POST side.

    CKAN's own view only expects ``NotAuthorized`` from the bulk actions; the
    blocking mode refuses a publication with a ``ValidationError`` (409 in the
    API), which that view would turn into a server error. The refusal becomes
    translated messages on the same page; everything else is CKAN's view.
    """
    from ckan.views.group import BulkProcessView

    view = BulkProcessView.as_view("bulk_process")
    try:
        return view(id=id, group_type="organization", is_organization=True)
    except toolkit.ValidationError as error:
        _flash_errors(error)
        return toolkit.redirect_to("organization.bulk_process", id=id)


def guard_downloads() -> Any:
    """Before every request: CKAN's download view, under whatever URL and
    blueprint it is reached, first passes :func:`gate.file_access`."""
    if not gate.is_download_endpoint(request.endpoint):
        return None
    args = request.view_args or {}
    decision = gate.file_access(str(args.get("resource_id") or ""), str(args.get("id") or ""))
    if not decision.allowed:
        return base.abort(decision.status, decision.message)
    return None


def get_blueprints() -> list[Blueprint]:
    """The ``mogi_validation`` blueprint (a new one for each application)."""
    blueprint = Blueprint("mogi_validation", __name__)
    rules: list[tuple[str, str, Any, list[str]]] = [
        (_REPORT, "report", report, ["GET"]),
        (f"{_REPORT}/executar", "run", run, ["POST"]),
        (f"{_REPORT}/justificar", "justify", justify, ["POST"]),
        (f"{_REPORT}/adotar-esquema", "adopt_schema", adopt_schema, ["POST"]),
        (f"{_REPORT}/copia-mascarada.csv", "masked_copy", masked_copy, ["GET"]),
        ("/validacao/esquemas", "library_index", library_index, ["GET"]),
        ("/validacao/esquemas/<name>.json", "library_schema", library_schema, ["GET"]),
        # Registered before CKAN's blueprints, so this rule takes precedence.
        ("/organization/bulk_process/<id>", "bulk_process", bulk_process, ["POST"]),
    ]
    for rule, endpoint, view, methods in rules:
        blueprint.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=methods)
    blueprint.before_app_request(guard_downloads)
    return [blueprint]
