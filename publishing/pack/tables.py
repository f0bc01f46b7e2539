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
    for year in sorted({r["plan_year"] for r in data.funds}):
        rows = [r for r in data.funds if r["plan_year"] == year]
        for r in rows:
            funds.append([str(year), r["fund_source_name_vi"], vn_number(r["allocated_mil_vnd"], 1),
                          vn_number(r["disbursed_mil_vnd"], 1), pct(r["disbursement_pct"], 2)])  # fmt: skip
        allocated = sum(float(r["allocated_mil_vnd"] or 0) for r in rows)
        disbursed = sum(float(r["disbursed_mil_vnd"] or 0) for r in rows)
        share = pct(round(100.0 * disbursed / allocated, 2), 2) if allocated else "-"
        bold.add(len(funds))
        funds.append([str(year), f"Cộng kế hoạch năm {year}", vn_number(allocated, 1), vn_number(disbursed, 1), share])
    if funds:
        out.append(Table("funds", "Biểu 3. Nguồn vốn và giải ngân (triệu đồng)",
                         ["Năm kế hoạch", "Nguồn vốn", "Kế hoạch vốn", "Giải ngân", "Tỷ lệ giải ngân"], funds, bold,
                         [2.6, 9.0, 4.0, 4.0, 3.5], 2))  # fmt: skip
    return out
