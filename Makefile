# Two commands on a fresh Debian machine: `make build` and `make test`.
# Everything they need is installed here: apt packages (only when missing, as root),
# Python packages into .venv from PyPI, front-end files into node_modules from npm.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
COURSE := $(BIN)/course
APT_PACKAGES := chromium poppler-utils libxml2-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 nodejs npm
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: build test check serve bench sysdeps clean print export

build: $(VENV)/.stamp node_modules/.stamp
	$(COURSE) build

test: $(VENV)/.stamp node_modules/.stamp sysdeps
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

check: $(VENV)/.stamp
	$(COURSE) check --strict

serve: $(VENV)/.stamp node_modules/.stamp
	$(COURSE) serve

bench: $(VENV)/.stamp node_modules/.stamp
	$(BIN)/python bench/run.py

$(VENV)/.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# System packages the tests use (Chromium, poppler, xmllint), installed only when missing.
sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing system packages:$$missing (run as root or apt-get install them)"; exit 1; fi; \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf site .build .cache
