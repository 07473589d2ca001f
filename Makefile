# cx-warehouse: `make demo` builds everything on generated data, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3
RUN := $(UV) run --frozen --no-sync
SCALE ?= demo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup demo nightly generate benchmark dev test lint format contracts-doc chromium reports

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode is compiled at install: a process that may not write it (PYTHONDONTWRITEBYTECODE, a
# read-only install) would otherwise compile every module it imports, every time it starts.
setup: $(UV)  ## install the locked environment into .venv
	$(UV) sync --frozen --compile-bytecode

demo: setup  ## generate demo data (SCALE=small|demo|large) and run the nightly build on it
	$(RUN) cx-warehouse generate --scale $(SCALE)
	$(RUN) cx-warehouse nightly

generate: setup  ## write generated extracts to the landing zone (SCALE=...)
	$(RUN) cx-warehouse generate --scale $(SCALE)

nightly: setup  ## run the nightly build headless on what is in the landing zone
	$(RUN) cx-warehouse nightly

benchmark: setup  ## time the build at a scale (SCALE=...) against DuckDB alone; docs/benchmarks.md
	$(RUN) cx-warehouse benchmark --scale $(SCALE)

reports: setup  ## render the HTML reports from the current publication
	$(RUN) cx-warehouse reports

dev: setup  ## start the Dagster UI (dagster dev) with the project-local Dagster home
	$(RUN) cx-warehouse dev

lint: setup  ## ruff and sqlfluff
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	CX_WAREHOUSE_DB=:memory: $(RUN) sqlfluff lint
	$(RUN) python -m cx_warehouse.sql_lint

format: setup  ## apply ruff's and sqlfluff's fixes
	$(RUN) ruff check --fix .
	$(RUN) ruff format .
	CX_WAREHOUSE_DB=:memory: $(RUN) sqlfluff fix
	$(RUN) python -m cx_warehouse.sql_lint --fix

contracts-doc: setup  ## render docs/landing_contract.md from the contract YAML
	$(RUN) cx-warehouse contracts-doc

chromium:  ## Debian's Chromium for the browser tests of the reports (installed when missing)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

test: setup lint chromium  ## lint, then every test (pytest, which also runs dbt's tests)
	$(RUN) pytest
