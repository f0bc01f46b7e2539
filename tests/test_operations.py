"""The inbox sensor, the monthly schedule and the failure alerts, evaluated with Dagster's build contexts."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.automation import alert_on_run_failure, briefing_schedule, inbox_sensor
from orchestration.resources import WarehouseResource
from orchestration.settings import Settings
from samples import generate

PERIOD = dt.date(2023, 12, 1)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, units) -> dict[str, Path]:
    """Two Bắc Kạn districts' December workbooks, by district code."""
    out = tmp_path_factory.mktemp("workbooks")
    paths = generate("06", PERIOD, out, units=units)
    by_district = {}
    for path in paths:
        for code, name in (("061", "Ba Bể"), ("065", "Chợ Mới")):
            if name in path.name:
                by_district[code] = path
    return by_district


class Inbox:
    """Ticks of the sensor on a temporary inbox, carrying the cursor as Dagster would between ticks."""

    def __init__(self, root: Path):
        self.path = root / "inbox"
        self.path.mkdir()
        self.instance = dg.DagsterInstance.ephemeral()
        self.warehouse = WarehouseResource(
            database_path=str(root / "warehouse.duckdb"),
            inbox_dir=str(self.path),
            data_dir=str(root),
            serving_path=str(root / "serving.duckdb"),
        )
        self.cursor: str | None = None

    def tick(self) -> list[dg.RunRequest]:
        context = dg.build_sensor_context(
            instance=self.instance, cursor=self.cursor, resources={"warehouse": self.warehouse}
        )
        result = inbox_sensor(context)
        self.cursor = result.cursor
        assert not result.dynamic_partitions_requests  # months are partitions, units are data
        return list(result.run_requests or [])


@pytest.fixture
def inbox(tmp_path) -> Inbox:
    return Inbox(tmp_path)


def months(requests: list[dg.RunRequest]) -> list[str]:
    """The months whose new workbooks each run reads (an unpartitioned run: it reads exactly the new files)."""
    assert all(r.partition_key is None for r in requests)
    return [r.tags["ntm/months"] for r in requests]


def test_a_new_workbook_launches_a_run_that_reads_it_once_it_stops_changing(inbox, workbooks):
    shutil.copy(workbooks["061"], inbox.path / "BC T12 Ba Be.xlsx")
    assert inbox.tick() == []  # first sight: it may still be being copied
    (request,) = inbox.tick()
    assert (request.job_name, request.partition_key) == ("refresh_warehouse", None)
    assert request.tags["ntm/files"] == "BC T12 Ba Be.xlsx" and request.tags["ntm/months"] == "2023-12"
    assert inbox.tick() == []  # handled: nothing more until it changes


