"""The pack's charts, as PNG images (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io
import textwrap

from publishing.briefing import vn_number
from publishing.pack.data import PackData
from publishing.pack.words import pct, restated_missing


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
        # tight_layout leaves a placeholder layout engine, for which savefig draws the whole figure once more
        # before drawing it to the file (a third of a pack's time); the layout is final here
        fig.set_layout_engine(None)
        fig.savefig(buffer, format="png", dpi=110, pil_kwargs={"compress_level": 1})
        plt.close(fig)
        charts[name] = buffer.getvalue()

    f = data.figures
    # named categories as horizontal bars, names wrapped, never cut or overlapping
    labels, values = [b["band_name_vi"] for b in data.bands], [b["communes"] or 0 for b in data.bands]
    fig, ax = plt.subplots(figsize=(6.4, 1.0 + 0.42 * max(len(labels), 1)))
    bars = ax.barh(labels, values, color="#2e7d32")
    ax.bar_label(bars, labels=[vn_number(v) for v in values], padding=2)
    ax.invert_yaxis()
    ax.set_xlim(0, max(values, default=0) * 1.15 + 1)
    ax.set_title(f"Số xã theo số tiêu chí đạt (tổng số {vn_number(f['communes_total'])} xã)", fontsize=10)
    ax.xaxis.set_major_formatter(axis_numbers)
    save("criteria_bands", fig)

    hardest = list(data.hardest)
    labels = ["\n".join(textwrap.wrap(f"{h['criterion_number']}. {h['criterion_name_vi'] or ''}".strip(". "), 34))
              for h in hardest]  # fmt: skip
    fig, ax = plt.subplots(figsize=(6.4, 1.0 + 0.5 * max(len(hardest), 1)))
    values = [h["communes_not_meeting"] for h in hardest]
    bars = ax.barh(labels, values, color="#c62828")
    ax.bar_label(bars, labels=[vn_number(v) for v in values], padding=2)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlim(0, max(values, default=0) * 1.15 + 1)
    ax.set_title(f"Tiêu chí có nhiều xã chưa đạt nhất\n(số xã chưa đạt, trong tổng số "
                 f"{vn_number(f['communes_total'])} xã)", fontsize=10)  # fmt: skip
    ax.xaxis.set_major_formatter(axis_numbers)
    save("hardest_criteria", fig)

    if data.unit_level == "district":
        names = [d["district_name"] for d in data.districts]
        fig, ax = plt.subplots(figsize=(6.4, 1.2 + 0.38 * max(len(names), 1)))
        left = [0] * len(names)
        for stars, color in ((3, "#f9a825"), (4, "#ef6c00"), (5, "#b71c1c")):
            counts = [d[f"ocop_{stars}_star"] or 0 for d in data.districts]
            ax.barh(names, counts, left=left, color=color, label=f"{stars} sao")
            left = [b + c for b, c in zip(left, counts, strict=True)]
        for y, total in enumerate(left):
            ax.annotate(vn_number(total), (total, y), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=8)  # fmt: skip
        ax.invert_yaxis()
        ax.set_xlim(0, max(left, default=0) * 1.2 + 1)
        ax.set_title("Sản phẩm OCOP theo số sao và đơn vị cấp huyện", fontsize=10)
        ax.xaxis.set_major_formatter(axis_numbers)
        ax.legend(ncol=3, loc="lower right", fontsize=8)
        save("ocop_by_district", fig)
    else:  # tens of communes: by who certified (since 07/2025 the province rates 3★ and 4★, the centre 5★)
        fig, ax = plt.subplots(figsize=(6.4, 2.6))
        levels = [("Huyện (trước 01/07/2025)", "ocop_district_level"), ("Tỉnh", "ocop_province_level"),
                  ("Trung ương", "ocop_central_level")]  # fmt: skip
        values = [f[column] or 0 for _, column in levels]
        bars = ax.barh([label for label, _ in levels], values, color=["#bdbdbd", "#ef6c00", "#b71c1c"])
        ax.bar_label(bars, labels=[vn_number(v) for v in values])
        ax.invert_yaxis()
        ax.set_xlim(0, max(values, default=0) * 1.2 + 1)
        ax.set_title("Sản phẩm OCOP còn hiệu lực theo cấp công nhận")
        ax.xaxis.set_major_formatter(axis_numbers)
        save("ocop_by_level", fig)

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
    ax.set_title("Giải ngân theo nguồn vốn và năm kế hoạch\n(triệu đồng; nhãn: tỷ lệ so với kế hoạch vốn)", fontsize=10)
    ax.xaxis.set_major_formatter(axis_numbers)
    ax.legend(fontsize=8, loc="lower right")
    save("disbursement", fig)

    if any(h["figure_basis"] == "restated" for h in data.history):
        # NTM xã by month: the legacy xã now inside the province (restated, by the legacy province they came from)
        # beside the province's own xã as reported since 07/2025. Two different things, drawn apart.
        months = sorted({h["period_month"] for h in data.history})
        sources = sorted({h["source_province_code"] for h in data.history if h["figure_basis"] == "restated"})
        names = {h["source_province_code"]: h.get("source_province_name") or h["source_province_code"]
                 for h in data.history}  # fmt: skip
        fig, ax = plt.subplots(figsize=(7.2, 3.6))
        x = range(len(months))
        bottom = [0] * len(months)
        palette = ["#90a4ae", "#b0bec5", "#78909c", "#cfd8dc"]
        for i, source in enumerate(sources):
            counts = [
                sum(
                    h["communes_ntm"]
                    for h in data.history
                    if h["period_month"] == m
                    and h["figure_basis"] == "restated"
                    and h["source_province_code"] == source
                )
                for m in months
            ]
            ax.bar(x, counts, bottom=bottom, color=palette[i % len(palette)], hatch="//", edgecolor="white",
                   label=f"Quy đổi: xã cũ của {names[source]}")  # fmt: skip
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        reported = [sum(h["communes_ntm"] for h in data.history if h["period_month"] == m
                        and h["figure_basis"] == "as_reported") for m in months]  # fmt: skip
        ax.bar(x, reported, bottom=bottom, color="#2e7d32", label="Báo cáo của xã (từ 07/2025)")
        totals = [b + r for b, r in zip(bottom, reported, strict=True)]
        for i, total in enumerate(totals):
            ax.annotate(vn_number(total), (i, total), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(list(x), [f"{m:%m/%Y}" for m in months], fontsize=8)
        ax.set_ylim(0, max(totals, default=0) * 1.25 + 1)
        ax.set_ylabel("Số xã đạt chuẩn NTM")
        missing = restated_missing(data)
        ax.set_title(
            "Xã đạt chuẩn NTM: số liệu quy đổi theo địa giới hiện nay và số liệu báo cáo"
            + (f"\n(quy đổi chưa gồm xã cũ của {', '.join(missing)}: kho chưa có số liệu)" if missing else ""),
            fontsize=10,
        )
        ax.yaxis.set_major_formatter(axis_numbers)
        ax.legend(fontsize=7, loc="upper left")
        save("history", fig)
    return charts
