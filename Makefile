# Capability — every command a developer or CI needs. `make help` lists them.
# `make run` and `make test` do all set-up on a fresh machine and skip what is already done.

PYTHON_BOOT ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

export DJANGO_SETTINGS_MODULE ?= cms.settings.dev

.DEFAULT_GOAL := help
.PHONY: help run test setup migrate demo demo-reset credential-keys frontend lint format check bench lock clean worker ci

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

run: setup migrate demo credential-keys ## Set up everything and serve the demo on http://127.0.0.1:8000 (SQLite, eager Celery)
	@echo "Capability is at http://$(HOST):$(PORT)/  (admin: /admin/; demo accounts in README.md)"
	$(MANAGE) runserver --skip-checks $(HOST):$(PORT)

test: setup ## Set up everything and run the whole test suite (DATABASE_URL/REDIS_URL to use PostgreSQL/Redis)
	DJANGO_SETTINGS_MODULE=cms.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed frontend/build/.built ## Install Python and front-end dependencies, compile the front end

$(VENV)/.installed: requirements.lock requirements-dev.lock
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	@test -x $(UV) || $(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip install --quiet --python $(PY) --require-hashes -r requirements.lock -r requirements-dev.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/build/.built: node_modules/.installed frontend/build.mjs $(shell find frontend/scss frontend/js frontend/images -type f 2>/dev/null)
	node frontend/build.mjs
	@touch $@

frontend: frontend/build/.built ## Compile GOV.UK Frontend and the site styles into frontend/build/

# Stamps under var/ let a warm `make run` skip migrate and load_demo when nothing they read has changed (each
# starts Django, seconds apiece). A stamp names the database it was made for, and a missing SQLite file voids it.
DB_KEY := $(shell printf '%s' "$$DATABASE_URL" | cksum | cut -d' ' -f1)
MIGRATED := var/.migrated-$(DB_KEY)
DEMO_LOADED := var/.demo-loaded-$(DB_KEY)
MIGRATION_FILES := $(shell find cms frameworks skills courses -path '*/migrations/*.py' 2>/dev/null)
DEMO_SOURCES := $(shell find cms/demo frameworks/data -type f -not -path '*/__pycache__/*' 2>/dev/null)

migrate: setup ## Apply database migrations (skipped when none changed since the last run)
	@mkdir -p var
	@[ -n "$$DATABASE_URL" ] || [ -f var/capability.sqlite3 ] || rm -f $(MIGRATED) $(DEMO_LOADED)
	@$(MAKE) --no-print-directory $(MIGRATED)

$(MIGRATED): $(VENV)/.installed $(MIGRATION_FILES)
	$(MANAGE) migrate --no-input
	@touch $@

demo: migrate ## Load the demo framework, people and accounts (idempotent; refuses in production)
	@$(MAKE) --no-print-directory $(DEMO_LOADED)

$(DEMO_LOADED): $(MIGRATED) $(DEMO_SOURCES)
	$(MANAGE) load_demo
	@touch $@

# The keys Open Badges credentials are signed with: private keys in var/credential-keys/ (gitignored, like the
# database), public halves in the database. Made when missing; the stamp lives in the key directory, so deleting
# the directory or the database (a newer migrate stamp) makes them again.
KEYS_ENSURED := var/credential-keys/.ensured-$(DB_KEY)

credential-keys: migrate ## Make the keys credentials are signed with, in var/credential-keys/ (when missing)
	@$(MAKE) --no-print-directory $(KEYS_ENSURED)

$(KEYS_ENSURED): $(MIGRATED)
	$(MANAGE) credential_keys --ensure
	@touch $@

demo-reset: ## Throw the local SQLite database away and load the demo afresh
	rm -f var/capability.sqlite3 var/capability.sqlite3-wal var/capability.sqlite3-shm var/.migrated-* var/.demo-loaded-* var/credential-keys/.ensured-*
	@$(MAKE) --no-print-directory demo

worker: setup ## Run a Celery worker and beat (needs REDIS_URL)
	$(VENV)/bin/celery -A cms worker --beat --loglevel=INFO

lint: setup ## ruff check, ruff format --check and the import contracts (import-linter), as CI runs them
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: setup ## Format and fix the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: setup ## Django system checks and the missing-migrations check
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

bench: setup ## Run the benchmarks in bench/ and print their figures (the http one installs wrk with apt-get if missing)
	@command -v wrk >/dev/null || { command -v apt-get >/dev/null && \
	  { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }; } || \
	  echo "wrk is not installed (apt-get install -y wrk): the http benchmark will say so and fail" >&2
	$(PY) -m bench $(BENCH_ARGS)

lock: ## Regenerate the lock files from requirements*.in (needs uv in .venv)
	$(UV) pip compile --quiet --python-version 3.11 --generate-hashes requirements.in -o requirements.lock
	$(UV) pip compile --quiet --python-version 3.11 --generate-hashes requirements-dev.in -o requirements-dev.lock

ci: ## What CI runs (bash .ci/run)
	bash .ci/run

clean: ## Remove the virtualenv, node_modules, the front-end build and the local database
	rm -rf $(VENV) node_modules frontend/build var
