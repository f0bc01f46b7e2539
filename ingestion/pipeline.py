"""Inbox -> landing -> raw tables, as two steps the orchestrator calls.

1. :func:`receive_inbox` copies every new file to landing (named by its sha256) and records
   it in ``audit.received_files`` with status ``received``. A file seen before (same
   sha256) is not received twice. :func:`classify_received` reads the cover of each new file:
   its reporting unit and month (the month is the Dagster partition it is read into), or a rejection when even
   the cover cannot be read.
2. :func:`load_received` reads every ``received`` file (and re-reads the loaded files of the months
   asked for: the Dagster partitions of a backfill), and either loads it (status ``loaded``; a workbook
   for the same district and month loaded earlier becomes ``superseded`` and its rows leave
   the raw tables) or rejects it (``rejected``, with the reason in ``audit.rejected_files``).
   Rows a workbook could not read go to ``audit.rejected_rows``. One bad file never stops the
   others.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ingestion import isolation, warehouse
from ingestion.landing import inbox_files, land, land_record, readable_name
from ingestion.reader import WorkbookRejected
from ingestion.reference import admin_units_frame, crosswalk_frame


@dataclass
class ReceiveSummary:
    received: int = 0
    already_seen: int = 0
    resent: list[str] = field(default_factory=list)  # files whose bytes were received before, sent again
    lock_files_skipped: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # inbox entry -> why it was not received as a file


@dataclass
class LoadSummary:
    read: list[str] = field(default_factory=list)  # file names of the workbooks read, in order
    loaded: list[str] = field(default_factory=list)  # file names
    rejected: dict[str, str] = field(default_factory=dict)  # file name -> reason
    superseded: list[str] = field(default_factory=list)  # sha256 of files no longer current
    rows_loaded: dict[str, int] = field(default_factory=dict)  # raw table -> rows inserted
    rows_rejected: int = 0
    months: set[tuple[str, dt.date]] = field(default_factory=set)  # (province, month) touched
    read_months: dict[str, dt.date] = field(default_factory=dict)  # file name -> the month its cover names

    @property
    def months_read(self) -> set[dt.date]:
        """The reporting months this load read a workbook of (loaded, rejected or superseded)."""
        return set(self.read_months.values())


# Reporting months the warehouse accepts: from 01/2010 (the programme's first full year; Decision 491/QĐ-TTg of
# 2009 set the first criteria); a month after the current one is a typing error.
FIRST_MONTH = dt.date(2010, 1, 1)


POISON_REASON = (
    "the file was being read when an earlier load stopped (crashed or was killed); it is not read again: "
    "ask the district to send it again"
)


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def month_problem(period: dt.date, today: dt.date | None = None) -> str | None:
    """Why a cover's reporting month cannot be loaded, or None."""
    today = today or dt.date.today()
    if period < FIRST_MONTH:
        return f"the reporting month {period:%m/%Y} is before {FIRST_MONTH:%m/%Y}, the warehouse's first month"
    if period > today.replace(day=1):
        return f"the reporting month {period:%m/%Y} has not begun yet (today is {today:%d/%m/%Y}); check 'Kỳ báo cáo'"
    return None


