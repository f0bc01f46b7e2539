"""The briefing pack: for one province and month, an HTML page and an .xlsx workbook in Vietnamese.

Everything comes from the serving database (what BI tools read, published only after every
check passed) and its `validation_results` (the checks of the published run). The page is
self-contained (charts are PNG images embedded as data URIs), so it can be mailed or printed;
the workbook holds the same tables, numbers as numbers, and the charts.

Text written into the workbook never starts a formula: text beginning with =, +, - or @ (a
commune or product name as a district typed it) is written with a leading apostrophe.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from expectations import SUITES
from orchestration.briefing import vn_number
from orchestration.measures import measures

SEVERITY_VI = {"warning": "cảnh báo", "critical": "nghiêm trọng"}
STATUS_VI = {
    "passed": "đạt",
    "warning": "có cảnh báo (số liệu vẫn được công bố)",
    "failed": "có huyện bị giữ lại (số liệu mâu thuẫn)",
}
BANDS = [
    ("communes_19_criteria", "19 tiêu chí"),
    ("communes_15_18_criteria", "15-18 tiêu chí"),
    ("communes_10_14_criteria", "10-14 tiêu chí"),
    ("communes_5_9_criteria", "5-9 tiêu chí"),
    ("communes_under_5_criteria", "Dưới 5 tiêu chí"),
]
FORMULA_STARTS = ("=", "+", "-", "@")

# What each validation check means, for the office: each check's label_vi, beside it in its suite module.
CHECK_LABELS_VI = {check.name: check.label_vi for suite in SUITES for check in suite.CHECKS}


def excel_text(value: str) -> str:
    """Text as an Excel cell may hold it: a leading =, +, - or @ is escaped with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def pct(value: float | None, decimals: int = 1) -> str:
    return "-" if value is None else f"{vn_number(value, decimals)} %"


@dataclass
class PackData:
    province_code: str
    province_name: str
    period_month: dt.date
    figures: dict[str, Any]
    districts: list[dict[str, Any]]
    missing_districts: list[str]
    hardest: list[dict[str, Any]]
    funds: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    published_at: dt.datetime | None
    run_id: str | None
    charts: dict[str, bytes] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Changes when any figure, district row or warning of the pack changes."""
        payload = [self.figures, self.districts, self.missing_districts, self.hardest, self.funds, self.warnings]
        return hashlib.sha256(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load(con: duckdb.DuckDBPyConnection, province_code: str, period_month: dt.date) -> PackData | None:
    """The pack's figures from a serving database connection, or None if the month is not published."""
    rows = _dicts(
        con,
        "select b.*, p.province_name from marts.mart_province_briefing b "
        "left join marts.dim_province p using (province_code) where province_code = ? and period_month = ?",
        [province_code, period_month],
    )
    if not rows:
        return None
    figures = rows[0]
    key = [province_code, period_month]
    districts = _dicts(
        con,
        "select d.district_short_name as district_name, b.* from marts.mart_district_briefing b "
        "join marts.dim_district d using (district_code) where b.province_code = ? and b.period_month = ? "
        "order by b.district_code",
        key,
    )
    missing = [
        r["name"]
        for r in _dicts(
            con,
            "select d.district_short_name as name from marts.dim_district d where d.province_code = ? "
            "and d.has_rural_communes and d.district_code not in (select district_code from "
            "marts.mart_district_briefing where province_code = ? and period_month = ?) order by d.district_code",
            [province_code, *key],
        )
    ]
    hardest = _dicts(
        con,
        "select criterion_number, criterion_name_vi, communes_not_meeting, share_not_meeting_pct, hardest_rank "
        "from marts.mart_criteria_gaps where geo_level = 'province' and province_code = ? and period_month = ? "
        "order by hardest_rank, criterion_number limit 8",
        key,
    )
    funds = _dicts(
        con,
        "select fund_source_name_vi, plan_year, allocated_mil_vnd, disbursed_mil_vnd, disbursement_pct "
        "from marts.mart_fund_disbursement where geo_level = 'province' and province_code = ? "
        "and period_month = ? order by plan_year, fund_source_code",
        key,
    )
    has_results = con.execute(
        "select count(*) from information_schema.tables where table_name = 'validation_results'"
    ).fetchone()[0]
    warnings = (
        _dicts(
            con,
            "select coalesce(d.district_short_name, 'Toàn tỉnh') as district_name, v.suite, v.check_name, "
            "v.severity, v.details from validation_results v left join marts.dim_district d using (district_code) "
            "where not v.success and v.province_code = ? and v.period_month = ? "
            "order by v.district_code nulls first, v.suite, v.check_name",
            key,
        )
        if has_results
        else []
    )
    publication = con.execute("select run_id, published_at from publication").fetchone()
    return PackData(
        province_code=province_code,
        province_name=figures.pop("province_name") or province_code,
        period_month=period_month,
        figures=figures,
        districts=districts,
        missing_districts=missing,
        hardest=hardest,
        funds=funds,
        warnings=warnings,
        run_id=publication[0] if publication else None,
        published_at=publication[1] if publication else None,
    )


