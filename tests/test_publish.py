"""Killing a publish, or a run, never leaves BI readers a partial serving database."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import psycopg
import pytest

from publishing.serving import publish
from publishing.serving_postgres import publish_postgres

ROOT = Path(__file__).resolve().parents[1]
PUBLISH = "import sys; from pathlib import Path; from publishing.serving import publish; " \
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


def make_warehouse(path: Path, rows: int) -> Path:
    """A warehouse with a public schema of 12 tables to publish (the real marts are tested end to end)."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema intermediate")  # the validation results the publish copies beside the marts
        con.execute(
            "create table intermediate.int_validation__latest_results as select 's' as suite, 'c' as check_name, "
            "'06' as province_code, null::varchar as district_code, date '2023-12-01' as period_month"
        )
        for i in range(12):
            con.execute(
                f"create table marts.t{i} as select range as id, md5(range::varchar) as v, range % 7 = 0 as flag, "
                f"(range / 3)::decimal(18, 3) as amount_mil_vnd, date '2023-12-01' as period_month, "
                f"case when range % 5 = 0 then null when range % 5 = 1 then '' else 'Xã ''Bằng'', Thành' end as name "
                f"from range({rows})"
            )
        # what dbt's persist_docs writes from the models' YAML; a publication carries it
        con.execute("comment on table marts.t0 is 'Communes by month: the 2021-2025 set''s bands.'")
        con.execute("comment on column marts.t0.amount_mil_vnd is 'Allocated, million đồng.'")
    return path


def kill_moments(count: int, *, last: float) -> list[float]:
    """When to kill, as fractions of a whole publish's time: spread evenly from 0.1 to `last`, in a shuffled
    order, so that kills land before, during and after the rename however much one publish's time varies."""
    moments = [0.1 + (last - 0.1) * k / (count - 1) for k in range(count)]
    random.Random(count).shuffle(moments)
    return moments


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("wh") / "warehouse.duckdb", 200_000)


def test_killing_a_publish_at_any_moment_leaves_the_old_or_the_new_publication(warehouse, tmp_path):
    serving = tmp_path / "serving.duckdb"

    def start(run_id: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", PUBLISH, str(warehouse), str(serving), run_id], cwd=ROOT)

    clock = time.perf_counter()
    assert start("run-0").wait() == 0
    duration = time.perf_counter() - clock  # this machine's time for a whole publish, start-up included
    kept_old = got_new = 0
    for i, moment in enumerate(kill_moments(12, last=1.6), start=1):
        before = publication(serving)[0]
        process = start(f"run-{i}")
        time.sleep(moment * duration)  # before, during or just after the copy and rename
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


def test_the_serving_file_is_written_at_the_storage_version_asked_for(warehouse, tmp_path):
    from tests.readers import OLDEST_BI_DUCKDB, duckdb_python, read_every_table

    old_reader = duckdb_python(OLDEST_BI_DUCKDB)
    publish(warehouse, tmp_path / "serving.duckdb", "old-readers", storage_version="v1.4.0")
    assert read_every_table(old_reader, tmp_path / "serving.duckdb")["tables"]["marts.t0"] == 200_000
    with duckdb.connect(str(tmp_path / "serving.duckdb"), read_only=True) as con:  # the descriptions come along
        assert con.execute(
            "select comment from duckdb_tables() where table_name = 't0' union all "
            "select comment from duckdb_columns() where table_name = 't0' and column_name = 'amount_mil_vnd'"
        ).fetchall() == [("Communes by month: the 2021-2025 set's bands.",), ("Allocated, million đồng.",)]
    publish(warehouse, tmp_path / "serving.duckdb", "newest-only", storage_version="latest")
    with pytest.raises(AssertionError, match="version"):  # what BI clients met before the setting existed
        read_every_table(old_reader, tmp_path / "serving.duckdb")
    with pytest.raises(ValueError, match="not a DuckDB version"):
        publish(warehouse, tmp_path / "serving.duckdb", "x", storage_version="1.4'; drop table t0; --")


# PostgreSQL: the same promise against a real server (tests/conftest.py starts one).
PUBLISH_POSTGRES = "import sys; from pathlib import Path; from publishing.serving_postgres import " \
                   "publish_postgres; publish_postgres(Path(sys.argv[1]), sys.argv[2], sys.argv[3])"  # fmt: skip


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("wh") / "warehouse.duckdb", 20_000)


def pg_publication(url: str) -> tuple[str, int]:
    """(run_id, public tables) as a reader sees them in one statement; fails if the publication is not whole."""
    with psycopg.connect(url) as pg:
        run_id, tables, present, rows = pg.execute(
            "select run_id, tables, (select count(*) from information_schema.tables where table_schema = 'marts'), "
            "(select count(*) from marts.t11) from marts_meta.publication"
        ).fetchone()
    assert present == tables and rows == 20_000
    return run_id, tables


