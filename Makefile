# Two commands for a new machine: `make serve` and `make test`. Each sets everything up first.
# Prerequisites: Python 3.13+, Node 20+ (npm), make. Browser tests need Chromium.

PYTHON ?= $(shell command -v python3.13 2>/dev/null || command -v python3 2>/dev/null)
VENV   := .venv
BIN    := $(VENV)/bin
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build validate bench

$(PY_STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.13+ not found (install it, e.g. 'pyenv install 3.13'; .python-version selects it)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 13))' || { \
	  echo "error: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); coursekit needs 3.13+"; \
	  echo "       install 3.13 (e.g. 'pyenv install 3.13') or run: make PYTHON=/path/to/python3.13 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found: install Node.js 20+ (it ships npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The exercise runtime's pytest for Pyodide: pinned pure-Python wheels from PyPI, cached in
# node_modules (so `npm ci` clears them with the rest); the site build copies them in.
WHEELS_LIST  := src/coursekit/site/assets/exercise/pyodide-wheels.txt
WHEELS_DIR   := node_modules/.cache/coursekit/wheels
WHEELS_STAMP := $(WHEELS_DIR)/.downloaded

$(WHEELS_STAMP): $(WHEELS_LIST) $(NODE_STAMP) $(PY_STAMP)
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --only-binary=:all: --no-deps \
	  --require-hashes --dest $(WHEELS_DIR) -r $(WHEELS_LIST)
	@touch $@

validate: $(PY_STAMP)
	$(BIN)/coursekit validate

build: $(PY_STAMP) $(NODE_STAMP) $(WHEELS_STAMP) validate
	$(BIN)/mkdocs build --clean

serve: $(PY_STAMP) $(NODE_STAMP) $(WHEELS_STAMP) validate
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

test: $(PY_STAMP) $(NODE_STAMP) $(WHEELS_STAMP)
	$(BIN)/coursekit validate --strict
	npx --no-install eslint src/coursekit/site/assets tests
	$(BIN)/ruff check src tests benchmarks exercises
	$(BIN)/ruff format --check src tests benchmarks exercises
	$(BIN)/python -m pytest

# Peers (nbgrader, mkdocs-quiz) live in their own environment, never in the package's.
PEERS_STAMP := benchmarks/.venv/.installed

$(PEERS_STAMP): benchmarks/peers.txt
	$(PYTHON) -m venv benchmarks/.venv
	benchmarks/.venv/bin/python -m pip install --quiet -r benchmarks/peers.txt
	@touch $@

bench: $(PY_STAMP) $(NODE_STAMP) $(WHEELS_STAMP) $(PEERS_STAMP)
	$(BIN)/python benchmarks/run_all.py