def _of_plan(done: int | None, planned: int | None, unit: str) -> str:
    if not planned:
        return "chưa giao kế hoạch"
    return f"đạt {pct(100.0 * (done or 0) / planned)} kế hoạch ({vn_number(planned)} {unit})"


def headline(data: PackData) -> list[str]:
    """The sentences provinces use in their reports, with the month's figures."""
    f, year = data.figures, data.period_month.year
    share_ntm = 100.0 * f["communes_ntm"] / f["communes_total"] if f["communes_total"] else None
    sentences = [
        f"Lũy kế đến nay toàn tỉnh có {vn_number(f['communes_ntm'])} xã đạt chuẩn NTM "
        f"({pct(share_ntm)} tổng số {vn_number(f['communes_total'])} xã), "
        f"{vn_number(f['communes_ntm_advanced'])} xã đạt chuẩn NTM nâng cao, "
        f"{vn_number(f['communes_ntm_model'])} xã đạt chuẩn NTM kiểu mẫu; "
        f"bình quân {vn_number(f['avg_criteria_met'], 2)} tiêu chí/xã.",
        f"Năm {year}: {vn_number(f['communes_ntm_new_in_year'])} xã được công nhận đạt chuẩn NTM, "
        f"{_of_plan(f['communes_ntm_new_in_year'], f['plan_communes_ntm'], 'xã')}; "
        f"{vn_number(f['communes_ntm_advanced_new_in_year'])} xã đạt chuẩn NTM nâng cao, "
        f"{_of_plan(f['communes_ntm_advanced_new_in_year'], f['plan_communes_ntm_advanced'], 'xã')}; "
        f"{vn_number(f['communes_ntm_model_new_in_year'])} xã đạt chuẩn NTM kiểu mẫu, "
        f"{_of_plan(f['communes_ntm_model_new_in_year'], f['plan_communes_ntm_model'], 'xã')}.",
        "Số xã theo số tiêu chí đạt: "
        + "; ".join(f"{label}: {vn_number(f[column])} xã" for column, label in BANDS)
        + f". {vn_number(f['communes_not_maintaining'])} xã đã đạt chuẩn nhưng chưa duy trì đủ 19 tiêu chí.",
        f"Chương trình OCOP: toàn tỉnh có {vn_number(f['ocop_products'])} sản phẩm OCOP còn hiệu lực "
        f"({vn_number(f['ocop_3_star'])} sản phẩm 3 sao, {vn_number(f['ocop_4_star'])} sản phẩm 4 sao, "
        f"{vn_number(f['ocop_5_star'])} sản phẩm 5 sao); năm {year} có {vn_number(f['ocop_new_in_year'])} "
        f"sản phẩm mới, {_of_plan(f['ocop_new_in_year'], f['plan_ocop'], 'sản phẩm')}.",
        f"Vốn kế hoạch năm {year}: giao {vn_number(f['fund_allocated_mil_vnd'], 1)} triệu đồng, "
        f"giải ngân {vn_number(f['fund_disbursed_mil_vnd'], 1)} triệu đồng, đạt {pct(f['fund_disbursement_pct'], 2)}.",
        f"Số huyện đã báo cáo: {vn_number(f['districts_reported'])}/{vn_number(f['districts_expected'])}"
        + (f" (chưa báo cáo: {', '.join(data.missing_districts)})." if data.missing_districts else "."),
    ]
    return sentences


