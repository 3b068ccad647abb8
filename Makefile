# Backprop Lens: `make run` serves the app, `make test` runs every check. Both set up .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint types pytest system-deps bench fuzz clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@echo "Backprop Lens: open http://127.0.0.1:8000"
	$(VENV)/bin/backprop-lens serve --host 127.0.0.1 --port 8000

# System packages the tests drive for real: a Chromium for the browser tests and a
# redis-server for the Redis store tests. Debian's packages where apt-get can install them;
# elsewhere Playwright's own Chromium, and redis-server must come from the system.
APT := $(shell command -v apt-get 2>/dev/null)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

system-deps: $(STAMP)
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ -n "$(APT)" ]; then \
		echo "installing$$missing with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		case "$$missing" in *chromium*) $(PY) -m playwright install chromium ;; esac; \
		case "$$missing" in *redis-server*) echo "please install redis-server (e.g. brew install redis)"; exit 1 ;; esac; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP) system-deps
	$(PY) -m pytest

test: lint types pytest

bench: $(STAMP)
	$(PY) bench/core_step.py

# The API fuzz tests of `make test`, with many more examples per operation (minutes, not seconds).
FUZZ_EXAMPLES ?= 500
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/api/test_fuzz.py --timeout=0 -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
