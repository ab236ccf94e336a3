# The two commands of the README: `make run` and `make test`. Both set up everything they
# need on a fresh Debian machine with Python 3.11 (a virtualenv in .venv, pinned packages,
# and for the tests Debian's Chromium), then do their job.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TEST_VAR := $(CURDIR)/var/test

.PHONY: run test setup migrate demo system-test-deps clean bench backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.run-installed

setup: $(VENV)/.run-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py muat_sop

demo: setup
	$(BIN)/python manage.py demo

# Web on http://127.0.0.1:8000 with a Celery worker and beat, SQLite and a filesystem broker
# under var/, mail printed to this console.
run: demo
	$(BIN)/python manage.py serve 127.0.0.1:8000

# Debian packages the tests need: Chromium for the browser journeys, fonts and pango for
# WeasyPrint, poppler for reading PDFs back.
system-test-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! ldconfig -p | grep -q libpango-1.0; then \
		echo "Installing Debian packages for the tests (chromium, pango, fonts)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
			chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; \
	fi
	@command -v chromium >/dev/null 2>&1 || { echo "chromium is missing and could not be installed" >&2; exit 1; }

test: $(VENV)/.test-installed system-test-deps
	mkdir -p $(TEST_VAR)
	PPID_VAR_DIR=$(TEST_VAR) $(BIN)/python -m pytest

clean:
	rm -rf var/test

# Backups (README, "Cadangan dan pemulihan"): the database and the uploaded files in one
# timestamped archive under var/cadangan/ (PPID_BACKUP_DIR). `make restore` takes the newest
# archive or ARSIP=<file>, and refuses a database that is not empty unless TIMPA=1.
backup: $(VENV)/.run-installed
	$(BIN)/python manage.py cadangkan

restore: $(VENV)/.run-installed
	$(BIN)/python manage.py pulihkan $(ARSIP) $(if $(TIMPA),--timpa)

# Benchmarks (issue 8, BENCHMARKS.md): PostgreSQL and Redis on 127.0.0.1 (started here if they
# are not running), a data set of BENCH_N cases generated once and reused, gunicorn, wrk
# (Debian's, installed here; without it a Python load generator is used for both sides).
# Prints each scenario beside its baseline; exits non-zero when a goal is missed.
BENCH_N ?= 100000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ppid_bench
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/11
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/12
BENCH_VAR := $(CURDIR)/var/bench

bench: $(VENV)/.run-installed
	@command -v wrk >/dev/null 2>&1 || { echo "Installing Debian's wrk"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; } \
		|| echo "wrk could not be installed: the Python load generator measures both sides"
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { echo "starting PostgreSQL"; \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n1)" main start; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "starting Redis"; \
		$(SUDO) redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
			--dir /var/lib/redis --logfile /var/log/redis/ci.log; }
	@for i in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
	mkdir -p $(BENCH_VAR)
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) \
	CACHE_URL=$(BENCH_CACHE_URL) DJANGO_SETTINGS_MODULE=bench.settings PPID_VAR_DIR=$(BENCH_VAR) \
	BENCH_N=$(BENCH_N) $(BIN)/python -m bench