# ---------------------------------------------------------------------------------------------- charts


def render_charts(data: PackData) -> dict[str, bytes]:
    """The four charts as PNG images (matplotlib, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    axis_numbers = FuncFormatter(lambda value, _: vn_number(value))
    charts: dict[str, bytes] = {}

    def save(name: str, fig) -> None:
        buffer = io.BytesIO()
        fig.tight_layout()
        fig.savefig(buffer, format="png", dpi=110)
        plt.close(fig)
        charts[name] = buffer.getvalue()

    f = data.figures
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    values = [f[column] or 0 for column, _ in BANDS]
    bars = ax.bar([label for _, label in BANDS], values, color="#2e7d32")
    ax.bar_label(bars, labels=[vn_number(v) for v in values])
    ax.set_title("Số xã theo số tiêu chí đạt")
    ax.set_ylabel("Số xã")
    ax.yaxis.set_major_formatter(axis_numbers)
    save("criteria_bands", fig)

    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    hardest = list(reversed(data.hardest))
    labels = [f"TC {h['criterion_number']}: {h['criterion_name_vi']}"[:38] for h in hardest]
    bars = ax.barh(labels, [h["communes_not_meeting"] for h in hardest], color="#c62828")
    ax.bar_label(bars, labels=[vn_number(h["communes_not_meeting"]) for h in hardest])
    ax.set_title("Tiêu chí khó đạt nhất (số xã chưa đạt)")
    ax.xaxis.set_major_formatter(axis_numbers)
    save("hardest_criteria", fig)

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    names = [d["district_name"] for d in data.districts]
    bottom = [0] * len(names)
    for stars, color in ((3, "#f9a825"), (4, "#ef6c00"), (5, "#b71c1c")):
        counts = [d[f"ocop_{stars}_star"] or 0 for d in data.districts]
        ax.bar(names, counts, bottom=bottom, color=color, label=f"{stars} sao")
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    for x, total in enumerate(bottom):
        ax.annotate(vn_number(total), (x, total), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, max(bottom, default=0) * 1.25 + 1)
    ax.set_title("Sản phẩm OCOP theo số sao và huyện")
    ax.set_ylabel("Số sản phẩm")
    ax.yaxis.set_major_formatter(axis_numbers)
    plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
    ax.legend(ncol=3, loc="upper left", fontsize=8)
    save("ocop_by_district", fig)

    # Disbursed by source, one bar per plan year, labelled with the share of the allocation.
    sources = list(dict.fromkeys(r["fund_source_name_vi"] for r in data.funds))
    years = sorted({r["plan_year"] for r in data.funds})
    fig, ax = plt.subplots(figsize=(6.4, 1.2 + 0.22 * len(sources) * max(len(years), 1)))
    height = 0.8 / max(len(years), 1)
    colors = ["#90caf9", "#1565c0", "#0d47a1", "#66bb6a"]
    by_key = {(r["fund_source_name_vi"], r["plan_year"]): r for r in data.funds}
    for j, year in enumerate(years):
        rows = [by_key.get((source, year)) for source in sources]
        positions = [i + (j - (len(years) - 1) / 2) * height for i in range(len(sources))]
        values = [float(r["disbursed_mil_vnd"] or 0) if r else 0.0 for r in rows]
        bars = ax.barh(positions, values, height, label=f"Kế hoạch {year}", color=colors[j % len(colors)])
        ax.bar_label(bars, labels=[pct(r["disbursement_pct"]) if r else "" for r in rows], fontsize=7, padding=2)
    ax.set_yticks(range(len(sources)), sources, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max((float(r["disbursed_mil_vnd"] or 0) for r in data.funds), default=0) * 1.2 + 1)
    ax.set_title("Giải ngân theo nguồn vốn và năm kế hoạch (triệu đồng; % kế hoạch vốn)", fontsize=10)
    ax.xaxis.set_major_formatter(axis_numbers)
    ax.legend(fontsize=8, loc="lower right")
    save("disbursement", fig)
    return charts


CHART_TITLES = {
    "criteria_bands": "Số xã theo số tiêu chí đạt",
    "hardest_criteria": "Tiêu chí khó đạt nhất",
    "ocop_by_district": "Sản phẩm OCOP theo số sao và huyện",
    "disbursement": "Giải ngân theo nguồn vốn và năm kế hoạch",
}

# The district table's measures; headings and decimals come from their declaration (orchestration/measures.py).
DISTRICT_MEASURES = [
    "communes_total",
    "communes_ntm",
    "communes_ntm_advanced",
    "communes_ntm_model",
    "avg_criteria_met",
    "ocop_products",
    "ocop_3_star",
    "ocop_4_star",
    "ocop_5_star",
    "fund_allocated_mil_vnd",
    "fund_disbursed_mil_vnd",
    "fund_disbursement_pct",
]


def district_columns() -> list[tuple[str, str, int]]:
    """(column, Vietnamese heading, decimals) of the district table."""
    declared = measures()
    return [(name, declared[name].vi, declared[name].display_decimals) for name in DISTRICT_MEASURES]


# ---------------------------------------------------------------------------------------------- HTML


def render_html(data: PackData) -> str:
    e = html.escape
    month = f"{data.period_month:%m/%Y}"
    status = data.figures.get("validation_status") or "passed"

    def table(headers: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in headers)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="{"num" if i >= numeric_from else ""}">{e(str(cell))}</td>' for i, cell in enumerate(row)
            )
            + "</tr>"
            for row in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    district_rows = [
        [d["district_name"]]
        + [vn_number(d[c], n) if d[c] is not None else "-" for c, _, n in district_columns()]
        + [STATUS_VI.get(d["validation_status"], d["validation_status"])]
        for d in data.districts
    ]
    hardest_rows = [
        [f"{h['criterion_number']}. {h['criterion_name_vi']}", vn_number(h["communes_not_meeting"]),
         pct(h["share_not_meeting_pct"])]
        for h in data.hardest
    ]  # fmt: skip
    fund_rows = [
        [r["fund_source_name_vi"], str(r["plan_year"]), vn_number(r["allocated_mil_vnd"], 1),
         vn_number(r["disbursed_mil_vnd"], 1), pct(r["disbursement_pct"], 2)]
        for r in data.funds
    ]  # fmt: skip
    warning_rows = [[w["district_name"], CHECK_LABELS_VI.get(w["check_name"], w["check_name"]),
                     SEVERITY_VI.get(w["severity"], w["severity"]), w["details"]]
                    for w in data.warnings]  # fmt: skip
    charts = "".join(
        f'<figure><img alt="{e(CHART_TITLES[name])}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode()}"></figure>'
        for name, png in data.charts.items()
    )
    missing = (
        "<p>Chưa báo cáo: " + e(", ".join(data.missing_districts)) + "</p>"
        if data.missing_districts
        else "<p>Tất cả các huyện đã báo cáo.</p>"
    )
    published = f"{data.published_at:%d/%m/%Y %H:%M}" if data.published_at else "-"
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Báo cáo giao ban NTM - OCOP {e(data.province_name)} tháng {month}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #222; max-width: 1100px; }}
h1 {{ font-size: 1.5em; }} h2 {{ font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 1.6em; }}
table {{ border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }}
th, td {{ border: 1px solid #bbb; padding: 3px 6px; }} th {{ background: #eef3ee; }}
td.num {{ text-align: right; white-space: nowrap; }}
figure {{ display: inline-block; margin: 0.5em; }} img {{ max-width: 100%; }}
.status-warning {{ color: #b26a00; }} .status-failed {{ color: #b71c1c; }} .status-passed {{ color: #2e7d32; }}
@media print {{ figure {{ page-break-inside: avoid; }} }}
</style></head>
<body>
<h1>Báo cáo giao ban Chương trình MTQG xây dựng nông thôn mới và Chương trình OCOP<br>
{e(data.province_name)} — tháng {month}</h1>
<p>Số liệu công bố lúc {published}; tình trạng kiểm tra dữ liệu:
<strong class="status-{e(status)}">{e(STATUS_VI.get(status, status))}</strong>.</p>
<h2>Kết quả chủ yếu</h2>
<ul>{"".join(f"<li>{e(s)}</li>" for s in headline(data))}</ul>
<h2>Biểu đồ</h2>
{charts}
<h2>Kết quả theo huyện</h2>
{table(["Huyện"] + [h for _, h, _ in district_columns()] + ["Kiểm tra dữ liệu"], district_rows)}
<h2>Tiêu chí khó đạt nhất</h2>
{table(["Tiêu chí", "Số xã chưa đạt", "Tỷ lệ xã chưa đạt"], hardest_rows)}
<h2>Nguồn vốn</h2>
{table(["Nguồn vốn", "Năm kế hoạch", "Kế hoạch vốn (triệu đồng)", "Giải ngân (triệu đồng)", "Tỷ lệ"], fund_rows, 2)}
<h2>Huyện chưa báo cáo</h2>
{missing}
<h2>Cảnh báo kiểm tra dữ liệu theo huyện</h2>
{
        table(["Huyện", "Nội dung", "Mức độ", "Chi tiết (kỹ thuật)"], warning_rows, 9)
        if warning_rows
        else "<p>Không có cảnh báo.</p>"
    }
<p style="font-size:0.8em;color:#666">Nguồn: kho dữ liệu NTM-OCOP (lượt chạy {e(data.run_id or "-")}).</p>
</body></html>
"""