def receive_inbox(con: duckdb.DuckDBPyConnection, inbox: Path, landing_dir: Path) -> ReceiveSummary:
    """Land every new file of the inbox; record what is refused (links, pipes) with its reason."""
    summary = ReceiveSummary()
    if not inbox.exists():
        return summary
    files, locks, refused = inbox_files(inbox)
    summary.lock_files_skipped = [readable_name(p.name)[0] for p in locks]
    known = {row[0] for row in con.execute("select file_sha256 from audit.received_files").fetchall()}
    # when each (bytes, inbox path) was last seen: a resend is the same bytes under a new path, or a newer copy
    seen = {
        (sha, path): when
        for sha, path, when in con.execute(
            "select file_sha256, inbox_path, max(seen_time) from (select file_sha256, inbox_path, received_at "
            "as seen_time from audit.received_files union all select file_sha256, inbox_path, seen_at "
            "from audit.resent_files) group by all"
        ).fetchall()
    }
    rows = []
    resent = []
    received_at = now()
    entries = [(path, None) for path in files] + list(refused)
    for path, refusal in entries:
        landed = land(path, landing_dir) if refusal is None else land_record(path, refusal, landing_dir)
        if landed.sha256 in known:
            summary.already_seen += 1
            inbox_path = readable_name(str(path))[0]
            last = seen.get((landed.sha256, inbox_path))
            modified = dt.datetime.fromtimestamp(path.lstat().st_mtime)
            # newer than its last receipt by more than the clock's grain (received_at is to the second)
            if refusal is None and (last is None or modified > last + dt.timedelta(seconds=2)):
                name = readable_name(landed.file_name)[0]
                resent.append({"file_sha256": landed.sha256, "file_name": name, "inbox_path": inbox_path,
                               "seen_at": received_at})  # fmt: skip
                seen[(landed.sha256, inbox_path)] = received_at
                summary.resent.append(name)
            continue
        known.add(landed.sha256)
        name, name_bytes = readable_name(landed.file_name)
        rows.append(
            {
                "file_sha256": landed.sha256,
                "file_name": name,
                "file_name_bytes": name_bytes,
                "inbox_path": readable_name(str(path))[0],
                "size_bytes": landed.size_bytes,
                "received_at": received_at,
                "landed_path": str(landed.landed_path),
                "status": "received" if refusal is None else "rejected",
                "status_reason": refusal,
            }
        )
        if refusal is not None:
            summary.refused[name] = refusal
    summary.received = warehouse.insert_rows(con, "audit.received_files", rows)
    warehouse.insert_rows(con, "audit.resent_files", resent)
    warehouse.insert_rows(
        con,
        "audit.rejected_files",
        [
            {"file_name": r["file_name"], "file_sha256": r["file_sha256"], "received_at": received_at,
             "reason": r["status_reason"]}
            for r in rows if r["status"] == "rejected"
        ],
    )  # fmt: skip
    return summary


@dataclass
class ClassifySummary:
    rejected: dict[str, str] = field(default_factory=dict)  # file name -> reason


def _failure_reason(outcome: object) -> str | None:
    """Why a file read in a worker (ingestion/isolation.py) is rejected, or None when it was read."""
    if isinstance(outcome, WorkbookRejected):
        return outcome.reason
    if isinstance(outcome, isolation.ReadFailed):
        return outcome.reason
    return None


def _reject(status: dict[str, dict[str, Any]], rejected: dict[str, str], sha: str, name: str, reason: str) -> None:
    """A whole file rejected: its status for audit.received_files, its reason for the summary."""
    status[sha] = {"status": "rejected", "status_reason": reason}
    rejected[name] = reason


def classify_received(con: duckdb.DuckDBPyConnection, limits: isolation.Limits | None = None) -> ClassifySummary:
    """Read the cover of every received file not yet classified: its reporting unit and month, or rejected."""
    summary = ClassifySummary()
    pending = con.execute(
        "select file_sha256, file_name, landed_path from audit.received_files "
        "where status = 'received' and reporting_unit_code is null order by received_at, file_name"
    ).fetchall()
    status: dict[str, dict[str, Any]] = {}
    covers = isolation.read_files("cover", [Path(landed_path) for _, _, landed_path in pending], limits)
    for (sha, name, _), (_, cover) in zip(pending, covers, strict=True):
        problem = _failure_reason(cover)
        if problem is None:
            problem = month_problem(cover.period_month)
        if problem:
            _reject(status, summary.rejected, sha, name, problem)
            # whom and when the cover names, as written, so the unit can be told (publishing/feedback.py)
            status[sha].update(getattr(cover, "written", None) or {})
            continue
        status[sha] = {
            "status": "received",
            "status_reason": None,
            "province_code": cover.province_code,
            "district_code": cover.district_code,
            "reporting_unit_code": cover.reporting_unit_code,
            "reporting_unit_level": cover.reporting_level,
            "period_month": cover.period_month,
            "report_date": cover.report_date,
        }
    _write(con, {}, [], status, LoadSummary())
    return summary


def pending_unit_months(con: duckdb.DuckDBPyConnection) -> set[tuple[str, dt.date]]:
    """Reporting unit-months (district or commune) with a classified file waiting to be loaded."""
    rows = con.execute(
        "select distinct reporting_unit_code, period_month from audit.received_files "
        "where status = 'received' and reporting_unit_code is not null"
    ).fetchall()
    return {(d, m) for d, m in rows}


