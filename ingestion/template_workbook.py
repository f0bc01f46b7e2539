"""`ntm-ocop template`: the workbook each reporting unit fills, written from the template declaration the reader
reads (ingestion/template.py), so that the reader and the template cannot disagree.

One workbook per reporting unit of a province in a month (a district up to 06/2025, a commune from 07/2025), in
the template in force: the cover pre-filled with the unit as valid in that month, the rows the warehouse knows
pre-filled (the district's xã in B01, the criteria of the set in force in C01, the plan codes), every cell to fill
unlocked, shaded and checked by Excel's data validation, everything else locked (sheet protection without a
password: an office that needs to change the layout can lift it). The totals of TongHop are left for the unit to
type: they are what the warehouse reconciles against the detail, so no formula computes them.

A template with every cell still empty is received and kept, and recorded as not filled in ("chưa điền số liệu"):
the unit is not yet reported (ingestion/reader/figures.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from ingestion import values as v
from ingestion.criteria import criterion_names, set_in_force
from ingestion.reader.villages import VILLAGE_LEVELS, VILLAGE_LEVELS_2024_2
from ingestion.reference import AdminUnits, Commune, Reference
from ingestion.template import (
    B07_STATUS,
    C01_STATUS,
    GUIDE_SHEET,
    LISTS_SHEET,
    TEMPLATES,
    Sheet,
    Template,
)

# Rows left for the unit to fill in a sheet of its own rows (more can be inserted: the protection allows it).
INPUT_ROWS = {
    "b02": 100,
    "b03": 60,
    "b04": 80,
    "b05": 24,
    "b08": 40,
    "b01n": 100,
    "c02": 60,
    "c03": 30,
    "c04": 40,
    "c05": 24,
}
FIRST_YEAR = 1990  # the earliest year of recognition a template accepts
OCOP_148_FROM = dt.date(2023, 2, 24)  # Decision 148/QĐ-TTg: the six product groups of today
# What each plan code counts, in the office's words (B06, C06: the codes are the contract, these are for reading).
PLAN_WORDS = {
    "XA_NTM": "Số xã đạt chuẩn NTM trong năm",
    "XA_NTM_NANG_CAO": "Số xã đạt chuẩn NTM nâng cao trong năm",
    "XA_NTM_KIEU_MAU": "Số xã đạt chuẩn NTM kiểu mẫu trong năm",
    "THON_NTM": "Số thôn, bản đạt chuẩn NTM trong năm",
    "THON_KIEU_MAU": "Số thôn, bản đạt chuẩn NTM kiểu mẫu trong năm",
    "SP_OCOP": "Số sản phẩm OCOP mới được công nhận trong năm",
    "SP_OCOP_4SAO": "Trong đó: số sản phẩm đạt 4 sao",
    "SP_OCOP_5SAO": "Trong đó: số sản phẩm đạt 5 sao",
    "KDC_KIEU_MAU": "Số khu dân cư kiểu mẫu trong năm",
    "HUYEN_NTM": "Huyện phấn đấu đạt chuẩn NTM trong năm (1: có, 0: không)",
    "XA_NTM_HIEN_DAI": "Xã phấn đấu đạt chuẩn NTM hiện đại trong năm (1: có, 0: không)",
}
COMMUNE_PLAN_WORDS = {"XA_NTM": "Xã phấn đấu đạt chuẩn NTM trong năm (1: có, 0: không)"}


@dataclass(frozen=True)
class ReportingUnit:
    """A unit that sends a workbook in the month: a district (to 06/2025) or a commune (from 07/2025)."""

    level: str  # district | commune
    code: str
    name: str
    short_name: str
    unit_type: str  # Huyện, Thị xã, Thành phố | Xã, Phường, Đặc khu
    communes: tuple[Commune, ...] = ()  # a district's xã valid in the month (B01's rows)


@dataclass
class Prefill:
    """Last month's accepted values of a unit (``--prefill``), by what they fill."""

    from_month: dt.date
    is_sample: bool = False
    commune_marks: dict[str, dict[int, bool]] = field(default_factory=dict)  # commune -> criterion -> met
    commune_rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # commune -> level, years, maintains
    products: list[dict[str, Any]] = field(default_factory=list)
    targets: dict[str, float] = field(default_factory=dict)


