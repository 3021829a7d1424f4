# Solidaire: `make demo` sets everything up and serves; `make test` sets up and runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | cksum | cut -d' ' -f1)
PG_URL ?= postgres://postgres@127.0.0.1:5432/solidaire
# The suite runs on every core (pytest-xdist; decision 0030); PYTEST_WORKERS=-n0 runs it in one process.
PYTEST_WORKERS ?= -n auto

.PHONY: setup demo test test-sqlite test-postgres lint messages bench clean

$(STAMP): requirements/lock.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP)
	cd src/solidaire && ../../$(BIN)/solidaire compilemessages --verbosity 0

demo: setup
	$(BIN)/solidaire demo

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