@dataclass
class MonthLedger:
    """One reporting month as the raw tables hold it after a load: its Dagster partition's metadata."""

    month: dt.date
    reporting_level: str
    files_read: list[str] = field(default_factory=list)  # by this load, in order
    units_loaded: dict[str, list[str]] = field(default_factory=dict)  # province -> its units with a current workbook
    units_missing: dict[str, list[str]] = field(default_factory=dict)  # province -> its units expected, not loaded


# The units that report on NTM in a month, in the provinces that sent something: to 06/2025 the districts that had a
# rural commune (xã) that month, from 07/2025 the xã themselves (phường and đặc khu do not report). The same rule
# as dbt's int_province_months__coverage (tests/test_pipeline.py and the coverage figures of the end-to-end tests).
_EXPECTED_UNITS = """
with loaded as (
    select distinct province_code, reporting_unit_code, reporting_unit_level, period_month
    from audit.received_files
    where status = 'loaded' and period_month in (select unnest($months::date[]))
),
versions as (
    select *, coalesce(valid_to, date '9999-12-31') as valid_until from raw.admin_units
),
province_months as (select distinct province_code, period_month, reporting_unit_level from loaded),
expected as (
    select distinct pm.province_code, pm.period_month, districts.unit_code
    from province_months as pm
    inner join versions as districts
        on districts.unit_level = 'district' and districts.parent_code = pm.province_code
        and last_day(pm.period_month) between districts.valid_from and districts.valid_until
    inner join versions as communes
        on communes.unit_level = 'commune' and communes.unit_type = 'Xã' and communes.parent_code = districts.unit_code
        and last_day(pm.period_month) between communes.valid_from and communes.valid_until
    where pm.reporting_unit_level = 'district'
    union
    select pm.province_code, pm.period_month, communes.unit_code
    from province_months as pm
    inner join versions as communes
        on communes.unit_level = 'commune' and communes.unit_type = 'Xã' and communes.parent_code = pm.province_code
        and last_day(pm.period_month) between communes.valid_from and communes.valid_until
    where pm.reporting_unit_level = 'commune'
)
select period_month, province_code, reporting_unit_code, 'loaded' as state, reporting_unit_level from loaded
union all
select period_month, province_code, unit_code, 'missing', null from expected
where (province_code, period_month, unit_code) not in (
    select (province_code, period_month, reporting_unit_code) from loaded
)
order by 1, 2, 3
"""


def month_ledgers(
    con: duckdb.DuckDBPyConnection, summary: LoadSummary, months: Iterable[dt.date] = ()
) -> list[MonthLedger]:
    """The months this load read files of (and `months`, read again even if they had none), each with its files,
    its units loaded and its units missing."""
    months = sorted(summary.months_read | set(months))
    if not months:
        return []
    from ingestion.template import template_for

    ledgers = {m: MonthLedger(m, template_for(None, m).reporting_level) for m in months}
    for name, month in summary.read_months.items():
        ledgers[month].files_read.append(name)
    for month, province, unit, state, _level in con.execute(_EXPECTED_UNITS, {"months": months}).fetchall():
        into = ledgers[month].units_loaded if state == "loaded" else ledgers[month].units_missing
        into.setdefault(province, []).append(unit)
    return [ledgers[m] for m in months]


def load_reference_units(con: duckdb.DuckDBPyConnection) -> int:
    """The dated unit table and the 2025 crosswalk, as committed in ingestion/data/, into the raw schema."""
    rows = warehouse.replace_table(con, "raw.admin_units", admin_units_frame())
    warehouse.replace_table(con, "raw.commune_crosswalk_2025", crosswalk_frame())
    return rows


