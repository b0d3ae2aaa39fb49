# shellcheck shell=bash
# Sourced by ckan-base's start_ckan.sh before uWSGI starts. Only `ckan run`
# builds the JavaScript translations (buttons such as "Editar" and "Remover"
# of CKAN's and our modules); a uWSGI/gunicorn deployment must build them
# itself, into the storage path (writable by the ckan user), or those strings
# stay in English.
ckan -c "$CKAN_INI" translation js || echo "[mogi] building the JavaScript translations failed"
