# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: run test lint docs install lock demo screenshots bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every package comes from requirements.lock, pinned with hashes (transitive ones
# included); the package itself is installed in place with the locked setuptools,
# without build isolation, so nothing is fetched that the lock does not name.
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# Regenerate the lock from pyproject.toml's ranges, for every platform's markers.
# Packages already locked keep their versions; `make lock UPGRADE=1` takes the
# newest that fit, an upgrade that is then one commit with its snapshot churn.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra test --extra dev --universal \
		--python-version 3.11 --generate-hashes $(if $(UPGRADE),--upgrade) \
		--custom-compile-command "make lock" -o requirements.lock

$(DEMO_DB): | $(STAMP)
	$(BIN)/clientdesk --db $(DEMO_DB) demo

demo: $(DEMO_DB)

run: $(STAMP) $(DEMO_DB)
	$(BIN)/clientdesk --db $(DEMO_DB)

# The rules a tool can keep, in a few seconds: ruff, the layer contract
# ([tool.importlinter] in pyproject.toml), mypy on clientdesk/domain.
lint: $(STAMP)
	$(BIN)/ruff check clientdesk tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

# docs/keys.md from the bindings themselves (a test fails when it is stale).
docs: $(STAMP)
	$(BIN)/python -m clientdesk.tui.keys_doc > docs/keys.md

# Two processes for everything but the snapshot tests (syrupy's unused-snapshot
# check needs one process), then the snapshots.
test: lint
	$(BIN)/python -m pytest -q -n 2 --ignore=tests/snapshots
	$(BIN)/python -m pytest -q tests/snapshots

screenshots: $(STAMP)
	$(BIN)/python -m clientdesk.tui.screenshots screenshots

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/bench_live.py
	$(BIN)/python benchmarks/peers.py
	$(BIN)/python benchmarks/bench_team.py $(TEAM_BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache snapshot_report.html