# ---------------------------------------------------------------------------------------------- Excel


def render_xlsx(data: PackData, path: Path) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bg_color": "#EEF3EE", "border": 1, "text_wrap": True})
    formats = {0: book.add_format({"num_format": "#,##0"}), 1: book.add_format({"num_format": "#,##0.0"}),
               2: book.add_format({"num_format": "#,##0.00"})}  # fmt: skip

    def text(sheet, row: int, col: int, value: Any, fmt=None) -> None:
        sheet.write_string(row, col, excel_text("" if value is None else str(value)), fmt)

    def number(sheet, row: int, col: int, value: Any, decimals: int = 0) -> None:
        if value is None:
            sheet.write_blank(row, col, None)
        else:
            sheet.write_number(row, col, float(value), formats[decimals])

    def headers(sheet, names: list[str]) -> None:
        for col, name in enumerate(names):
            text(sheet, 0, col, name, header)
        sheet.freeze_panes(1, 0)

    summary = book.add_worksheet("TomTat")
    summary.set_column(0, 0, 120)
    text(summary, 0, 0, f"Báo cáo giao ban NTM - OCOP, {data.province_name}, tháng {data.period_month:%m/%Y}", bold)
    status = data.figures.get("validation_status") or "passed"
    text(summary, 1, 0, f"Tình trạng kiểm tra dữ liệu: {STATUS_VI.get(status, status)}")
    for i, sentence in enumerate(headline(data)):
        text(summary, 3 + i, 0, sentence)

    districts = book.add_worksheet("Huyen")
    columns = district_columns()
    headers(districts, ["Huyện"] + [h for _, h, _ in columns] + ["Kiểm tra dữ liệu"])
    districts.set_column(0, 0, 18)
    districts.set_column(1, len(columns) + 1, 13)
    for r, d in enumerate(data.districts, start=1):
        text(districts, r, 0, d["district_name"])
        for c, (column, _, decimals) in enumerate(columns, start=1):
            number(districts, r, c, d[column], decimals)
        text(districts, r, len(columns) + 1, STATUS_VI.get(d["validation_status"], d["validation_status"]))

    criteria = book.add_worksheet("TieuChi")
    headers(criteria, ["Tiêu chí", "Tên tiêu chí", "Số xã chưa đạt", "Tỷ lệ xã chưa đạt (%)"])
    criteria.set_column(1, 1, 40)
    for r, h in enumerate(data.hardest, start=1):
        number(criteria, r, 0, h["criterion_number"])
        text(criteria, r, 1, h["criterion_name_vi"])
        number(criteria, r, 2, h["communes_not_meeting"])
        number(criteria, r, 3, h["share_not_meeting_pct"], 1)

    funds = book.add_worksheet("NguonVon")
    headers(funds, ["Nguồn vốn", "Năm kế hoạch", "Kế hoạch vốn (triệu đồng)", "Giải ngân (triệu đồng)", "Tỷ lệ (%)"])
    funds.set_column(0, 0, 40)
    for r, f in enumerate(data.funds, start=1):
        text(funds, r, 0, f["fund_source_name_vi"])
        number(funds, r, 1, f["plan_year"])
        number(funds, r, 2, f["allocated_mil_vnd"], 1)
        number(funds, r, 3, f["disbursed_mil_vnd"], 1)
        number(funds, r, 4, f["disbursement_pct"], 2)

    warnings = book.add_worksheet("CanhBao")
    headers(warnings, ["Huyện", "Nội dung", "Mức độ", "Chi tiết (kỹ thuật)", "Kiểm tra"])
    warnings.set_column(0, 2, 24)
    warnings.set_column(3, 3, 100)
    warnings.set_column(4, 4, 40)
    row = 1
    for w in data.warnings:
        label = CHECK_LABELS_VI.get(w["check_name"], w["check_name"])
        severity = SEVERITY_VI.get(w["severity"], w["severity"])
        values = [w["district_name"], label, severity, w["details"], f"{w['suite']}.{w['check_name']}"]
        for col, value in enumerate(values):
            text(warnings, row, col, value)
        row += 1

    charts = book.add_worksheet("BieuDo")
    for i, (name, png) in enumerate(data.charts.items()):
        text(charts, i * 22, 0, CHART_TITLES[name], bold)
        charts.insert_image(i * 22 + 1, 0, f"{name}.png", {"image_data": io.BytesIO(png)})
    book.close()
    return path


