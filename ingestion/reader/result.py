"""What reading a workbook gives: its cover, rows for each raw table, the rows rejected and why; or the rejection
of the whole file (:class:`WorkbookRejected`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


class WorkbookRejected(Exception):
    """The whole workbook is rejected; ``reason`` says why in words a clerk can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        # the unit and month the cover names, as written, when they could be read though the workbook is rejected
        # (a unit that did not exist that month, a template of another era): whom to tell (publishing/feedback.py)
        self.written: dict[str, Any] | None = None


class WorkbookNotFilled(WorkbookRejected):
    """A workbook with no figure in any sheet (a template sent back as it was sent): received and kept, nothing
    loaded, its unit not yet reported for the month (ingestion/reader/figures.py)."""


@dataclass
class Rejection:
    sheet: str
    row_number: int | None
    column_name: str | None
    value: str | None
    reason: str


@dataclass
class Cover:
    province_code: str
    district_code: str | None  # None for a commune's workbook (no districts from 07/2025)
    period_month: dt.date
    report_date: dt.date | None
    province_name_written: str | None
    district_name_written: str | None
    prepared_by: str | None
    template_version: str | None
    sheet: str
    row_number: int  # the row of "Kỳ báo cáo", the period the whole workbook is about
    reporting_level: str = "district"  # district | commune: who sent it
    commune_code: str | None = None  # the reporting commune (template 2026.1)
    commune_name_written: str | None = None
    commune_group: int | None = None  # Nhóm xã 1 | 2 | 3 (template 2026.1)
    is_sample: bool = False  # the cover carries values.SAMPLE_MARK (written by samples/, never by an office)
    commune_type: str | None = None  # Xã | Phường | Đặc khu: the NTM criteria apply to xã only

    @property
    def reporting_unit_code(self) -> str:
        """The unit that sent the workbook: the partition that loads it."""
        return (self.commune_code if self.reporting_level == "commune" else self.district_code) or ""


@dataclass
class WorkbookResult:
    cover: Cover
    tables: dict[str, list[dict[str, Any]]]
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    template_read: str | None = None  # the template's version the workbook was read as
    sheets_read: tuple[str, ...] = ()  # the keys of the template's sheets found in the file (in template order)


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
