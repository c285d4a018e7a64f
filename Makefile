# Two commands on a fresh machine with Python 3.11, git and make:
#   make run   - the dashboard on data/trygghet.duckdb (or $TRYGGHET_DB), with marked demo data when empty
#   make test  - every test: unit, page (AppTest) and browser (Playwright + Debian's Chromium)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test test-steps lint unit-tests browser-tests browser bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) -m trygghet init --demo-if-empty
	$(PY) -m trygghet.web.serve

browser:
	@sh .ci/ensure-browser.sh
	@sh .ci/ensure-report-tools.sh

# What runs beside the browser tests in `make test` runs at a lower priority.
LOW := nice -n 10

lint: $(VENV)/.dev
	$(LOW) $(VENV)/bin/ruff check .
	$(LOW) $(VENV)/bin/ruff format --check .
	$(LOW) $(VENV)/bin/mypy
	$(LOW) $(VENV)/bin/lint-imports --no-cache

# Lint, the unit and page tests and the browser tests run side by side (make -j3 -k: every step runs to its end and
# make fails if any failed; -O prints each step's output whole once it is done). The browser tests are the longest
# step (mostly Chromium drawing pages, beside waits on it and on the dashboards): they run in two test processes
# (tests/browser/conftest.py shares the modules out, longest first), and the lint and the unit and page tests run at
# a lower priority (nice) in the CPU those leave. The time the whole run took is printed at the end, also when a step
# fails.
test: $(VENV)/.dev browser
	@start=$$(date +%s); status=0; \
	$(MAKE) --no-print-directory -k -j3 -O test-steps || status=$$?; \
	echo "make test took $$(( $$(date +%s) - start )) s"; \
	exit $$status

test-steps: lint unit-tests browser-tests

unit-tests:
	$(LOW) $(PY) -m pytest -n auto -m "not browser"

browser-tests:
	$(PY) -m pytest -n 2 -m browser tests/browser

bench: $(VENV)/.dev
	$(PY) bench/indicators.py

clean:
	rm -rf $(VENV) tests/artifacts bench/results
