"""Partitions of the ingestion assets: reporting month × reporting unit.

The thing that sends a workbook is a reporting unit: a district up to 06/2025 (template 2024.1),
a commune from 07/2025. Its level comes from the dated unit dimension (raw.admin_units), not from
the partition: GSO codes of the two levels differ in width (3 and 5 digits). A unit's workbook for a
month is one partition (``2023-12|061``), so a resubmission re-loads that unit's month only; the dbt
models, checks and marts downstream are unpartitioned and rebuild from every loaded partition.
Reporting units are dynamic partitions, added when a unit's first workbook is received.

Dimensions are ordered by name, so ``month`` comes before ``reporting_unit``: the keys of
one month are contiguous, and a run over a range of months covers exactly those months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import dagster as dg

from ingestion.pipeline import FIRST_MONTH

MONTH_FORMAT = "%Y-%m"
MONTHS = dg.MonthlyPartitionsDefinition(start_date=FIRST_MONTH.strftime(MONTH_FORMAT), fmt=MONTH_FORMAT, end_offset=1)
REPORTING_UNITS = dg.DynamicPartitionsDefinition(name="reporting_unit")
UNIT_MONTHS = dg.MultiPartitionsDefinition({"month": MONTHS, "reporting_unit": REPORTING_UNITS})


def partition_key(unit_code: str, month: dt.date) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({"month": month.strftime(MONTH_FORMAT), "reporting_unit": unit_code})


def unit_month(key: str) -> tuple[str, dt.date]:
    """(reporting unit code, first day of the month) of a partition key such as '2023-12|061'.

    Parsed from the text (dimensions in name order: month, then reporting_unit), not looked
    up: a run over a range of months holds tens of thousands of keys.
    """
    month, district = str(key).split("|")
    return district, dt.datetime.strptime(month, MONTH_FORMAT).date()


def add_reporting_units(instance: dg.DagsterInstance, unit_codes: Iterable[str]) -> list[str]:
    """Register reporting units not yet known as partitions; returns the new ones."""
    new = sorted(set(unit_codes) - set(instance.get_dynamic_partitions(REPORTING_UNITS.name)))
    if new:
        instance.add_dynamic_partitions(REPORTING_UNITS.name, new)
    return new
