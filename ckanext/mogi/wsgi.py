"""WSGI entry point for production servers: CKAN's app for ``$CKAN_INI``.

A factory, so that importing this module does nothing by itself::

    CKAN_INI=/path/to/ckan.ini gunicorn 'ckanext.mogi.wsgi:create_app()'

``make run`` and ``bench/web.py`` serve it with ``scripts/gunicorn.conf.py``.
"""

from __future__ import annotations

import os
from typing import Any


def create_app() -> Any:
    """CKAN's WSGI application for the configuration file named by ``CKAN_INI``."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    path = os.environ.get("CKAN_INI")
    if not path:
        raise RuntimeError("CKAN_INI must name the CKAN configuration file")
    return make_app(load_config(path))
