"""WSGI entry point for gunicorn in bench/web.py: CKAN's app for ``$CKAN_INI``."""

from __future__ import annotations

import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

application = make_app(load_config(os.environ["CKAN_INI"]))
