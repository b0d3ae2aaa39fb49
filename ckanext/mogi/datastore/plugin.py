"""Plugin ``mogi_datastore``: typed DataStore loads of validated tables (wiring only).

Needs CKAN's ``datastore`` plugin (and ``datatables_view`` for the previews).
"""

from __future__ import annotations

import ckan.plugins as p


@p.toolkit.blanket.config_declarations
class MogiDatastorePlugin(p.SingletonPlugin):
    pass
