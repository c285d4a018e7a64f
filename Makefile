# Two commands on a fresh machine with Python 3.11, git and make:
#   make run   - the dashboard on data/trygghet.duckdb (or $TRYGGHET_DB), with marked demo data when empty
#   make test  - every test: unit, page (AppTest) and browser (Playwright + Debian's Chromium)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test test-steps lint browser bench clean

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

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# The unit and page tests on every core, then the browser tests one after another, sharing one Chromium and the
# read-only modules' dashboard (tests/browser/conftest.py). Two browser modules at once (xdist --dist loadfile) took
# 259 s against 313 s one after another on the idle 2-core machine, but a sign-in missed its 60 s there: each
# module runs a dashboard and a Chromium, four busy processes on two cores. The time the whole run took is printed
# at the end, also when a step fails.
test: $(VENV)/.dev browser
	@start=$$(date +%s); status=0; \
	$(MAKE) --no-print-directory lint test-steps || status=$$?; \
	echo "make test took $$(( $$(date +%s) - start )) s"; \
	exit $$status

test-steps:
	$(PY) -m pytest -n auto -m "not browser"
	$(PY) -m pytest -n 0 -m browser

bench: $(VENV)/.dev
	$(PY) bench/indicators.py

clean:
	rm -rf $(VENV) tests/artifacts bench/results
