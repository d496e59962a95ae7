# Grappe: entry points for developers and CI (`.ci/run` calls `make test`).
SHELL := bash
VENV := .venv
BIN := $(VENV)/bin
# A Python >= 3.12, found by scripts/find-python when a venv is made; override with `make PYTHON=/path/to/python3.12`.
PYTHON :=

.PHONY: venv run test check bench load clean

venv: $(VENV)/.installed

# Reinstall when pyproject.toml changes; replace a venv made with a Python that is too old.
$(VENV)/.installed: pyproject.toml
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
		py="$(PYTHON)"; [ -n "$$py" ] || py=$$(scripts/find-python) || exit 1; \
		rm -rf $(VENV); echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); }
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@# The task worker (PDF reports) runs beside the server and stops with it.
	$(BIN)/python manage.py db_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:8000

test: venv
	scripts/test-all

check: venv
	$(BIN)/ruff check .
	$(BIN)/python manage.py check

# Server time and SQL queries of the heaviest pages at scale (bench/run.py; BENCH_ENGINES=sqlite).
bench: venv
	$(BIN)/python bench/run.py

# 50 people for 5 minutes against gunicorn + PostgreSQL at scale (bench/load.py; LOAD_USERS, LOAD_SECONDS).
load: venv
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) db.sqlite3 *.egg-info
