"""Runs that fail or are interrupted, and what is published: nothing from a failed run; PostgreSQL beside the file."""

from __future__ import annotations

import decimal
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration import cli
from tests.runs import copy_run, province_row
from tests.runs import dbt as run_dbt

pytestmark = [pytest.mark.usefixtures("paths_isolated"), pytest.mark.pipeline]


def test_the_run_publishes_into_postgresql_beside_the_serving_file(
    published, sample_inbox, postgres_url, tmp_path, monkeypatch, capsys
):
    """NTM_SERVING_POSTGRES=postgresql://...: the same marts and validation results, swapped in whole; a run that
    publishes while PostgreSQL is down says so, and the next publishes into PostgreSQL alone. The URL carries a
    password in the form masking used to miss (?password=): no file the run writes, no line it prints and no
    resource the UI shows holds it; and what it writes is not world-readable."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    from orchestration.defs.resources import resources_of
    from orchestration.settings import Settings

    secret = "S3cret-pw-7e1f"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("drop role if exists ntm_publisher")
        admin.execute(f"create role ntm_publisher login superuser password '{secret}'")
    parts = urlsplit(postgres_url)  # the server's socket folder is a parameter: ?host=/…
    query = "&".join(q for q in (parts.query, f"password={secret}") if q)
    with_password = urlunsplit(parts._replace(netloc=f"ntm_publisher@{parts.netloc.split('@')[-1]}", query=query))
    warehouse = copy_run(published[1], tmp_path / "run")
    # PostgreSQL down during a run that rebuilds: the DuckDB file and the packs are published all the same, and the
    # run says which has what (without --rebuild, nothing is new for the file: only PostgreSQL would be tried)
    monkeypatch.setenv("NTM_SERVING_POSTGRES", "postgresql://ntm_publisher@127.0.0.1:9/nowhere")
    assert cli.main(["run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse), "--rebuild"]) != 0
    out = capsys.readouterr().out
    with duckdb.connect(str(warehouse.parent / "serving.duckdb"), read_only=True) as con:
        [(down_run,)] = con.execute("select run_id from publication").fetchall()
    down = "postgresql://ntm_publisher@127.0.0.1:9/nowhere"
    assert f"has run {down_run}'s publication; PostgreSQL {down} does NOT" in out
    assert "FAILED STEP serving__postgresql" in out and "reports__briefing_packs failed" not in out  # packs written
    # PostgreSQL back: the next run publishes into it alone, rebuilding nothing, under the file's run id
    monkeypatch.setenv("NTM_SERVING_POSTGRES", with_password)
    code = cli.main(["run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse)])
    assert code == 0
    printed = capsys.readouterr()
    assert f"brought up to date with run {down_run}'s publication" in printed.out
    assert secret not in printed.out + printed.err and "password=***" in printed.out
    leaks = [p for p in (tmp_path / "run").rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert leaks == []
    shown = resources_of(Settings.load(env={"NTM_SERVING_POSTGRES": with_password}),
                         env={"NTM_SERVING_POSTGRES": with_password})["warehouse"]  # fmt: skip
    assert secret not in repr(shown) and "NTM_SERVING_POSTGRES" in repr(shown)
    assert (warehouse.parent / "serving.duckdb").stat().st_mode & 0o007 == 0  # not world-readable
    postgres_url = with_password

    def by_month(cursor) -> dict:
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        as_number = lambda v: float(v) if isinstance(v, decimal.Decimal) else v  # noqa: E731
        return {row["period_month"]: {k: as_number(v) for k, v in row.items()} for row in rows}

    with duckdb.connect(str(warehouse.parent / "serving.duckdb"), read_only=True) as con:
        in_file = by_month(con.execute("select * from marts.mart_province_briefing"))
        run_id, tables = con.execute("select run_id, tables from publication").fetchone()
        results = con.execute("select count(*) from validation_results").fetchone()[0]
    with psycopg.connect(postgres_url) as pg:
        in_postgres = by_month(pg.execute("select * from marts.mart_province_briefing"))
        assert pg.execute("select run_id, tables from marts_meta.publication").fetchone() == (run_id, tables)
        assert pg.execute("select count(*) from marts_meta.validation_results").fetchone()[0] == results
        assert (
            pg.execute("select count(*) from information_schema.tables where table_schema = 'marts'").fetchone()[0]
            == tables
        )
    assert in_postgres == in_file and len(in_file) == 2


# Defects of the warehouse itself, as a reader defect would make them in a raw table: what the run must name.
DEFECTS = {
    # a failing dbt test, recorded by the model's `dbt_tests` check: a 6★ certificate
    "a failing dbt test": (
        ["insert into raw.ocop_products select * replace (6 as stars, row_number + 1000 as row_number) "
         "from raw.ocop_products limit 1"],
        "FAILED CHECK marts/fct_ocop_certification: checks_fct_ocop_certification (accepted_values stars: 6)",
    ),
    # a null where a mart's contract says not_null (a constraint, not a test): the model does not build
    "a null against a mart's contract": (
        ["alter table raw.ocop_products alter column decision_date drop not null",
         "update raw.ocop_products set decision_date = null "
         "where row_number = (select min(row_number) from raw.ocop_products)"],
        "FAILED STEP dbt_warehouse: dbt model failed: fct_ocop_certification: Runtime Error in model "
        "fct_ocop_certification (models/marts/fct_ocop_certification.sql) Constraint Error: NOT NULL constraint "
        "failed: fct_ocop_certification.certificate_id",
    ),
}  # fmt: skip


@pytest.mark.parametrize("defect", DEFECTS)
def test_a_defect_in_the_warehouse_publishes_nothing(defect, published, tmp_path, sample_inbox, capsys):
    """A defect of our own transformations stops the run before the publish step: the serving database is
    byte-identical, the CLI names the failing test or model, and the run's alert is written."""
    statements, named = DEFECTS[defect]
    _, warehouse = published
    run_dir = copy_run(warehouse, tmp_path / "run").parent
    serving = run_dir / "serving.duckdb"
    before = serving.read_bytes()
    with duckdb.connect(str(run_dir / warehouse.name)) as con:
        for statement in statements:
            con.execute(statement)
    # no new file: the defect is in the warehouse, so the run is asked to rebuild (as the monthly schedule does)
    code = cli.main(["run", "--inbox", str(sample_inbox), "--warehouse", str(run_dir / warehouse.name), "--rebuild"])
    out = capsys.readouterr().out
    assert code == 1
    assert named in out
    assert serving.read_bytes() == before
    # a model is replaced inside its transaction (macros/materializations/replace_in_place.sql): one that fails
    # leaves the table it was to replace as it was
    with duckdb.connect(str(run_dir / warehouse.name), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_ocop_certification").fetchone()[0] > 0
    alert = (run_dir / "reports" / "alerts.log").read_text(encoding="utf-8")  # a CLI run alerts as the sensor does
    assert "RUN FAILED" in alert and "what failed: dbt_warehouse" in alert and "what to do:" in alert


def test_a_reader_keeps_a_consistent_view_while_a_publish_replaces_the_file(published, tmp_path):
    from publishing.serving import publish

    _, warehouse = published
    work = tmp_path / "w.duckdb"
    shutil.copy(warehouse, work)
    serving = tmp_path / "serving.duckdb"
    publish(work, serving, "first")
    reader = duckdb.connect(str(serving), read_only=True)
    try:
        with duckdb.connect(str(work)) as con:  # the next month's figures change the marts (a view over this table)
            con.execute("update intermediate.int_unit_months__measures set communes_total = communes_total + 1")
        publish(work, serving, "second")
        # The open reader still sees the file it opened: the first publication, whole.
        assert reader.execute("select run_id from publication").fetchone()[0] == "first"
        totals = reader.execute("select communes_total from marts.mart_province_briefing order by all").fetchall()
        assert totals == [(95,), (95,)]
    finally:
        reader.close()
    with duckdb.connect(str(serving), read_only=True) as fresh:
        assert fresh.execute("select run_id from publication").fetchone()[0] == "second"
        assert fresh.execute("select min(communes_total) from marts.mart_province_briefing").fetchone()[0] == 95 + 8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "w.duckdb"]  # no staging file left


