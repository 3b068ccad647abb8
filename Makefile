# Backprop Lens: `make run` serves the app, `make test` runs every check. Both set up .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint types pytest system-deps bench fuzz clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# `make run` installs what serving needs; `make test` adds the test extra (Playwright, mypy…).
RUN_STAMP := $(VENV)/.installed-run

$(RUN_STAMP): pyproject.toml setup.py | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml setup.py | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	@echo "Backprop Lens: open http://127.0.0.1:8000"
	$(VENV)/bin/backprop-lens serve --host 127.0.0.1 --port 8000

# What the tests drive for real beside Python: a Chromium for the browser tests and a
# redis-server for the Redis store tests. .ci/system_deps.py installs what is missing (apt-get
# as root or through sudo; without apt-get, Playwright's own Chromium) or says how to.
system-deps: $(STAMP)
	$(PY) .ci/system_deps.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP) system-deps
	$(PY) -m pytest

test: system-deps lint types pytest

bench: $(STAMP)
	$(PY) bench/core_step.py

# The API fuzz tests of `make test`, with many more examples per operation (minutes, not seconds).
FUZZ_EXAMPLES ?= 500
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/api/test_fuzz.py --timeout=0 -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist *.egg-info