def slug(text: str) -> str:
    """A unit's name for a file name: without diacritics, lower case, words joined by '-' (Bắc Kạn -> bac-kan)."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def file_name(province_code: str, unit: ReportingUnit, period: dt.date) -> str:
    return f"mau-bao-cao-{province_code}-{unit.code}-{slug(unit.short_name)}-{period:%Y-%m}.xlsx"


def template_of(period: dt.date, version: str | None = None) -> Template:
    """The template to send for a month: the one asked for, else the latest in force (2024.2 for district months,
    2026.1 for commune months)."""
    if version is None:
        return next(t for t in reversed(TEMPLATES) if t.covers(period))
    for template in TEMPLATES:
        if template.version == version:
            if not template.covers(period):
                until = f"{template.valid_to:%m/%Y}" if template.valid_to else "today"
                raise ValueError(
                    f"template {version} is for reporting months {template.valid_from:%m/%Y}–{until}, "
                    f"not {period:%m/%Y}"
                )
            return template
    raise ValueError(f"template {version!r} is not one of {', '.join(t.version for t in TEMPLATES)}")


def reporting_units(reference: Reference, province_code: str, period: dt.date) -> list[ReportingUnit]:
    """The units of the province that report for the month, in the order of their codes."""
    province = reference.provinces[province_code]
    if province.districts:
        return [
            ReportingUnit("district", d.code, d.name, d.short_name, d.district_type, tuple(d.xa))
            for d in sorted(province.districts, key=lambda d: d.code)
        ]
    return [
        ReportingUnit("commune", c.code, c.name, c.short_name, c.unit_type)
        for c in sorted(province.communes, key=lambda c: c.code)
    ]


# --- the workbook ----------------------------------------------------------------------------------------------


class _Book:
    """A template being written: the workbook, its formats and the lists its dropdowns read (sheet DanhMuc)."""

    def __init__(self, path: Path):
        self.book = xlsxwriter.Workbook(str(path))
        self.book.set_properties({"title": "Mẫu báo cáo tháng NTM - OCOP", "author": "Văn phòng Điều phối NTM"})
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter", "text_wrap": True}
        fmt = lambda **kw: self.book.add_format({**base, **kw})  # noqa: E731
        self.title = fmt(bold=True, font_size=13, text_wrap=False)
        self.subtitle = fmt(italic=True, text_wrap=False)
        self.header = fmt(bold=True, border=1, align="center", bg_color="#D9E1F2")
        self.known = fmt(border=1, bg_color="#F2F2F2")  # pre-filled, locked
        self.known_number = fmt(border=1, bg_color="#F2F2F2", align="center")  # STT, criterion numbers
        self.label = fmt(bold=True, border=1, bg_color="#F2F2F2")
        self.input = fmt(border=1, bg_color="#FFF2CC", locked=False)
        self.input_date = fmt(border=1, bg_color="#FFF2CC", locked=False, num_format="dd/mm/yyyy")
        self.note = fmt(italic=True, font_color="#595959")
        self.text = fmt()
        self.bold = fmt(bold=True)
        self._lists: dict[str, str] = {}  # list name -> its range on DanhMuc
        self._list_values: list[tuple[str, Sequence[Any]]] = []

    def list_range(self, name: str, values: Sequence[Any]) -> str:
        """The range of DanhMuc holding a list (written once, whichever sheets use it)."""
        if name not in self._lists:
            col = len(self._list_values)
            letter = xlsxwriter.utility.xl_col_to_name(col)
            self._lists[name] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
            self._list_values.append((name, values))
        return self._lists[name]

    def finish(self) -> None:
        lists = self.book.add_worksheet(LISTS_SHEET)
        for col, (name, values) in enumerate(self._list_values):
            lists.write_string(0, col, name, self.bold)
            for row, value in enumerate(values, start=1):
                if isinstance(value, (int, float)):
                    lists.write_number(row, col, value)
                else:
                    lists.write_string(row, col, str(value))
            lists.set_column(col, col, 28)
        lists.hide()
        lists.protect("")
        self.book.close()


@dataclass(frozen=True)
class Check:
    """The data validation of a column: a dropdown, a whole or decimal number in bounds, a date; and its message."""

    kind: str  # list | integer | decimal | date | any
    message: str
    values: tuple[Any, ...] = ()
    list_name: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def options(self, book: _Book) -> dict[str, Any] | None:
        if self.kind == "any":
            return None
        options: dict[str, Any] = {
            "input_title": "Hướng dẫn",
            "input_message": self.message[:255],
            "error_title": "Giá trị không hợp lệ",
            "error_message": self.message[:255],
        }
        if self.kind == "list":
            return {**options, "validate": "list", "source": book.list_range(self.list_name, self.values)}
        if self.kind == "date":
            return {
                **options,
                "validate": "date",
                "criteria": "between",
                "minimum": dt.date(2000, 1, 1),
                "maximum": dt.date(2100, 12, 31),
            }
        if self.maximum is None:
            return {**options, "validate": self.kind, "criteria": ">=", "value": self.minimum or 0}
        return {
            **options,
            "validate": self.kind,
            "criteria": "between",
            "minimum": self.minimum or 0,
            "maximum": self.maximum,
        }


def _pick(what: str, name: str, values: Sequence[Any]) -> Check:
    shown = ", ".join(str(x) for x in values[:6]) + (" …" if len(values) > 6 else "")
    return Check("list", f"Chọn {what} trong danh sách ({shown}).", tuple(values), list_name=name)


def _whole(what: str, low: int = 0, high: int | None = None) -> Check:
    bounds = f"từ {low} đến {high}" if high is not None else f"từ {low} trở lên"
    return Check("integer", f"Nhập {what}: số nguyên {bounds}.", minimum=low, maximum=high)


def _amount(what: str, high: float | None = None) -> Check:
    tail = f", không quá {high:g}" if high is not None else ""
    return Check(
        "decimal", f"Nhập {what}: số không âm{tail}; dấu phẩy ngăn cách phần thập phân.", minimum=0, maximum=high
    )


def _date(what: str) -> Check:
    return Check("date", f"Nhập {what} dạng ngày/tháng/năm (ví dụ 15/03/2024).")


MARKS = ("Đạt", "Chưa đạt")
YES_NO = ("Có", "Không")


def _checks(template: Template, period: dt.date, communes: Sequence[Commune]) -> dict[tuple[str, str], Check]:
    """The validation of every column a unit fills, by (sheet key, column key)."""
    in_force = set_in_force(period)
    levels = [v.LEVELS.labels[c] for c in v.LEVELS.labels if in_force is None or c in in_force.levels]
    village_levels = VILLAGE_LEVELS_2024_2 if template.version == "2024.2" else VILLAGE_LEVELS
    groups = [
        label
        for code, label in v.OCOP_GROUPS.labels.items()
        if not code.endswith("_148" if period < OCOP_148_FROM else "_1048")
    ]
    sources = [
        label
        for code, label in v.FUND_SOURCES.labels.items()
        if not (template.reporting_level == "commune" and code == "district")
    ]
    commune_codes = [c.code for c in communes]
    year = _whole("năm (4 chữ số)", FIRST_YEAR, period.year)
    mark = _pick("Đạt hoặc Chưa đạt", "Đạt/Chưa đạt", MARKS)
    commune = _pick("mã xã", "Mã xã", commune_codes) if commune_codes else Check("any", "")
    ocop = {
        "product_code": Check("any", ""),
        "commune_code": commune,
        "producer_type": _pick("loại hình chủ thể", "Loại hình chủ thể", list(v.PRODUCER_TYPES.labels.values())),
        "group": _pick("nhóm sản phẩm", "Nhóm sản phẩm", groups),
        "stars": _pick("số sao (3, 4 hoặc 5)", "Số sao", (3, 4, 5)),
        "score": _amount("điểm đánh giá", 100),
        "decision_date": _date("ngày quyết định công nhận"),
        "expiry_date": _date("ngày hết hạn (để trống: 36 tháng kể từ ngày quyết định)"),
        "status": _pick("trạng thái", "Trạng thái", list(v.OCOP_STATUSES.labels.values())),
        "issuing_level": _pick("cấp công nhận", "Cấp công nhận", list(v.ISSUING_LEVELS.labels.values())),
    }
    funds = {
        "source": _pick("nguồn vốn", "Nguồn vốn", sources),
        "plan_year": _whole("năm kế hoạch", 2010, period.year + 1),
        "allocated": _amount("kế hoạch vốn giao (triệu đồng)"),
        "disbursed": _amount("giải ngân lũy kế (triệu đồng)"),
        "rate": _amount("tỷ lệ giải ngân (%)", 100),
    }
    checks: dict[tuple[str, str], Check] = {
        ("b01", "criteria"): mark,
        ("b01", "criteria_met"): _whole("số tiêu chí đạt", 0, max(template.criteria or [19])),
        ("b01", "level"): _pick("mức đạt chuẩn", "Mức đạt chuẩn", levels),
        ("b01", "year_ntm"): year,
        ("b01", "year_advanced"): year,
        ("b01", "year_model"): year,
        ("b01", "maintains"): _pick("Có hoặc Không", "Có/Không", YES_NO),
        ("b02", "commune_code"): commune,
        ("b02", "met"): mark,
        ("b03", "commune_code"): commune,
        ("b03", "level"): _pick("mức đạt chuẩn của thôn", "Mức đạt chuẩn thôn", list(village_levels.labels.values())),
        ("b03", "year"): year,
        ("b01n", "commune_code"): commune,
        ("b01n", "criterion"): _whole("số thứ tự tiêu chí nâng cao", 1, 19),
        ("b01n", "met"): mark,
        ("b07", "met"): mark,
        ("b08", "commune_code"): commune,
        ("b08", "round"): _whole("đợt đánh giá trong năm", 1, 12),
        ("b08", "dossier_type"): _pick("loại hồ sơ", "Loại hồ sơ", list(v.DOSSIER_TYPES.labels.values())),
        ("b08", "stage"): _pick("giai đoạn", "Giai đoạn", list(v.DOSSIER_STAGES.labels.values())),
        ("b08", "score"): _amount("điểm đánh giá", 100),
        ("b08", "stars_proposed"): _pick("số sao đề xuất", "Số sao", (3, 4, 5)),
        ("c01", "met"): mark,
        ("c01", "indicators_met"): _whole("số chỉ tiêu đạt", 0, 99),
        ("c01", "indicators_total"): _whole("tổng số chỉ tiêu của tiêu chí", 0, 99),
        ("c02", "met"): mark,
        ("c03", "level"): _pick("mức đạt chuẩn của thôn", "Mức đạt chuẩn thôn", list(VILLAGE_LEVELS.labels.values())),
        ("c03", "year"): year,
        ("b06", "planned"): _whole("chỉ tiêu kế hoạch năm", 0),
        ("c06", "planned"): _whole("chỉ tiêu kế hoạch năm", 0),
        # the label/value rows of C01 and B07
        ("c01", "level:status"): _pick("mức đạt chuẩn của xã", "Mức đạt chuẩn", levels),
        ("b07", "level:status"): _pick(
            "mức đạt chuẩn của huyện", "Mức đạt chuẩn huyện", list(v.DISTRICT_LEVELS.labels.values())
        ),
        ("b07", "dossier_status:status"): _pick(
            "tình trạng hồ sơ", "Tình trạng hồ sơ", list(v.DOSSIER_STATUSES.labels.values())
        ),
        ("b07", "target_year:status"): _whole("năm phấn đấu đạt chuẩn", period.year, period.year + 10),
    }
    for key in ("year_ntm", "year_modern", "year_advanced", "year_model", "year_recognised"):
        checks[("c01", f"{key}:status")] = year
        checks[("b07", f"{key}:status")] = year
    checks[("c01", "maintains:status")] = checks[("b07", "maintains:status")] = checks[("b01", "maintains")]
    for sheet in ("b04", "c04"):
        checks.update({(sheet, k): c for k, c in ocop.items()})
    for sheet in ("b05", "c05"):
        checks.update({(sheet, k): c for k, c in funds.items()})
    return checks


class _Writer:
    def __init__(
        self,
        book: _Book,
        template: Template,
        province,
        unit: ReportingUnit,
        period: dt.date,
        prefill: Prefill | None,
        communes_listed: Sequence[Commune],
    ):
        self.b, self.template, self.province, self.unit, self.period = book, template, province, unit, period
        self.prefill = prefill
        self.checks = _checks(template, period, communes_listed)
        self.in_force = set_in_force(period)

    # -- shared pieces

    def sheet(self, spec: Sheet, title: str, note: str = ""):
        ws = self.b.book.add_worksheet(spec.name)
        ws.write_string(0, 0, f"{title} - {self.unit.name.upper()}", self.b.title)
        ws.write_string(1, 0, note or f"(Kèm theo báo cáo tháng {self.period:%m/%Y})", self.b.subtitle)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.protect(
            "",
            {
                "insert_rows": True,
                "delete_rows": True,
                "format_columns": True,
                "format_rows": True,
                "sort": True,
                "autofilter": True,
            },
        )
        return ws

    def validate(self, ws, sheet_key: str, column_key: str, first: int, last: int, col: int) -> None:
        check = self.checks.get((sheet_key, column_key))
        options = check.options(self.b) if check else None
        if options:
            ws.data_validation(first, col, last, col, options)

    def header_row(self, ws, spec: Sheet, row: int, columns: Sequence[str] | None = None) -> list[str]:
        keys = list(columns or [c.key for c in spec.columns])
        for col, key in enumerate(keys):
            ws.write_string(row, col, spec.column(key).label, self.b.header)
            ws.set_column(col, col, _width(key))
        ws.set_row(row, 32)
        ws.repeat_rows(row)
        return keys

    def input_rows(
        self,
        ws,
        spec: Sheet,
        keys: Sequence[str],
        first: int,
        count: int,
        known: dict[int, dict[str, Any]] | None = None,
    ) -> None:
        """`count` rows from `first`: cells of known values locked, the others unlocked, shaded and validated."""
        known = known or {}
        for i in range(count):
            values = known.get(i, {})
            for col, key in enumerate(keys):
                self.cell(ws, first + i, col, values.get(key), prefilled=key in values and key in spec.prefilled)
        for col, key in enumerate(keys):
            if key not in spec.prefilled or not known:
                self.validate(ws, spec.key, key, first, first + count - 1, col)

    def cell(self, ws, row: int, col: int, value: Any, *, prefilled: bool = False, is_date: bool = False) -> None:
        fmt = self.b.known if prefilled else (self.b.input_date if is_date else self.b.input)
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.b.input_date)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(row, col, value, self.b.known_number if prefilled else fmt)
        else:
            ws.write_string(row, col, str(value), fmt)

    # -- sheets

    def cover(self, spec: Sheet) -> None:
        ws = self.b.book.add_worksheet(spec.name)
        ws.write_string(0, 0, "THÔNG TIN CHUNG", self.b.title)
        if self.prefill and self.prefill.is_sample:
            ws.write_string(1, 0, v.SAMPLE_MARK, self.b.bold)  # the values pre-filled are sample data: it says so
        else:
            ws.write_string(1, 0, "Các ô màu vàng do đơn vị điền; hướng dẫn ở trang HuongDan.", self.b.subtitle)
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 40)
        ws.set_column(2, 2, 60)
        xa = self.unit.level == "commune" and self.unit.unit_type == "Xã"
        values: dict[str, tuple[Any, str]] = {
            "province_code": (self.province.code, ""),
            "province_name": (self.province.name, ""),
            "district_code": (self.unit.code, ""),
            "district_name": (self.unit.name, ""),
            "commune_code": (self.unit.code, ""),
            "commune_name": (self.unit.name, ""),
            "period": (f"{self.period:%m/%Y}", ""),
            "template_version": (self.template.version, ""),
        }
        asks = {
            "report_date": "Đơn vị điền: ngày lập báo cáo (ngày/tháng/năm).",
            "prepared_by": "Đơn vị điền: họ tên, chức vụ người lập; số điện thoại liên hệ.",
            "commune_group": "Đơn vị điền: nhóm xã 1, 2 hoặc 3 theo Quyết định 51/2025/QĐ-TTg.",
        }
        if self.prefill:  # a template filled from last month is this month's only once the unit says so
            values["period"] = (
                None,
                f"Đơn vị chọn kỳ {self.period:%m/%Y} khi đã cập nhật số liệu của tháng này "
                "(số liệu điền sẵn là của tháng " + f"{self.prefill.from_month:%m/%Y}).",
            )
        row = 3
        order = (
            "province_code",
            "province_name",
            "district_code",
            "district_name",
            "commune_code",
            "commune_name",
            "commune_group",
            "period",
            "report_date",
            "prepared_by",
            "template_version",
        )
        for column in sorted(spec.columns, key=lambda c: order.index(c.key)):  # the unit, then the report
            if column.key == "commune_group" and not xa:
                continue
            ws.write_string(row, 0, column.label, self.b.label)
            if column.key in asks or values.get(column.key, (None,))[0] is None:
                note = asks.get(column.key) or values[column.key][1]
                self.cell(ws, row, 1, None, is_date=column.key == "report_date")
                ws.write_string(row, 2, note, self.b.note)
                check = {
                    "report_date": _date("ngày lập báo cáo"),
                    "commune_group": _pick("nhóm xã", "Nhóm xã", (1, 2, 3)),
                    "period": _pick("kỳ báo cáo", "Kỳ báo cáo", (f"{self.period:%m/%Y}",)),
                }.get(column.key)
                if check and (options := check.options(self.b)):
                    ws.data_validation(row, 1, row, 1, options)
            else:
                ws.write_string(row, 1, str(values[column.key][0]), self.b.known)
            row += 1
        ws.protect("", {"format_columns": True, "format_rows": True})
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.activate()

    def b01(self, spec: Sheet) -> None:
        criteria = list(self.template.criteria)
        ws = self.sheet(spec, "BIỂU 01: KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ XÃ NTM")
        labels = [c for c in spec.columns]
        head, tail = labels[:3], labels[4:]  # STT, Mã xã, Tên xã | Tiêu chí (merged) | Số tiêu chí đạt ...
        for col, column in enumerate(head):
            ws.merge_range(3, col, 4, col, column.label, self.b.header)
            ws.set_column(col, col, _width(column.key))
        first_mark, last_mark = len(head), len(head) + len(criteria) - 1
        ws.merge_range(3, first_mark, 3, last_mark, spec.column("criteria").label, self.b.header)
        for i, n in enumerate(criteria):
            ws.write_number(4, first_mark + i, n, self.b.header)
        ws.set_column(first_mark, last_mark, 5.5)
        for offset, column in enumerate(tail):
            col = last_mark + 1 + offset
            ws.merge_range(3, col, 4, col, column.label, self.b.header)
            ws.set_column(col, col, _width(column.key))
        ws.set_row(3, 30)
        ws.repeat_rows(3, 4)
        ws.freeze_panes(5, len(head))
        marks = self.prefill.commune_marks if self.prefill else {}
        rows = self.prefill.commune_rows if self.prefill else {}
        level_labels = v.LEVELS.labels
        for i, commune in enumerate(self.unit.communes):
            r = 5 + i
            for col, value in enumerate((i + 1, commune.code, commune.name)):
                self.cell(ws, r, col, value, prefilled=True)
            for j, n in enumerate(criteria):
                met = marks.get(commune.code, {}).get(n)
                self.cell(ws, r, first_mark + j, None if met is None else MARKS[0] if met else MARKS[1])
            known = rows.get(commune.code, {})
            tail_values = {
                "criteria_met": known.get("criteria_met"),
                "level": level_labels.get(known["level_code"]) if known.get("level_code") else None,
                "year_ntm": known.get("year_ntm"),
                "year_advanced": known.get("year_advanced"),
                "year_model": known.get("year_model"),
                "maintains": {True: "Có", False: "Không"}.get(known.get("maintains")),
                "note": None,
            }
            for offset, column in enumerate(tail):
                self.cell(ws, r, last_mark + 1 + offset, tail_values.get(column.key))
        last = 5 + max(len(self.unit.communes), 1) - 1
        ws.data_validation(5, first_mark, last, last_mark, self.checks[("b01", "criteria")].options(self.b))
        for offset, column in enumerate(tail):
            self.validate(ws, "b01", column.key, 5, last, last_mark + 1 + offset)

    def table(self, spec: Sheet, title: str, known: dict[int, dict[str, Any]] | None = None) -> None:
        """A sheet of the unit's own rows: title, header, rows to fill (some known: last month's, with --prefill)."""
        ws = self.sheet(spec, title)
        keys = self.header_row(ws, spec, 3)
        known = known or {}
        rows = max(INPUT_ROWS.get(spec.key, 50), len(known))
        self.input_rows(ws, spec, keys, 4, rows, known)
        ws.print_area(0, 0, 3 + rows, len(keys) - 1)  # the rows to fill print too (LibreOffice drops blank ones)
        ws.freeze_panes(4, 0)

    def plan(self, spec: Sheet) -> None:
        reporting = self.template.reporting_level
        codes = (
            v.COMMUNE_PLAN_TARGETS
            if reporting == "commune"
            else v.PLAN_TARGETS_2024_2
            if self.template.version == "2024.2"
            else v.PLAN_TARGETS
        ).labels
        targets = self.prefill.targets if self.prefill else {}
        ws = self.sheet(spec, f"BIỂU {spec.name[:3]}: CHỈ TIÊU KẾ HOẠCH NĂM {self.period.year}")
        keys = self.header_row(ws, spec, 3)
        ws.set_column(keys.index("description"), keys.index("description"), 60)
        words = {**PLAN_WORDS, **(COMMUNE_PLAN_WORDS if reporting == "commune" else {})}
        for i, code in enumerate(codes):
            values = {"target": code, "planned": targets.get(code), "description": words.get(code, "")}
            for col, key in enumerate(keys):
                self.cell(ws, 4 + i, col, values[key], prefilled=key in spec.prefilled)
        self.validate(ws, spec.key, "planned", 4, 4 + len(codes) - 1, keys.index("planned"))

    def c01(self, spec: Sheet) -> None:
        rural = self.unit.unit_type == "Xã"
        note = (
            f"(Kèm theo báo cáo tháng {self.period:%m/%Y}; bộ tiêu chí {self._set_words()})"
            if rural
            else f"({self.unit.unit_type} không đánh giá tiêu chí nông thôn mới: để trống biểu này)"
        )
        ws = self.sheet(spec, "BIỂU C01: KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ", note)
        keys = self.header_row(ws, spec, 3)
        ws.set_column(0, 0, 28)  # the status labels below the criteria
        if not rural or self.in_force is None:
            return
        names = criterion_names(self.in_force.code)
        marks = next(iter(self.prefill.commune_marks.values()), {}) if self.prefill else {}
        criteria = list(self.in_force.criteria)
        for i, n in enumerate(criteria):
            r = 4 + i
            met = marks.get(n)
            values = {
                "criterion": n,
                "criterion_name": names.get(n),
                "met": None if met is None else MARKS[0] if met else MARKS[1],
            }
            for col, key in enumerate(keys):
                self.cell(ws, r, col, values.get(key), prefilled=key in spec.prefilled)
        last = 4 + len(criteria) - 1
        for col, key in enumerate(keys):
            if key not in spec.prefilled:
                self.validate(ws, "c01", key, 4, last, col)
        known = next(iter(self.prefill.commune_rows.values()), {}) if self.prefill else {}
        r = last + 2
        for column in C01_STATUS:
            if column.key.startswith("year_") and column.key != "year_ntm":
                level = column.key.removeprefix("year_")
                if level not in self.in_force.levels:
                    continue
            ws.write_string(r, 0, column.label, self.b.label)
            value = known.get(column.key)
            if column.key == "level" and value:
                value = v.LEVELS.labels.get(known.get("level_code", ""), None)
            if column.key == "maintains" and value is not None:
                value = "Có" if value else "Không"
            self.cell(ws, r, 1, value)
            self.validate(ws, "c01", f"{column.key}:status", r, r, 1)
            r += 1

    def b07(self, spec: Sheet) -> None:
        ws = self.sheet(spec, "BIỂU 07: KẾT QUẢ XÂY DỰNG NTM CẤP HUYỆN")
        r = 3
        for column in B07_STATUS:
            ws.write_string(r, 0, column.label, self.b.label)
            self.cell(ws, r, 1, None)
            self.validate(ws, "b07", f"{column.key}:status", r, r, 1)
            r += 1
        header = r + 1
        keys = self.header_row(ws, spec, header)
        ws.set_column(0, 0, 26)  # the status labels above the table
        district_set = set_in_force(self.period, "district")
        if district_set is None:
            return
        names = criterion_names(district_set.code)
        for i, n in enumerate(district_set.criteria):
            values = {"criterion": n, "criterion_name": names.get(n)}
            for col, key in enumerate(keys):
                self.cell(ws, header + 1 + i, col, values.get(key), prefilled=key in spec.prefilled)
        self.validate(ws, "b07", "met", header + 1, header + len(district_set.criteria), keys.index("met"))

    def totals(self, spec: Sheet) -> None:
        vocabulary = v.COMMUNE_TOTALS if self.template.reporting_level == "commune" else v.DISTRICT_TOTALS
        ws = self.b.book.add_worksheet(spec.name)
        who = "XÃ" if self.template.reporting_level == "commune" else "HUYỆN"
        ws.write_string(0, 0, f"TỔNG HỢP CỦA {who}", self.b.title)
        ws.write_string(1, 0, "Đơn vị tự tổng hợp từ các biểu chi tiết; tiền: triệu đồng.", self.b.subtitle)
        ws.set_column(0, 0, 36)
        ws.set_column(1, 1, 16)
        for r, label in enumerate(vocabulary.labels.values(), start=2):  # the vocabulary's labels, in its order
            ws.write_string(r, 0, label, self.b.label)
            self.cell(ws, r, 1, None)
        check = _amount("số liệu tổng hợp của đơn vị")
        ws.data_validation(2, 1, 1 + len(vocabulary.labels), 1, check.options(self.b))
        ws.protect("", {"format_columns": True, "format_rows": True})
        ws.set_paper(9)

    def _set_words(self) -> str:
        if self.in_force is None:
            return "không xác định"
        first, last = self.in_force.valid_from.year, self.in_force.valid_to.year if self.in_force.valid_to else None
        span = {"ntm-xa-2026-2030": "2026-2030", "ntm-xa-2021-2025": "2021-2025"}.get(self.in_force.code)
        return f"giai đoạn {span or f'{first}-{last}'}, {len(self.in_force.criteria)} tiêu chí"


def _width(key: str) -> float:
    return {
        "stt": 5,
        "commune_code": 9,
        "commune_name": 22,
        "product_name": 28,
        "producer_name": 24,
        "note": 20,
        "source": 26,
        "village": 22,
        "criterion_name": 40,
        "level": 16,
        "group": 22,
        "status": 14,
        "decision_number": 16,
        "indicator": 12,
        "target": 18,
    }.get(key, 13)


def write_template(
    path: Path,
    template: Template,
    province,
    unit: ReportingUnit,
    period: dt.date,
    prefill: Prefill | None = None,
) -> Path:
    """One unit's workbook for the month."""
    book = _Book(path)
    communes = list(unit.communes) if unit.level == "district" else sorted(province.communes, key=lambda c: c.code)
    w = _Writer(book, template, province, unit, period, prefill, communes)
    _guide(book, template, province, unit, period, prefill)
    products = {i: p for i, p in enumerate(prefill.products)} if prefill else {}
    titles = {
        "b02": "BIỂU 02: CHỈ TIÊU",
        "b03": "BIỂU 03: THÔN, BẢN ĐẠT CHUẨN",
        "b04": "BIỂU 04: SẢN PHẨM OCOP",
        "b05": "BIỂU 05: NGUỒN VỐN (triệu đồng)",
        "b08": "BIỂU 08: HỒ SƠ ĐÁNH GIÁ SẢN PHẨM OCOP",
        "b01n": "BIỂU 01N: TIÊU CHÍ XÃ NTM NÂNG CAO",
        "c02": "BIỂU C02: CHỈ TIÊU",
        "c03": "BIỂU C03: THÔN ĐẠT CHUẨN",
        "c04": "BIỂU C04: SẢN PHẨM OCOP",
        "c05": "BIỂU C05: NGUỒN VỐN (triệu đồng)",
    }
    for spec in template.sheets:
        if spec.key == "cover":
            w.cover(spec)
        elif spec.key == "b01":
            w.b01(spec)
        elif spec.key == "c01":
            w.c01(spec)
        elif spec.key == "b07":
            w.b07(spec)
        elif spec.key in ("b06", "c06"):
            w.plan(spec)
        elif spec.key == "totals":
            w.totals(spec)
        else:
            w.table(spec, titles.get(spec.key, spec.name), known=products if spec.key in ("b04", "c04") else None)
    book.finish()
    return path


