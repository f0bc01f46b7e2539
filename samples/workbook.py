"""Writing a sample report to a workbook: one writer per sheet of the template declaration (ingestion/template.py),
with the template's sheet names and labels, filled as an office would (marks, dates and numbers typed in the ways
districts type them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from ingestion.template import B07_STATUS, TEMPLATE_2024_1, TEMPLATE_2024_2, Template
from ingestion.values import DISTRICT_TOTALS, PLAN_TARGETS, PLAN_TARGETS_2024_2, SAMPLE_MARK, month_end
from samples.model import CRITERIA, LEVEL_LABELS, DistrictReport, excel_round


@dataclass
class _Writing:
    """What every sheet writer needs: the report, the template, the workbook and its formats."""

    report: DistrictReport
    template: Template
    book: Any
    bold: Any
    title: Any
    date_format: Any

    def label(self, sheet_key: str, column: str) -> str:
        return self.template.sheet(sheet_key).column(column).label


def _cover(w: _Writing) -> None:
    """ThongTinChung: label in column A, value in column B."""
    report, district, period = w.report, w.report.district, w.report.period
    cover = w.book.add_worksheet(w.template.sheet("cover").name)
    cover.write(0, 0, "THÔNG TIN CHUNG", w.title)
    cover.write_string(1, 0, SAMPLE_MARK)  # the reader records it: every page made from this file says so
    cover_rows = [
        ("province_code", district.province_code),
        ("province_name", report.province_name),
        ("district_code", district.code),
        ("district_name", district.short_name),
        ("period", f"{period:%m/%Y}"),
        ("report_date", report.report_date),
        ("prepared_by", f"Văn phòng Điều phối NTM {district.short_name}"),
        ("template_version", w.template.version),
    ]
    for r, (key, value) in enumerate(cover_rows, start=2):
        cover.write_string(r, 0, w.label("cover", key))
        if isinstance(value, dt.date):
            cover.write_datetime(r, 1, dt.datetime.combine(value, dt.time()), w.date_format)
        else:
            cover.write_string(r, 1, str(value))


def _b01(w: _Writing) -> None:
    """B01: title rows, a two-row header with "Tiêu chí" merged over 19 columns, a totals row."""
    report, district, period = w.report, w.report.district, w.report.period
    b01 = w.book.add_worksheet(w.template.sheet("b01").name)
    last_col = 3 + 19 + 6
    b01.merge_range(
        0, 0, 0, last_col, f"BIỂU 01: KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ XÃ NTM - {district.name.upper()}", w.title
    )
    b01.merge_range(1, 0, 1, last_col, f"(Kèm theo báo cáo tháng {period:%m/%Y})", w.title)
    b01_labels = [column.label for column in w.template.sheet("b01").columns]  # STT ... Tiêu chí, then the tail
    for col, text in enumerate(b01_labels[:3]):
        b01.merge_range(3, col, 4, col, text, w.bold)
    b01.merge_range(3, 3, 3, 21, w.label("b01", "criteria"), w.bold)
    for n in CRITERIA:
        b01.write_number(4, 2 + n, n, w.bold)
    for offset, text in enumerate(b01_labels[4:]):
        if offset == 0:  # offices wrap the long header: "Số tiêu chí\nđạt"
            text = "\n".join(text.rsplit(" ", 1))
        b01.merge_range(3, 22 + offset, 4, 22 + offset, text, w.bold)
    met, not_met = {"x": ("x", ""), "Đạt": ("Đạt", "Chưa đạt"), "1": (1, 0)}[report.marker_style]
    first = 5
    for i, row in enumerate(report.communes):
        r = first + i
        b01.write_number(r, 0, i + 1)
        b01.write_string(r, 1, row.commune.code)
        b01.write_string(r, 2, row.commune.name)
        for n in CRITERIA:
            mark = met if n in row.criteria else not_met
            if isinstance(mark, int):
                b01.write_number(r, 2 + n, mark)
            elif mark:
                b01.write_string(r, 2 + n, mark)
        b01.write_number(r, 22, len(row.criteria))
        b01.write_string(r, 23, LEVEL_LABELS[row.level])
        for col, year in ((24, row.year_ntm), (25, row.year_advanced), (26, row.year_model)):
            if year:
                b01.write_number(r, col, year)
        if row.level:
            b01.write_string(r, 27, "Có" if len(row.criteria) == 19 else "Không")
    total_row = first + len(report.communes)
    b01.write_string(total_row, 2, "Tổng cộng")
    total_met = sum(len(row.criteria) for row in report.communes)
    b01.write_formula(total_row, 22, f"=SUM(W{first + 1}:W{total_row})", None, total_met)


def _b02(w: _Writing) -> None:
    """B02: indicators, long format; values typed the way offices do (text with a comma, a percent sign)."""
    report, district = w.report, w.report.district
    b02 = w.book.add_worksheet(w.template.sheet("b02").name)
    b02.write_string(0, 0, f"BIỂU 02: CHỈ TIÊU - {district.name.upper()}", w.title)
    for col, column in enumerate(w.template.sheet("b02").columns):  # Mã xã, Tên xã, Mã chỉ tiêu, Giá trị, Đơn vị, Đạt
        b02.write_string(2, col, column.label, w.bold)
    for i, (commune, code, value, unit, met_indicator) in enumerate(report.indicators()):
        r = 3 + i
        b02.write_string(r, 0, commune.code)
        b02.write_string(r, 1, commune.name)
        b02.write_string(r, 2, code)
        if isinstance(value, float) and i % 4 == 0:
            b02.write_string(r, 3, f"{value:.1f}%".replace(".", ","))
        elif isinstance(value, float):
            b02.write_number(r, 3, value)
        else:
            b02.write_string(r, 3, value)
        b02.write_string(r, 4, unit)
        b02.write_string(r, 5, "Đạt" if met_indicator else "Chưa đạt")


def _b03(w: _Writing) -> None:
    """B03: villages recognised NTM or model."""
    report, district = w.report, w.report.district
    b03 = w.book.add_worksheet(w.template.sheet("b03").name)
    b03.write_string(0, 0, f"BIỂU 03: THÔN, BẢN ĐẠT CHUẨN - {district.name.upper()}", w.title)
    for col, column in enumerate(w.template.sheet("b03").columns):  # STT, Mã xã, Tên xã, Tên thôn/bản, ...
        b03.write_string(2, col, column.label, w.bold)
    for i, village in enumerate(report.villages):
        r = 3 + i
        b03.write_number(r, 0, i + 1)
        b03.write_string(r, 1, village.commune.code)
        b03.write_string(r, 2, village.commune.name)
        b03.write_string(r, 3, village.name)
        b03.write_string(r, 4, village.level)
        b03.write_number(r, 5, village.year)


def _b04(w: _Writing) -> None:
    """B04: one row per certificate."""
    report, district = w.report, w.report.district
    b04 = w.book.add_worksheet(w.template.sheet("b04").name)
    b04_cols = [column.label for column in w.template.sheet("b04").columns]  # STT, Mã sản phẩm, ... Trạng thái
    b04.merge_range(0, 0, 0, len(b04_cols) - 1, f"BIỂU 04: SẢN PHẨM OCOP - {district.name.upper()}", w.title)
    for col, text in enumerate(b04_cols):
        b04.write_string(2, col, text, w.bold)
    for i, cert in enumerate(report.certificates):
        r = 3 + i
        b04.write_number(r, 0, i + 1)
        b04.write_string(r, 2, cert.product)
        b04.write_string(r, 3, cert.producer)
        b04.write_string(r, 4, cert.producer_type)
        b04.write_string(r, 5, cert.commune.code)
        b04.write_string(r, 6, cert.commune.name)
        b04.write_string(r, 7, cert.group())
        b04.write_string(r, 8, f"{cert.stars} sao" if i % 4 == 0 else str(cert.stars))
        if cert.score is not None:
            b04.write_number(r, 9, cert.score)
        b04.write_string(r, 10, cert.decision_number)
        if i % 5 == 0:  # some offices type dates as text
            b04.write_string(r, 11, f"{cert.decision_date:%d/%m/%Y}")
        else:
            b04.write_datetime(r, 11, dt.datetime.combine(cert.decision_date, dt.time()), w.date_format)
        if cert.expiry_written:
            b04.write_datetime(r, 12, dt.datetime.combine(cert.expiry, dt.time()), w.date_format)
        if cert.export_market:
            b04.write_string(r, 13, cert.export_market)
        b04.write_string(r, 14, cert.status)


def _b05(w: _Writing) -> None:
    """B05: funds by source and plan year, with a totals row."""
    report = w.report
    b05 = w.book.add_worksheet(w.template.sheet("b05").name)
    b05.write_string(0, 0, "BIỂU 05: NGUỒN VỐN (triệu đồng)", w.title)
    for col, column in enumerate(w.template.sheet("b05").columns):  # STT, Nguồn vốn, Năm kế hoạch, ...
        b05.write_string(2, col, column.label, w.bold)
    for i, (source, plan_year, allocated, disbursed) in enumerate(report.funds):
        r = 3 + i
        b05.write_number(r, 0, i + 1)
        b05.write_string(r, 1, source)
        b05.write_number(r, 2, plan_year)
        b05.write_number(r, 3, allocated)
        if i % 6 == 5:  # numbers typed as text, Vietnamese style
            b05.write_string(r, 4, f"{disbursed:,.1f}".replace(",", " ").replace(".", ",").replace(" ", "."))
        else:
            b05.write_number(r, 4, disbursed)
        if allocated:
            b05.write_string(r, 5, f"{disbursed / allocated * 100:.1f}%".replace(".", ","))
    funds_total_row = 3 + len(report.funds)
    b05.write_string(funds_total_row, 1, "Tổng cộng")
    b05.write_number(funds_total_row, 3, round(sum(f[2] for f in report.funds), 1))
    b05.write_number(funds_total_row, 4, round(sum(f[3] for f in report.funds), 1))


def _b06(w: _Writing) -> None:
    """B06: plan targets of the year."""
    report = w.report
    b06 = w.book.add_worksheet(w.template.sheet("b06").name)
    b06.write_string(0, 0, w.label("b06", "target"), w.bold)
    b06.write_string(0, 1, w.label("b06", "planned"), w.bold)
    # the codes of the template written to: a 2024.1 workbook has no 2024.2 codes (SP_OCOP_4SAO, ...)
    codes = PLAN_TARGETS_2024_2.codes if w.template.version == "2024.2" else PLAN_TARGETS.codes
    for i, (code, value) in enumerate((c, v) for c, v in report.plan.items() if c in codes):
        b06.write_string(1 + i, 0, code)
        b06.write_number(1 + i, 1, value)


def _totals(w: _Writing) -> None:
    """TongHop: what the district believes, computed from its own detail."""
    report, district, period = w.report, w.report.district, w.report.period
    valid = report.valid_certificates()
    communes = report.communes
    this_year = [f for f in report.funds if f[1] == period.year]
    totals = [
        ("communes_total", len(communes)),
        ("communes_ntm", sum(r.level >= 1 for r in communes)),
        ("communes_ntm_advanced", sum(r.level >= 2 for r in communes)),
        ("communes_ntm_model", sum(r.level >= 3 for r in communes)),
        ("avg_criteria_met", excel_round(sum(len(r.criteria) for r in communes) / len(communes), 2)),
        ("ocop_products", len(valid)),
        ("ocop_3_star", sum(c.stars == 3 for c in valid)),
        ("ocop_4_star", sum(c.stars == 4 for c in valid)),
        ("ocop_5_star", sum(c.stars == 5 for c in valid)),
        ("fund_allocated_mil_vnd", excel_round(sum(f[2] for f in this_year), 1)),
        ("fund_disbursed_mil_vnd", excel_round(sum(f[3] for f in this_year), 1)),
    ]
    summary = w.book.add_worksheet(w.template.sheet("totals").name)
    summary.write_string(0, 0, f"TỔNG HỢP - {district.name.upper()} - THÁNG {period:%m/%Y}", w.title)
    for i, (code, value) in enumerate(totals):
        summary.write_string(2 + i, 0, DISTRICT_TOTALS.labels[code])
        summary.write_number(2 + i, 1, value)
    summary.write_string(2 + len(totals) + 1, 0, f"Số liệu tính đến ngày {month_end(period):%d/%m/%Y}")


def _b01n(w: _Writing) -> None:
    """B01N: the advanced set, long (one row per commune x criterion), as an office lists it."""
    sheet = w.book.add_worksheet(w.template.sheet("b01n").name)
    sheet.write_string(0, 0, f"BIỂU 01N: TIÊU CHÍ XÃ NTM NÂNG CAO - {w.report.district.name.upper()}", w.title)
    for col, column in enumerate(w.template.sheet("b01n").columns):
        sheet.write_string(2, col, column.label, w.bold)
    r = 3
    for commune, met in w.report.advanced_criteria or []:
        for n in CRITERIA:
            sheet.write_string(r, 0, commune.code)
            sheet.write_string(r, 1, commune.name)
            sheet.write_number(r, 2, n)
            sheet.write_string(r, 3, "Đạt" if n in met else "Chưa đạt")
            r += 1


def _b07(w: _Writing) -> None:
    """B07: the district's status (label in A, value in B), then its criteria of the district set."""
    status = w.report.district_status
    sheet = w.book.add_worksheet(w.template.sheet("b07").name)
    sheet.write_string(0, 0, f"BIỂU 07: HUYỆN NÔNG THÔN MỚI - {w.report.district.name.upper()}", w.title)
    values = {
        "level": status.level,
        "year_recognised": status.year_recognised,
        "decision_number": status.decision_number,
        "maintains": None if status.maintains is None else ("Có" if status.maintains else "Không"),
        "target_year": status.target_year,
        "dossier_status": status.dossier_status,
    }
    for i, column in enumerate(B07_STATUS):
        sheet.write_string(2 + i, 0, column.label)
        if values[column.key] is not None:
            sheet.write(2 + i, 1, values[column.key])
    top = 3 + len(B07_STATUS)
    labels = [c.label for c in w.template.sheet("b07").columns]  # Tiêu chí huyện, Tên tiêu chí, Đạt
    for col, label in enumerate(labels):
        sheet.write_string(top, col, label, w.bold)
    for n in range(1, 10):
        sheet.write_number(top + n, 0, n)
        sheet.write_string(top + n, 2, "Đạt" if n in status.criteria_met else "Chưa đạt")


