# shellcheck shell=bash
# Sourced by ckan-base's start_ckan.sh after prerun.py (db init, sysadmin),
# before uWSGI starts. Loads the demo catalogue when MOGI_DEMO_LOAD=true and
# the shared data is mounted at $MOGI_DEMO_SOURCE (the loader is idempotent).
if [ "${MOGI_DEMO_LOAD:-false}" = "true" ]; then
    if [ -d "${MOGI_DEMO_SOURCE:-/srv/app/shared/data}" ]; then
        echo "[mogi] loading the demo catalogue from ${MOGI_DEMO_SOURCE:-/srv/app/shared/data}"
        ckan -c "$CKAN_INI" mogi demo load --source "${MOGI_DEMO_SOURCE:-/srv/app/shared/data}" \
            || echo "[mogi] demo load failed; the portal starts anyway"
    else
        echo "[mogi] MOGI_DEMO_LOAD=true but ${MOGI_DEMO_SOURCE:-/srv/app/shared/data} is not mounted; skipping"
    fi
fi
