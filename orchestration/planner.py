"""What to run for what is pending: one planner for the inbox sensor and `ntm-ocop run` alike.

Pending work is a set of reporting-unit months (partitions of raw/workbooks) with a new
or corrected workbook. The plan is one `refresh_warehouse` run:

- one pending partition: a run of that partition;
- several: a run over the range of partition keys that holds them all, tagged ``ntm/read: new`` so that
  the loader reads only the new workbooks in it: a unit that sent nothing new is not read again, wherever
  it falls in the range. Dagster reads a range of a month × unit partitioning as a rectangle (the months
  from first to last × the units from first to last in partition order), so the range runs from the first
  month and the first pending unit to the last month and the last pending unit;
- months to re-read (`ntm-ocop backfill`): a run over every unit of those months, reading every
  current workbook again (no tag: what a range selected in the Dagster UI does too).

Nothing pending and nothing to re-read: the `monthly_briefing` job (rebuild, validate, publish).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from orchestration.partitions import REPORTING_UNITS, partition_key

READ_TAG = "ntm/read"
READ_NEW = "new"  # the loader reads the run's partitions' workbooks not loaded yet, not the loaded ones again
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


@dataclass(frozen=True)
class RunPlan:
    job_name: str
    partition_key: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    summary: str = ""


def _order(units_in_order: Sequence[str]):
    position = {unit: index for index, unit in enumerate(units_in_order)}
    return lambda pair: (pair[1], position[pair[0]])  # month first, then units as partitions order them


def plan(
    pending: Iterable[tuple[str, dt.date]],
    units_in_order: Sequence[str],
    reread_months: Iterable[dt.date] = (),
) -> RunPlan:
    """The run for `pending` (unit, month) pairs and months to re-read, given the units' partition order."""
    pending = sorted(set(pending), key=_order(units_in_order))
    reread_months = sorted(set(reread_months))
    if reread_months:
        if not units_in_order:
            raise ValueError("no reporting unit has sent a workbook yet, so there is no partition to run")
        months = sorted(reread_months + [month for _, month in pending])
        return RunPlan(
            "refresh_warehouse",
            tags={
                RANGE_START: str(partition_key(units_in_order[0], months[0])),
                RANGE_END: str(partition_key(units_in_order[-1], months[-1])),
            },
            summary=f"Re-reading every unit's workbooks of {months[0]:%m/%Y}-{months[-1]:%m/%Y}"
            + (f" and {len(pending)} new unit-month(s)" if pending else ""),
        )
    if not pending:
        return RunPlan("monthly_briefing", summary="No new workbooks: rebuilding and re-publishing what is loaded")
    if len(pending) == 1:
        key = str(partition_key(*pending[0]))
        return RunPlan("refresh_warehouse", partition_key=key, tags={READ_TAG: READ_NEW}, summary=f"Loading {key}")
    position = {unit: index for index, unit in enumerate(units_in_order)}
    units = sorted({unit for unit, _ in pending}, key=position.__getitem__)
    first, last = str(partition_key(units[0], pending[0][1])), str(partition_key(units[-1], pending[-1][1]))
    return RunPlan(
        "refresh_warehouse",
        tags={RANGE_START: first, RANGE_END: last, READ_TAG: READ_NEW},
        summary=f"Loading {len(pending)} new unit-month(s) ({first} .. {last})",
    )


def units_in_partition_order(known: Sequence[str], new: Iterable[str]) -> list[str]:
    """The dynamic partitions' order once `new` units are added (they are added sorted, after the known ones)."""
    return [*known, *sorted(set(new) - set(known))]


def known_units(instance) -> list[str]:
    return list(instance.get_dynamic_partitions(REPORTING_UNITS.name))
