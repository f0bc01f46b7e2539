"""Partitions of the ingestion: the reporting month, with the reporting units as data inside it.

A month's partition of ``raw/workbooks`` stands for the workbooks of that month the warehouse has
read: it is materialised when a run read files of that month (a new or corrected workbook, or a
re-read of the whole month), and its metadata says which reporting units are loaded and which are
missing. The unit is a district up to 06/2025 (template 2024.1) and a commune from 07/2025; its
level comes from the template in force for the month, not from the partition. ~200 keys from
01/2010 on, where a partition per unit-month made 690,781 (docs/run-flow.md).
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

from ingestion.pipeline import FIRST_MONTH

MONTH_FORMAT = "%Y-%m"
MONTHS = dg.MonthlyPartitionsDefinition(start_date=FIRST_MONTH.strftime(MONTH_FORMAT), fmt=MONTH_FORMAT, end_offset=1)


def month_key(month: dt.date) -> str:
    return month.strftime(MONTH_FORMAT)


def month_of(key: str) -> dt.date:
    """The first day of the month of a partition key such as '2023-12'."""
    return dt.datetime.strptime(str(key), MONTH_FORMAT).date()
