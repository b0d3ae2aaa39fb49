"""Open contracting: the city's procurement processes as OCDS 1.1.5.

Plain modules (the plugin only wires): :mod:`.dump` reads a tender-system dump
as a stream, :mod:`.mapping` applies the field tables and value maps of
``data/``, :mod:`.releases` builds releases, release packages and record
packages, :mod:`.check` validates them against the OCDS schema and codelists.
See README.md for the decisions of the mapping.
"""
