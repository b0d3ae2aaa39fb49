#!/usr/bin/env bash
# `make i18n`: refresh i18n/ckanext-mogi.pot from the code and templates, add
# its new msgids (untranslated) to the pt_BR catalogue, and compile it.
#
# Unlike `pybabel update`, nothing is ever dropped from the catalogue: it also
# holds translations of CKAN core, ckanext-scheming and ckanext-dcat strings
# our pages show (entries marked "upstream"), which have no source here.
# tests/test_i18n.py fails while any extracted msgid lacks a translation.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv

POT=i18n/ckanext-mogi.pot
PO=i18n/pt_BR/LC_MESSAGES/ckanext-mogi.po

log "Extracting messages into $POT"
"$VENV/bin/pybabel" -q extract -F babel.cfg -k _ -k N_ -k gettext \
    --project=ckanext-mogi --no-location --sort-output -o "$POT" .

log "Adding new msgids to $PO"
"$(venv_python)" - "$POT" "$PO" <<'PY'
import sys

import polib

pot, po = polib.pofile(sys.argv[1]), polib.pofile(sys.argv[2])
known = {(e.msgctxt, e.msgid) for e in po}
added = [e for e in pot if (e.msgctxt, e.msgid) not in known]
for entry in added:
    po.append(polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                            msgctxt=entry.msgctxt, msgstr="",
                            msgstr_plural={0: "", 1: ""} if entry.msgid_plural else {}))
po.save()
for entry in added:
    print(f"    new, to translate: {entry.msgid!r}")
print(f"    {len(added)} new msgid(s); {len(po)} entries in the catalogue")
PY

log "Compiling the catalogue"
"$VENV/bin/pybabel" compile -d i18n -D ckanext-mogi