# ---------------------------------------------------------------------------------------------- the pack


@dataclass
class Pack:
    directory: Path
    html_path: Path
    xlsx_path: Path
    written: bool  # False when the figures had not changed since the pack on disk


def pack_dir(reports_dir: Path, province_code: str, period_month: dt.date) -> Path:
    return reports_dir / "briefing" / province_code / f"{period_month:%Y-%m}"


def write_pack(
    serving: duckdb.DuckDBPyConnection,
    reports_dir: Path,
    province_code: str,
    period_month: dt.date,
    *,
    force: bool = False,
) -> Pack | None:
    """Write (or keep, if its figures are unchanged) the pack; None if the month is not published."""
    data = load(serving, province_code, period_month)
    if data is None:
        return None
    directory = pack_dir(reports_dir, province_code, period_month)
    stem = f"bao-cao-giao-ban-{province_code}-{period_month:%Y-%m}"
    pack = Pack(directory, directory / f"{stem}.html", directory / f"{stem}.xlsx", written=False)
    stamp = directory / "pack.json"
    if not force and stamp.exists() and pack.html_path.exists() and pack.xlsx_path.exists():
        if json.loads(stamp.read_text()).get("fingerprint") == data.fingerprint:
            return pack
    data.charts = render_charts(data)
    directory.mkdir(parents=True, exist_ok=True)
    for target, write in (
        (pack.html_path, lambda tmp: tmp.write_text(render_html(data), encoding="utf-8")),
        (pack.xlsx_path, lambda tmp: render_xlsx(data, tmp)),
    ):
        tmp = target.with_name(f".{target.name}.tmp")
        write(tmp)
        tmp.replace(target)  # a reader never opens half a file
    stamp.write_text(
        json.dumps(
            {"fingerprint": data.fingerprint, "run_id": data.run_id, "written_at": dt.datetime.now().isoformat()}
        )
    )
    pack.written = True
    return pack


def latest_months(serving: duckdb.DuckDBPyConnection) -> list[tuple[str, dt.date]]:
    return serving.execute(
        "select province_code, max(period_month) from marts.mart_province_briefing group by 1 order by 1"
    ).fetchall()
