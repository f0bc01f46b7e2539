"""Killing a publish, or a run, never leaves BI readers a partial serving database."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import publish

ROOT = Path(__file__).resolve().parents[1]
PUBLISH = "import sys; from pathlib import Path; from orchestration.publish import publish; " \
          "publish(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])"  # fmt: skip


def publication(serving: Path) -> tuple[str, int]:
    """(run_id, public tables) of the serving database; fails if it is not a whole publication."""
    with duckdb.connect(str(serving), read_only=True) as con:
        run_id, tables = con.execute("select run_id, tables from publication").fetchone()
        present = con.execute("select count(*) from information_schema.tables where table_schema = 'marts'").fetchone()[
            0
        ]
    assert present == tables
    return run_id, tables


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """A small warehouse with a public schema to publish (the real marts are tested end to end)."""
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema intermediate")  # the validation results the publish copies beside the marts
        con.execute(
            "create table intermediate.int_validation__latest_results as select 's' as suite, 'c' as check_name, "
            "'06' as province_code, null::varchar as district_code, date '2023-12-01' as period_month"
        )
        for i in range(12):
            con.execute(f"create table marts.t{i} as select range as id, md5(range::varchar) as v from range(200000)")
    return path


def test_killing_a_publish_at_any_moment_leaves_the_old_or_the_new_publication(warehouse, tmp_path):
    serving = tmp_path / "serving.duckdb"

    def start(run_id: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", PUBLISH, str(warehouse), str(serving), run_id], cwd=ROOT)

    clock = time.perf_counter()
    assert start("run-0").wait() == 0
    duration = time.perf_counter() - clock  # this machine's time for a whole publish, start-up included
    rng = random.Random(7)
    kept_old = got_new = 0
    for i in range(1, 13):
        before = publication(serving)[0]
        process = start(f"run-{i}")
        time.sleep(rng.uniform(0.1, 1.6) * duration)  # before, during or just after the copy and rename
        process.send_signal(signal.SIGKILL)
        process.wait()
        run_id, tables = publication(serving)  # whole, whichever it is
        assert tables == 12 and run_id in {before, f"run-{i}"}
        kept_old += run_id == before
        got_new += run_id == f"run-{i}"
    assert kept_old and got_new  # the kills landed on both sides of the rename
    publish(warehouse, serving, "final")  # the next publish completes and clears what the killed ones left
    assert publication(serving) == ("final", 12)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb"]
