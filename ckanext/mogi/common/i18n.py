"""Translation that works in web requests and in background jobs alike.

In a web request, CKAN's ``toolkit._`` (the user's language). Outside one
(the job worker, the CLI), CKAN has no locale to offer, so messages that are
stored and shown later (a validation verdict, a reconciler's note) are
translated into the site's default language (``ckan.locale_default``) from
this bundle's own compiled catalogue.

:func:`N_` marks a msgid kept in data (a table of messages) for extraction;
it is translated where it is shown. :func:`translated_command` does so for
the help texts of a ``ckan`` command.
"""

from __future__ import annotations

import copy
import gettext as _gettext
from importlib import resources

import click
import flask
from ckan.plugins import toolkit

DOMAIN = "ckanext-mogi"


def N_(message: str) -> str:
    """gettext's no-op marker: ``message`` is extracted by Babel, translated later."""
    return message


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


def translated_command(command: click.Command) -> click.Command:
    """A copy of ``command`` (and of its subcommands) with its help texts,
    option help texts and metavars (English msgids) translated."""
    command = copy.deepcopy(command)
    _translate_tree(command)
    return command


def _translate_tree(command: click.Command) -> None:
    for attribute in ("help", "short_help"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, translate(text))
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = translate(param.help)
        if param.metavar:
            param.metavar = translate(param.metavar)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _translate_tree(sub)
