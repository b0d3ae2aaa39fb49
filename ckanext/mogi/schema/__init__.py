"""Metadata schema support: vocabularies, validators and helpers for ckanext-scheming.

- :mod:`.validators` -- CKAN/scheming validators (``validators.validators()``)
- :mod:`.periodicity` -- ``next_expected_update``

For a plugin::

    from ckanext.mogi import schema

    class MogiSchemaPlugin(p.SingletonPlugin):
        p.implements(p.IValidators)
        p.implements(p.ITemplateHelpers)

        def get_validators(self):
            return schema.get_validators()

        def get_helpers(self):
            return schema.get_helpers()

(The functions are named ``get_*`` because ``schema.validators`` is the module.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def get_validators() -> dict[str, Callable[..., Any]]:
    """Name -> validator for ``IValidators`` (see :func:`.validators.validators`)."""
    from ckanext.mogi.schema.validators import validators

    return validators()


def get_helpers() -> dict[str, Callable[..., Any]]:
    """Name -> template helper for ``ITemplateHelpers``.

    ``mogi_vocabulary_choices`` is the ckanext-scheming ``choices_helper`` of a
    field with a ``vocabulary`` key.
    """
    from ckanext.mogi.common import vocabularies
    from ckanext.mogi.schema import periodicity, validators

    return {
        "mogi_vocabulary_choices": vocabularies.field_choices,
        "mogi_vocabulary_label": vocabularies.label,
        "mogi_vocabulary_uri": vocabularies.uri,
        "mogi_vocabulary_default": vocabularies.default,
        "mogi_next_expected_update": periodicity.next_expected_update,
        "mogi_format_date_br": validators.format_date_br,
        "mogi_format_cnpj": validators.format_cnpj,
    }
