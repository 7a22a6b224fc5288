# Scholingsfonds: developer entry points. Needs only python3 (>= 3.11), make and Debian.
#
#   make install        .venv with the pinned dependencies, each file checked against its
#                       hash (requirements-dev.lock)
#   make system-deps    Debian packages: PostgreSQL server, Chromium, WeasyPrint's libraries,
#                       faketime
#   make demo           migrate, load policies and demo data, worker + server on 127.0.0.1:$(PORT)
#   make demo RESET=1   the same on a fresh SQLite database
#   make lint           ruff (lint + format), import-linter, mypy --strict on the domain
#                       packages, no fixed "today" in the tests (scripts/check_test_dates.py)
#   make test           lint, pytest on SQLite, pytest on a throw-away PostgreSQL, and the
#                       non-browser tests once more with the clock a year ahead (test-at)
#   make test-at DATE=2027-03-01 [TIME=09:00:00] [ZONE=Europe/Amsterdam]
#                       the non-browser tests on SQLite with the clock moved (faketime)
#   make lock           rewrite the lock files from requirements*.in with uv, with hashes;
#                       a pinned version stays unless LOCK_ARGS says otherwise
#                       (LOCK_ARGS=--upgrade, LOCK_ARGS="--upgrade-package django")
#   make clean          caches; `make distclean` also removes .venv and var/
#
# Variables: PYTHON (python3), PORT (8000), RESET, PYTEST_ARGS (extra pytest arguments),
# XDIST (pytest-xdist workers for the non-browser tests, 2), DATE, TIME, ZONE (test-at),
# LOCK_ARGS (extra `uv pip compile` arguments for make lock).

SHELL = /bin/sh

PYTHON ?= python3
PORT ?= 8000
RESET ?=
PYTEST_ARGS ?=
XDIST ?= 2
# `make test` also runs the non-browser tests with the clock a year ahead (test-at): a rule
# that breaks with time shows up a year before it would break main.
TEST_AT_DATE ?= $(shell date -d '+1 year' +%F)
DATE ?=
TIME ?= 09:00:00
ZONE ?= Europe/Amsterdam
LOCK_ARGS ?=

VENV = .venv
BIN = $(VENV)/bin
PY = $(BIN)/python
MANAGE = $(PY) manage.py
STAMP = $(VENV)/.installed
SQLITE_DB = $${SQLITE_PATH:-var/db.sqlite3}

DEBIAN_PACKAGES = postgresql chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core faketime

.PHONY: install system-deps demo lint test test-at lock clean distclean

install: $(STAMP)

# Re-runs pip only when a lock file changed (or the venv is new).
$(STAMP): requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "install: $(PYTHON) must be Python >= 3.11" >&2; exit 1; }
	@if [ ! -x $(PY) ]; then \
		$(PYTHON) -c 'import ensurepip' 2>/dev/null || sh scripts/debian-packages.sh python3-venv; \
		echo "$(PYTHON) -m venv $(VENV)"; $(PYTHON) -m venv $(VENV); \
	fi
	$(PY) -m pip install --disable-pip-version-check --quiet --require-hashes \
		-r requirements-dev.lock
	@touch $@

system-deps:
	@sh scripts/debian-packages.sh $(DEBIAN_PACKAGES)

# The worker runs in the background beside the server and is stopped when the server
# stops (Ctrl-C included).
demo: install
	mkdir -p var
	@if [ "$(RESET)" = "1" ]; then \
		if [ -n "$${DATABASE_URL:-}" ]; then \
			echo "demo: RESET=1 only resets SQLite; DATABASE_URL is set, nothing deleted" >&2; \
		else \
			echo "demo: removing $(SQLITE_DB)"; \
			rm -f "$(SQLITE_DB)" "$(SQLITE_DB)-wal" "$(SQLITE_DB)-shm" "$(SQLITE_DB)-journal"; \
		fi; \
	fi
	$(MANAGE) migrate --noinput
	$(MANAGE) load_policies
	$(MANAGE) load_schemes
	$(MANAGE) load_demo
	@$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	echo "demo: task worker pid $$worker; web server on http://127.0.0.1:$(PORT)/"; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Runs every check and fails at the end if any failed. The import-linter contract
