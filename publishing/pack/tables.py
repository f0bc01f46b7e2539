"""The pack's tables of figures as text, for the page and the Word report's Phụ lục alike: the units in the
province's order with the province's row as their total, the hardest criteria, the funds by plan year in the
programme's order of sources with a "Cộng" row per plan year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from publishing.briefing import vn_number
from publishing.pack.data import PackData
from publishing.pack.words import STATUS_VI, pct, unit_columns, unit_text


@dataclass(frozen=True)
class Table:
    key: str  # units | hardest | funds
    title: str
    headers: list[str]
    rows: list[list[str]]
    bold_rows: set[int]  # the total rows
    widths: list[float]  # in cm, on a landscape A4 page
    numeric_from: int  # the first column of figures


@dataclass(frozen=True)
class PlanYear:
    """A plan year's fund rows (sources in the programme's order) and their total, as the "Cộng" row shows it."""

    plan_year: int
    rows: list[dict[str, Any]]
    allocated: float  # the sum of the rows, to the 0,1 million đồng they are written to
    disbursed: float
    share: float | None  # disbursed / allocated x 100, 2 decimals; None with nothing allocated


def funds_by_plan_year(data: PackData) -> list[PlanYear]:
    """The funds grouped by plan year, each with its total: the page, the report and the workbook print these."""
    out = []
    for plan_year in sorted({r["plan_year"] for r in data.funds}):
        rows = [r for r in data.funds if r["plan_year"] == plan_year]
        allocated = round(sum(float(r["allocated_mil_vnd"] or 0) for r in rows), 1)
        disbursed = round(sum(float(r["disbursed_mil_vnd"] or 0) for r in rows), 1)
        share = round(100.0 * disbursed / allocated, 2) if allocated else None
        out.append(PlanYear(plan_year, rows, allocated, disbursed, share))
    return out


def figure_tables(data: PackData) -> list[Table]:
    columns = unit_columns(data)
    level = "cấp huyện" if data.unit_level == "district" else "cấp xã"

    def cell(value: Any, decimals: int) -> str:
        return "-" if value is None else vn_number(value, decimals)

    units = [
        [str(i), unit_text(d, capital=True)]
        + [cell(d[c], n) for c, _, n in columns]
        + [STATUS_VI.get(d["validation_status"], d["validation_status"])]
        for i, d in enumerate(data.districts, start=1)
    ]
    total = ["", "Toàn tỉnh"] + [cell(data.figures.get(c), n) for c, _, n in columns] + [""]
    # amounts in million đồng need the room of "210.423,4"; the other columns share what is left of the page
    money = [c for c, _, _ in columns if c.endswith("_mil_vnd")]
    rest = (25.7 - 1.2 - 3.8 - 2.2 - 2.3 * len(money)) / (len(columns) - len(money))
    widths = [1.2, 3.8] + [2.3 if c in money else rest for c, _, _ in columns] + [2.2]
    out = [
        Table(
            "units",
            f"Biểu 1. Kết quả theo đơn vị {level}",
            ["STT", f"Đơn vị {level}"] + [h for _, h, _ in columns] + ["Kiểm tra số liệu"],
            [*units, total],
            {len(units)},
            widths,
            2,
        )
    ]
    hardest = [
        [str(h["criterion_number"]), h["criterion_name_vi"] or f"Tiêu chí số {h['criterion_number']}",
         vn_number(h["communes_not_meeting"]), pct(h["share_not_meeting_pct"])]
        for h in data.hardest
    ]  # fmt: skip
    if hardest:
        out.append(Table("hardest", "Biểu 2. Các tiêu chí có nhiều xã chưa đạt nhất",
                         ["Tiêu chí số", "Tên tiêu chí", "Số xã chưa đạt", "Tỷ lệ xã chưa đạt"], hardest, set(),
                         [2.2, 15.0, 3.5, 3.5], 2))  # fmt: skip
    funds: list[list[str]] = []
    bold: set[int] = set()
    for year in funds_by_plan_year(data):
        for r in year.rows:
            funds.append([str(year.plan_year), r["fund_source_name_vi"], vn_number(r["allocated_mil_vnd"], 1),
                          vn_number(r["disbursed_mil_vnd"], 1), pct(r["disbursement_pct"], 2)])  # fmt: skip
        bold.add(len(funds))
        funds.append([str(year.plan_year), f"Cộng kế hoạch năm {year.plan_year}", vn_number(year.allocated, 1),
                      vn_number(year.disbursed, 1), pct(year.share, 2)])  # fmt: skip
    if funds:
        out.append(Table("funds", "Biểu 3. Nguồn vốn và giải ngân (triệu đồng)",
                         ["Năm kế hoạch", "Nguồn vốn", "Kế hoạch vốn", "Giải ngân", "Tỷ lệ giải ngân"], funds, bold,
                         [2.6, 9.0, 4.0, 4.0, 3.5], 2))  # fmt: skip
    return out
