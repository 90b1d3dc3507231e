# m2if-analytics: every target bootstraps .venv from the constraints file first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean lock

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

demo: install
	$(BIN)/m2if demo --out reports

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n auto

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Sizes: BENCH_SIZES=1M,10M,100M make bench (default 1M,10M); other options of
# benchmarks/run.py through BENCH_ARGS, e.g. BENCH_ARGS="--repeat 3 --contenders m2if,polars".
bench: install
	$(BIN)/python benchmarks/report_bench.py
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Refresh constraints.txt from what is installed (run after changing dependencies).
lock: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache
