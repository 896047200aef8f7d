# Two commands on a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint format install clean-data schema

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

## Serve the API (GraphQL, GraphiQL, /docs, health, metrics) on http://$(HOST):$(PORT) with demo data (embedded SQLite).
run: install
	$(PY) -m shopx init
	$(PY) -m shopx seed --scale S --if-empty
	SHOPX_ANONYMOUS_READS=$${SHOPX_ANONYMOUS_READS:-true} $(PY) -m shopx serve --host $(HOST) --port $(PORT)

## Every test; PostgreSQL/Redis/RabbitMQ tests run when those services answer.
test: install
	$(PY) -m pytest

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
