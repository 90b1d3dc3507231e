# m2if-analytics: every target bootstraps .venv from the constraints file first.
# `make demo` installs the package with its notebooks extra only; `make test` adds the
# test tools, the database drivers of `m2if pull` (extra `pull`) and the Spark engine
# (pyspark, ~490 MB, which only `--engine spark` uses), and puts the LRS the pull tests
# start (Ralph, which pins its own click and FastAPI) in a separate environment, .venv-lrs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
LRS_VENV := .venv-lrs
LRS_STAMP := $(LRS_VENV)/.installed

.PHONY: install install-dev demo test fuzz lint bench clean lock

install: $(STAMP)

install-dev: $(DEV_STAMP)

# The pinned packages are installed by uv (itself pinned in constraints.txt, installed by
# pip), which fetches and unpacks them in parallel: the test environment in about 40 s where
# pip took 84 s (Ralph's environment 2 s where pip took 11 s). uv reads no pip configuration (index, find-links): where it cannot install,
# pip installs the same pins instead.
UV_INSTALL := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python
PIP_INSTALL := $(BIN)/python -m pip install --quiet
# PySpark is published as a source archive only: each fresh install builds its wheel, and the
# default build deflates ~400 MB of jars that are already compressed. Storing them instead
# halves the build (25.7 s -> 12.9 s on 2 cores; the installed files are the same).
SPARK_BUILD := --config-settings-package "pyspark:--build-option=--compression=stored"
PIP_SPARK_BUILD := --config-settings "--build-option=--compression=stored"

# The environment is created without pip (ensurepip's copy took ~3 s, upgrading it ~2 s more):
# the machine's pip puts uv into it (pip >= 22.3, `--python`) and uv adds pip, which `make lock`
# and the fallbacks use (5.9-8.4 s -> 2.9 s). Where that fails (no pip, an older one, no uv
# for this platform), ensurepip and the environment's own pip do it, uv staying optional.
$(VENV)/bin/python:
	$(PYTHON) -m venv --without-pip $(VENV)
	{ $(PYTHON) -m pip --python $(BIN)/python install --quiet -c constraints.txt uv && \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python "pip>=24"; } || \
	{ $(BIN)/python -m ensurepip --upgrade --default-pip && \
	  $(PIP_INSTALL) --upgrade "pip>=24" && \
	  { $(PIP_INSTALL) -c constraints.txt uv || echo "uv not installed: pip installs the packages"; }; }

$(STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(UV_INSTALL) -c constraints.txt -e ".[notebooks]" || \
		$(PIP_INSTALL) -c constraints.txt -e ".[notebooks]"
	touch $(STAMP)

# One uv run for the whole test environment (demo's packages included, so it also stands for
# $(STAMP)): the PySpark build overlaps the downloads and unpacking of the others (fresh
# clone: 56 s in two runs -> 38 s).
$(DEV_STAMP): pyproject.toml constraints.txt $(LRS_STAMP) | $(VENV)/bin/python
	$(UV_INSTALL) $(SPARK_BUILD) -c constraints.txt -e ".[notebooks,pull,spark,dev]" || \
		$(PIP_INSTALL) $(PIP_SPARK_BUILD) -c constraints.txt -e ".[notebooks,pull,spark,dev]"
	touch $(STAMP) $(DEV_STAMP)

# Ralph's environment has no pip of its own (creating it 4.2 s -> 0.1 s): uv, or the main
# environment's pip, installs into it.
$(LRS_STAMP): constraints-lrs.txt | $(VENV)/bin/python
	$(PYTHON) -m venv --without-pip $(LRS_VENV)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(LRS_VENV)/bin/python \
		-r constraints-lrs.txt || \
		$(BIN)/python -m pip --python $(LRS_VENV)/bin/python install --quiet -r constraints-lrs.txt
	touch $(LRS_STAMP)

# Python's compiled bytecode (__pycache__, git-ignored) is written even where the environment
# sets PYTHONDONTWRITEBYTECODE: without the cache, each of pytest's processes rewrites and
# compiles every test module again (about 4 s of CPU each), and every report kernel and command
# the suite starts compiles the package again. Measured on 2 cores: 303 s -> 281 s of pytest.
WRITE_BYTECODE := PYTHONDONTWRITEBYTECODE=

demo: install
	$(WRITE_BYTECODE) $(BIN)/m2if demo --out reports

test: install-dev
	$(BIN)/ruff check .
	$(WRITE_BYTECODE) $(BIN)/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder

# Every test whose inputs M2IF_FUZZ_SCALE multiplies (readers, the file scan, command and pull
# options, the weekly table's properties), with 20 times the inputs of `make test` (seeded:
# 272,400 for the 13,620 of README's count); FUZZ_SCALE=100 for a longer run.
FUZZ_TESTS := tests/ingest/test_fuzz.py tests/ingest/test_filescan.py \
	tests/cli/test_option_fuzz.py tests/pull/test_pull_fuzz.py \
	tests/engagement/test_weekly_properties.py
FUZZ_SCALE ?= 20
fuzz: install-dev
	M2IF_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/python -m pytest -q -n auto $(FUZZ_TESTS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Sizes: BENCH_SIZES=1M,10M,100M make bench (default 1M,10M); other options of
# benchmarks/run.py through BENCH_ARGS, e.g. BENCH_ARGS="--repeat 3 --contenders m2if,polars".
bench: install-dev
	$(BIN)/python benchmarks/report_bench.py
	$(BIN)/python benchmarks/report_scale.py
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/pull_bench.py

# Refresh constraints.txt from what is installed (run after changing dependencies).
lock: install-dev
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt
	$(BIN)/python -m pip --python $(LRS_VENV)/bin/python freeze | grep -v '^-e ' > constraints-lrs.txt

clean:
	rm -rf $(VENV) $(LRS_VENV) reports .pytest_cache .ruff_cache
