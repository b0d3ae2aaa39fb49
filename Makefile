# ckanext-mogi: portal de dados abertos da Prefeitura de Mogi das Cruzes.
#
#   make run    set up what is missing, serve http://127.0.0.1:5000 + job worker
#   make test   ruff + the whole pytest suite (real PostgreSQL and Redis)
#
# The work is done by the bash scripts in scripts/ (see scripts/lib.sh for the
# environment variables they understand, e.g. MOGI_PORT, MOGI_DB_NAME).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV ?= .venv
PYTEST_ARGS ?=
BENCH ?= search
BENCH_ARGS ?=
export PYTHON VENV PYTEST_ARGS

.PHONY: help run test lint bench i18n lock install services browser-deps clean distclean

help:  ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run:  ## Set up (venv, services, database, admin, demo data) and serve on :5000 with a job worker
	@scripts/run.sh

# Browser tests (tests/e2e) need Debian's chromium; only then is it installed.
test: $(if $(wildcard tests/e2e),browser-deps)  ## Lint and run the whole test suite against real PostgreSQL/Redis
	@scripts/test.sh

lint:  ## ruff check (needs only the venv and the pinned stack)
	@source scripts/lib.sh && ensure_venv && ensure_stack && \
	"$$VENV/bin/ruff" check $(wildcard ckanext tests bench)

bench: install  ## Run a benchmark: BENCH=search|dcat|validation|web|limits|datastore|panel|ocds (default search); BENCH_ARGS are passed on
	@source scripts/lib.sh && ensure_services && \
	if [[ ! -f bench/$(BENCH).py ]]; then die "bench/$(BENCH).py not found"; fi && \
	log "python bench/$(BENCH).py $(BENCH_ARGS)" && "$$VENV/bin/python" bench/$(BENCH).py $(BENCH_ARGS)

i18n:  ## Extract messages, add new msgids to the pt_BR catalogue (never drops any) and compile it
	@scripts/i18n.sh

lock:  ## Regenerate requirements.txt from requirements.in (fresh temp venv)
	@scripts/lock.sh

install:  ## Create .venv, install the pinned stack and the bundle (non-editable wheel)
	@source scripts/lib.sh && ensure_system_deps && ensure_python_env

services:  ## Make sure PostgreSQL and Redis run (install them if needed)
	@source scripts/lib.sh && ensure_services

browser-deps:  ## Install Debian's chromium for the browser tests
	@source scripts/lib.sh && apt_install chromium && log "chromium: $$(command -v chromium)"

clean:  ## Remove build artefacts and caches (keeps .venv, ckan.ini and .local/)
	rm -rf build dist *.egg-info .ruff_cache .pytest_cache test-artifacts
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## clean, and remove .venv too (ckan.ini and .local/ stay: they hold secrets and data)
	rm -rf $(VENV)
