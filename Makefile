# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

lint: $(STAMP)
	$(BIN)/ruff check src tests bench training
	$(BIN)/ruff format --check --quiet src tests bench training
	$(BIN)/mypy src

.PHONY: run test lint readme chromium screenshots bench bench-corpus eval fuzz clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "ficlens needs $(PYTHON) (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,dask,parquet]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/ficlens analyze examples/ --format text
	$(BIN)/ficlens analyze examples/ -o out/ --format json --format html --force
	$(BIN)/ficlens plot out/*.json -o out/ --force >/dev/null
	@echo "Reports written to out/"

test: $(STAMP) chromium lint
	$(BIN)/python -m pytest

# Rewrite the README's marked sample outputs with what their commands print now (tests/test_readme.py checks them).
readme: $(STAMP)
	$(BIN)/python tests/readme_outputs.py --update

# The browser tests drive Debian's chromium (Playwright cannot download its own here). Installed
# when missing and we can (root + apt-get); otherwise they skip (or fail under CI=true), saying why.
chromium:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq chromium >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; } || \
	  echo "could not install chromium: the browser tests will skip (and fail under CI=true)"; }

# The web app's screenshots in docs/images/web-*.png, taken by the browser tests (a plain test run
# keeps them in a scratch folder so that it never changes tracked files).
screenshots: $(STAMP) chromium
	FICLENS_SCREENSHOTS=1 $(BIN)/python -m pytest tests/test_browser.py -q

bench: $(STAMP)
	$(BIN)/python bench/run.py
	/usr/bin/time -v $(BIN)/python bench/memory_split.py --mb 50 2>&1 | grep -E "parts:|read\+decode|Maximum resident"
	@echo "Corpus indexing (-j 1, -j 2, Dask, unchanged re-runs; needs ../shared/corpus/pd-fiction): make bench-corpus"

# `ficlens index` throughput, writer share, worker memory, DB size, unchanged re-runs (docs/scale.md)
bench-corpus: $(STAMP)
	$(BIN)/python bench/corpus.py

# The reader fuzz tests with many random examples (the CI run is short and fixed); found
# failures are kept in .hypothesis/ and replayed first next time. FUZZ_EXAMPLES per property.
FUZZ_EXAMPLES ?= 5000
fuzz: $(STAMP)
	FICLENS_FUZZ=long FICLENS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) nice -n 10 $(BIN)/python -m pytest tests/test_fuzz_readers.py -q -p no:cacheprovider --hypothesis-show-statistics

eval: $(STAMP)
	$(BIN)/ficlens eval litbank ../shared/eval/litbank
	$(BIN)/ficlens eval pdnc ../shared/eval/pdnc-dev
	$(BIN)/ficlens eval pdnc ../shared/eval/pdnc-dev --with-cast

clean:
	rm -rf $(VENV) out/ .pytest_cache
