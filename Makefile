# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: run test install demo screenshots bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

$(DEMO_DB): | $(STAMP)
	$(BIN)/clientdesk --db $(DEMO_DB) demo

demo: $(DEMO_DB)

run: $(STAMP) $(DEMO_DB)
	$(BIN)/clientdesk --db $(DEMO_DB)

# Two processes for everything but the snapshot tests (syrupy's unused-snapshot
# check needs one process), then the snapshots.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --ignore=tests/snapshots
	$(BIN)/python -m pytest -q tests/snapshots

screenshots: $(STAMP)
	$(BIN)/python -m clientdesk.tui.screenshots screenshots

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache snapshot_report.html