def _guide(book: _Book, template: Template, province, unit: ReportingUnit, period: dt.date, prefill) -> None:
    ws = book.book.add_worksheet(GUIDE_SHEET)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 90)
    who = unit.name
    ws.write_string(0, 0, f"HƯỚNG DẪN ĐIỀN MẪU BÁO CÁO THÁNG {period:%m/%Y}", book.title)
    ws.write_string(1, 0, f"{who}, {province.name} - mẫu biểu phiên bản {template.version}", book.subtitle)
    rows = [
        ("Gửi cho", f"Văn phòng Điều phối nông thôn mới {province.name}, trước ngày họp giao ban tháng."),
        ("Ô màu vàng", "Ô đơn vị điền. Ô màu xám đã điền sẵn (mã, tên đơn vị, tiêu chí): không sửa."),
        (
            "Đánh giá tiêu chí",
            "Chọn Đạt hoặc Chưa đạt; ô để trống được tính là chưa đạt. Xã chưa đánh giá tiêu chí nào "
            "thì để trống cả dòng (cả biểu): được ghi là chưa báo cáo.",
        ),
        ("Số tiền", "Triệu đồng, số không âm; dấu phẩy ngăn cách phần thập phân (ví dụ 1.250,5)."),
        ("Ngày", "Dạng ngày/tháng/năm (ví dụ 15/03/2024)."),
        ("Sản phẩm OCOP", "Mỗi dòng một sản phẩm còn hiệu lực; số sao 3, 4 hoặc 5; ghi ngày quyết định công nhận."),
        (
            "Tổng hợp (TongHop)",
            "Đơn vị tự cộng từ các biểu chi tiết và ghi số: Văn phòng Điều phối đối chiếu số "
            "tổng hợp với số chi tiết, nên không dùng công thức.",
        ),
        ("Thêm dòng", "Chèn thêm dòng trong các biểu khi cần (trang tính được khóa, không đặt mật khẩu)."),
        ("Mẫu để trống", "Mẫu gửi lại mà chưa điền số liệu được ghi nhận là chưa báo cáo."),
    ]
    if prefill:
        rows.insert(
            1,
            (
                "Số liệu điền sẵn",
                f"Là số liệu tháng {prefill.from_month:%m/%Y} đã được tiếp nhận. Cập nhật "
                f"những gì thay đổi, rồi chọn Kỳ báo cáo {period:%m/%Y} ở trang ThongTinChung.",
            ),
        )
    for sheet in template.sheets:
        rows.append((sheet.name, SHEET_WORDS.get(sheet.key, "")))
    for r, (what, words) in enumerate(rows, start=3):
        ws.write_string(r, 0, what, book.label)
        ws.write_string(r, 1, words, book.text)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("")