def test_postgresql_receives_the_marts_and_the_validation_results(small_warehouse, postgres_url):
    first = publish_postgres(small_warehouse, postgres_url, "first")
    assert first.tables == {f"t{i}": 20_000 for i in range(12)}
    publish_postgres(small_warehouse, postgres_url, "second")
    assert pg_publication(postgres_url) == ("second", 12)
    with psycopg.connect(postgres_url) as pg, duckdb.connect(str(small_warehouse), read_only=True) as con:
        query = "select id, v, flag, amount_mil_vnd, period_month, name from marts.t3 order by id limit 12"
        assert pg.execute(query).fetchall() == con.execute(query).fetchall()  # NULL and '' stay apart
        assert pg.execute("select suite, province_code from marts_meta.validation_results").fetchall() == [("s", "06")]
        assert pg.execute(  # the descriptions, where a BI client shows them
            "select obj_description('marts.t0'::regclass), col_description('marts.t0'::regclass, 4)"
        ).fetchone() == ("Communes by month: the 2021-2025 set's bands.", "Allocated, million đồng.")
        schemas = [n for (n,) in pg.execute("select nspname from pg_namespace where nspname like 'marts%'")]
    assert sorted(schemas) == ["marts", "marts_meta"]  # the previous publication dropped, nothing staged left


def test_bi_users_read_through_a_role_that_can_only_read(small_warehouse, postgres_url):
    publish_postgres(small_warehouse, postgres_url, "first")
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("create user metabase login in role ntm_ocop_reader")
    publish_postgres(small_warehouse, postgres_url, "second")  # grants follow each new publication
    as_reader = psycopg.conninfo.make_conninfo(postgres_url, user="metabase")
    with psycopg.connect(as_reader, autocommit=True) as pg:
        assert pg.execute("select count(*) from marts.t0").fetchone() == (20_000,)
        assert pg.execute("select run_id from marts_meta.publication").fetchone() == ("second",)
        for statement in (
            "delete from marts.t0",
            "create table marts.mine (x int)",
            "drop table marts_meta.publication",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                pg.execute(statement)


def test_a_failed_postgresql_publish_leaves_the_previous_publication(small_warehouse, postgres_url, tmp_path):
    publish_postgres(small_warehouse, postgres_url, "good")
    broken = tmp_path / "warehouse.duckdb"
    shutil.copy(small_warehouse, broken)
    with duckdb.connect(str(broken)) as con:  # a type the publish does not know how to carry
        con.execute("create table marts.t12 as select [1, 2] as ids")
    with pytest.raises(ValueError, match=r"marts.t12.ids has the DuckDB type INTEGER\[\]"):
        publish_postgres(broken, postgres_url, "bad")
    assert pg_publication(postgres_url) == ("good", 12)


def test_killing_a_postgresql_publish_at_any_moment_leaves_the_old_or_the_new_publication(
    small_warehouse, postgres_url
):
    """Readers query throughout; each kill lands before, during or after the swap; they see one publication, whole."""

    def start(run_id: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", PUBLISH_POSTGRES, str(small_warehouse), postgres_url, run_id])

    durations = []
    for warm_up in ("run-0", "run-00"):  # the slower of two whole publishes: the machine is shared and noisy
        clock = time.perf_counter()
        assert start(warm_up).wait() == 0
        durations.append(time.perf_counter() - clock)
    duration = max(durations)
    seen, errors, stop = [], [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(pg_publication(postgres_url)[0])
            except Exception as exc:
                errors.append(repr(exc))

    reader = threading.Thread(target=read)
    reader.start()
    kept_old = got_new = 0
    try:
        for i, moment in enumerate(kill_moments(10, last=2.0), start=1):
            before = pg_publication(postgres_url)[0]
            process = start(f"run-{i}")
            time.sleep(moment * duration)
            process.send_signal(signal.SIGKILL)
            process.wait()
            time.sleep(0.2)  # the server notices the closed connection and rolls its transaction back
            run_id, tables = pg_publication(postgres_url)
            assert tables == 12 and run_id in {before, f"run-{i}"}
            kept_old += run_id == before
            got_new += run_id == f"run-{i}"
    finally:
        stop.set()
        reader.join()
    assert kept_old and got_new  # the kills landed on both sides of the swap
    assert errors == [] and len(seen) > 10
    publish_postgres(small_warehouse, postgres_url, "final")  # completes, and clears what the killed ones left
    assert pg_publication(postgres_url) == ("final", 12)
    with psycopg.connect(postgres_url) as pg:
        schemas = sorted(n for (n,) in pg.execute("select nspname from pg_namespace where nspname like 'marts%'"))
    assert schemas == ["marts", "marts_meta"]
    assert not small_warehouse.with_name(f".{small_warehouse.name}.postgres-publish").exists()