def _b08(w: _Writing) -> None:
    """B08: the year's OCOP dossiers, by round and stage."""
    sheet = w.book.add_worksheet(w.template.sheet("b08").name)
    sheet.write_string(0, 0, f"BIỂU 08: ĐÁNH GIÁ SẢN PHẨM OCOP - {w.report.district.name.upper()}", w.title)
    for col, column in enumerate(w.template.sheet("b08").columns):
        sheet.write_string(2, col, column.label, w.bold)
    for i, d in enumerate(w.report.dossiers or []):
        r = 3 + i
        sheet.write_number(r, 0, i + 1)
        sheet.write_string(r, 1, d.product)
        sheet.write_string(r, 2, d.producer)
        sheet.write_string(r, 3, d.commune.code)
        sheet.write_string(r, 4, d.commune.name)
        sheet.write_number(r, 5, d.round_number)
        sheet.write_string(r, 6, d.kind)
        sheet.write_string(r, 7, d.stage)
        if d.score is not None:
            sheet.write_number(r, 8, d.score)
        if d.stars_proposed is not None:
            sheet.write_string(r, 9, f"{d.stars_proposed} sao")


# One writer per sheet key of the template declaration; write_workbook writes the template's sheets in its order.
SHEET_WRITERS = {
    "cover": _cover,
    "b01": _b01,
    "b02": _b02,
    "b03": _b03,
    "b04": _b04,
    "b05": _b05,
    "b06": _b06,
    "b01n": _b01n,
    "b07": _b07,
    "b08": _b08,
    "totals": _totals,
}


def write_workbook(report: DistrictReport, path: Path, template: Template | None = None) -> Path:
    """Write one district's workbook to the template, as an office would fill it (by default 2024.2 when the report
    has its sheets' data, else 2024.1)."""
    if template is None:
        has_2024_2 = report.district_status is not None or report.dossiers is not None
        template = TEMPLATE_2024_2 if has_2024_2 else TEMPLATE_2024_1
    missing = [s.name for s in template.sheets if s.key not in SHEET_WRITERS]
    if missing:
        raise ValueError(f"the sample has no writer for sheet(s) {', '.join(missing)} of template {template.version}")
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    w = _Writing(
        report,
        template,
        book,
        bold=book.add_format({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1}),
        title=book.add_format({"bold": True, "align": "center"}),
        date_format=book.add_format({"num_format": "dd/mm/yyyy"}),
    )
    for sheet in template.sheets:
        SHEET_WRITERS[sheet.key](w)
    book.close()
    return path