def _warm_dbts_of(folder: Path) -> list[int]:
    """The ids of the warm dbt processes serving this warehouse folder (orchestration/dbt_warm.py)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes().split(b"\0")
        except OSError:  # ended meanwhile
            continue
        if b"orchestration.dbt_warm" in arguments and str(folder.resolve()).encode() in arguments:
            found.append(int(cmdline.parent.name))
    return found


def test_killing_a_run_during_the_dbt_build_leaves_serving_unchanged_and_the_next_run_completes(
    published, tmp_path, sample_inbox
):
    _, warehouse = published
    run_dir = copy_run(warehouse, tmp_path / "run").parent
    serving = run_dir / "serving.duckdb"
    before = serving.read_bytes()
    args = ["run", "--inbox", str(sample_inbox), "--warehouse", str(run_dir / warehouse.name), "--rebuild"]
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", *args],
        cwd=Path(__file__).resolve().parents[1],
        start_new_session=True,  # its own process group: the kill takes dbt with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not any("START sql" in log.read_text(errors="ignore") for log in run_dir.glob("logs/run-*.log")):
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before dbt started"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # The warm dbt that was building (its own session, so the kill did not reach it) ends with its run, not after
    # its build: left building, it held the warehouse's lock and the next run failed at landing.
    deadline = time.monotonic() + 5
    while _warm_dbts_of(run_dir):
        assert time.monotonic() < deadline, "the killed run's dbt is still building"
        time.sleep(0.1)
    assert serving.read_bytes() == before  # nothing half-published

    assert cli.main(args) == 0  # the next run completes on the same files
    assert province_row(run_dir / warehouse.name) == province_row(warehouse)
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("select count(*) from marts.mart_province_briefing").fetchone()[0] == 2


def test_a_null_in_a_view_marts_never_null_column_fails_its_dbt_test(published, tmp_path):
    """The marts that are views carry no constraint: their `checks` test's not_null is what refuses a null."""
    _, warehouse = published
    work = tmp_path / "w" / warehouse.name  # the same file name: dbt reuses the checkout's partial parse
    work.parent.mkdir()
    shutil.copy(warehouse, work)
    with duckdb.connect(str(work)) as con:
        [(sql,)] = con.execute(
            "select sql from duckdb_views() where schema_name = 'marts' and view_name = 'mart_province_briefing'"
        ).fetchall()
        con.execute(
            "create view marts.as_built as " + sql.split(" AS ", 1)[1].rstrip(";")  # the view's query, kept aside
        )
        con.execute("create or replace view marts.mart_province_briefing as select * replace "
                    "(case when period_month = date '2023-11-01' then null else reporting_unit_level end "
                    "as reporting_unit_level) from marts.as_built")  # fmt: skip
    dbt = run_dbt(work, ["test", "--select", "checks_mart_province_briefing"], tmp_path / "target")
    assert dbt.returncode == 1, dbt.stdout[-2000:]
    assert "Failure in test checks_mart_province_briefing " in dbt.stdout
    assert "Got 1 result" in dbt.stdout  # the one province-month with the null
