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

.PHONY: help run test lint docs screenshots install install-dev bench clean checks check-code check-types installed-dev

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: install  ## Start the demo on http://127.0.0.1:8000/
	$(BIN)/nwd demo

# The installs in parallel (three jobs: the main venv, .venv-dfe and npm at once, each job's output
# printed whole when it ends); then pytest, the slowest, with ruff, lint-imports and mypy beside it
# (scripts/test-and-check). Any failure fails `make test` with its status.
test:  ## Lint, then every test in parallel (WORKERS=auto; PYTEST_ARGS for more)
	@echo "Installing, three jobs at once (each one's output when it ends)..."
	@$(MAKE) --no-print-directory -j3 --output-sync=target installed-dev
	@echo "pytest, with the checks (ruff, lint-imports, mypy) beside it (their output when they end)..."
	MAKE="$(MAKE)" scripts/test-and-check $(BIN) -n $(WORKERS) $(PYTEST_ARGS)

# The checks `make test` runs beside pytest (each must pass); `make checks` runs them alone.
checks: installed-dev check-code check-types
check-code: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
check-types: $(VENV)/.installed-dev
	$(BIN)/mypy

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

# The service and the dev extras in one pip run (one resolution), which also does what `install` needs;
# the main venv, .venv-dfe and npm at once (each one's output printed whole when it ends).
install-dev:  ## Install the service and what the tests need
	@$(MAKE) --no-print-directory -j3 --output-sync=target installed-dev
installed-dev: $(VENV)/.installed-dev node_modules/.installed .venv-dfe/.installed
	@scripts/ensure-chromium

# pip is upgraded only when the venv's own is older than 25: Python 3.11's venv brings pip 23.2, which
# spends about 50 s of CPU on installing the dev extras where pip 26 spends 35 s (the upgrade: 2 s).
$(VENV)/.created:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -c 'import sys, pip; sys.exit(int(pip.__version__.split(".")[0]) < 25)' \
	  || $(BIN)/pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

# --no-compile: pip would compile every installed module to bytecode (13 s of the dev install's 25 s
# of CPU), most of them never imported; the tests' processes compile what they import, once (pytest
# runs with bytecode writing on).
$(VENV)/.installed-dev: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet --no-compile -e ".[dev]"
	touch $(VENV)/.installed $@

$(VENV)/.installed-ruff: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet $(RUFF)
	touch $@

# The DfE's own SSDA903 validator (csc-validator-be-903) pins old numpy and pandas, so it lives in a
# virtualenv of its own; the tests run it as an independent check of the return the project writes.
# Installed by the main venv's pip (pip --python): the validator's venv needs no pip of its own (making
# one and then using Python 3.11's pip 23 costs about 7 s more CPU than the main venv's pip 26).
.venv-dfe/.installed: | $(VENV)/.created
	test -x .venv-dfe/bin/python || $(PYTHON) -m venv --without-pip .venv-dfe
	$(BIN)/pip --python .venv-dfe/bin/python install --quiet --no-compile "csc-validator-be-903>=0.1.17,<0.2"
	touch $@

node_modules/.installed: package.json src/nwd/web/frontend/govuk.scss
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	npm run build
	touch $@

bench: install-dev  ## Print the benchmarks' figures
	for b in bench/*_bench.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:  ## Remove what make installed and the demo's data (var/)
	rm -rf $(VENV) .venv-dfe node_modules var .pytest_cache
