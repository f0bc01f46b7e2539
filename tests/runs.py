"""Runs of the whole pipeline for the tests: `ntm-ocop run` on an inbox, and what a briefing row holds."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from orchestration import cli

PERIOD = dt.date(2023, 12, 1)
PREVIOUS = dt.date(2023, 11, 1)


def run_pipeline(tmp: Path, inbox: Path) -> tuple[int, Path]:
    warehouse = tmp / "warehouse.duckdb"
    code = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    return code, warehouse


def copy_run(warehouse: Path, into: Path) -> Path:
    """A copy of a run's folder (warehouse, serving file, landing, Dagster's instance, reports) to change without
    touching the shared one: its landed files found in the copy. Returns the copy's warehouse."""
    shutil.copytree(warehouse.parent, into, ignore=shutil.ignore_patterns("logs"))
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
