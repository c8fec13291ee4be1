# Two commands set up a fresh Debian/Ubuntu machine with Python >= 3.11:
#   make demo   install everything, then build the demo case into build/anifrolumab-alopecia/
#   make test   install everything (browser and PDF tools too), then run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := cases/anifrolumab-alopecia

# System packages: Pango for WeasyPrint, HarfBuzz's subsetter (PDF font subsetting is ~3x
# slower without it), Liberation fonts (the journal's Times-like face); for the tests,
# Chromium, poppler-utils, qpdf and exiftool; LibreOffice Writer (opens the Word files), and
# Java and Node.js for the W3C Nu HTML checker and axe-core (from npm, pinned, into .venv/node).
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation
TEST_DEBS    := chromium poppler-utils qpdf libimage-exiftool-perl libreoffice-writer-nogui \
                default-jre-headless
NODE_TOOLS   := vnu-jar@26.9.27 axe-core@4.14.1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test system-deps test-system-deps bench images lint goldens clean

demo: $(VENV)/.installed
	$(BIN)/casereport build $(DEMO)

test: $(VENV)/.installed test-system-deps $(VENV)/node/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/references.py
	$(BIN)/python bench/figures.py

# Rewrite tests/golden/ from the example cases after an intended change to the output;
# review the diff (git diff tests/golden) before committing it.
goldens: $(VENV)/.installed test-system-deps $(VENV)/node/.installed
	$(BIN)/python -m tests.golden

lint: $(VENV)/.installed
	$(BIN)/ruff check casereport tests scripts bench
	$(BIN)/mypy

images: $(VENV)/.installed
	$(BIN)/python scripts/make_demo_images.py $(DEMO)
	$(BIN)/python scripts/make_example_images.py cases/lupus-histology-imaging
	$(BIN)/python scripts/make_case_report_images.py cases/dress-allopurinol

$(VENV)/.installed: pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The HTML checkers the tests run: the W3C Nu checker (a jar) and axe-core (a script).
$(VENV)/node/.installed: Makefile | $(VENV)/.installed test-system-deps
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node $(NODE_TOOLS)
	touch $@

system-deps:
	@missing=$$(for p in $(RUNTIME_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

test-system-deps: system-deps
	@missing=$$(for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages for the tests: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
