"""The pack's HTML page: self-contained (charts embedded as data URIs), to mail or print."""

from __future__ import annotations

import base64
import html

from publishing.briefing import vn_number
from publishing.pack.data import PackData
from publishing.pack.tables import figure_tables
from publishing.pack.words import (
    CHART_TITLES,
    CHECK_LABELS_VI,
    SAMPLE_NOTICE,
    SEVERITY_VI,
    STATUS_VI,
    UNIT_VI,
    headline,
)


def render_html(data: PackData) -> str:
    e = html.escape
    month = f"{data.period_month:%m/%Y}"
    status = data.figures.get("validation_status") or "passed"

    def table(headers: list[str], rows: list[list[str]], numeric_from: int = 1, bold_rows=frozenset()) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in headers)
        body = "".join(
            ('<tr class="total">' if r in bold_rows else "<tr>")
            + "".join(
                f'<td class="{"num" if i >= numeric_from else ""}">{e(str(cell))}</td>' for i, cell in enumerate(row)
            )
            + "</tr>"
            for r, row in enumerate(rows)
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    # the same tables as the report's Phụ lục (publishing/pack/tables.py): totals, the province's order
    tables = {t.key: t for t in figure_tables(data)}

    def figures_table(key: str, empty: str) -> str:
        t = tables.get(key)
        return table(t.headers, t.rows, t.numeric_from, t.bold_rows) if t else f"<p>{e(empty)}</p>"

    warning_rows = [[w["district_name"], CHECK_LABELS_VI.get(w["check_name"], w["check_name"]),
                     SEVERITY_VI.get(w["severity"], w["severity"]), w["details"]]
                    for w in data.warnings]  # fmt: skip
    charts = "".join(
        f'<figure><img alt="{e(CHART_TITLES[name])}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode()}"></figure>'
        for name, png in data.charts.items()
    )
    unit = UNIT_VI[data.unit_level]
    missing = (
        "<p>Chưa báo cáo: " + e(", ".join(data.missing_districts)) + "</p>"
        if data.missing_districts
        else f"<p>Tất cả các {unit.lower()} đã báo cáo.</p>"
    )
    sample = f'<p class="sample">{e(SAMPLE_NOTICE)}</p>' if data.is_sample else ""
    history_rows = [
        [f"{h['period_month']:%m/%Y}", "Quy đổi" if h["figure_basis"] == "restated" else "Báo cáo",
         vn_number(h["communes_reported"]), vn_number(h["communes_ntm"]), vn_number(h["ocop_products"]), h["label_vi"]]
        for h in data.history
    ]  # fmt: skip
    history = (
        "<h2>Lịch sử theo địa giới hiện nay</h2><p>Số liệu trước 07/2025 được quy đổi: đếm các xã cũ nay thuộc tỉnh, "
        "không phải tình trạng của xã mới.</p>"
        + table(["Tháng", "Loại số liệu", "Số xã", "Xã đạt chuẩn NTM", "Sản phẩm OCOP", "Diễn giải"], history_rows, 2)
        if any(h["figure_basis"] == "restated" for h in data.history)
        else ""
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
td.num {{ text-align: right; white-space: nowrap; }} tr.total td {{ font-weight: bold; }}
figure {{ display: inline-block; margin: 0.5em; }} img {{ max-width: 100%; }}
.sample {{ background: #fff3cd; border: 2px solid #b26a00; color: #7a4a00; padding: 0.6em; font-weight: bold; }}
.status-warning {{ color: #b26a00; }} .status-failed {{ color: #b71c1c; }} .status-passed {{ color: #2e7d32; }}
@page {{ size: A4; margin: 15mm 12mm; }}
@media print {{
  body {{ margin: 0; max-width: none; }}
  figure, tr {{ page-break-inside: avoid; }}
  h1, h2 {{ page-break-after: avoid; }}
  thead {{ display: table-header-group; }}
}}
</style></head>
<body>
{sample}
<h1>Báo cáo giao ban Chương trình MTQG xây dựng nông thôn mới và Chương trình OCOP<br>
{e(data.province_name)} — tháng {month}</h1>
<p>Số liệu công bố lúc {published}; tình trạng kiểm tra dữ liệu:
<strong class="status-{e(status)}">{e(STATUS_VI.get(status, status))}</strong>.</p>
<h2>Kết quả chủ yếu</h2>
<ul>{"".join(f"<li>{e(s)}</li>" for s in headline(data))}</ul>
<h2>Biểu đồ</h2>
{charts}
<h2>Kết quả theo {unit.lower()}</h2>
{figures_table("units", "Chưa có đơn vị nào báo cáo.")}
{history}
<h2>Tiêu chí khó đạt nhất</h2>
{figures_table("hardest", "Không có tiêu chí nào còn xã chưa đạt.")}
<h2>Nguồn vốn (triệu đồng)</h2>
{figures_table("funds", "Chưa có số liệu nguồn vốn.")}
<h2>{unit} chưa báo cáo</h2>
{missing}
<h2>Cảnh báo kiểm tra dữ liệu theo {unit.lower()}</h2>
{
        table([unit, "Nội dung", "Mức độ", "Chi tiết (kỹ thuật)"], warning_rows, 9)
        if warning_rows
        else "<p>Không có cảnh báo.</p>"
    }
<p style="font-size:0.8em;color:#666">Nguồn: kho dữ liệu NTM-OCOP, số liệu công bố lúc {published}.</p>
{sample}
</body></html>
"""
