"""Runs of the whole pipeline for the tests: `ntm-ocop run` on an inbox, and what a briefing row holds."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from orchestration import cli

PERIOD = dt.date(2023, 12, 1)
PREVIOUS = dt.date(2023, 11, 1)


def run_pipeline(tmp: Path, inbox: Path) -> tuple[int, Path]:
    warehouse = tmp / "warehouse.duckdb"
    code = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    return code, warehouse


def dbt(warehouse: Path, arguments: list[str], target: Path) -> subprocess.CompletedProcess:
    """dbt on a warehouse as a run starts it (in the warehouse's folder, by its file name), its artefacts in
    `target`, which starts from the checkout's partial parse: no full parse of the project (~3.5 s) per test."""
    from orchestration.defs.transform.project import DBT_EXECUTABLE, OfflineDbtCliResource, dbt_project
    from publishing.dbt_location import checkout_partial_parse, warehouse_vars

    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(checkout_partial_parse(), target)
    resource = OfflineDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE).in_folder_of(warehouse)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": resource.profiles_dir,
        "DBT_PROJECT_DIR": str(dbt_project.project_dir),
        "DO_NOT_TRACK": "1",
    }
    return subprocess.run(
        [resource.dbt_executable, *arguments, "--vars", warehouse_vars(warehouse), "--target-path", str(target),
         "--log-path", str(target)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def copy_run(warehouse: Path, into: Path) -> Path:
    """A copy of a run's folder (warehouse, serving file, landing, Dagster's instance, reports) to change without
    touching the shared one: its landed files found in the copy. Returns the copy's warehouse."""
    shutil.copytree(warehouse.parent, into, ignore=shutil.ignore_patterns("logs"))
    # Dagster's instance names its event log's folder by its absolute path: the copy's own, not the original's
    # (else the copy's runs would write into the original's event log, which other tests read)
    instance = into / "dagster_home" / "dagster.yaml"
    if instance.exists():
        instance.write_text(instance.read_text().replace(str(warehouse.parent.resolve()), str(into.resolve())))
    copy = into / warehouse.name
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update audit.received_files set landed_path = replace(landed_path, ?, ?)",
            [str(warehouse.parent / "landing"), str(into / "landing")],
        )
    return copy


def province_row(warehouse: Path, period: dt.date = PERIOD) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.mart_province_briefing where province_code = '06' and period_month = ?", [period]
        )
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row, strict=True))
