# shellcheck shell=bash
# Sourced by ckan-base's start_ckan.sh after prerun.py (db init, sysadmin),
# before uWSGI starts. Loads the demo catalogue when MOGI_DEMO_LOAD=true, the
# shared data is mounted at $MOGI_DEMO_SOURCE and the repository's demo/
# folder at $MOGI_DEMO_CATALOGUE (the loader is idempotent). The image itself
# holds no demo data.
if [ "${MOGI_DEMO_LOAD:-false}" = "true" ]; then
    source_dir="${MOGI_DEMO_SOURCE:-/srv/app/shared/data}"
    catalogue_dir="${MOGI_DEMO_CATALOGUE:-/srv/app/demo}"
    if [ -d "$source_dir" ] && [ -f "$catalogue_dir/datasets.yaml" ]; then
        echo "[mogi] loading the demo catalogue of $catalogue_dir from $source_dir"
        ckan -c "$CKAN_INI" mogi demo load --source "$source_dir" --catalogue "$catalogue_dir" \
            || echo "[mogi] demo load failed; the portal starts anyway"
    else
        echo "[mogi] MOGI_DEMO_LOAD=true but $source_dir or $catalogue_dir is not mounted; skipping"
    fi
fi
