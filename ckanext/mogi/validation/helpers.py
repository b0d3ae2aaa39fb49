"""Template helpers of the validation pages, badges and facet.

Plain functions: the ``mogi_validation`` plugin registers them (see
:func:`get_helpers`) and calls the search hooks below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ckan.lib.navl.dictization_functions import StopOnError
from ckan.plugins import toolkit

from ckanext.mogi.common import dates
from ckanext.mogi.validation import library

#: The index field of CKAN's resource extras that the facet counts.
FACET_FIELD = "res_extras_validation_status"

#: Resource statuses (ckanext-validation's), from the most to the least urgent:
#: a dataset shows the most urgent status among its tables.
STATUS_ORDER = ("error", "failure", "running", "created", "success")

#: Bootstrap classes with text of sufficient contrast (WCAG AA) on each colour;
#: the badge always carries its text, the colour only repeats it.
_BADGE_CLASSES = {
    "success": "text-bg-success",
    "failure": "text-bg-danger",
    "error": "text-bg-warning",
    "running": "text-bg-info",
    "created": "text-bg-secondary",
}
_BADGE_ICONS = {
    "success": "fa-check",
    "failure": "fa-times",
    "error": "fa-exclamation-triangle",
    "running": "fa-spinner",
    "created": "fa-clock",
}

#: Dialect keys shown on the report page, in order.
DIALECT_FIELDS = (
    "format",
    "encoding",
    "delimiter",
    "header_row",
    "skip_rows",
    "decimal_char",
    "group_char",
    "date_format",
)


def status_label(status: str | None) -> str:
    """The translated name of a validation status ("Valid", "Has errors"...)."""
    _ = toolkit._
    labels = {
        "success": _("Valid"),
        "failure": _("Has errors"),
        "error": _("Validation failed to run"),
        "running": _("Being validated"),
        "created": _("Waiting for validation"),
    }
    return labels.get(status or "", status or "")


def status_badge(status: str | None) -> dict[str, str] | None:
    """``{"status", "label", "css", "icon"}`` for a known status, else ``None``."""
    if status not in _BADGE_CLASSES:
        return None
    return {
        "status": status,
        "label": status_label(status),
        "css": _BADGE_CLASSES[status],
        "icon": _BADGE_ICONS[status],
    }


def dataset_status(pkg: Mapping[str, Any]) -> str | None:
    """The most urgent validation status among the dataset's resources."""
    found = {
        r.get("validation_status") for r in pkg.get("resources") or [] if isinstance(r, Mapping)
    }
    return next((s for s in STATUS_ORDER if s in found), None)