def load_received(
    con: duckdb.DuckDBPyConnection,
    reread_months: Iterable[dt.date] = (),
    *,
    limits: isolation.Limits | None = None,
) -> LoadSummary:
    """Load the received files, and read again the loaded workbooks of `reread_months`.

    Every new workbook is read, whatever its month: a resubmission reads that one file, and the
    workbook it replaces leaves by its file_sha256. Re-reading a month (a backfill, a Dagster
    partition materialised by hand) reads its current workbooks with the new ones, so its raw rows
    come from the files on record, read by this version of the reader.
    """
    summary = LoadSummary()
    reread_months = set(reread_months)
    pending = con.execute(
        "select file_sha256, file_name, landed_path, received_at, reporting_unit_code, period_month, status "
        "from audit.received_files where status in ('received', 'loaded') order by received_at, file_name"
    ).fetchall()
    pending = [p for p in pending if p[6] == "received" or p[5] in reread_months]
    reloaded = [p[0] for p in pending if p[6] == "loaded"]
    # What is loaded now (and not re-read), per reporting unit and month: (report_date, received_at, sha256).
    current: dict[tuple[str, dt.date], tuple[dt.date | None, dt.datetime, str]] = {
        (d, m): (rd, ra, sha)
        for d, m, rd, ra, sha in con.execute(
            "select reporting_unit_code, period_month, report_date, received_at, file_sha256 "
            "from audit.received_files where status = 'loaded'"
        ).fetchall()
        if sha not in reloaded
    }
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rejected_rows: list[dict[str, Any]] = []
    status: dict[str, dict[str, Any]] = {}
    # A file in a reader's hands when an earlier load died is not read again (it may be what killed it).
    in_flight = Path(pending[0][2]).parent / ".reading.json" if pending else None
    died_on = set(isolation.left_in_flight(in_flight)) if in_flight else set()
    for sha, name, *_ in [p for p in pending if p[2] in died_on]:
        _reject(status, summary.rejected, sha, name, POISON_REASON)
    pending = [p for p in pending if p[2] not in died_on]
    results = isolation.read_files("workbook", [Path(p[2]) for p in pending], limits, in_flight=in_flight)
    for (sha, name, _, received_at, _, month, _), (_, result) in zip(pending, results, strict=True):
        summary.read.append(name)
        month = getattr(getattr(result, "cover", None), "period_month", None) or month  # as read, else as classified
        if month is not None:
            summary.read_months[name] = month
        reason = _failure_reason(result)
        if reason is None and result.cover.report_date and result.cover.report_date > received_at.date():
            reason = (
                f"cover: Ngày lập {result.cover.report_date:%d/%m/%Y} is after the day the file was received "
                f"({received_at:%d/%m/%Y}); check the date"
            )
        if reason is not None:
            _reject(status, summary.rejected, sha, name, reason)
            continue
        cover = result.cover
        scope = {
            "file_sha256": sha,
            "province_code": cover.province_code,
            "district_code": cover.district_code,
            "reporting_unit_code": cover.reporting_unit_code,
            "period_month": cover.period_month,
        }
        key = (cover.reporting_unit_code, cover.period_month)
        info = {
            **scope,
            "reporting_unit_level": cover.reporting_level,
            "report_date": cover.report_date,
            "notes": "; ".join(result.notes) or None,
        }
        info["rows_rejected"] = len(result.rejections)
        info["rows_loaded"] = sum(len(rows) for rows in result.tables.values())
        earlier = current.get(key)
        if earlier is not None and _order(earlier[0], earlier[1]) > _order(cover.report_date, received_at):
            reason = (
                f"an earlier-received workbook for the same {cover.reporting_level} and month is newer "
                f"(file {earlier[2][:12]})"
            )
            status[sha] = {**info, "status": "superseded", "status_reason": reason}
            summary.superseded.append(sha)
            continue
        if earlier is not None:
            old_sha = earlier[2]
            status[old_sha] = {"status": "superseded", "status_reason": f"replaced by file {sha[:12]} ({name})"}
            summary.superseded.append(old_sha)
            for rows in tables.values():  # it may have been read in this same run
                rows[:] = [r for r in rows if r["file_sha256"] != old_sha]
            rejected_rows[:] = [r for r in rejected_rows if r["file_sha256"] != old_sha]
        current[key] = (cover.report_date, received_at, sha)
        status[sha] = {**info, "status": "loaded", "status_reason": None}
        summary.loaded.append(name)
        summary.months.add((cover.province_code, cover.period_month))
        tables["raw.workbook_covers"].append(
            {
                **scope,
                "reporting_unit_level": cover.reporting_level,
                "commune_code": cover.commune_code,
                "commune_group": cover.commune_group,
                "commune_name_written": cover.commune_name_written,
                "sheet": cover.sheet,
                "row_number": cover.row_number,
                "file_name": name,
                "report_date": cover.report_date,
                "province_name_written": cover.province_name_written,
                "district_name_written": cover.district_name_written,
                "prepared_by": cover.prepared_by,
                "template_version": cover.template_version,
                "received_at": received_at,
                "is_sample": cover.is_sample,
                "template_read": result.template_read,
                "sheets_read": ",".join(result.sheets_read),
            }
        )
        for table, rows in result.tables.items():
            tables[f"raw.{table}"].extend({**row, **scope} for row in rows)
        rejected_rows.extend(
            {
                "file_sha256": sha,
                "file_name": name,
                "sheet": r.sheet,
                "row_number": r.row_number,
                "column_name": r.column_name,
                "value": r.value,
                "reason": r.reason,
            }
            for r in result.rejections
        )
    _write(con, tables, rejected_rows, status, summary, replaced=reloaded)
    return summary


