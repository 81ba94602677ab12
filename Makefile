# sunodesk: `make run` starts the app, `make test` runs every test. Both set up what they need:
# the Debian libraries Qt and the tests use, a virtualenv in .venv, and the Python packages.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Qt Multimedia needs libpulse0 even offscreen; a real window under Xvfb needs the xcb set;
# exiftool is the second tag reader the tests check our MP3 tags with.
SYSTEM_PACKAGES := libpulse0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 \
	libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-randr0 libxcb-render-util0 libxcb-image0 xvfb libimage-exiftool-perl

# `make bundle-test` also validates the .desktop entry, strips with binutils and unpacks
# the archive in a network namespace (util-linux's unshare, iproute2's ip).
BUNDLE_PACKAGES := desktop-file-utils binutils util-linux iproute2 xvfb

# The lower layers and the command line type-check clean (design.md); ui is not checked yet.
# cli* and selftest* match both today's modules and the cli/ and selftest/ packages.
MYPY_PATHS := sunodesk/core sunodesk/api sunodesk/store sunodesk/engine sunodesk/sandbox \
	sunodesk/cli sunodesk/selftest

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PACKAGING_STAMP := $(VENV)/.packaging
WHEELHOUSE ?= wheelhouse

.PHONY: run test lint unit perf system-deps venv clean sandbox bundle bundle-test \
	bundle-deps wheelhouse wheelhouse-test screenshots

run: system-deps venv
	$(VENV)/bin/sunodesk $(ARGS)

test: system-deps venv lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

unit: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/unit

lint: venv
	$(VENV)/bin/ruff check sunodesk tests
	$(VENV)/bin/ruff format --check sunodesk tests
	PYTHONPATH=$(CURDIR) $(VENV)/bin/lint-imports
	$(VENV)/bin/mypy $(MYPY_PATHS)

perf: system-deps venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -s tests/perf

# The window offscreen in fixed sandbox states, into docs/screenshots/ (not part of `make test`).
screenshots: system-deps venv
	$(PY) tools/screenshots.py

sandbox: venv
	$(VENV)/bin/sunodesk sandbox

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "sunodesk needs Python 3.11 or newer"'
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) || { \
		echo "python3-venv is missing; installing it"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
		$(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

# The offline Linux bundle: dist/sunodesk-<version>-linux-x86_64.tar.gz (packaging/README.md).
bundle: system-deps bundle-deps $(PACKAGING_STAMP)
	PY=$(PY) packaging/build_bundle.sh

# Builds the bundle, installs it into a temporary HOME with no network and runs it from there.
bundle-test: system-deps bundle-deps $(PACKAGING_STAMP)
	PY=$(PY) packaging/bundle_test.sh

$(PACKAGING_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,packaging]'
	@touch $@

# Every wheel sunodesk needs, for `pip install --no-index --find-links wheelhouse sunodesk`.
wheelhouse: venv
	rm -rf $(WHEELHOUSE) && mkdir -p $(WHEELHOUSE)
	$(PY) -m pip wheel -q --wheel-dir $(WHEELHOUSE) .
	@ls $(WHEELHOUSE); du -sh $(WHEELHOUSE)

# Installs that wheelhouse into a fresh virtualenv with no network, then runs --self-test.
wheelhouse-test: wheelhouse bundle-deps
	PYTHON=$(PYTHON) packaging/wheelhouse_test.sh $(WHEELHOUSE)

bundle-deps:
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(BUNDLE_PACKAGES)"

# Installs only what is missing, so a machine that has everything asks apt for nothing.
system-deps:
	@command -v dpkg-query >/dev/null || { echo "not Debian: install the Qt runtime libraries yourself"; exit 0; }; \
	missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf $(VENV) build dist $(WHEELHOUSE) *.egg-info .pytest_cache .ruff_cache .mypy_cache \
		.import_linter_cache .grimp_cache
