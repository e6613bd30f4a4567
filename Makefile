# プロジェクト推進管理表 — `make sheet` builds the table, `make test` checks everything.
PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
INPUTS  ?= inputs
OUTPUTS ?= outputs
FY      ?=
FY_ARG  := $(if $(FY),--fy $(FY),)
PYTEST_ARGS ?= -q

# Some environments set PYTHONDONTWRITEBYTECODE; without cached bytecode every run
# recompiles the pipeline's modules (~30 ms), so let Python keep its __pycache__.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: all sheet test bench clean distclean

all: sheet

# The virtual environment, installed from the pinned lock file on first use.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m compileall -q pipeline schemas
	touch $(STAMP)

sheet: $(STAMP)
	$(PY) -m pipeline sheet $(FY_ARG) --inputs $(INPUTS) --outputs $(OUTPUTS)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/bench.py

clean:
	rm -rf $(OUTPUTS) .pytest_cache

distclean: clean
	rm -rf $(VENV) *.egg-info
