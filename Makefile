# Two commands are all a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup clean bench

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/tender evaluate samples/tender.json samples/bids/*.json --panel samples/panel.json

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/evaluate_bench.py

clean:
	rm -rf $(VENV) instance .pytest_cache
