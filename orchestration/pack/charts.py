"""The pack's four charts, as PNG images (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io

from orchestration.briefing import vn_number
from orchestration.pack.data import PackData
from orchestration.pack.words import BANDS, pct


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