def unmasked_findings(lgpd: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The LGPD findings of personal data left in clear."""
    findings = (lgpd or {}).get("findings") or []
    return [f for f in findings if isinstance(f, Mapping) and not f.get("masked")]


def personal_data_resources(resource_ids: list[str]) -> set[str]:
    """Which of the resources hold personal data in clear (last validation).

    Only for resources the page already shows to the user: one query, no
    authorisation of its own.
    """
    from ckanext.mogi.validation import model

    return {
        rid
        for rid, record in model.latest_for(list(resource_ids)).items()
        if unmasked_findings(record.get("lgpd"))
    }


def resource_has_personal_data(resource_id: str) -> bool:
    return bool(personal_data_resources([resource_id]))


def dataset_has_personal_data(pkg: Mapping[str, Any]) -> bool:
    """Whether any validated table of the dataset holds personal data in clear."""
    ids = [
        r["id"]
        for r in pkg.get("resources") or []
        if isinstance(r, Mapping) and r.get("id") and r.get("validation_status")
    ]
    return bool(ids) and bool(personal_data_resources(ids))


def report_url(pkg: Mapping[str, Any], resource_id: str) -> str:
    """The address of a resource's validation report page."""
    return toolkit.url_for(
        "mogi_validation.report", id=pkg.get("name") or pkg.get("id"), resource_id=resource_id
    )


def dialect_rows(dialect: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """``(label, value)`` of the detected reading options, translated."""
    if not dialect:
        return []
    _ = toolkit._
    labels = {
        "format": _("Format"),
        "encoding": _("Character encoding"),
        "delimiter": _("Delimiter"),
        "header_row": _("Header row"),
        "skip_rows": _("Rows left out"),
        "decimal_char": _("Decimal separator"),
        "group_char": _("Thousands separator"),
        "date_format": _("Date format"),
    }
    names = {
        ";": _("semicolon (;)"),
        ",": _("comma (,)"),
        "\t": _("tab"),
        "|": _("vertical bar (|)"),
        ".": _("full stop (.)"),
        " ": _("space"),
    }
    rows = []
    for key in DIALECT_FIELDS:
        value = dialect.get(key)
        if key == "skip_rows":
            text = ", ".join(str(v) for v in value) if value else _("none")
        elif value in (None, ""):
            continue
        elif key in ("delimiter", "decimal_char", "group_char"):
            text = names.get(str(value), str(value))
        elif key == "format":
            text = str(value).upper()
        elif key == "date_format":
            text = dates.human_format(str(value), _)
        else:
            text = str(value)
        rows.append((labels[key], text))
    return rows


# ---------------------------------------------------------------- schemas library


def library_url(name: str) -> str:
    """The address at which the portal serves a library schema (what ``schema`` stores)."""
    site = str(toolkit.config.get("ckan.site_url") or "").rstrip("/")
    return f"{site}{library.LIBRARY_URL_PREFIX}{name}.json"


def library_name_of(schema_value: Any) -> str | None:
    """The library schema a resource's ``schema`` value points to, if any."""
    if not isinstance(schema_value, str):
        return None
    prefix = library.LIBRARY_URL_PREFIX
    value = schema_value.strip()
    if prefix not in value or not value.endswith(".json"):
        return None
    name = value.rsplit(prefix, 1)[1][: -len(".json")]
    return name if name in {s["name"] for s in library.list_schemas()} else None


def library_choices(field: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
    """ckanext-scheming ``choices_helper``: the library's schemas, by title."""
    return [{"value": s["name"], "label": s["title"]} for s in library.list_schemas()]


def library_schema_field(
    key: tuple[Any, ...],
    data: dict[tuple[Any, ...], Any],
    errors: dict[tuple[Any, ...], list[str]],
    context: Any,
) -> None:
    """Validator of the resource form's library select (``esquema_biblioteca``).

    The choice is never stored: a chosen library schema becomes the
    resource's ``schema`` (its library address); no choice leaves ``schema``
    as typed.
    """
    value = data.pop(key, None)
    if isinstance(value, str) and value.strip():
        name = value.strip()
        if name in {s["name"] for s in library.list_schemas()}:
            data[key[:-1] + ("schema",)] = library_url(name)
        else:
            errors[key].append(
                toolkit._('There is no schema named "{name}" in the library.').format(name=name)
            )
    raise StopOnError


#: Largest Table Schema file accepted from the resource form (bytes).
SCHEMA_UPLOAD_MAX_BYTES = 1024 * 1024


def schema_upload_field(
    key: tuple[Any, ...],
    data: dict[tuple[Any, ...], Any],
    errors: dict[tuple[Any, ...], list[str]],
    context: Any,
) -> None:
    """Validator of ``schema_upload`` (ckanext-validation's name): a Table
    Schema sent as a file, in the form or a multipart API call.

    The file is never stored as such: its JSON becomes the resource's
    ``schema``. Anything but a JSON object (or a file too large) is a form
    error, and the resource is not saved.
    """
    upload = data.pop(key, None)
    if not getattr(upload, "filename", None):
        raise StopOnError
    raw = upload.stream.read(SCHEMA_UPLOAD_MAX_BYTES + 1)
    if len(raw) > SCHEMA_UPLOAD_MAX_BYTES:
        errors[key].append(toolkit._("The schema file is larger than 1 MB."))
        raise StopOnError
    try:
        schema = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        schema = None
    if not isinstance(schema, dict):
        errors[key].append(toolkit._(
            "The schema file is not a Table Schema: it must be a JSON object "
            '(e.g. {"fields": [...]}) in UTF-8.'))
        raise StopOnError
    data[key[:-1] + ("schema",)] = json.dumps(schema, ensure_ascii=False)
    raise StopOnError


def legal_basis_choices() -> list[dict[str, str]]:
    """The LGPD legal bases, ``[{"value", "label"}]`` (vocabulary ``base_legal_lgpd``)."""
    from ckanext.mogi.common import vocabularies

    return vocabularies.scheming_choices("base_legal_lgpd")


def legal_basis_label(value: str) -> str:
    """The label of a legal basis (``value`` itself when unknown)."""
    return next((c["label"] for c in legal_basis_choices() if c["value"] == value), value)


def pretty_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False)


# ---------------------------------------------------------------- search hooks


def index_statuses(doc: dict[str, Any]) -> dict[str, Any]:
    """Each validation status of the dataset's tables once in the index document.

    CKAN copies resource extras into ``res_extras_*`` only for the fields
    listed in ``ckan.extra_resource_fields``, one value per resource (empty
    for files that are not tables); the facet counts datasets, so each
    status appears once whatever the configuration.
    """
    try:
        shown = json.loads(doc.get("validated_data_dict") or doc.get("data_dict") or "{}")
    except (TypeError, ValueError):
        shown = {}
    resources = shown.get("resources") if isinstance(shown, dict) else None
    statuses = [r.get("validation_status") for r in resources or [] if isinstance(r, dict)]
    found = list(dict.fromkeys(s for s in statuses if s in STATUS_ORDER))
    if found:
        doc[FACET_FIELD] = found
    else:
        doc.pop(FACET_FIELD, None)
    return doc


def label_facet(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show the facet's items as "Valid", "Has errors"... (translated) instead of the stored ids."""
    facet = (search_results.get("search_facets") or {}).get(FACET_FIELD)
    for item in (facet or {}).get("items", []):
        item["display_name"] = status_label(item.get("name"))
    return search_results


def facet_title() -> str:
    return toolkit._("Validation status")


def get_helpers() -> dict[str, Callable[..., Any]]:
    """Name -> template helper for ``ITemplateHelpers``."""
    return {
        "mogi_validation_status_badge": status_badge,
        "mogi_validation_dataset_status": dataset_status,
        "mogi_validation_dataset_has_personal_data": dataset_has_personal_data,
        "mogi_validation_resource_has_personal_data": resource_has_personal_data,
        "mogi_validation_unmasked_findings": unmasked_findings,
        "mogi_validation_report_url": report_url,
        "mogi_validation_library_choices": library_choices,
        "mogi_validation_library_name_of": library_name_of,
        "mogi_validation_pretty_json": pretty_json,
    }
