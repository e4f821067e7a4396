# Wrappers for the commands people would otherwise type. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
# The first Python >= 3.12 found; override with `make run PYTHON=/path/to/python3.13`.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9]; do \
	p=$$(command -v $$c 2>/dev/null) || continue; \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
PYTEST_ARGS ?=

.PHONY: help install messages compilemessages run test lint format bench lock clean

help:
	@echo "make run     set up (venv, dependencies, database) and start Rapport on http://127.0.0.1:8000/"
	@echo "make test    lint (ruff, mypy) and run the whole test suite"
	@echo "make messages         update the translation catalogs (crm/locale/*/LC_MESSAGES/*.po) from the code"
	@echo "make compilemessages  compile them for Django (make run and make test do it too)"
	@echo "make bench   run the performance scenarios (uses DATABASE_URL, PostgreSQL for the targets)"
	@echo "make lock    re-pin requirements.lock (runtime) and requirements-dev.lock (dev) from pyproject.toml"

# requirements.lock pins what the app imports at run time (the Docker image installs only it);
# requirements-dev.lock adds the test and lint tools at versions consistent with it.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@if [ -z "$(PYTHON)" ]; then echo "Rapport needs Python 3.12 or newer. Install it, or pass PYTHON=/path/to/python3.12" >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

# Test-only tools from npm (axe-core for the accessibility sweep); the app has no JS build.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "The browser tests need npm (apt-get install npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --silent
	touch $@

# Translations (docs/translating.md). The languages besides English, as gettext names them.
LOCALES := de fr es pt_BR nl it
MAKEMESSAGES := $(PY) manage.py makemessages $(foreach l,$(LOCALES),-l $(l)) --no-obsolete \
	--ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'bench/*' \
	--ignore 'staticfiles/*' --ignore 'var/*'

# The catalogs (crm/locale/<lang>/LC_MESSAGES/django.po, djangojs.po) brought up to date
# with the code's strings: new ones arrive empty for the translators, gone ones are dropped.
messages: install
	@command -v msgmerge >/dev/null || { echo "Updating the catalogs needs GNU gettext: apt-get install gettext (macOS: brew install gettext)" >&2; exit 1; }
	DEBUG=true $(MAKEMESSAGES)
	DEBUG=true $(MAKEMESSAGES) -d djangojs

# The catalogs compiled to the .mo files Django reads; built, never committed. Needs GNU
# gettext's msgfmt (the script says how to install it when it is missing).
compilemessages:
	@sh docker/compile_messages.sh crm/locale

run: install compilemessages
	@mkdir -p var
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py run_local

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

test: lint node_modules/.installed compilemessages
	@# The migration check needs no database server: run it on the SQLite default.
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run --settings=tests.settings > /dev/null \
		|| { echo "Model changes without a migration: run manage.py makemigrations" >&2; exit 1; }
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m bench.run

lock: install
	$(PY) -m pip install --quiet uv
	@# --universal: one lock for every platform the image builds for (amd64, arm64).
	$(VENV)/bin/uv pip compile --quiet pyproject.toml --universal --python-version 3.12 \
		-o requirements.lock
	$(VENV)/bin/uv pip compile --quiet pyproject.toml --extra dev --universal --python-version 3.12 \
		-c requirements.lock -o requirements-dev.lock
	rm -f $(VENV)/.installed

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .mypy_cache
