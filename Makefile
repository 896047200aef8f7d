# Two commands on a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest's parallel workers (pytest-xdist): one per core of the 2-core CI machine; an idle
# worker takes queued tests from a busy one (--dist worksteal: a few tests take a minute, most
# a second). Tests marked `serial` (a server must answer within a bound while it is under
# attack, an answer must be computed within a lease) run after them, alone: with three
# workers on two cores they missed their bounds. `PYTEST_WORKERS=0` runs everything in this
# process, one by one.
PYTEST_WORKERS ?= 2

.PHONY: run dev test bench lint format install clean-data schema frontend frontend-deps

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

# The dashboard (frontend/): npm ci when the lock file changed, a build when a source, the
# lock file or schema.graphql changed; both quiet unless they fail.
FRONTEND_INSTALLED := frontend/node_modules/.shopx-installed
FRONTEND_BUILT := frontend/.build-stamp
FRONTEND_SOURCES := $(shell find frontend/src -type f -not -path 'frontend/src/gql/*' 2>/dev/null) \
	$(wildcard frontend/*.json frontend/*.ts frontend/index.html) schema.graphql
quietly = log=$$(mktemp); ($(1)) >$$log 2>&1 || { cat $$log; rm -f $$log; exit 1; }; rm -f $$log

frontend-deps: $(FRONTEND_INSTALLED)

$(FRONTEND_INSTALLED): frontend/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node 20+) is needed for the dashboard" >&2; exit 1; }
	@$(call quietly,cd frontend && npm ci --no-audit --no-fund)
	@touch $@

## Build the dashboard into frontend/dist (served by the API at /).
frontend: $(FRONTEND_BUILT)

$(FRONTEND_BUILT): $(FRONTEND_INSTALLED) $(FRONTEND_SOURCES)
	@$(call quietly,cd frontend && npm run build)
	@touch $@

## Serve the dashboard at / and the API (GraphQL, GraphiQL, /docs, health, metrics) on http://$(HOST):$(PORT) with demo data (embedded SQLite).
run: install frontend
	$(PY) -m shopx init
	$(PY) -m shopx seed --scale S --if-empty
	$(PY) -m shopx jobs run demo-roll-forward
	SHOPX_ANONYMOUS_READS=$${SHOPX_ANONYMOUS_READS:-true} $(PY) -m shopx serve --host $(HOST) --port $(PORT)

## Work on the dashboard with hot reload: the API on :$(PORT) (demo data) and Vite's dev server on http://localhost:5173, which hands /graphql and /api to it.
dev: install frontend-deps
	$(PY) -m shopx init
	$(PY) -m shopx seed --scale S --if-empty
	$(PY) -m shopx jobs run demo-roll-forward
	SHOPX_ANONYMOUS_READS=$${SHOPX_ANONYMOUS_READS:-true} $(PY) -m shopx serve --host $(HOST) --port $(PORT) & api=$$!; \
	trap 'kill $$api' EXIT INT TERM; \
	cd frontend && SHOPX_API=http://$(HOST):$(PORT) npm run dev

## Every test: pytest, the dashboard's Vitest, then its end-to-end tests (Playwright driving Debian's chromium against a seeded server, so the dashboard is built first); PostgreSQL/Redis/RabbitMQ tests run when those services answer, the e2e when chromium is installed.
test: install frontend
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not serial" --durations=30
	$(PY) -m pytest -m serial
	cd frontend && npm test --silent
	cd frontend && SHOPX_PYTHON=$${SHOPX_PYTHON:-$(abspath $(PY))} npm run e2e --silent

## Throughput benchmark (installs wrk from Debian packages when missing).
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m shopx bench $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests

format: install
	$(VENV)/bin/ruff check --fix src tests
	$(VENV)/bin/ruff format src tests

clean-data:
	rm -rf data

## Export the GraphQL schema that clients are generated from (a test fails when it drifts).
schema: install
	$(PY) -c "from shopx.api.graphql.schema import schema; print(schema.as_str())" > schema.graphql