SHEET_WORDS = {
    "cover": "Thông tin chung: đơn vị, kỳ báo cáo, ngày lập, người lập.",
    "b01": "Kết quả từng tiêu chí của từng xã, mức đạt chuẩn và năm công nhận.",
    "b01n": "Tiêu chí xã nông thôn mới nâng cao của các xã đang xây dựng (nếu có).",
    "b02": "Giá trị các chỉ tiêu của xã (mã chỉ tiêu dạng 17.1).",
    "b03": "Các thôn, bản đã được công nhận đạt chuẩn.",
    "b04": "Sản phẩm OCOP còn hiệu lực của huyện.",
    "b05": "Kế hoạch vốn giao và giải ngân lũy kế theo nguồn vốn, năm kế hoạch.",
    "b06": "Chỉ tiêu kế hoạch năm của huyện.",
    "b07": "Mức đạt chuẩn nông thôn mới của huyện và các tiêu chí huyện.",
    "b08": "Hồ sơ sản phẩm OCOP đăng ký, đánh giá trong năm.",
    "c01": "Kết quả từng tiêu chí của xã, mức đạt chuẩn và năm công nhận.",
    "c02": "Giá trị các chỉ tiêu của xã.",
    "c03": "Các thôn đã được công nhận đạt chuẩn.",
    "c04": "Sản phẩm OCOP còn hiệu lực của xã; ghi cấp công nhận.",
    "c05": "Kế hoạch vốn giao và giải ngân lũy kế theo nguồn vốn, năm kế hoạch.",
    "c06": "Chỉ tiêu kế hoạch năm của xã.",
    "totals": "Số liệu tổng hợp do đơn vị tự cộng.",
}


