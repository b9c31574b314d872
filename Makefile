# `make build` and `make test` work from a fresh clone: they create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve check golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/ogpsite build

test: $(STAMP)
	$(BIN)/python -m pytest -q

serve: $(STAMP)
	$(BIN)/ogpsite serve

check: $(STAMP)
	$(BIN)/ogpsite check

# Regenerate the fixture site's golden output after an intended change; review the diff.
golden: $(STAMP)
	$(BIN)/python -m tests.golden

clean:
	rm -rf output .ogpsite-cache
