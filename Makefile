# Two commands from a fresh clone: `make run` and `make test`.
# The first Python 3.12+ that runs (pyenv shims exist for versions not selected here).
PYTHON ?= $(shell for py in python3 python3.12 python3.13; do \
	$$py -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && echo $$py && break; \
	done)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint bench screenshots lock vendor clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed: install it, then retry."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.test: requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	touch $@ $(VENV)/.base

# The development server: DEBUG on, SQLite unless DATABASE_URL says otherwise, on
# PORT (make run PORT=8001 when 8000 is taken).
PORT ?= 8000
# The worker of TASK_BACKEND (README, Background jobs).
WORKER = $(if $(filter rq,$(TASK_BACKEND)),rqworker default --job-class django_tasks_rq.Job,db_worker)
run: export DEBUG ?= 1
run: $(VENV)/.base
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@# A worker for the background jobs and the schedule's clock, stopped with the server.
	@trap 'kill $$worker $$clock 2>/dev/null; wait' EXIT INT TERM; \
	$(MANAGE) $(WORKER) & worker=$$!; \
	$(MANAGE) crontask --no-heartbeat & clock=$$!; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The suite runs on every core (pytest-xdist), each test file on one worker;
# `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= auto
test lint bench: export SECRET_KEY ?= test-only-secret-key
test: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check .

# Every page at 10k and 250k participants (SQLite; PostgreSQL too when
# BENCH_DATABASE_URL=postgres://user@host:port names a server), then a load run; the
# report goes to benchmarks/results/. A quick run: make bench BENCH_ARGS="--sizes 10k
# --rounds 10 --no-load". Options: $(BIN)/python -m benchmarks.run --help.
bench: $(VENV)/.test
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# The main pages and dialogs at desktop and phone widths, into screenshots/ (git-ignored).
screenshots: $(VENV)/.test
	$(BIN)/python -m scripts.screenshots

# Browser libraries, from package-lock.json into static/vendor (committed: a clone needs no
# npm). Run after changing package.json.
VENDOR := static/vendor/accessible-autocomplete
vendor:
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js \
		node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css \
		node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js.map \
		node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css.map \
		node_modules/accessible-autocomplete/LICENSE.txt $(VENDOR)/

# Regenerate the lock files after changing pyproject.toml.
lock: $(VENV)/.test
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links -o requirements/base.txt pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --extra test -o requirements/test.txt pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 media