def write_templates(
    province_code: str,
    period: dt.date,
    out_dir: Path,
    *,
    units: AdminUnits,
    unit_codes: Sequence[str] = (),
    version: str | None = None,
    prefills: dict[str, Prefill] | None = None,
) -> list[Path]:
    """One workbook per reporting unit of the province in the month (or of the units asked for); the paths."""
    reference = units.at(period)
    if province_code not in reference.provinces:
        raise ValueError(f"province code {province_code!r} {units.why_not('province', province_code, period)}")
    template = template_of(period, version)
    province = reference.provinces[province_code]
    found = reporting_units(reference, province_code, period)
    if found and found[0].level != template.reporting_level:
        raise ValueError(
            f"{period:%m/%Y} is reported by each {found[0].level}, template {template.version} by each "
            f"{template.reporting_level}"
        )
    wanted = set(unit_codes)
    unknown = wanted - {u.code for u in found}
    if unknown:
        level = "huyện" if template.reporting_level == "district" else "xã"
        raise ValueError(
            f"{', '.join(sorted(unknown))}: not a {level} code of {province.name} in {period:%m/%Y} "
            f"(its units: {', '.join(u.code for u in found[:8])} …)"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_template(
            out_dir / file_name(province_code, unit, period),
            template,
            province,
            unit,
            period,
            (prefills or {}).get(unit.code),
        )
        for unit in found
        if not wanted or unit.code in wanted
    ]