def test_a_half_written_file_waits_until_its_size_stops_changing(inbox, workbooks):
    data = workbooks["065"].read_bytes()
    target = inbox.path / "BC T12 Cho Moi.xlsx"
    target.write_bytes(data[: len(data) // 3])
    assert inbox.tick() == []
    target.write_bytes(data[: 2 * len(data) // 3])  # still arriving
    assert inbox.tick() == []
    target.write_bytes(data)
    assert inbox.tick() == []  # complete now, but changed since the last tick
    assert months(inbox.tick()) == ["2023-12"]


def test_a_resubmission_launches_the_district_month_again(inbox, workbooks, tmp_path):
    target = inbox.path / "BC T12 Ba Be.xlsx"
    shutil.copy(workbooks["061"], target)
    inbox.tick()
    (first,) = inbox.tick()
    import openpyxl

    book = openpyxl.load_workbook(target)
    book["ThongTinChung"]["B9"].value = "Văn phòng Điều phối NTM Ba Bể (gửi lại)"
    book.save(target)  # the district sends a corrected file under the same name
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 1_000_000_000))
    assert inbox.tick() == []
    (again,) = inbox.tick()
    assert months([again]) == months([first]) == ["2023-12"]
    assert again.run_key != first.run_key


def test_the_cursor_survives_a_restart(inbox, workbooks):
    shutil.copy(workbooks["061"], inbox.path / "a.xlsx")
    inbox.tick()
    assert len(inbox.tick()) == 1
    restarted = Inbox.__new__(Inbox)  # a new process: only the stored cursor and instance remain
    restarted.__dict__.update(inbox.__dict__)
    assert restarted.tick() == []
    shutil.copy(workbooks["065"], inbox.path / "b.xlsx")
    restarted.tick()
    assert months(restarted.tick()) == ["2023-12"]
    assert sorted(json.loads(restarted.cursor)["launched"]) == ["a.xlsx", "b.xlsx"]


def test_two_files_of_one_district_month_make_one_run_and_unreadable_files_are_landed(inbox, workbooks):
    shutil.copy(workbooks["061"], inbox.path / "first.xlsx")
    shutil.copy(workbooks["061"], inbox.path / "second copy.xlsx")
    (inbox.path / "notes.txt").write_text("not a workbook")
    inbox.tick()
    requests = inbox.tick()
    by_job = {r.job_name: r for r in requests}
    assert set(by_job) == {"refresh_warehouse", "receive_files"}
    assert by_job["refresh_warehouse"].tags["ntm/files"] == "first.xlsx, second copy.xlsx"
    assert by_job["receive_files"].partition_key is None


def test_the_monthly_schedule_runs_before_the_briefing_in_vietnam_time():
    from dagster._utils.schedules import cron_string_iterator

    monthly_briefing_schedule = briefing_schedule(Settings.load({}))
    ticks = cron_string_iterator(
        dt.datetime(2023, 12, 1, tzinfo=dt.UTC).timestamp(),
        monthly_briefing_schedule.cron_schedule,
        monthly_briefing_schedule.execution_timezone,
    )
    first = next(ticks)
    assert first.isoformat() == "2023-12-25T06:00:00+07:00"
    context = dg.build_schedule_context(scheduled_execution_time=first)
    (request,) = monthly_briefing_schedule.evaluate_tick(context).run_requests
    assert monthly_briefing_schedule.job_name == "monthly_briefing" and request.partition_key is None


def test_a_failed_run_writes_an_alert_naming_the_month_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("NTM_DATA_DIR", str(tmp_path))

    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["2023-12"]))
    def raw_commune_criteria():
        raise RuntimeError("IO Error: Could not set lock on file warehouse.duckdb: Conflicting lock is held")

    job = dg.define_asset_job("refresh_warehouse", selection="*")
    definitions = dg.Definitions(assets=[raw_commune_criteria], jobs=[job])
    with dg.DagsterInstance.ephemeral() as instance:
        result = definitions.resolve_job_def("refresh_warehouse").execute_in_process(
            instance=instance, partition_key="2023-12", raise_on_error=False, tags={"ntm/files": "BC Ba Be.xlsx"}
        )
        assert not result.success
        failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
        context = dg.build_run_status_sensor_context(
            sensor_name="alert_on_run_failure",
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=result.dagster_run,
        ).for_run_failure()
        alert_on_run_failure(context)
        logged = [e.message for e in instance.all_logs(result.run_id) if e.message and "RUN FAILED" in e.message]
    alert = (tmp_path / "reports" / "alerts.log").read_text()
    assert "RUN FAILED refresh_warehouse" in alert
    assert "for month 12/2023 (every district's workbooks), files BC Ba Be.xlsx" in alert
    assert "what failed: raw_commune_criteria: " in alert and "Could not set lock" in alert
    assert "what to do: Another process held the warehouse file" in alert
    assert logged and "month 12/2023" in logged[0]  # the same message is in the run's own log


def test_the_instance_runs_one_run_at_a_time(tmp_path):
    from orchestration.settings import Settings

    settings = Settings.load({}, data_dir=tmp_path).prepare()
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
    assert not instance.telemetry_enabled


def test_a_held_lock_is_waited_for_and_other_errors_are_not_retried(tmp_path, monkeypatch):
    import subprocess
    import sys
    import time

    from orchestration import resources

    waits: list[float] = []  # the retries' pauses, recorded (and still taken): no clock in the assertions
    pause = time.sleep
    monkeypatch.setattr(resources.time, "sleep", lambda seconds: (waits.append(seconds), pause(seconds)))
    path = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "time.sleep(2.5)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    resource = WarehouseResource(
        database_path=str(path), inbox_dir=str(tmp_path), data_dir=str(tmp_path), serving_path=str(tmp_path / "s")
    )
    with resource.connect() as con:  # another process holds the lock: retried until it lets go
        assert con.execute("select 1").fetchone() == (1,)
    assert waits[:1] == [1] and sum(waits) >= 1 and waits == [2**i for i in range(len(waits))]
    holder.wait()

    waits.clear()
    broken = WarehouseResource(database_path=str(tmp_path), inbox_dir="", data_dir="", serving_path="")
    with pytest.raises(duckdb.IOException, match="Is a directory"), broken.connect():  # not a lock: no retry
        pass
    assert waits == []


def test_a_backfill_of_a_range_of_months_is_one_run_over_those_month_partitions():
    from orchestration.partitions import MONTHS
    from orchestration.planner import RANGE_END, RANGE_START, plan

    run = plan([dt.date(2023, 10, 1)], [dt.date(2023, 12, 1), dt.date(2023, 11, 1)])
    assert run.job_name == "reread_months" and run.partition_key is None
    keys = MONTHS.get_partition_keys_in_range(dg.PartitionKeyRange(run.tags[RANGE_START], run.tags[RANGE_END]))
    assert keys == ["2023-11", "2023-12"]  # every workbook of them read again, with every new one
    one = plan([], [dt.date(2024, 2, 1)])
    assert (one.job_name, one.partition_key, one.tags) == ("reread_months", "2024-02", {})


def test_the_plan_is_one_run_that_reads_only_what_is_new():
    from orchestration.planner import plan

    one = plan([dt.date(2023, 12, 1)])
    assert (one.job_name, one.partition_key, one.tags) == ("refresh_warehouse", None, {"ntm/months": "2023-12"})
    # Two eras in one run (make run's sample): one dbt build, and no month between them counted as read.
    two = plan([dt.date(2026, 3, 1), dt.date(2023, 12, 1), dt.date(2026, 3, 1)])
    assert (two.job_name, two.partition_key, two.tags) == (
        "refresh_warehouse",
        None,
        {"ntm/months": "2023-12, 2026-03"},
    )
    assert plan([]).job_name == "monthly_briefing"