class UnknownFile(ValueError):
    pass


def reject_by_hand(con: duckdb.DuckDBPyConnection, which: str, reason: str) -> tuple[str, str, str]:
    """Take a received file out of the warehouse: its rows leave, it is recorded as rejected with `reason`.

    `which` is the file's name as received, or its sha256 (or a prefix of at least 8 characters). The file stays in
    landing; the same content in the inbox is not received again. Returns (file name, sha256, previous status).
    """
    if not reason.strip():
        raise ValueError("give the reason (--reason): it is what the audit tables and the office will read")
    sha, name, previous, received_at = _one_file(con, which)
    text = f"rejected by hand: {reason.strip()}"
    con.execute("begin transaction")
    try:
        for table in warehouse.WORKBOOK_TABLES:
            con.execute(f"delete from {table} where file_sha256 = ?", [sha])
        con.execute("delete from audit.rejected_rows where file_sha256 = ?", [sha])
        con.execute(
            "update audit.received_files set status = 'rejected', status_reason = ? where file_sha256 = ?", [text, sha]
        )
        con.execute("delete from audit.rejected_files where file_sha256 = ?", [sha])
        con.execute(
            "insert into audit.rejected_files (file_name, file_sha256, received_at, reason) values (?, ?, ?, ?)",
            [name, sha, received_at, text],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return name, sha, previous


def _one_file(con: duckdb.DuckDBPyConnection, which: str) -> tuple[str, str, str, dt.datetime]:
    """(sha256, name, status, received at) of the one received file named `which` or whose sha256 starts so."""
    rows = con.execute(
        "select file_sha256, file_name, status, received_at from audit.received_files "
        "where file_name = ? or (length(?) >= 8 and starts_with(file_sha256, lower(?)))",
        [which, which, which],
    ).fetchall()
    if not rows:
        raise UnknownFile(f"no received file is named {which!r} or has a sha256 starting so")
    if len(rows) > 1:
        listed = "; ".join(f"{sha[:12]} {name} ({state})" for sha, name, state, _ in rows)
        raise UnknownFile(f"{which!r} names {len(rows)} received files ({listed}): give the sha256")
    return rows[0]


def reinstate(con: duckdb.DuckDBPyConnection, which: str, reason: str) -> tuple[str, str, str | None]:
    """Make an earlier workbook of a unit and month its current one again (a later one was sent by mistake).

    `which` names a superseded file as `reject_by_hand` does. The workbook current now for that unit and month
    leaves the raw tables and is superseded; the one named is read again by the next load, whatever their dates
    (a later workbook sent after this still replaces it, by the usual rule). Both stay in landing; the change is
    recorded in audit.reinstated_files. Returns (file name, sha256, name of the file it replaces or None).
    """
    if not reason.strip():
        raise ValueError("give the reason (--reason): it is what the audit tables and the office will read")
    sha, name, status, _ = _one_file(con, which)
    if status != "superseded":
        why = {
            "loaded": "it is already the current workbook of its unit and month",
            "received": "it is waiting to be read: the next `ntm-ocop run` reads it",
            "rejected": "it was rejected (see audit.rejected_files); a rejected file is sent again, not reinstated",
        }.get(status, f"its status is {status}")
        raise ValueError(f"{name} cannot be reinstated: {why}")
    unit, month = con.execute(
        "select reporting_unit_code, period_month from audit.received_files where file_sha256 = ?", [sha]
    ).fetchone()
    current = con.execute(
        "select file_sha256, file_name from audit.received_files "
        "where status = 'loaded' and reporting_unit_code = ? and period_month = ?",
        [unit, month],
    ).fetchall()
    replaced_sha, replaced_name = current[0] if current else (None, None)
    con.execute("begin transaction")
    try:
        if replaced_sha is not None:
            for table in warehouse.WORKBOOK_TABLES:
                con.execute(f"delete from {table} where file_sha256 = ?", [replaced_sha])
            con.execute("delete from audit.rejected_rows where file_sha256 = ?", [replaced_sha])
            con.execute(
                "update audit.received_files set status = 'superseded', status_reason = ? where file_sha256 = ?",
                [f"replaced by {name}, reinstated by hand: {reason.strip()}", replaced_sha],
            )
        con.execute(
            "update audit.received_files set status = 'received', status_reason = null where file_sha256 = ?", [sha]
        )
        con.execute(
            "insert into audit.reinstated_files values (?, ?, ?, ?)", [sha, replaced_sha, reason.strip(), now()]
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return name, sha, replaced_name


def _order(report_date: dt.date | None, received_at: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """Which of two workbooks for a district and month is later: by Ngày lập, then receipt."""
    return (report_date or dt.date.min, received_at)


def _write(con, tables, rejected_rows, status, summary: LoadSummary, replaced: list[str] = ()) -> None:
    """Apply one load in a single transaction: nothing half-written if it fails."""
    # Rows of superseded files leave; rows of re-read files are replaced by what was read now.
    superseded = [sha for sha, s in status.items() if s["status"] == "superseded"] + list(replaced)
    con.execute("begin transaction")
    try:
        if superseded:
            for table in warehouse.WORKBOOK_TABLES:
                con.execute(f"delete from {table} where file_sha256 in (select unnest(?))", [superseded])
            con.execute("delete from audit.rejected_rows where file_sha256 in (select unnest(?))", [superseded])
        for table in warehouse.WORKBOOK_TABLES:
            summary.rows_loaded[table] = warehouse.insert_rows(con, table, tables.get(table, []))
        summary.rows_rejected = warehouse.insert_rows(con, "audit.rejected_rows", rejected_rows)
        rejected_files = con.execute(
            "select file_name, file_sha256, received_at from audit.received_files "
            "where file_sha256 in (select unnest(?))",
            [[sha for sha, s in status.items() if s["status"] == "rejected"]],
        ).fetchall()
        warehouse.insert_rows(
            con,
            "audit.rejected_files",
            [
                {"file_name": n, "file_sha256": s, "received_at": t, "reason": status[s]["status_reason"]}
                for n, s, t in rejected_files
            ],
        )
        if status:
            updates = pd.DataFrame([{"file_sha256": sha, **values} for sha, values in status.items()])
            for column in (
                "province_code",
                "district_code",
                "reporting_unit_code",
                "reporting_unit_level",
                "period_month",
                "report_date",
                "rows_loaded",
                "rows_rejected",
                "notes",
            ):
                if column not in updates:
                    updates[column] = None
            con.register("_status", updates)
            con.execute(
                """
                update audit.received_files as f set
                    status = s.status,
                    status_reason = s.status_reason,
                    province_code = coalesce(cast(s.province_code as varchar), f.province_code),
                    district_code = coalesce(cast(s.district_code as varchar), f.district_code),
                    reporting_unit_code = coalesce(cast(s.reporting_unit_code as varchar), f.reporting_unit_code),
                    reporting_unit_level = coalesce(cast(s.reporting_unit_level as varchar), f.reporting_unit_level),
                    period_month = coalesce(cast(s.period_month as date), f.period_month),
                    report_date = coalesce(cast(s.report_date as date), f.report_date),
                    rows_loaded = coalesce(cast(s.rows_loaded as integer), f.rows_loaded),
                    rows_rejected = coalesce(cast(s.rows_rejected as integer), f.rows_rejected),
                    notes = coalesce(cast(s.notes as varchar), f.notes)
                from _status as s
                where f.file_sha256 = s.file_sha256
                """
            )
            con.unregister("_status")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
