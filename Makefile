# Ayni: `make run` serves the portal with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

ifneq (,$(wildcard .env))
include .env
export $(shell sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' .env)
endif

export DEBUG ?= 1
export AYNI_DEMO_MODE ?= 1
# The public address in mails, PDFs and QR codes follows the address served.
export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-pg lint bench install migrate demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v0

# The demo signs its documents with a demo CA made once under var/firma-demo/
# («DEMOSTRACIÓN — sin validez legal», docs/firma.md); only for demo and run.
demo run: export AYNI_SIGNING_CONFIG ?= $(CURDIR)/var/firma-demo/firma.toml
demo run: export AYNI_DEMO_SIGNING_PASSPHRASE ?= demostracion-sin-validez

demo: migrate
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py signing_demo

# Serves the portal and runs one background-task worker beside it; Ctrl-C stops both.
run: demo
	@echo "Ayni en http://$(HOST):$(PORT)/  (cuentas de demostración en la página de ingreso)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker --interval 2 & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Unit and integration tests in parallel, then the end-to-end tests in Chromium (two
# workers, each with its own live server, database and browser).
test: install
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest -n 2 -q -m "not e2e"
	$(BIN)/python -m pytest -n 2 -q -m e2e

# The same suite against PostgreSQL (CI): DATABASE_URL must point at it.
test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m pytest -n 2 -q -m "not e2e"
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m pytest -n 2 -q -m e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy ayni

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf var $(VENV)
