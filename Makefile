# Two commands do all set-up on a fresh machine: `make scan` and `make test`.
# The interpreter: PYTHON=... if given, else the first suitable one on PATH (scripts/pick-python).
ifeq ($(origin PYTHON), undefined)
PYTHON := $(shell $(SHELL) scripts/pick-python)
endif
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: scan test browser bench fuzz clean python

$(STAMP): pyproject.toml
	@$(MAKE) -s python PYTHON="$(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,dask,fuzz]"
	@touch $(STAMP)

## say which interpreter the virtual environment is built with (or why none fits)
python:
	@[ -n "$(PYTHON)" ] && command -v "$(PYTHON)" >/dev/null 2>&1 || { echo "need Python >= 3.11 with venv \
	(python3.13, python3.12, python3.11 or python3 on PATH), or set PYTHON=..."; exit 1; }
	@echo "using $(PYTHON) ($$("$(PYTHON)" -c 'import sys; print("Python %d.%d.%d" % sys.version_info[:3])'))"

## scan the bundled example pages and print a summary
scan: $(STAMP)
	$(PY) -m factcheck scan examples/pages -o build/examples-report.jsonl --with-text
	$(PY) -m factcheck report build/examples-report.jsonl -o build/report
	@echo "open build/report/index.html"

## run the whole test suite (lint and type checks included)
test: $(STAMP) browser
	$(PY) -m ruff check factcheck claims_db tests examples benchmarks
	$(PY) -m mypy
	$(PY) -m pytest -q

# the report tests open the HTML report in Debian's headless Chromium; install it when we can
# (root with apt), otherwise those tests skip and say why
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium not installed: browser tests will skip"; }

bench: $(STAMP)
	$(PY) benchmarks/scan_bench.py

fuzz: $(STAMP)
	$(PY) tests/fuzz/fuzz_check_html.py -atheris_runs=200000

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
