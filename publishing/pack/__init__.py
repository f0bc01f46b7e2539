"""The briefing pack: for one province and month, an HTML page, an .xlsx workbook and a Word report in Vietnamese.

Everything comes from the serving database (what BI tools read, published only after every
check passed) and its `validation_results` (the checks of the published run). The page is
self-contained (charts are PNG images embedded as data URIs), so it can be mailed or printed;
the workbook holds the same tables, numbers as numbers, and the charts; the Word report (``report``) is the
document an office edits, signs and hands out, laid out as Decree 30/2020/NĐ-CP sets.

Text written into the workbook never starts a formula: text beginning with =, +, - or @ (a
commune or product name as a district typed it) is written with a leading apostrophe.

One module per job: ``data`` reads the figures, ``words`` holds the Vietnamese labels and headline
sentences, ``charts`` draws, ``page`` writes the HTML, ``workbook`` the .xlsx, ``report`` the .docx; this module
writes the pack
(or keeps it when its figures have not changed).
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from publishing.pack.charts import render_charts
from publishing.pack.data import PackData, latest_months, load
from publishing.pack.page import render_html
from publishing.pack.report import OFFICE_SETTINGS, ReportSettings, render_docx, report_fingerprint, report_settings
from publishing.pack.words import CHECK_LABELS_VI, DISTRICT_MEASURES, FORMULA_STARTS, excel_text, headline
from publishing.pack.workbook import render_xlsx

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
    "render_docx",
    "render_html",
    "render_xlsx",
    "write_pack",
    "write_packs",
]


@dataclass
class Pack:
    directory: Path
    html_path: Path
    xlsx_path: Path
    docx_path: Path  # the report (báo cáo) the office edits and signs
    written: bool  # False when the figures had not changed since the pack on disk


def pack_dir(reports_dir: Path, province_code: str, period_month: dt.date) -> Path:
    return reports_dir / "briefing" / province_code / f"{period_month:%Y-%m}"


def _prepare(
    serving: duckdb.DuckDBPyConnection, reports_dir: Path, province_code: str, period_month: dt.date, force: bool
) -> tuple[Pack, PackData | None, ReportSettings] | None:
    """The pack's paths and, if it must be (re)written, its figures; None if the month is not published. The
    report's settings are the office's (`bao-cao.toml` in the data folder, beside reports/) over the defaults."""
    data = load(serving, province_code, period_month)
    if data is None:
        return None
    settings = report_settings(data, reports_dir.parent / OFFICE_SETTINGS)
    directory = pack_dir(reports_dir, province_code, period_month)
    stem = f"bao-cao-giao-ban-{province_code}-{period_month:%Y-%m}"
    pack = Pack(directory, directory / f"{stem}.html", directory / f"{stem}.xlsx",
                directory / f"bao-cao-{province_code}-{period_month:%Y-%m}.docx", written=False)  # fmt: skip
    stamp = directory / "pack.json"
    fingerprint = _fingerprint(data, settings)
    if not force and stamp.exists() and all(p.exists() for p in (pack.html_path, pack.xlsx_path, pack.docx_path)):
        if json.loads(stamp.read_text()).get("fingerprint") == fingerprint:
            return pack, None, settings
    return pack, data, settings


def _fingerprint(data: PackData, settings: ReportSettings) -> str:
    return f"{data.fingerprint}:{report_fingerprint(settings)}"


def _render(pack: Pack, data: PackData, settings: ReportSettings) -> Pack:
    """Draw the charts and write the page, the workbook, the report and the stamp (each file whole: written, then
    renamed)."""
    data.charts = render_charts(data)
    pack.directory.mkdir(parents=True, exist_ok=True)
    for target, write in (
        (pack.html_path, lambda tmp: tmp.write_text(render_html(data), encoding="utf-8")),
        (pack.xlsx_path, lambda tmp: render_xlsx(data, tmp)),
        (pack.docx_path, lambda tmp: render_docx(data, tmp, settings)),
    ):
        tmp = target.with_name(f".{target.name}.tmp")
        write(tmp)
        tmp.replace(target)  # a reader never opens half a file
    (pack.directory / "pack.json").write_text(
        json.dumps(
            {
                "fingerprint": _fingerprint(data, settings),
                "run_id": data.run_id,
                "written_at": dt.datetime.now().isoformat(),
            }
        )
    )
    pack.written = True
    return pack


def write_pack(
    serving: duckdb.DuckDBPyConnection,
    reports_dir: Path,
    province_code: str,
    period_month: dt.date,
    *,
    force: bool = False,
) -> Pack | None:
    """Write (or keep, if its figures are unchanged) the pack; None if the month is not published."""
    prepared = _prepare(serving, reports_dir, province_code, period_month, force)
    if prepared is None:
        return None
    pack, data, settings = prepared
    return pack if data is None else _render(pack, data, settings)


def write_packs(
    serving: duckdb.DuckDBPyConnection,
    reports_dir: Path,
    province_months: list[tuple[str, dt.date]],
    *,
    force: bool = False,
    workers: int = 1,
    parallel_from: int = 10,
) -> list[Pack]:
    """Every province-month's pack: the figures read here, one after another (one connection), the packs whose
    figures changed drawn and written by `workers` processes at once (setting NTM_PACK_WORKERS; drawing is most of
    a pack's time: a national month's 63 packs took 29 s one after another). A worker starts in about 3 s (its
    imports), so fewer than `parallel_from` packs are drawn here, one after another. Unpublished months are left
    out."""
    prepared = [p for p in (_prepare(serving, reports_dir, pc, pm, force) for pc, pm in province_months) if p]
    to_write = [(pack, data, settings) for pack, data, settings in prepared if data is not None]
    workers = min(workers, len(to_write))
    if workers <= 1 or len(to_write) < parallel_from:
        written = {id(pack): _render(pack, data, settings) for pack, data, settings in to_write}
    else:
        # fresh interpreters: the parent holds DuckDB connections and Dagster's threads, which a fork would copy
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {id(pack): pool.submit(_render, pack, data, settings) for pack, data, settings in to_write}
            written = {key: future.result() for key, future in futures.items()}
    return [written.get(id(pack), pack) for pack, _, _ in prepared]
