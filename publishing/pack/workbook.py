"""The pack's .xlsx workbook: the same tables, numbers as numbers, and the charts; no cell starts a formula."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ingestion.values import SAMPLE_MARK
from publishing.pack.data import PackData
from publishing.pack.tables import funds_by_plan_year
from publishing.pack.words import (
    CHART_TITLES,
    CHECK_LABELS_VI,
    SAMPLE_NOTICE,
    SEVERITY_VI,
    STATUS_VI,
    UNIT_VI,
    excel_text,
    headline,
    unit_columns,
    unit_text,
)

# The most characters an Excel cell holds (Excel's specifications and limits); a longer text is cut by Excel and
# by xlsxwriter, silently for whoever reads the cell.
CELL_CHARACTERS = 32_767
GOES_ON = "(tiếp) "


def cell_parts(value: str, limit: int = CELL_CHARACTERS) -> list[str]:
    """`value` in pieces that each fit a cell, cut after a '; ' or ', ' (between the units a warning names) where
    there is one, else after a space; each piece after the first starts with GOES_ON. Joined without the marks,
    they are `value`."""
    if limit <= 2 * len(GOES_ON):
        raise ValueError(f"a cell of {limit} characters holds no piece after its mark {GOES_ON!r}")
    parts: list[str] = []
    rest = value
    while len(rest) + (len(GOES_ON) if parts else 0) > limit:
        room = limit - (len(GOES_ON) if parts else 0)
        cut = max(rest.rfind("; ", 0, room - 1), rest.rfind(", ", 0, room - 1))
        cut = cut + 2 if cut > 0 else (rest.rfind(" ", 0, room) + 1 or room)
        parts.append((GOES_ON if parts else "") + rest[:cut])
        rest = rest[cut:]
    parts.append((GOES_ON if parts else "") + rest)
    return parts


def render_xlsx(data: PackData, path: Path) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bg_color": "#EEF3EE", "border": 1, "text_wrap": True})
    formats = {0: book.add_format({"num_format": "#,##0"}), 1: book.add_format({"num_format": "#,##0.0"}),
               2: book.add_format({"num_format": "#,##0.00"})}  # fmt: skip

    def text(sheet, row: int, col: int, value: Any, fmt=None) -> None:
        sheet.write_string(row, col, excel_text("" if value is None else str(value)), fmt)

    bold_formats = {n: book.add_format({"num_format": f.num_format, "bold": True}) for n, f in formats.items()}

    def number(sheet, row: int, col: int, value: Any, decimals: int = 0, bold: bool = False) -> None:
        if value is None:
            sheet.write_blank(row, col, None)
        else:
            sheet.write_number(row, col, float(value), (bold_formats if bold else formats)[decimals])

    # Made from sample workbooks: the first row of every sheet says so, and the tables start below it.
    warn = book.add_format({"bold": True, "font_color": "#7A4A00", "bg_color": "#FFF3CD"})
    top = 1 if data.is_sample else 0
    first = top + 1  # the first row under a table's headers

    title = f"{data.province_name} - tháng {data.period_month:%m/%Y}".replace("&", "&&")

    def add_sheet(name: str, landscape: bool = False):
        """A sheet that prints: A4, one page wide, the province, month (and sample mark) at the top of every page,
        page numbers at the foot."""
        sheet = book.add_worksheet(name)
        sheet.set_paper(9)
        if landscape:
            sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.6, right=0.4, top=0.9, bottom=0.6)
        mark = f'&R&"Arial,Bold"&8{SAMPLE_MARK}' if data.is_sample else ""
        sheet.set_header(f"&L&8{title}{mark}")
        sheet.set_footer("&CTrang &P/&N")
        if data.is_sample:
            text(sheet, 0, 0, SAMPLE_NOTICE, warn)
        return sheet

    def headers(sheet, names: list[str]) -> None:
        for col, name in enumerate(names):
            text(sheet, top, col, name, header)
        sheet.freeze_panes(first, 0)
        sheet.repeat_rows(top)  # the headers on every printed page
        tables[sheet.name] = names

    tables: dict[str, list[str]] = {}

    def as_table(sheet, rows: int) -> None:
        """The sheet's rows under its headers as an Excel table (filter and sort in Excel); totals stay below it."""
        if rows:
            columns = [{"header": name, "header_format": header} for name in tables[sheet.name]]
            options = {"columns": columns, "style": "Table Style Light 1", "name": f"Bang{sheet.name}"}
            sheet.add_table(top, 0, top + rows, len(columns) - 1, options)

    summary = add_sheet("TomTat")
    summary.set_column(0, 0, 100, book.add_format({"text_wrap": True, "valign": "top"}))
    text(summary, top, 0, f"Báo cáo giao ban NTM - OCOP, {data.province_name}, tháng {data.period_month:%m/%Y}", bold)
    status = data.figures.get("validation_status") or "passed"
    text(summary, top + 1, 0, f"Tình trạng kiểm tra dữ liệu: {STATUS_VI.get(status, status)}")
    for i, sentence in enumerate(headline(data)):
        text(summary, top + 3 + i, 0, sentence)

    unit = UNIT_VI[data.unit_level]
    districts = add_sheet("Huyen" if data.unit_level == "district" else "Xa", landscape=True)
    columns = unit_columns(data)
    headers(districts, [unit] + [h for _, h, _ in columns] + ["Kiểm tra dữ liệu"])
    districts.set_column(0, 0, 18)
    districts.set_column(1, len(columns) + 1, 13)
    for r, d in enumerate(data.districts, start=first):
        text(districts, r, 0, unit_text(d, capital=True))
        for c, (column, _, decimals) in enumerate(columns, start=1):
            number(districts, r, c, d[column], decimals)
        text(districts, r, len(columns) + 1, STATUS_VI.get(d["validation_status"], d["validation_status"]))
    as_table(districts, len(data.districts))
    # the province's own row (the marts'), under the units, bold: what the units' figures total to
    total_row = first + len(data.districts)
    text(districts, total_row, 0, "Toàn tỉnh", bold)
    for c, (column, _, decimals) in enumerate(columns, start=1):
        number(districts, total_row, c, data.figures.get(column), decimals, bold=True)

    if any(h["figure_basis"] == "restated" for h in data.history):
        history = add_sheet("LichSu", landscape=True)
        headers(history, ["Tháng", "Loại số liệu", "Tỉnh báo cáo", "Số xã", "Xã đạt chuẩn NTM", "Sản phẩm OCOP",
                          "Diễn giải"])  # fmt: skip
        history.set_column(6, 6, 100)
        for r, h in enumerate(data.history, start=first):
            text(history, r, 0, f"{h['period_month']:%m/%Y}")
            text(history, r, 1, "Quy đổi theo địa giới hiện nay" if h["figure_basis"] == "restated" else "Báo cáo")
            text(history, r, 2, h.get("source_province_name") or h["source_province_code"])
            number(history, r, 3, h["communes_reported"])
            number(history, r, 4, h["communes_ntm"])
            number(history, r, 5, h["ocop_products"])
            text(history, r, 6, h["label_vi"])
        as_table(history, len(data.history))

    criteria = add_sheet("TieuChi")
    headers(criteria, ["Tiêu chí", "Tên tiêu chí", "Số xã chưa đạt", "Tỷ lệ xã chưa đạt (%)"])
    criteria.set_column(1, 1, 40)
    for r, h in enumerate(data.hardest, start=first):
        number(criteria, r, 0, h["criterion_number"])
        text(criteria, r, 1, h["criterion_name_vi"] or f"Tiêu chí số {h['criterion_number']}")  # never a raw None
        number(criteria, r, 2, h["communes_not_meeting"])
        number(criteria, r, 3, h["share_not_meeting_pct"], 1)
    as_table(criteria, len(data.hardest))

    funds = add_sheet("NguonVon")
    headers(funds, ["Nguồn vốn", "Năm kế hoạch", "Kế hoạch vốn (triệu đồng)", "Giải ngân (triệu đồng)", "Tỷ lệ (%)"])
    funds.set_column(0, 0, 40)
    r = first
    for year in funds_by_plan_year(data):  # sources in the programme's order, a total a year
        for f in year.rows:
            text(funds, r, 0, f["fund_source_name_vi"])
            number(funds, r, 1, f["plan_year"])
            number(funds, r, 2, f["allocated_mil_vnd"], 1)
            number(funds, r, 3, f["disbursed_mil_vnd"], 1)
            number(funds, r, 4, f["disbursement_pct"], 2)
            r += 1
        text(funds, r, 0, f"Cộng kế hoạch năm {year.plan_year}", bold)
        number(funds, r, 1, year.plan_year, bold=True)
        number(funds, r, 2, year.allocated, 1, bold=True)
        number(funds, r, 3, year.disbursed, 1, bold=True)
        number(funds, r, 4, year.share, 2, bold=True)
        r += 1

    warnings = add_sheet("CanhBao", landscape=True)
    headers(warnings, [unit, "Nội dung", "Mức độ", "Chi tiết (kỹ thuật)", "Kiểm tra"])
    warnings.set_column(0, 2, 24)
    warnings.set_column(3, 3, 100)
    warnings.set_column(4, 4, 40)
    row = first
    for w in data.warnings:
        label = CHECK_LABELS_VI.get(w["check_name"], w["check_name"])
        severity = SEVERITY_VI.get(w["severity"], w["severity"])
        # a warning longer than a cell holds goes on in the rows below it, each marked as going on: never cut
        for part in cell_parts("" if w["details"] is None else str(w["details"])):
            values = [w["district_name"], label, severity, part, f"{w['suite']}.{w['check_name']}"]
            for col, value in enumerate(values):
                text(warnings, row, col, value)
            row += 1
    as_table(warnings, row - first)

    charts = add_sheet("BieuDo")
    for i, (name, png) in enumerate(data.charts.items()):
        text(charts, top + i * 28, 0, CHART_TITLES[name], bold)
        charts.insert_image(top + i * 28 + 1, 0, f"{name}.png", {"image_data": io.BytesIO(png)})
    charts.set_h_pagebreaks([top + i * 28 for i in range(1, len(data.charts))])  # one chart a page, never cut
    book.close()
    return path
