# The front door. `make run` starts the demo; `make test` runs every test. Both install what they need.
# `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Test processes (pytest-xdist): `auto` is one per core, each with its own test database
# (test_<name>_gw0, _gw1, ... on PostgreSQL; in memory on SQLite). WORKERS=0 runs them in one process.
WORKERS ?= auto
# ruff's version range, read from pyproject.toml's dev extra so it is written in one place.
RUFF := $(shell grep -o '"ruff[^"]*"' pyproject.toml)

.PHONY: help run test lint docs screenshots install install-dev bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: install  ## Start the demo on http://127.0.0.1:8000/
	$(BIN)/nwd demo

# One line per check; each must pass. pytest last: the slowest.
test: install-dev  ## Lint, then every test in parallel (WORKERS=auto; PYTEST_ARGS for more)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/pytest -n $(WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-ruff  ## ruff on the code (installs only ruff)
	$(BIN)/ruff check .

# DEBUG=1: the docs come from the code alone, so no SECRET_KEY is needed to write them.
docs: install  ## Regenerate the generated docs (permissions, data dictionary, indicators, configuration)
	DEBUG=1 $(BIN)/nwd permissions_doc
	DEBUG=1 $(BIN)/nwd data_dictionary
	DEBUG=1 $(BIN)/nwd indicators_doc
	DEBUG=1 $(BIN)/nwd configuration_doc

screenshots: install-dev  ## Rewrite docs/screenshots/*.png (the README's) from the browser tests
	NWD_SCREENSHOTS=1 $(BIN)/pytest -m browser -p no:xdist $(PYTEST_ARGS)

install: $(VENV)/.installed node_modules/.installed  ## Install the service

install-dev: install $(VENV)/.installed-dev .venv-dfe/.installed  ## Install the service and what the tests need
	@scripts/ensure-chromium

$(VENV)/.created:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

$(VENV)/.installed-ruff: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet $(RUFF)
	touch $@

# The DfE's own SSDA903 validator (csc-validator-be-903) pins old numpy and pandas, so it lives in a
# virtualenv of its own; the tests run it as an independent check of the return the project writes.
.venv-dfe/.installed:
	test -x .venv-dfe/bin/python || $(PYTHON) -m venv .venv-dfe
	.venv-dfe/bin/pip install --quiet "csc-validator-be-903>=0.1.17,<0.2"
	touch $@

node_modules/.installed: package.json src/nwd/web/frontend/govuk.scss
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	npm run build
	touch $@

bench: install-dev  ## Print the benchmarks' figures
	for b in bench/*_bench.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:  ## Remove what make installed and the demo's data (var/)
	rm -rf $(VENV) .venv-dfe node_modules var .pytest_cache
