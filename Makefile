# Two commands on a fresh Debian machine: `make build` and `make test`.
# Everything they need is installed here: apt packages (only when missing, as root),
# Python packages into .venv from PyPI, front-end files into node_modules from npm.
# Python packages come from requirements/lock.txt (exact versions with hashes), never from
# pyproject's ranges: those say what the builder is compatible with; `make lock` refreshes
# the lock on purpose, and .github/workflows/latest.yml tests the newest releases every week.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
COURSE := $(BIN)/course
LOCK := requirements/lock.txt
# The resolver `make lock` runs, pinned so that two refreshes of the same day agree.
UV_VERSION := 0.13.9
# Libraries, checked with dpkg; tools, checked by command (node may come from NodeSource,
# whose nodejs package carries npm: asking apt for Debian's npm then would conflict).
BUILD_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
BUILD_TOOLS := node:nodejs npm:npm
TEST_TOOLS := chromium:chromium pdfinfo:poppler-utils xmllint:libxml2-utils
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: build test lint check serve bench lock build-deps test-deps clean

build: build-deps $(VENV)/.stamp node_modules/.stamp
	$(COURSE) build
	$(COURSE) package --format all

test: build-deps test-deps $(VENV)/.stamp node_modules/.stamp lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

# Lint and type-check (configured in pyproject.toml); `make test` runs this first.
lint: $(VENV)/.stamp
	$(BIN)/ruff check .
	$(BIN)/mypy

check: $(VENV)/.stamp
	$(COURSE) check --strict

serve: $(VENV)/.stamp node_modules/.stamp
	$(COURSE) serve

bench: $(VENV)/.stamp node_modules/.stamp
	$(BIN)/python bench/run.py

# Two steps: the locked packages (a new lock makes a new venv, so nothing left over from the
# old one stays), then the builder itself, editable, without dependencies and without fetching
# a build backend (setuptools is in the lock).
$(VENV)/.lock-stamp: $(LOCK)
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	touch $@

$(VENV)/.stamp: $(VENV)/.lock-stamp pyproject.toml
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Refresh the lock on purpose: the newest releases within pyproject's ranges, for Python 3.11
# on any platform, with the hash of every file. Read the diff, run `make test`, then commit.
lock:
	$(PYTHON) -m venv .cache/lock-venv
	.cache/lock-venv/bin/python -m pip install --quiet uv==$(UV_VERSION)
	.cache/lock-venv/bin/uv pip compile pyproject.toml requirements/build.in --extra test \
	  --generate-hashes --universal --python-version 3.11 --no-config --upgrade \
	  --custom-compile-command "make lock" --quiet -o $(LOCK)

node_modules/.stamp: package.json package-lock.json | build-deps
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# System packages, installed from apt only when missing (and only as root).
define apt_ensure
	@missing=""; \
	for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	for t in $(2); do command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing system packages:$$missing (apt-get install them, or run as root)"; exit 1; fi; \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

build-deps:
	$(call apt_ensure,$(BUILD_LIBS),$(BUILD_TOOLS))

test-deps:
	$(call apt_ensure,,$(TEST_TOOLS))

clean:
	rm -rf site .build .cache
