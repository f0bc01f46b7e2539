"""The briefing pack: for one province and month, an HTML page and an .xlsx workbook in Vietnamese.

Everything comes from the serving database (what BI tools read, published only after every
check passed) and its `validation_results` (the checks of the published run). The page is
self-contained (charts are PNG images embedded as data URIs), so it can be mailed or printed;
the workbook holds the same tables, numbers as numbers, and the charts.

Text written into the workbook never starts a formula: text beginning with =, +, - or @ (a
commune or product name as a district typed it) is written with a leading apostrophe.

One module per job: ``data`` reads the figures, ``words`` holds the Vietnamese labels and headline
sentences, ``charts`` draws, ``page`` writes the HTML, ``workbook`` the .xlsx; this module writes the pack
(or keeps it when its figures have not changed).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.pack.charts import render_charts
from orchestration.pack.data import PackData, latest_months, load
from orchestration.pack.page import render_html
from orchestration.pack.words import CHECK_LABELS_VI, DISTRICT_MEASURES, FORMULA_STARTS, excel_text, headline
from orchestration.pack.workbook import render_xlsx

__all__ = [
    "CHECK_LABELS_VI",
    "DISTRICT_MEASURES",
    "FORMULA_STARTS",
    "Pack",
    "PackData",
    "excel_text",
    "headline",
    "latest_months",
    "load",
    "pack_dir",
    "render_charts",
    "render_html",
    "render_xlsx",
    "write_pack",
]


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
