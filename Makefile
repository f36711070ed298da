# Design Academy Studio — the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Measured on Debian 12: what Qt needs offscreen, and what a real X window adds.
QT_OFFSCREEN_LIBS := libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
QT_X11_LIBS := libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-sync1 \
  libxcb-xfixes0 libxcb-shm0
# Tools the tests drive: a virtual screen, a browser, a QR decoder, PDF renderers and checkers,
# and for the install smoke test (tests/install) a window finder and a screen photographer.
TEST_TOOLS := xvfb xauth chromium zbar-tools poppler-utils qpdf x11-utils imagemagick

.PHONY: run test lint fuzz bench demo venv clean dist

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || tools/ensure-system-packages.sh required python3-venv
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@tools/ensure-system-packages.sh required $(QT_OFFSCREEN_LIBS) $(QT_X11_LIBS)
	$(PY) -m workshop --demo

# Ruff (pyflakes, pycodestyle, bugbear, pyupgrade) and mypy (strict on the pure cores); both
# configured in pyproject.toml. `make test` runs it first: a lint finding fails the build.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: lint
	@tools/ensure-system-packages.sh required $(QT_OFFSCREEN_LIBS)
	@tools/ensure-system-packages.sh optional $(QT_X11_LIBS) $(TEST_TOOLS)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

# The Hypothesis fuzz tests of every boundary (marker `fuzz`), with many more examples than the
# few each runs in `make test`: `make fuzz FUZZ_EXAMPLES=10000` for a deeper run.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	@tools/ensure-system-packages.sh required $(QT_OFFSCREEN_LIBS)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m fuzz

bench: $(STAMP)
	@tools/ensure-system-packages.sh required $(QT_OFFSCREEN_LIBS)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/run_all.py

demo: $(STAMP)
	$(PY) -m workshop demo --out demo-pack

# What a facilitator installs: the sdist and wheel (`pipx install dist/*.whl`), and the
# one-folder app dist/design-academy-studio/ (PyInstaller, for this platform; a .desktop entry on
# Linux). See docs/install.md.
dist: $(STAMP)
	rm -rf dist build/pyinstaller
	$(PY) -m build --outdir dist .
	$(PY) tools/build_bundle.py --dist dist

clean:
	rm -rf $(VENV) build dist *.egg-info demo-pack