def last_month_values(con, province_code: str, period: dt.date) -> dict[str, Prefill]:
    """Each unit's accepted values of the month before `period` (its loaded workbook's rows), for ``--prefill``:
    criteria marks and levels, the OCOP products still valid in `period`, the plan targets of the same year."""
    previous = v.add_months(period, -1)
    files = con.execute(
        "select reporting_unit_code, file_sha256 from audit.received_files "
        "where status = 'loaded' and province_code = ? and period_month = ?",
        [province_code, previous],
    ).fetchall()
    out: dict[str, Prefill] = {}
    for unit_code, sha in files:
        sample = con.execute("select bool_or(is_sample) from raw.workbook_covers where file_sha256 = ?", [sha])
        prefill = Prefill(previous, is_sample=bool(sample.fetchone()[0]))
        for commune, number, met in con.execute(
            "select commune_code, criterion_number, is_met from raw.commune_criterion_marks where file_sha256 = ?",
            [sha],
        ).fetchall():
            prefill.commune_marks.setdefault(commune, {})[number] = met
        columns = (
            "level_code",
            "criteria_met",
            "year_ntm",
            "year_advanced",
            "year_model",
            "year_modern",
            "decision_number",
            "maintains",
        )
        for commune, *values in con.execute(
            "select commune_code, level_code, criteria_met_reported, year_ntm, year_advanced, year_model, "
            "year_modern, decision_number, maintains_reported from raw.commune_criteria where file_sha256 = ?",
            [sha],
        ).fetchall():
            prefill.commune_rows[commune] = dict(zip(columns, values, strict=True))
        cursor = con.execute(
            "select product_code, product_name, producer_name, producer_type, commune_code, group_code, stars, score, "
            "decision_number, decision_date, case when expiry_defaulted then null else expiry_date end, "
            "export_market, status_code, issuing_level from raw.ocop_products "
            "where file_sha256 = ? and expiry_date >= ? and status_code <> 'expired' order by row_number",
            [sha, period],
        )
        keys = (
            "product_code",
            "product_name",
            "producer_name",
            "producer_type",
            "commune_code",
            "group",
            "stars",
            "score",
            "decision_number",
            "decision_date",
            "expiry_date",
            "export_market",
            "status",
            "issuing_level",
        )
        labels = {
            "producer_type": v.PRODUCER_TYPES,
            "group": v.OCOP_GROUPS,
            "status": v.OCOP_STATUSES,
            "issuing_level": v.ISSUING_LEVELS,
        }
        for row in cursor.fetchall():
            product = dict(zip(keys, row, strict=True))
            for key, vocabulary in labels.items():
                if product[key] is not None:
                    product[key] = vocabulary.labels.get(product[key], product[key])
            prefill.products.append(product)
        if previous.year == period.year:  # plan targets are the year's
            prefill.targets = dict(
                con.execute(
                    "select target_code, planned_value from raw.plan_targets where file_sha256 = ? and plan_year = ?",
                    [sha, period.year],
                ).fetchall()
            )
        out[unit_code] = prefill
    return out
