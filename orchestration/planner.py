"""What to run for what is pending: one planner for the inbox sensor and `ntm-ocop run` alike.

- months to read again (`ntm-ocop backfill`): one `reread_months` run over the range of month partitions that holds
  them (Dagster runs a range of partitions as one run), reading every workbook of those months and every new one;
- workbooks waiting to be read (new or corrected, in any months): one `refresh_warehouse` run, unpartitioned, that
  reads exactly those files and records each month it read in raw/workbooks;
- nothing: the `monthly_briefing` job (rebuild, validate, publish).

Every plan is one run, so one dbt build, whatever the number of months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from orchestration.partitions import month_key

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
MONTHS_TAG = "ntm/months"  # the months whose new workbooks a refresh_warehouse run reads


@dataclass(frozen=True)
class RunPlan:
    job_name: str
    partition_key: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    summary: str = ""


def plan(pending_months: Iterable[dt.date], reread_months: Iterable[dt.date] = ()) -> RunPlan:
    """The run for the months with workbooks waiting to be read and the months to read again."""
    pending = sorted(set(pending_months))
    again = sorted(set(reread_months))
    waiting = f" and the new workbooks of {len(pending)} month(s)" if pending else ""
    if len(again) == 1:
        return RunPlan(
            "reread_months", partition_key=month_key(again[0]), summary=f"Re-reading {again[0]:%m/%Y}{waiting}"
        )
    if again:
        return RunPlan(
            "reread_months",
            tags={RANGE_START: month_key(again[0]), RANGE_END: month_key(again[-1])},
            summary=f"Re-reading every workbook of {again[0]:%m/%Y}-{again[-1]:%m/%Y}{waiting}",
        )
    if not pending:
        return RunPlan("monthly_briefing", summary="No new workbooks: rebuilding and re-publishing what is loaded")
    months = ", ".join(f"{m:%m/%Y}" for m in pending)
    return RunPlan(
        "refresh_warehouse",
        tags={MONTHS_TAG: ", ".join(month_key(m) for m in pending)},
        summary=f"Loading the new workbooks of {months}",
    )
