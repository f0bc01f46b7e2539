"""How long each part of a briefing pack takes to make, per published province-month of a serving file.

    .venv/bin/python bench/pack_render.py [--serving data/serving.duckdb] [--repeat 3]

Prints, for each province's latest published month, the best of `--repeat` timings of reading the figures, drawing
the charts, and writing the Word report, the workbook and the page (into a temporary folder). Run `make run` first.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

from publishing.pack import latest_months, load, render_charts, render_docx, render_html, render_xlsx
from publishing.pack.report import report_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serving", type=Path, default=Path("data/serving.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with duckdb.connect(str(args.serving), read_only=True) as con, tempfile.TemporaryDirectory() as tmp:
        months = latest_months(con)
        print(f"{'pack':<12}{'figures':>9}{'charts':>9}{'.docx':>9}{'.xlsx':>9}{'.html':>9}  (seconds, best of "
              f"{args.repeat})")  # fmt: skip
        for province, month in months:
            best: dict[str, float] = {}
            for _ in range(args.repeat):
                steps = {}
                t = time.perf_counter()
                data = load(con, province, month)
                steps["figures"] = time.perf_counter() - t
                t = time.perf_counter()
                data.charts = render_charts(data)
                steps["charts"] = time.perf_counter() - t
                t = time.perf_counter()
                render_docx(data, Path(tmp) / "r.docx", report_settings(data))
                steps[".docx"] = time.perf_counter() - t
                t = time.perf_counter()
                render_xlsx(data, Path(tmp) / "r.xlsx")
                steps[".xlsx"] = time.perf_counter() - t
                t = time.perf_counter()
                render_html(data)
                steps[".html"] = time.perf_counter() - t
                best = {k: min(v, best.get(k, v)) for k, v in steps.items()}
            print(f"{province} {month:%m/%Y}" + "".join(f"{best[k]:>9.2f}" for k in steps))


if __name__ == "__main__":
    main()
