# newsroom: `make run` serves the site with the seed pages; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run serve test install lint format bench bench-setup db clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Development: set up, import the seed pages (published), serve http://$(HOST):$(PORT)/ (debug on)
run: export DJANGO_DEBUG = 1
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) import_pages --publish --verbosity 1
	@echo ""
	@echo "  Site:   http://$(HOST):$(PORT)/"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/   (editor login: $(MANAGE) createsuperuser,"
	@echo "          or $(MANAGE) create_editor NAME for an account in the 编辑 group)"
	@echo "  API:    http://$(HOST):$(PORT)/api/v1/   (docs: http://$(HOST):$(PORT)/api/docs/)"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

## Production: migrate, collect static files, serve with gunicorn workers (debug off; README)
WORKERS ?= 2
serve: install
	HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) VENV=$(VENV) bin/serve

## Set up and run the whole test suite (SQLite unless DATABASE_URL is set)
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmarks (bench/): install wrk, the HTTP load generator they drive (Debian/Ubuntu apt-get)
bench-setup: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	@wrk --version 2>&1 | head -1

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles media var
