# The front door. `make run` starts the demo; `make test` runs every test. Both install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev lint bench clean

run: install
	$(BIN)/nwd demo

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

install: $(VENV)/.installed node_modules/.installed

install-dev: install $(VENV)/.installed-dev .venv-dfe/.installed
	@scripts/ensure-chromium

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
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

bench: install-dev
	for b in bench/*_bench.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .venv-dfe node_modules var .pytest_cache
