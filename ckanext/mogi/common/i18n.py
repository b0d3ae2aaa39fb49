"""Translation that works in web requests and in background jobs alike.

In a web request, CKAN's ``toolkit._`` (the user's language). Outside one
(the job worker, the CLI), CKAN has no locale to offer, so messages that are
stored and shown later (a validation verdict, a reconciler's note) are
translated into the site's default language (``ckan.locale_default``) from
this bundle's own compiled catalogue.
"""

from __future__ import annotations

import gettext as _gettext
from collections import UserString
from importlib import resources

import flask
from ckan.plugins import toolkit

DOMAIN = "ckanext-mogi"


def translate(message: str) -> str:
    """``message`` (an English msgid) in the request's or the site's language."""
    if flask.has_request_context():
        return toolkit._(message)
    locale = str(toolkit.config.get("ckan.locale_default") or "en")
    catalogue = _gettext.translation(
        DOMAIN,
        localedir=str(resources.files("ckanext.mogi.i18n")),
        languages=[locale],
        fallback=True,
    )
    return catalogue.gettext(message)


class LazyText(UserString):
    """An English msgid read through :func:`translate` each time it is used.

    For texts fixed when a module is imported, before any configuration is
    known, and shown later: a command's help (click formats it on demand).
    """

    def __init__(self, message: str) -> None:  # UserString.__init__ would set ``data``
        self.message = str(message)

    @property  # type: ignore[override]
    def data(self) -> str:  # UserString's methods all read ``data``.
        return translate(self.message)
