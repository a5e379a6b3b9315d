# policylend — the commands a person types. `make run` serves the demo, `make test` runs everything.
#
# Set-up steps leave stamp files, so a second `make run` repeats nothing that is up to date:
#   .venv/.synced          the locked dependencies are installed (redone when uv.lock/pyproject change)
#   $(VAR)/static/.collected  collectstatic ran (redone when static sources or dependencies change)
#   locale/*/LC_MESSAGES/django.mo  compiled from their .po with Babel (no GNU gettext needed)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# Two workers use both cores. Keep xdist's default "load" distribution: it hands tests out in
# collection order, so each worker still runs pytest-django's order (transactional tests last).
PYTEST_ARGS ?= -n 2

VAR := $(or $(POLICYLEND_VAR_DIR),var)
UV := .tools/bin/uv
PY := .venv/bin/python
SYNCED := .venv/.synced
COLLECTED := $(VAR)/static/.collected
STATIC_SOURCES := $(shell find policylend -path '*/static/*' -type f 2>/dev/null)
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
BENCHMARKS := $(filter-out bench/common.py bench/report.py,$(wildcard bench/*.py))

# uv must use the machine's Python 3.11, never fetch one.
export UV_PYTHON_DOWNLOADS := never

.PHONY: help run setup translations test test-packages bench lint

help:
	@echo "make run    set up (first time), load the demo organisation, serve http://$(HOST):$(PORT)"
	@echo "make test   the whole suite on SQLite, then on a throwaway PostgreSQL 15"
	@echo "make bench  the benchmarks under bench/ (figures in bench/results/)"
	@echo "make lint   ruff check and ruff format --check"

# --- set-up -------------------------------------------------------------------------------------

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(SYNCED): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

translations: $(MO_FILES)

# Babel skips a whole catalog whose header is marked fuzzy; that must not pass silently.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(SYNCED)
	.venv/bin/pybabel compile -d locale -D django -l $*
	@test -f $@ || { echo "$<: not compiled (header marked '#, fuzzy'?)" >&2; exit 1; }
	@touch $@

$(COLLECTED): $(SYNCED) $(STATIC_SOURCES) config/settings.py
	$(PY) manage.py collectstatic --noinput -v 0
	touch $@

setup: $(SYNCED) translations

# --- run ----------------------------------------------------------------------------------------

run: setup $(COLLECTED)
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py demo_province --scale office --seed 1
	@echo
	@echo "policylend is serving on http://$(HOST):$(PORT) — log in with one of the demo logins above."
	@echo "API: http://$(HOST):$(PORT)/api/v1/docs  ·  stop with Ctrl+C"
	@echo
	@# The background worker (imports) runs beside gunicorn and stops when gunicorn stops.
	$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT INT TERM; \
	.venv/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --error-logfile - --no-control-socket

# --- test ---------------------------------------------------------------------------------------

test-packages:
	scripts/install_test_packages.sh

test: test-packages setup lint
	scripts/test_all.sh $(PYTEST_ARGS)

# --- bench and lint -----------------------------------------------------------------------------

bench: test-packages setup
	@for benchmark in $(BENCHMARKS); do echo "=== $$benchmark"; $(PY) $$benchmark; done
	@echo
	$(PY) bench/report.py

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
