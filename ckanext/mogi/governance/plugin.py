"""Plugin ``mogi_governance``: how the Secretaria de Transparência governs the
catalogue (wiring only).

History of each dataset (CKAN's ``activity`` plugin, with this bundle's own
events), freshness against the declared periodicity, e-mail reminders, link
checks, the panel per Secretaria, the public quality page and the quality
measurements of the DCAT-BR output. The logic lives in the plain modules
beside this one.
"""

from __future__ import annotations

import ckan.plugins as p


@p.toolkit.blanket.config_declarations
class MogiGovernancePlugin(p.SingletonPlugin):
    pass
