# Solidaire: `make demo` sets everything up and serves; `make test` sets up and runs the suite.
# The Python the lock file was made for: the lower bound of pyproject's requires-python.
PYTHON_VERSION := $(shell sed -n 's/^requires-python *= *">=\([0-9]*\.[0-9]*\).*/\1/p' pyproject.toml)
# Which Python makes the virtualenv: PYTHON=/path/to/python3.11, or the first of these
# that is PYTHON_VERSION.
PYTHON ?= python$(PYTHON_VERSION) python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | cksum | cut -d' ' -f1)
IS_PYTHON_VERSION := import sys; sys.exit('%d.%d' % sys.version_info[:2] != '$(PYTHON_VERSION)')
# A .venv made once with another Python stays broken for every later run unless it is
# made again; FORCE sends make into the recipe below, which does that.
VENV_WRONG_PYTHON := $(shell { test -e $(BIN)/python || test -L $(BIN)/python; } && ! $(BIN)/python -c "$(IS_PYTHON_VERSION)" 2>/dev/null && echo yes)
# The demo's port: make demo PORT=8001 when 8000 is taken.
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/solidaire
# The suite runs on every core (pytest-xdist; decision 0030); PYTEST_WORKERS=-n0 runs it in one process.
PYTEST_WORKERS ?= -n auto

.PHONY: setup venv demo test test-sqlite test-postgres lint messages bench clean FORCE

$(STAMP): requirements/lock.txt pyproject.toml $(if $(VENV_WRONG_PYTHON),FORCE)
	@if [ -n "$(VENV_WRONG_PYTHON)" ]; then \
		echo "$(VENV) was made with $$($(BIN)/python --version 2>&1 || echo a Python that is gone); Solidaire needs Python $(PYTHON_VERSION): making it again."; \
		rm -rf $(VENV); \
	fi
	@if [ ! -x $(BIN)/python ]; then \
		for candidate in $(PYTHON); do \
			if command -v "$$candidate" >/dev/null 2>&1 && "$$candidate" -c "$(IS_PYTHON_VERSION)" 2>/dev/null; then \
				echo "Making $(VENV) with $$candidate."; \
				"$$candidate" -m venv $(VENV) || exit 1; break; \
			fi; \
		done; \
		if [ ! -x $(BIN)/python ]; then \
			echo "Solidaire needs Python $(PYTHON_VERSION), and none was found (tried: $(PYTHON))." >&2; \
			echo "Install it (on Debian or Ubuntu: apt-get install python$(PYTHON_VERSION) python$(PYTHON_VERSION)-venv) or name it: make demo PYTHON=/path/to/python$(PYTHON_VERSION)" >&2; \
			exit 1; \
		fi; \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

setup: $(STAMP)
	cd src/solidaire && ../../$(BIN)/solidaire compilemessages --verbosity 0

demo: setup
	$(BIN)/solidaire demo --addrport 127.0.0.1:$(PORT)

# ruff; the tiers' import contract (import-linter); types of core and of every app's
# services and selectors (mypy with django-stubs). Settings for both: pyproject.toml,
# decision 0058.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy

test: setup lint test-sqlite test-postgres

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_WORKERS)

# On CI PostgreSQL must answer; elsewhere the PostgreSQL pass is skipped with a notice.
test-postgres:
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== test suite on PostgreSQL =="; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_WORKERS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL does not answer on 127.0.0.1:5432; CI must run the suite on it." >&2; exit 1; \
	else \
		echo "PostgreSQL does not answer on 127.0.0.1:5432: skipped the PostgreSQL pass."; \
	fi

messages: setup
	cd src/solidaire && ../../$(BIN)/solidaire makemessages -l fr -l en --no-obsolete --ignore=demo/data/*

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
