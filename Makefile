# The two commands of the README: `make run` and `make test`. Both set up everything they
# need on a fresh Debian machine with Python 3.11 (a virtualenv in .venv, pinned packages,
# and for the tests Debian's Chromium), then do their job.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TEST_VAR := $(CURDIR)/var/test

.PHONY: run test setup migrate demo system-test-deps clean

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