# (.importlinter) is written separately; until it exists that step is skipped.
lint: install
	@failed=""; \
	echo "== ruff check"; $(BIN)/ruff check . || failed="$$failed ruff-check"; \
	echo "== ruff format --check"; $(BIN)/ruff format --check . || failed="$$failed ruff-format"; \
	echo "== lint-imports"; \
	if [ -f .importlinter ]; then \
		PYTHONPATH=src $(BIN)/lint-imports || failed="$$failed lint-imports"; \
	else \
		echo "lint-imports: no .importlinter yet, skipped"; \
	fi; \
	echo "== mypy (strict, src/scholingsfonds/*/domain)"; $(BIN)/mypy || failed="$$failed mypy"; \
	echo "== the repository explains itself (no pointer to documents outside it)"; \
	if grep -rnIE '(DESIGN|DOMAIN|STYLE)\.md|seeds/|shared/(data|seeds)|\.\./shared' \
		src config policies tests docs scripts README.md; then \
		echo "lint: point to docs/domain.md or docs/design.md instead" >&2; \
		failed="$$failed self-contained"; \
	fi; \
	echo "== no fixed \"today\" in the tests"; \
	$(PY) scripts/check_test_dates.py || failed="$$failed test-dates"; \
	if [ -n "$$failed" ]; then echo "lint: FAILED:$$failed" >&2; exit 1; fi; \
	echo "lint: ok"

# Two pytest passes in one run, each in two steps (every test runs in one of them):
#   1. SQLite (DATABASE_URL emptied): tests marked `postgresql` are deselected there,
#      which is safe only because pass 2 of this same target runs them;
#   2. PostgreSQL: scripts/pg_tmp.py starts a throw-away server and exports DATABASE_URL.
#      It fails (never skips) when PostgreSQL cannot start; with CI=true the tests also
#      assert that they really run on PostgreSQL.
# In each pass the tests without a browser run on $(XDIST) pytest-xdist workers (each
# worker has its own test database: test_..._gw0, ...), then the browser tests (marker
# `browser`, Debian's Chromium against live_server) run in one process, so the slow,
# timing-sensitive journeys do not compete with the rest for the two cores.
# docs/benchmarks.md ("make test") has the measurements behind this split.
# PYTEST_ARGS goes to every step; a step that it leaves without tests (pytest exit 5)
# passes. All steps run; the target fails at the end if any failed, with each step's time.
test: install system-deps
	@failed=""; t0=$$(date +%s); \
	step() { \
		name=$$1; shift; "$$@"; code=$$?; \
		if [ $$code -eq 5 ] && [ -n "$(strip $(PYTEST_ARGS))" ]; then \
			echo "test: PYTEST_ARGS leaves no test in $$name"; code=0; \
		fi; \
		[ $$code -eq 0 ] || failed="$$failed $$name"; \
	}; \
	$(MAKE) --no-print-directory lint || failed="$$failed lint"; t1=$$(date +%s); \
	echo "== pytest on SQLite, without browser ($(XDIST) workers)"; \
	step pytest-sqlite env DATABASE_URL= \
		$(BIN)/pytest -m "not browser" -n $(XDIST) $(PYTEST_ARGS); t2=$$(date +%s); \
	echo "== pytest on SQLite, browser"; \
	step pytest-sqlite-browser env DATABASE_URL= \
		$(BIN)/pytest -m browser $(PYTEST_ARGS); t3=$$(date +%s); \
	echo "== pytest on PostgreSQL, without browser ($(XDIST) workers)"; \
	step pytest-postgresql $(PY) scripts/pg_tmp.py run -- \
		$(BIN)/pytest -m "not browser" -n $(XDIST) $(PYTEST_ARGS); t4=$$(date +%s); \
	echo "== pytest on PostgreSQL, browser"; \
	step pytest-postgresql-browser $(PY) scripts/pg_tmp.py run -- \
		$(BIN)/pytest -m browser $(PYTEST_ARGS); t5=$$(date +%s); \
	step test-at $(MAKE) --no-print-directory test-at DATE=$(TEST_AT_DATE) TEST_AT_LIMIT=8m; \
	t6=$$(date +%s); \
	echo "test: lint $$((t1 - t0))s," \
		"pytest SQLite $$((t2 - t1))s + browser $$((t3 - t2))s," \
		"pytest PostgreSQL $$((t4 - t3))s + browser $$((t5 - t4))s," \
		"clock at $(TEST_AT_DATE) $$((t6 - t5))s, total $$((t6 - t0))s"; \
	if [ -n "$$failed" ]; then echo "test: FAILED:$$failed" >&2; exit 1; fi; \
	echo "test: ok"

