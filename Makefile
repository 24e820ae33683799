# Two commands: `make run` (set up, then serve the demo) and `make test` (set up, then test all).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint schema screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ttx serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/ttx schema --check
	$(BIN)/ttx validate exercises
	$(BIN)/ttx i18n --check
	$(BIN)/pytest

schema: $(STAMP)
	$(BIN)/ttx schema

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

screenshots: $(STAMP)
	TTX_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser -k "three_browsers or review"