def test_several_new_workbooks_in_one_tick_make_one_run_that_reads_only_them(inbox, workbooks):
    shutil.copy(workbooks["061"], inbox.path / "BC T12 Ba Be.xlsx")
    shutil.copy(workbooks["065"], inbox.path / "BC T12 Cho Moi.xlsx")
    inbox.tick()
    (request,) = inbox.tick()
    assert months([request]) == ["2023-12"]
    assert request.tags["ntm/files"] == "BC T12 Ba Be.xlsx, BC T12 Cho Moi.xlsx"


def _receive(inbox: Inbox, *, read: bool) -> None:
    """What a run does with the inbox as it is: lands and records every file, and reads them unless `read` is
    False (a run killed between its landing and its reading)."""
    from ingestion import pipeline, warehouse

    with warehouse.connect(inbox.warehouse.database_path) as con:
        pipeline.receive_inbox(con, inbox.path, inbox.warehouse.landing_dir)
        if read:
            pipeline.classify_received(con)
            pipeline.load_received(con)


def test_content_already_received_launches_nothing(inbox, workbooks):
    """A file `ntm-ocop run` (or an earlier run) already received and read is not loaded again when the sensor
    first sees it (a new cursor: the daemon's first tick, or the CLI ran first)."""
    target = inbox.path / "BC T12 Ba Be.xlsx"
    shutil.copy(workbooks["061"], target)
    _receive(inbox, read=True)
    shutil.copy(workbooks["065"], inbox.path / "BC T12 Cho Moi.xlsx")
    inbox.tick()
    assert [r.tags["ntm/files"] for r in inbox.tick()] == ["BC T12 Cho Moi.xlsx"]
    assert sorted(json.loads(inbox.cursor)["launched"]) == ["BC T12 Ba Be.xlsx", "BC T12 Cho Moi.xlsx"]


def test_a_file_landed_by_a_killed_run_but_not_read_launches_a_run_that_reads_it(inbox, workbooks):
    """A run killed after landing a workbook leaves it kept and recorded as received, never read: the sensor must
    not take it for read (it would wait forever). A landing copy with no record at all is the same case."""
    from ingestion.landing import land

    shutil.copy(workbooks["061"], inbox.path / "BC T12 Ba Be.xlsx")
    _receive(inbox, read=False)
    land(shutil.copy(workbooks["065"], inbox.path / "BC T12 Cho Moi.xlsx"), inbox.warehouse.landing_dir)
    inbox.tick()
    assert [r.tags["ntm/files"] for r in inbox.tick()] == ["BC T12 Ba Be.xlsx, BC T12 Cho Moi.xlsx"]
    # and `ntm-ocop status` names the file received and not read
    from orchestration.settings import Deadline
    from orchestration.status import render_status

    status = render_status(Path(inbox.warehouse.database_path), inbox.path.parent / "none", None, Deadline("", ""))
    assert "Received, not read yet: 1 file(s)" in status and "BC T12 Ba Be.xlsx" in status


def test_while_a_run_holds_the_warehouse_a_ready_file_waits_for_the_next_tick(inbox, workbooks):
    shutil.copy(workbooks["061"], inbox.path / "BC T12 Ba Be.xlsx")
    _receive(inbox, read=True)
    shutil.copy(workbooks["065"], inbox.path / "BC T12 Cho Moi.xlsx")
    inbox.tick()
    import subprocess
    import sys

    hold = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(120)"
    writer = subprocess.Popen([sys.executable, "-c", hold, inbox.warehouse.database_path], stdout=subprocess.PIPE)
    try:  # another process writing it, as a run does
        assert writer.stdout.readline() == b"held\n"
        assert inbox.tick() == []
    finally:
        writer.kill()
        writer.wait()
    assert [r.tags["ntm/files"] for r in inbox.tick()] == ["BC T12 Cho Moi.xlsx"]


def test_a_tick_marks_failed_a_run_whose_cli_process_was_killed(inbox):
    """`ntm-ocop run` killed (SIGKILL) leaves its run STARTED, which holds the daemon's one-run queue: the
    sensor's next tick marks it failed, without waiting for a person to run the CLI again."""
    import socket
    import subprocess

    from dagster._core.storage.dagster_run import DagsterRun

    from orchestration.runs import HOST_TAG, PID_TAG

    gone = subprocess.Popen(["true"])
    gone.wait()
    tags = {PID_TAG: str(gone.pid), HOST_TAG: socket.gethostname()}
    run = DagsterRun(job_name="refresh_warehouse", run_id="killed", status=dg.DagsterRunStatus.STARTED, tags=tags)
    inbox.instance.add_run(run)
    inbox.tick()
    assert inbox.instance.get_run_by_id("killed").status == dg.DagsterRunStatus.FAILURE
