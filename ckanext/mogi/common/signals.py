"""The bundle's own CKAN signals (``toolkit.signals.ckanext``): how one
capability tells the others that something happened without knowing them.

- :data:`VALIDATION_VERDICT`: a table's validation state changed for good (a
  verdict stored, an LGPD justification recorded, the report deleted). Sent by
  ``mogi_validation`` after the change is committed; ``sender`` is the
  resource id, keyword ``package_id``. Listeners ask
  ``resource_validation_show`` what the state is now.
- :data:`DATASTORE_LOADED`: a table's rows were loaded into the DataStore, or
  the load failed (``mogi_datastore``, after the outcome is committed);
  ``sender`` is the resource id; keywords ``package_id``, ``state``
  (``loaded`` or ``failed``), ``rows`` (loaded: how many), ``error`` (failed:
  why, in the site's language) and ``verdict`` (the validation verdict's
  ``finished`` time the load followed).
- :data:`WORKER_MAINTENANCE`: the job worker's periodic maintenance
  (``ckan mogi validation worker``, at start and every
  ``ckanext.mogi.validation.reconcile_interval`` seconds), in the worker's
  main process: the moment to requeue lost jobs. ``sender`` is the worker's name.
"""

from __future__ import annotations

from typing import Any

VALIDATION_VERDICT = "mogi_validation_verdict"
DATASTORE_LOADED = "mogi_datastore_loaded"
WORKER_MAINTENANCE = "mogi_worker_maintenance"


def signal(name: str) -> Any:
    """The named signal of CKAN's ``ckanext`` namespace (a ``blinker.Signal``)."""
    from ckan.plugins import toolkit

    return toolkit.signals.ckanext.signal(name)
