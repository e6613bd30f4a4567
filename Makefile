# プロジェクト推進管理表 — `make sheet` builds the table, `make pdf` prints it to PDF, `make test` checks everything.
PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
INPUTS  ?= inputs
OUTPUTS ?= outputs
FY      ?=
FY_ARG  := $(if $(FY),--fy $(FY),)
# make diff compares two years' workbooks; by default the two latest years under inputs/.
YEARS   := $(sort $(notdir $(wildcard $(INPUTS)/[0-9][0-9][0-9][0-9])))
NEW     ?= $(lastword $(YEARS))
OLD     ?= $(lastword $(filter-out $(NEW),$(YEARS)))
# make pdf builds and prints one year; by default the latest under inputs/.
PDF_FY  := $(if $(FY),$(FY),$(lastword $(YEARS)))
PYTEST_ARGS ?= -q

# Some environments set PYTHONDONTWRITEBYTECODE; without cached bytecode every run
# recompiles the pipeline's modules (~30 ms), so let Python keep its __pycache__.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: all sheet templates diff pdf test test-slow bench clean distclean

all: sheet

# The virtual environment, installed from the pinned lock file on first use.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m compileall -q pipeline schemas
	touch $(STAMP)

# Test-only tools (requirements-dev.lock), on top of the above.
$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $(DEV_STAMP)

sheet: $(STAMP)
	$(PY) -m pipeline sheet $(FY_ARG) --inputs $(INPUTS) --outputs $(OUTPUTS)

# One 提出様式 per submitter of inputs/<FY>/master/submitters.csv, in outputs/<FY>/提出様式/.
templates: $(STAMP)
	$(PY) -m pipeline templates $(FY_ARG) --inputs $(INPUTS) --outputs $(OUTPUTS)

# Builds both years from inputs/ when their folders exist, then compares the workbooks.
# `pipeline diff` exits 1 when there are differences (as diff(1)); that is not a failure here.
diff: $(STAMP)
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "比べる年度を OLD=2019 NEW=2020 のように指定してください" >&2; exit 2; }
	@for fy in $(OLD) $(NEW); do \
	  if [ -d "$(INPUTS)/$$fy" ]; then \
	    log=$$($(PY) -m pipeline sheet --fy $$fy --inputs $(INPUTS) --outputs $(OUTPUTS) 2>&1) \
	      || { echo "$$log" >&2; exit 1; }; \
	    echo "$(OUTPUTS)/$$fy を $(INPUTS)/$$fy から作り直しました（警告は推進管理表の「出典」シートにあります）"; \
	  fi; \
	done
	@$(PY) -m pipeline diff $(OLD) $(NEW) --outputs $(OUTPUTS); status=$$?; [ $$status -le 1 ]

# Rebuilds the year's workbook, then prints 一覧 and the project sheets with LibreOffice.
# Installs nothing system-wide: without soffice or the font it names the Debian packages (exit 2).
pdf: $(STAMP)
	@test -n "$(PDF_FY)" || { echo "年度を FY=2019 のように指定してください" >&2; exit 2; }
	$(PY) -m pipeline sheet --fy $(PDF_FY) --inputs $(INPUTS) --outputs $(OUTPUTS)
	$(PY) -m pipeline pdf --fy $(PDF_FY) --outputs $(OUTPUTS)

test: $(DEV_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The slow cases (bombs measured in subprocesses, kill -9 and concurrent runs); .ci/run runs them.
test-slow: $(DEV_STAMP)
	$(PY) -m pytest -m slow -s $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/bench.py

clean:
	rm -rf $(OUTPUTS) .pytest_cache

distclean: clean
	rm -rf $(VENV) *.egg-info