# The non-browser tests on SQLite with the machine's clock moved to DATE TIME (read in
# ZONE, the application's time zone by default) by Debian's faketime (libfaketime): every
# process of the run (pytest, its xdist workers, SQLite) sees that time, and the clock runs
# on from there. The venv and the Debian packages are installed first, on the real clock
# (package mirrors' TLS certificates fail at far-future dates). Known limit (libfaketime
# 0.9.10, Python 3.11): a lock or Event wait *with a timeout* never returns under faketime,
# hence the time limit TEST_AT_LIMIT around the run (README, "the test run and the clock").
TEST_AT_LIMIT ?= 20m

test-at: install system-deps
	@if [ -z "$(DATE)" ]; then \
		echo "usage: make test-at DATE=YYYY-MM-DD [TIME=09:00:00] [ZONE=Europe/Amsterdam]" >&2; \
		exit 2; \
	fi
	@epoch=$$(TZ='$(ZONE)' date -d '$(DATE) $(TIME)' +%s) || { \
		echo "test-at: not a date and time: '$(DATE) $(TIME)' in $(ZONE)" >&2; exit 2; }; \
	echo "== pytest (not browser) on SQLite at $(DATE) $(TIME) $(ZONE)" \
		"($$(date -u -d @$$epoch '+%Y-%m-%d %H:%M:%S UTC')), $(XDIST) workers"; \
	faketime "@$$epoch" $(PY) -c 'import datetime as d; \
		print("test-at: Python reads", d.datetime.now(d.UTC).isoformat(" ", "seconds"))'; \
	timeout --kill-after=30s $(TEST_AT_LIMIT) \
		faketime "@$$epoch" env DATABASE_URL= CI=true \
		$(BIN)/pytest -m "not browser" -n $(XDIST) $(PYTEST_ARGS); \
	code=$$?; \
	if [ $$code -eq 124 ] || [ $$code -eq 137 ]; then \
		echo "test-at: stopped after $(TEST_AT_LIMIT) (a wait with a timeout under faketime?)" >&2; \
	fi; \
	exit $$code

# The lock files pin every package with the hashes of all its released files (any platform),
# resolved for the oldest Python we support; uv is a dev dependency, so the lock tool's own
# version is pinned and hash-checked like the rest (docs/decisions/0011-locked-dependencies.md).
# A version already in a lock file is kept: an upgrade is asked for (LOCK_ARGS) and reviewed
# in the diff. The dev lock is constrained by the runtime lock, so both pin the same versions.
LOCK_PYTHON = 3.11
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --python-version $(LOCK_PYTHON) \
	--custom-compile-command "make lock" $(LOCK_ARGS)

lock: install
	$(UV_COMPILE) requirements.in -o requirements.lock
	$(UV_COMPILE) requirements.in requirements-dev.in -c requirements.lock -o requirements-dev.lock

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis var/static
	rm -f docs/screenshots/*.tmp.png

distclean: clean
	rm -rf $(VENV) var
