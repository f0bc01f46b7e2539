"""`ntm-ocop status`: what a data engineer checks before the briefing.

Months loaded per province with the districts still missing, files received but not read yet, the
last Dagster runs and their outcome, and the rejected files and rows to chase with the districts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from orchestration.freshness import freshness
from orchestration.settings import Deadline
from publishing.briefing import vn_number

RUNS_SHOWN = 5
REJECTIONS_SHOWN = 20


def _months(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Per province and month, from the coverage model the `coverage` suite validates (as of the last build)."""
    try:
        rows = con.execute(
            """
            select coverage.province_code, units.unit_short_name, coverage.period_month, coverage.reporting_unit_level,
                coverage.units_reported, coverage.units_expected, coverage.units_missing
            from intermediate.int_province_months__coverage as coverage
            left join raw.admin_units as units
                on units.unit_level = 'province' and units.unit_code = coverage.province_code
                and last_day(coverage.period_month) between units.valid_from and coalesce(units.valid_to, '9999-12-31')
            order by coverage.province_code, coverage.period_month
            """
        ).fetchall()
    except duckdb.CatalogException:
        rows = []  # no dbt build has run yet
    if not rows:
        return ["Months loaded: none yet (put district workbooks in the inbox and run `ntm-ocop run`)."]
    lines = ["Months loaded (districts, or xã from 07/2025, reported / expected; missing):"]
    for province, name, month, level, reported, expected, missing in rows:
        gap = f"missing: {missing}" if missing else "complete"
        unit = "xã" if level == "commune" else "districts"
        lines.append(f"  {province} {name or ''} {month:%m/%Y}: {reported}/{expected} {unit} - {gap}")
    return lines


def _waiting(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Files received (kept in landing, recorded) but not read yet: a run stopped between the two (killed), or one
    still to come. The next `ntm-ocop run`, or the inbox sensor's next run, reads them."""
    rows = con.execute(
        "select file_name, received_at, period_month from audit.received_files where status = 'received' "
        "order by received_at, file_name"
    ).fetchall()
    if not rows:
        return []
    lines = [
        f"Received, not read yet: {len(rows)} file(s) (a run stopped before reading them?); `ntm-ocop run` reads them"
    ]
    for name, received, month in rows[:REJECTIONS_SHOWN]:
        lines.append(f"  {received:%d/%m/%Y %H:%M} {name}" + (f" ({month:%m/%Y})" if month else ""))
    if len(rows) > REJECTIONS_SHOWN:
        lines.append(f"  ... and {len(rows) - REJECTIONS_SHOWN} more (audit.received_files, status 'received')")
    return lines


def _rejections(con: duckdb.DuckDBPyConnection) -> list[str]:
    files = con.execute(
        "select file_name, received_at, reason from audit.rejected_files order by received_at desc, file_name"
    ).fetchall()
    rows = con.execute(
        """
        select f.file_name, coalesce(f.reporting_unit_level, 'district') || ' ' || f.reporting_unit_code,
            f.period_month, count(*) as rows, any_value(r.reason) as example
        from audit.rejected_rows as r
        inner join audit.received_files as f using (file_sha256)
        where f.status = 'loaded'
        group by all
        order by f.period_month desc, 2
        """
    ).fetchall()
    lines = [f"Rejected files to chase: {len(files)}"]
    lines += [f"  {received:%d/%m/%Y %H:%M} {name}: {reason}" for name, received, reason in files[:REJECTIONS_SHOWN]]
    if len(files) > REJECTIONS_SHOWN:
        lines.append(f"  ... and {len(files) - REJECTIONS_SHOWN} more (audit.rejected_files)")
    total = sum(r[3] for r in rows)
    lines.append(f"Rejected rows in loaded workbooks: {vn_number(total)} in {len(rows)} file(s)")
    for name, unit, month, count, example in rows[:REJECTIONS_SHOWN]:
        lines.append(f"  {unit} {month:%m/%Y} {name}: {count} row(s), e.g. {example}")
    if len(rows) > REJECTIONS_SHOWN:
        lines.append(f"  ... and {len(rows) - REJECTIONS_SHOWN} more files (audit.rejected_rows)")
    return lines


def _runs(dagster_home: Path) -> list[str]:
    if not (dagster_home / "dagster.yaml").exists():
        return ["Last runs: none (no Dagster instance yet)."]
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        records = instance.get_run_records(limit=RUNS_SHOWN)
        if not records:
            return ["Last runs: none yet."]
        from orchestration.planner import MONTHS_TAG

        lines = ["Last runs (newest first):"]
        for record in records:
            run = record.dagster_run
            started = record.start_time or record.create_timestamp.timestamp()
            when = f"{dt.datetime.fromtimestamp(started):%d/%m/%Y %H:%M}"
            months = run.tags.get("dagster/partition") or (
                f"{run.tags['dagster/asset_partition_range_start']} .. {run.tags['dagster/asset_partition_range_end']}"
                if "dagster/asset_partition_range_start" in run.tags
                else run.tags.get(MONTHS_TAG, "")  # the months whose new workbooks it read
            )
            lines.append(f"  {when} {run.job_name} {months} {run.status.value} (run {run.run_id[:8]})".rstrip())
    return lines


def _freshness(serving: Path, deadline: Deadline, now: dt.datetime | None = None) -> list[str]:
    published_at = None
    if serving.exists():
        with duckdb.connect(str(serving), read_only=True) as con:
            published_at = con.execute("select published_at from publication").fetchone()[0]
    now = now or dt.datetime.now().astimezone()
    return [f"Publication for the briefing: {freshness(published_at, now, deadline).describe()}"]


def render_status(warehouse: Path, dagster_home: Path, serving: Path | None, deadline: Deadline) -> str:
    if not warehouse.exists():
        return f"No warehouse at {warehouse} yet: run `ntm-ocop run`."
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.IOException as exc:
        return f"The warehouse {warehouse} is being written by a run ({exc}); try again when it ends."
    try:
        lines = [f"Warehouse {warehouse}", *_months(con), *_waiting(con), *_rejections(con)]
    finally:
        con.close()
    if serving is not None:
        lines += _freshness(serving, deadline)
    return "\n".join([*lines, *_runs(dagster_home)])
