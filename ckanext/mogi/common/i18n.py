"""Translation that works in web requests and in background jobs alike.

In a web request, CKAN's ``toolkit._`` (the user's language). Outside one
(the job worker, the CLI), CKAN has no locale to offer, so messages that are
stored and shown later (a validation verdict, a reconciler's note) are
translated into the site's default language (``ckan.locale_default``) from
this bundle's own compiled catalogue. :func:`catalogue` serves processes that
run without CKAN at all (the validation sandbox), given the language.
:func:`translated_command` translates the help texts of a ``ckan`` command.

CKAN and Flask are imported only when a message is translated, so that
:func:`N_` and :func:`catalogue` cost nothing to import.
"""

from __future__ import annotations

import copy
import gettext as _gettext
from collections import UserString
from collections.abc import Callable
from importlib import resources
from typing import Any

DOMAIN = "ckanext-mogi"


def N_(message: str) -> str:
    """gettext's no-op marker: ``message`` is extracted by Babel, translated later."""
    return message


def _translations(locale: str) -> _gettext.NullTranslations:
    return _gettext.translation(
        DOMAIN,
        localedir=str(resources.files("ckanext.mogi.i18n")),
        languages=[locale],
        fallback=True,
    )


def catalogue(locale: str) -> Callable[[str], str]:
    """``gettext`` of this bundle's compiled catalogue for ``locale`` (msgid if none)."""
    return _translations(locale).gettext


def _site_locale() -> str:
    from ckan.plugins import toolkit

    return str(toolkit.config.get("ckan.locale_default") or "en")


def translate(message: str) -> str:
    """``message`` (an English msgid) in the request's or the site's language."""
    import flask
    from ckan.plugins import toolkit

    if flask.has_request_context():
        return toolkit._(message)
    return catalogue(_site_locale())(message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """The singular or plural msgid for ``count``, translated as :func:`translate` does."""
    import flask
    from ckan.plugins import toolkit

    if flask.has_request_context():
        return toolkit.ungettext(singular, plural, count)
    return _translations(_site_locale()).ngettext(singular, plural, count)


class TranslatableError(Exception):
    """An error whose message is an English msgid with ``str.format`` parameters,
    translated only when it is read: in the request's or the site's language
    (:attr:`message`, ``str()``), or by a given ``translate`` (:meth:`render`)."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def render(self, translate: Callable[[str], str] = translate) -> str:
        """The message, translated by ``translate``."""
        return translate(self.msgid).format(**self.params)

    @property
    def message(self) -> str:
        return self.render()

    def __str__(self) -> str:
        return self.message


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


def translated_command(command: Any) -> Any:
    """A copy of ``command`` (a ``click.Command``, and of its subcommands) with
    its help texts, option help texts and metavars (English msgids) translated."""
    command = copy.deepcopy(command)
    _translate_tree(command)
    return command


def _translate_tree(command: Any) -> None:
    import click

    for attribute in ("help", "short_help"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, translate(str(text)))
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = translate(str(param.help))
        if param.metavar:
            param.metavar = translate(str(param.metavar))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _translate_tree(sub)
