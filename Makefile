# The README's commands. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast fuzz bench lint clean

$(VENV)/bin/uv:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv==0.13.8

$(VENV)/.run-installed: requirements.txt | $(VENV)/bin/uv
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/uv
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

## Start the dashboard on http://localhost:$(PORT) (creates and seeds the database on first start)
run: $(VENV)/.run-installed
	$(PY) -m kpi init
	$(PY) -m streamlit run server.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

# Test processes (pytest-xdist): one per core on the 2-core machines this runs on. A module stays in
# one process (--dist loadfile), so its server or browser fixture starts once.
TEST_WORKERS ?= 2

## Install what the suite needs and run all of it: SQLite, PostgreSQL, browser
test: $(VENV)/.dev-installed
	./tools/system-deps.sh
	mkdir -p artifacts
	KPI_REQUIRE_ALL=1 $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --junitxml=artifacts/junit.xml $(PYTEST_ARGS)

## Unit tests on SQLite only, no browser (quick feedback while coding; properties on 50 examples each)
test-fast: $(VENV)/.dev-installed
	HYPOTHESIS_PROFILE=dev $(PY) -m pytest -n $(TEST_WORKERS) --no-postgres -m "not browser" -q

## The verdict's invariants on many more generated series (Hypothesis profile "fuzz"; minutes)
fuzz: $(VENV)/.dev-installed
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/test_verdict_properties.py -q

## Benchmarks; results go to bench/RESULTS.md
bench: $(VENV)/.dev-installed
	./tools/system-deps.sh
	$(PY) -m bench

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) artifacts .pytest_cache
