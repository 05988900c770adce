# Two commands do everything: `make run` serves the site, `make test` proves it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The test suite runs against the real services production uses.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/helpline
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# The browser journeys refresh docs/screenshots/ only when asked (make screenshots).
E2E_SCREENSHOTS ?= 0

.PHONY: run test lint typecheck pytest screenshots services browser install install-dev clean catalogues messages

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

## Embedded default: SQLite, in-memory channel layer, eager Celery, demo content and logins.
run: install catalogues
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --base-url http://$(HOST):$(PORT)
	@echo
	@echo "  Open http://$(HOST):$(PORT)/ in your browser (Ctrl+C stops the server)."
	@echo
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --no-access-log --log-level warning

## Translations: locale/*/django.po are the sources; the .mo files are compiled in Python (Babel).
catalogues: install
	$(BIN)/python -m config.catalogues

## After marking new strings: gather them into every catalogue (needs GNU gettext, a developer's tool).
messages: install-dev
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests --add-location=file
	$(BIN)/python -m config.catalogues

services:
	bash .ci/services.sh

browser:
	bash .ci/browser.sh
	bash .ci/axe.sh

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install-dev
	$(BIN)/mypy .

pytest: install-dev services browser catalogues
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DB_CONN_MAX_AGE=0 \
		E2E_SCREENSHOTS=$(E2E_SCREENSHOTS) $(BIN)/pytest $(PYTEST_ARGS)

screenshots: install-dev services browser catalogues
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DB_CONN_MAX_AGE=0 \
		E2E_SCREENSHOTS=1 $(BIN)/pytest tests/e2e/journeys

test: lint typecheck pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

## Benchmarks (not part of `make test`): the production stack on this machine, one command each.
.PHONY: bench bench-smoke
BENCH_ARGS ?=
bench: install-dev services
	$(BIN)/python -m bench.p1_chat_latency $(BENCH_ARGS)
	$(BIN)/python -m bench.p2_sockets_held $(BENCH_ARGS)
	$(BIN)/python -m bench.p3_routing_burst $(BENCH_ARGS)
	$(BIN)/python -m bench.p4_content_page $(BENCH_ARGS)

bench-smoke: install-dev services
	for b in p1_chat_latency p2_sockets_held p3_routing_burst p4_content_page; do \
		$(BIN)/python -m bench.$$b --smoke || exit 1; done

## Fuzz suite (docs/reliability.md): every form, query parameter and socket frame type, fed odd values.
## `make test` runs a short seeded run of the same tests (FUZZ_INPUTS=300); this is the full one.
.PHONY: fuzz
FUZZ_INPUTS ?= 10000
FUZZ_SEED ?= 13
fuzz: install-dev services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DB_CONN_MAX_AGE=0 \
		FUZZ_INPUTS=$(FUZZ_INPUTS) FUZZ_SEED=$(FUZZ_SEED) $(BIN)/pytest tests/fuzz -q -p no:cacheprovider

## Fault suite (docs/reliability.md): the production stack under a chat load, one fault per run (kill -9
## the Celery worker, restart Redis, kill -9 a web process, restart the web server, cut the database's
## connections), with its own redis-server and database; prints the table. About 12 minutes. First the
## tests marked `faults` (a Redis Sentinel failover mid-chat, on servers of their own; about a minute).
.PHONY: faults
FAULTS_ARGS ?=
faults: install-dev services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DB_CONN_MAX_AGE=0 \
		$(BIN)/pytest -m faults -q -s -p no:cacheprovider
	$(BIN)/python -m bench.faults $(FAULTS_ARGS)

## Issue 13's measurements (not part of `make test`; docs/performance.md, "Faults and connections"):
## the Celery worker through Redis restarts under load (its own redis-server, a migrated database), and
## the database connections one stack holds under P2's load and a burst of page views.
.PHONY: bench-worker-redis-restart bench-db-connections
bench-worker-redis-restart: install-dev services
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python -m bench.worker_redis_restart $(BENCH_ARGS)
bench-db-connections: install-dev services
	$(BIN)/python -m bench.db_connections $(BENCH_ARGS)
