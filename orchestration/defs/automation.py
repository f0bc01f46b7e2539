"""The office's rhythm: an inbox sensor, the monthly refresh before the briefing, failure alerts.

- `inbox_sensor`: a workbook that is new or changed in the inbox, and has kept the same size and
  modification time for one whole tick (so a file still being copied waits), launches
  `refresh_warehouse`, which reads it (the files of a tick, whatever their months, one run that
  reads only them: orchestration/planner.py), unless the same content is
  already in landing (received by an earlier run or by `ntm-ocop run`). A file whose cover cannot be
  read launches `receive_files`, which keeps it and records why it is rejected. The cursor (what
  was seen, what was launched) is stored by Dagster and survives restarts.
- `monthly_briefing_schedule`: 06:00 Asia/Ho_Chi_Minh on the 25th by default
  (NTM_BRIEFING_CRON, NTM_BRIEFING_TIMEZONE): rebuild, re-validate, re-publish, write the packs.
- `alert_on_run_failure`: a failed run writes what failed, for which district and month, and
  what to do, to the run's log and to data/reports/alerts.log.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import dagster as dg

from ingestion.isolation import ReadFailed, read_files
from ingestion.landing import inbox_files, readable_name, sha256_of
from ingestion.pipeline import month_problem
from ingestion.reader import WorkbookRejected
from ingestion.template import template_for
from orchestration.defs.jobs import monthly_briefing, receive_files, refresh_warehouse
from orchestration.partitions import month_key, month_of
from orchestration.planner import MONTHS_TAG, plan
from orchestration.resources import WarehouseResource
from orchestration.runs import fail_stale_runs
from orchestration.settings import Settings

FILES_TAG = "ntm/files"  # the files a run launched by the sensor reads


def _signature(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _handled_files(warehouse: WarehouseResource) -> set[str] | None:
    """The content hashes the warehouse has received and dealt with (read, rejected, superseded): not those a run
    landed and recorded as received but did not read, as a killed run leaves them. None while a run holds the
    warehouse (DuckDB's lock); an empty set before the first run."""
    import duckdb

    if not Path(warehouse.database_path).is_file():
        return set()
    try:
        with duckdb.connect(warehouse.database_path, read_only=True) as con:
            rows = con.execute("select file_sha256 from audit.received_files where status <> 'received'").fetchall()
    except duckdb.IOException:  # the lock of a run writing it
        return None
    except duckdb.CatalogException:  # no audit schema yet: nothing received
        return set()
    return {sha for (sha,) in rows}


@dg.sensor(
    name="inbox_sensor",
    jobs=[refresh_warehouse, receive_files],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="New or changed workbooks in the inbox launch a refresh that reads them, once the file has "
    "stopped changing.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource) -> dg.SensorResult:
    # cursor: {"seen": {name: [size, mtime_ns]}, "launched": {name: [size, mtime_ns]}}
    state = json.loads(context.cursor) if context.cursor else {}
    seen: dict[str, list[int]] = state.get("seen", {})
    launched: dict[str, list[int]] = state.get("launched", {})
    files, _locks, refused = inbox_files(warehouse.inbox) if warehouse.inbox.exists() else ([], [], [])
    now_seen: dict[str, list[int]] = {}
    ready: list[Path] = []
    for path in files:
        name = readable_name(str(path.relative_to(warehouse.inbox)))[0]
        try:
            signature = _signature(path)
        except FileNotFoundError:  # removed while we looked
            continue
        now_seen[name] = signature
        if launched.get(name) == signature:
            continue  # already handled in this exact state
        if seen.get(name) == signature and signature[0] > 0:
            ready.append(path)  # unchanged for a whole tick: no longer being written
        else:
            context.log.info(f"{name}: new or still changing ({signature[0]} bytes); waiting one more tick")

    for message in fail_stale_runs(context.instance):  # a killed `ntm-ocop run` would hold the queue forever
        context.log.warning(message)
    by_month: dict[str, list[tuple[str, str]]] = defaultdict(list)  # month key -> [(file, its state)]
    unreadable: list[str] = []
    to_read = []
    handled = _handled_files(warehouse) if ready else set()
    for path in ready:
        name = readable_name(str(path.relative_to(warehouse.inbox)))[0]
        if handled is None:  # a run is writing the warehouse: decide on the next tick
            context.log.info(f"{name}: the warehouse is in use by a run; looking again on the next tick")
            continue
        launched[name] = now_seen[name]
        if sha256_of(path) in handled:
            # Same content already read (e.g. by `ntm-ocop run`, or the cursor is new): nothing to do.
            context.log.info(f"{name}: this content was already received and read; not launching a run")
            continue
        to_read.append(path)  # new, or landed by a run that stopped before reading it (killed): read it now
    # Covers are read in worker processes (ingestion/isolation.py): a file that crashes the parser is a
    # rejection to record, never the end of the code server and of this sensor.
    for path, cover in read_files("cover", to_read, warehouse.reader_limits):
        name = readable_name(str(path.relative_to(warehouse.inbox)))[0]
        state = f"{name}@{now_seen[name][0]}:{now_seen[name][1]}"
        if isinstance(cover, (WorkbookRejected, ReadFailed)):
            problem = cover.reason
        else:
            problem = month_problem(cover.period_month)
        if problem:
            context.log.warning(f"{name}: cannot be loaded ({problem}); landing it to record the rejection")
            unreadable.append(state)
        else:
            by_month[month_key(cover.period_month)].append((name, state))

    # One run for every new file of the tick, whatever its month (orchestration/planner.py, as `ntm-ocop run` plans).
    requests = []
    if by_month:
        run_plan = plan([month_of(key) for key in by_month])
        entries = [entry for key in sorted(by_month) for entry in by_month[key]]
        requests.append(
            dg.RunRequest(
                job_name=run_plan.job_name,
                partition_key=run_plan.partition_key,
                run_key="+".join(sorted(by_month)) + ":" + "+".join(state for _, state in entries),
                tags={
                    **run_plan.tags,
                    MONTHS_TAG: ", ".join(sorted(by_month)),
                    FILES_TAG: ", ".join(n for n, _ in entries),
                },
            )
        )
    for path, reason in refused:  # links and pipes are not read: a receive run records their refusal
        name = readable_name(str(path.relative_to(warehouse.inbox)))[0]
        if name not in launched:
            context.log.warning(f"{name}: {reason}; recording the refusal")
            launched[name] = now_seen[name] = [0, 0]
            unreadable.append(f"{name}@refused")
    if unreadable:
        requests.append(dg.RunRequest(job_name=receive_files.name, run_key="receive:" + "+".join(unreadable)))
    cursor = {"seen": now_seen, "launched": {k: v for k, v in launched.items() if k in now_seen}}
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(cursor, sort_keys=True))


def briefing_schedule(settings: Settings) -> dg.ScheduleDefinition:
    """The monthly refresh before the briefing, at the settings' cron and time zone."""
    return dg.ScheduleDefinition(
        name="monthly_briefing_schedule",
        job=monthly_briefing,
        cron_schedule=settings.briefing_cron,
        execution_timezone=settings.briefing_timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Before the briefing meeting (default 06:00 Asia/Ho_Chi_Minh on the 25th): rebuild, "
        "re-validate, re-publish and write the briefing packs.",
    )


def _advice(errors: str) -> str:
    text = errors.lower()
    if "could not set lock" in text or "conflicting lock" in text:
        return "Another process held the warehouse file. Wait for it to finish, then re-execute this run."
    if "dbt" in text and ("test" in text or "fail" in text):
        return (
            "A dbt test or model failed: a defect of the warehouse's own transformations. Nothing was published; "
            "the serving database is unchanged. Read the step log, fix the model, then re-execute the run."
        )
    if "workbook" in text or "sheet" in text:
        return (
            "A workbook could not be processed: check audit.rejected_files and ask the reporting unit (the district, "
            "or from 07/2025 the commune) to resend."
        )
    return "Read the failed step's log in the Dagster UI (or data/logs/), fix the cause, then re-execute the run."


def failure_message(run: dg.DagsterRun, step_errors: list[tuple[str, str]], at: dt.datetime) -> str:
    """What failed, for which reporting unit (a district, or from 07/2025 a commune) and month, and what to do."""
    partition = run.tags.get("dagster/partition")
    if partition:
        month = month_of(partition)
        scope = f"month {month:%m/%Y} (every {template_for(None, month).reporting_level}'s workbooks)"
    elif "dagster/asset_partition_range_start" in run.tags:
        scope = (
            f"months {month_of(run.tags['dagster/asset_partition_range_start']):%m/%Y} to "
            f"{month_of(run.tags['dagster/asset_partition_range_end']):%m/%Y}"
        )
    elif run.tags.get(MONTHS_TAG):
        scope = "the new workbooks of " + ", ".join(f"{month_of(m):%m/%Y}" for m in run.tags[MONTHS_TAG].split(", "))
    else:
        scope = "all loaded months"
    files = run.tags.get(FILES_TAG)
    steps = "; ".join(f"{step}: {error}" for step, error in step_errors) or "the run failed before any step ran"
    lines = [
        f"{at:%Y-%m-%d %H:%M:%S} RUN FAILED {run.job_name} (run {run.run_id}) for {scope}"
        + (f", files {files}" if files else ""),
        f"  what failed: {steps}",
        f"  what to do: {_advice(steps)}",
    ]
    return "\n".join(lines)


def write_alert(run: dg.DagsterRun, errors: list[tuple[str, str]], data_dir: Path) -> str:
    """Append the failure's alert to <data_dir>/reports/alerts.log (the sensor's and `ntm-ocop run`'s); returns it."""
    from publishing.serving_postgres import redacted

    # an error can quote a connection string: no password reaches the alert
    message = redacted(failure_message(run, errors, dt.datetime.now().replace(microsecond=0)))
    alerts = data_dir / "reports" / "alerts.log"
    alerts.parent.mkdir(parents=True, exist_ok=True)
    with alerts.open("a", encoding="utf-8") as log:
        log.write(message + "\n")
    return message


def step_errors(events) -> list[tuple[str, str]]:
    """(step, first line of its innermost error) of the failed steps among a run's events."""
    return [
        (event.step_key or "run", _root_message(event.event_specific_data.error))
        for event in events
        if event.is_step_failure and event.event_specific_data and event.event_specific_data.error
    ]


def _root_message(error) -> str:
    """The first line of the innermost error (Dagster wraps the asset's own exception)."""
    while error.cause is not None:
        error = error.cause
    lines = (error.message or "").strip().splitlines()
    first = lines[0] if lines else ""
    if error.cls_name == "Failure":  # raised on purpose (dg.Failure): its description says what failed
        first = first.partition(": ")[2] or first
    return (first or error.cls_name or "unknown error")[:500]


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes what failed, for which district and month, and what to do, to the run log and to "
    "data/reports/alerts.log.",
)
def alert_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    errors = [
        (event.step_key or "run", _root_message(event.event_specific_data.error))
        for event in context.get_step_failure_events()
        if event.event_specific_data and event.event_specific_data.error
    ]
    if not errors and context.failure_event.message:
        errors = [("run", context.failure_event.message.strip().splitlines()[0][:500])]
    message = write_alert(context.dagster_run, errors, Settings.load().data_dir)
    context.instance.report_engine_event(message, dagster_run=context.dagster_run)
    context.log.error(message)


@dg.definitions
def automation() -> dg.Definitions:
    """The sensors and the schedule; the schedule's time is read from the settings when the location loads."""
    return dg.Definitions(sensors=[inbox_sensor, alert_on_run_failure], schedules=[briefing_schedule(Settings.load())])
