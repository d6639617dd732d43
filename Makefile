# Developer and CI entry points. Every target first runs scripts/bootstrap.sh, which creates or
# reuses the cached virtual environment for this pyproject.toml and prints its path last.
#
#   make run     load everything bundled into ./var, print its statistics, serve API + UI on 127.0.0.1:8000
#   make test    the test suite (what CI runs, through .ci/run)
#   make bench   every benchmarks/bench_*.py (results in benchmarks/results/)
#   make lint    ruff and mypy
#
# PYTEST_ARGS passes extra arguments to pytest, e.g. `make test PYTEST_ARGS='-k shacl -x'`.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

# No model or data set is ever fetched from a hub: the model ships in a package.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
# This checkout first on the import path, so a cached venv shared by several clones always runs
# the code of the clone that called make.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))

BOOTSTRAP = venv="$$(bash scripts/bootstrap.sh </dev/null | tail -n 1)"
LINT_DIRS = graph ingest api ontology cli common

.PHONY: bootstrap run test bench lint

bootstrap:
	@$(BOOTSTRAP); echo "$$venv"

# `ingest` exits 1 when some records were rejected (they are listed, the rest landed): not fatal here.
run:
	@$(BOOTSTRAP); \
	"$$venv/bin/innograph" ingest --bundled || [ $$? -eq 1 ]; \
	"$$venv/bin/innograph" stats; \
	"$$venv/bin/innograph" serve --host 127.0.0.1 --port $${PORT:-8000}

# The suite needs real services: Neo4j (scripts/neo4j) is started here unless NEO4J_URI points
# at one already, and stopped however pytest ends. Under CI=true a service that cannot start fails
# the run (start.sh exits 1; the Neo4j tests fail rather than skip when NEO4J_URI is missing).
test:
	@$(BOOTSTRAP); \
	bash scripts/system-deps.sh; \
	services="$$(mktemp -d)"; \
	cleanup() { bash scripts/neo4j/stop.sh "$$services/neo4j" >/dev/null 2>&1 || true; \
	            INNOGRAPH_VIRTUOSO_DIR="$$services/virtuoso" bash scripts/virtuoso/stop.sh >/dev/null 2>&1 || true; \
	            rm -rf "$$services"; }; \
	trap cleanup EXIT; \
	if [ -z "$${NEO4J_URI:-}" ]; then \
	  port="$${NEO4J_TEST_PORT:-$$("$$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"; \
	  if exports="$$(bash scripts/neo4j/start.sh "$$port" "$$services/neo4j")"; then eval "$$exports"; \
	  elif [ "$${CI:-}" = "true" ]; then echo "Neo4j could not start (see above); CI needs it" >&2; exit 1; \
	  else echo "Neo4j could not start: its tests will be skipped" >&2; fi; \
	fi; \
	if ! INNOGRAPH_VIRTUOSO_DIR="$$services/virtuoso" bash scripts/virtuoso/start.sh >/dev/null; then \
	  echo "Virtuoso could not start: its tests will fail under CI=true, skip otherwise" >&2; fi; \
	"$$venv/bin/python" -m pytest -q $(PYTEST_ARGS)

bench:
	@$(BOOTSTRAP); \
	for bench in benchmarks/bench_*.py; do \
		echo "== $$bench" >&2; \
		"$$venv/bin/python" "$$bench"; \
	done

# Both tools always run, so one pass shows every problem; the target fails if either found any.
lint:
	@$(BOOTSTRAP); status=0; \
	"$$venv/bin/ruff" check $(LINT_DIRS) || status=1; \
	"$$venv/bin/mypy" $(LINT_DIRS) || status=1; \
	exit $$status
