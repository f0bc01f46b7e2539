"""Partitions of the ingestion assets: reporting month × reporting district.

A district's workbook for a month is one partition (``2023-12|061``), so a resubmission
re-loads that district's month only; the dbt models, checks and marts downstream are
unpartitioned and rebuild from every loaded partition (seconds, and province sums need all of
them). Districts are dynamic partitions, added when a district's first workbook is received.

Dimensions are ordered by name, so ``month`` comes before ``reporting_district``: the keys of
one month are contiguous, and a run over a range of months covers exactly those months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import dagster as dg

from ingestion.pipeline import FIRST_MONTH

MONTH_FORMAT = "%Y-%m"
MONTHS = dg.MonthlyPartitionsDefinition(start_date=FIRST_MONTH.strftime(MONTH_FORMAT), fmt=MONTH_FORMAT, end_offset=1)
DISTRICTS = dg.DynamicPartitionsDefinition(name="reporting_district")
DISTRICT_MONTHS = dg.MultiPartitionsDefinition({"month": MONTHS, "reporting_district": DISTRICTS})


def partition_key(district_code: str, month: dt.date) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({"month": month.strftime(MONTH_FORMAT), "reporting_district": district_code})


def district_month(key: str) -> tuple[str, dt.date]:
    """(district_code, first day of the month) of a partition key such as '2023-12|061'.

    Parsed from the text (dimensions in name order: month, then reporting_district), not looked
    up: a run over a range of months holds tens of thousands of keys.
    """
    month, district = str(key).split("|")
    return district, dt.datetime.strptime(month, MONTH_FORMAT).date()


def add_districts(instance: dg.DagsterInstance, district_codes: Iterable[str]) -> list[str]:
    """Register districts not yet known as partitions; returns the new ones."""
    new = sorted(set(district_codes) - set(instance.get_dynamic_partitions(DISTRICTS.name)))
    if new:
        instance.add_dynamic_partitions(DISTRICTS.name, new)
    return new
