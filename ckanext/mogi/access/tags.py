"""``tag_list``, ``tag_search`` and ``tag_autocomplete`` without private tags.

CKAN lists every free tag applied to any dataset, so a tag used only by a
private (or deleted, or draft) dataset shows in the tag list, the tag search
and the dataset form's autocomplete (``/api/2/util/tag/autocomplete``). These
chained actions list a free tag only when it is applied to a dataset the
caller may read (:func:`ckanext.mogi.access.visibility.readable`), with one
parameterised query; their parameters and results are CKAN's.

Vocabulary tags (``vocabulary_id``) go to CKAN unchanged: they are the terms
a sysadmin defined for the vocabulary, listed whether any dataset uses them
or not, so they say nothing about private datasets.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.lib import dictization
from ckan.lib.dictization import model_dictize
from ckan.plugins import toolkit
from sqlalchemy.orm import Query

from ckanext.mogi.access.visibility import readable

#: The escape character of the LIKE patterns (CKAN's own choice).
ESCAPE = "\\"


def visible_free_tags(context: Any, terms: list[str]) -> Query[model.Tag]:
    """Free tags applied to a dataset the caller may read, containing every term."""
    used = (
        model.Session.query(model.PackageTag.tag_id)
        .join(model.Package, model.Package.id == model.PackageTag.package_id)
        .filter(model.PackageTag.state == "active")
    )
    condition = readable(context)
    if condition is not None:
        used = used.filter(condition)
    query = model.Session.query(model.Tag).filter(
        model.Tag.vocabulary_id.is_(None), model.Tag.id.in_(used.subquery().select()))
    for term in terms:
        escaped = _escape_like(term)
        query = query.filter(model.Tag.name.ilike(f"%{escaped}%", escape=ESCAPE))
    return query.order_by(model.Tag.name)


def _escape_like(term: str) -> str:
    for special in (ESCAPE, "%", "_"):
        term = term.replace(special, ESCAPE + special)
    return term


def _terms(data_dict: dict[str, Any]) -> list[str]:
    """The search terms of ``query``/``q`` (a string or a list) and the deprecated ``fields``."""
    terms = data_dict.get("query") or data_dict.get("q") or []
    if isinstance(terms, str):
        terms = [terms]
    if not isinstance(terms, list):
        raise toolkit.ValidationError({"query": [toolkit._("Must be text or a list of texts")]})
    fields = data_dict.get("fields") or {}
    if isinstance(fields, dict):
        terms = terms + [value for field, value in fields.items() if field in ("tag", "tags")]
    return [term.strip() for term in terms if isinstance(term, str) and term.strip()]


def _natural(data_dict: dict[str, Any], key: str) -> int | None:
    """``data_dict[key]`` as a whole number >= 0 (a 409 with a field error otherwise)."""
    value = data_dict.get(key)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or isinstance(value, bool):
        raise toolkit.ValidationError({key: [toolkit._("Must be a whole number, 0 or more")]})
    return number


def search(context: Any, data_dict: dict[str, Any]) -> tuple[list[model.Tag], int]:
    """CKAN's ``_tag_search`` for free tags: ``(page of tags, count of visible tags)``."""
    terms = _terms(data_dict)
    offset, limit = _natural(data_dict, "offset"), _natural(data_dict, "limit")
    if not terms:
        return [], 0
    query = visible_free_tags(context, terms)
    count = query.count()
    return query.offset(offset).limit(limit).all(), count


def _vocabulary(data_dict: dict[str, Any]) -> bool:
    return "vocabulary_id" in data_dict


@toolkit.chained_action
@toolkit.side_effect_free
def tag_list(up_func: Any, context: Any, data_dict: dict[str, Any]) -> list[Any]:
    if data_dict.get("vocabulary_id"):
        return up_func(context, data_dict)
    toolkit.check_access("tag_list", context, data_dict)
    query = data_dict.get("query") or data_dict.get("q")
    if query:
        tags, _count = search(context, data_dict)
    else:
        tags = visible_free_tags(context, []).all()
    if data_dict.get("all_fields"):
        return model_dictize.tag_list_dictize(tags, context)
    return [tag.name for tag in tags]


@toolkit.chained_action
@toolkit.side_effect_free
def tag_search(up_func: Any, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    if _vocabulary(data_dict):
        return up_func(context, data_dict)
    toolkit.check_access("tag_search", context, data_dict)
    tags, count = search(context, data_dict)
    return {"count": count,
            "results": [dictization.table_dictize(tag, context) for tag in tags]}


@toolkit.chained_action
@toolkit.side_effect_free
def tag_autocomplete(up_func: Any, context: Any, data_dict: dict[str, Any]) -> list[str]:
    if _vocabulary(data_dict):
        return up_func(context, data_dict)
    toolkit.check_access("tag_autocomplete", context, data_dict)
    tags, _count = search(context, data_dict)
    return [tag.name for tag in tags]


def get_actions() -> dict[str, Any]:
    return {"tag_list": tag_list, "tag_search": tag_search,
            "tag_autocomplete": tag_autocomplete}
