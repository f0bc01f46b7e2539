"""One workbook: its cover, its template, and each sheet read by the rule its declaration names
(``Sheet.rule`` in ingestion/template.py: dispatch is data)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ingestion import template as declarations  # TEMPLATES looked up when called: a test adds one
from ingestion.reader.container import open_workbook, read_sheet
from ingestion.reader.cover import UNIT_LABEL, read_cover_sheet
from ingestion.reader.declared import read_declared
from ingestion.reader.figures import FIGURES, PREFILLED, sheet_content
from ingestion.reader.result import Cover, Rejection, WorkbookNotFilled, WorkbookRejected, WorkbookResult
from ingestion.reference import AdminUnits, Reference
from ingestion.template import TEMPLATE_OWN_SHEETS, Sheet, Template, template_for
from ingestion.text import fold

# A rule: (rows of the sheet, its name as found, its declaration, the cover, the month's units, the result to fill).
Rule = Callable[[list[list[Any]], str, Sheet, Cover, Reference, WorkbookResult], None]


@cache
def rule_of(spec: Sheet) -> Rule:
    """The function its declaration names (``Sheet.rule``, "<module>.<function>" in this package), or the
    declared reader; a name that does not resolve is a defect of the template, said with the sheet's name."""
    if spec.rule is None:
        return read_declared
    module, _, function = spec.rule.partition(".")
    try:
        return getattr(importlib.import_module(f"ingestion.reader.{module}"), function)
    except (ImportError, AttributeError) as exc:
        raise LookupError(f"sheet {spec.name}: its rule {spec.rule!r} is not a function of ingestion.reader") from exc


def _find_sheets(book: CalamineWorkbook, template: Template) -> tuple[dict[str, str], list[str]]:
    """The template's sheets by key (case, diacritics and separators ignored), and notes on the others."""
    found: dict[str, str] = {}
    notes: list[str] = []
    own = {fold(name) for name in TEMPLATE_OWN_SHEETS}
    for name in book.sheet_names:
        key = template.sheet_key(name)
        if key is None and fold(name) in own:  # the guide and lists of `ntm-ocop template`
            continue
        if key is None:
            notes.append(f"sheet {name!r} is not part of template {template.version} and was ignored")
        elif key in found:
            raise WorkbookRejected(f"sheets {found[key]!r} and {name!r} are both {template.sheet(key).name}")
        else:
            found[key] = name
    missing = [s.name for s in template.sheets if s.required and s.key not in found]
    if missing:
        raise WorkbookRejected(
            f"required sheet(s) missing: {', '.join(missing)} (found: {', '.join(book.sheet_names)})"
        )
    return found, notes


def _cover_of(book: CalamineWorkbook, units: AdminUnits) -> tuple[Cover, Template, list[str], Reference]:
    """The cover (found by any template's cover sheet names), the workbook's template, and its month's units."""
    templates = declarations.TEMPLATES
    names = [name for name in book.sheet_names if any(t.sheet_key(name) == "cover" for t in templates)]
    cover_sheet = templates[-1].sheet("cover").name
    if not names:
        raise WorkbookRejected(f"required sheet(s) missing: {cover_sheet} (found: {', '.join(book.sheet_names)})")
    if len(names) > 1:
        raise WorkbookRejected(f"sheets {names[0]!r} and {names[1]!r} are both {cover_sheet}")
    rows = read_sheet(book, names[0])
    try:
        cover, reference = read_cover_sheet(rows, names[0], units)
    except WorkbookRejected as exc:
        exc.written = written_scope(rows)
        raise
    try:
        template = template_for(cover.template_version, cover.period_month)
    except ValueError as exc:
        rejected = WorkbookRejected(f"cover: {exc}")
        rejected.written = written_scope(rows)
        raise rejected from None
    if template.reporting_level != cover.reporting_level:
        unit = UNIT_LABEL[cover.reporting_level]
        rejected = WorkbookRejected(
            f"cover: a {cover.reporting_level}'s workbook ({unit} {cover.reporting_unit_code}) for "
            f"{cover.period_month:%m/%Y}, but {cover.period_month:%m/%Y} is reported by each "
            f"{template.reporting_level} on template {template.version} ({template.valid_from:%m/%Y}–"
            + (f"{template.valid_to:%m/%Y})" if template.valid_to else "today)")
        )
        rejected.written = written_scope(rows)
        raise rejected
    notes = []
    if cover.template_version and cover.template_version.strip() != template.version:
        notes.append(
            f"Phiên bản biểu mẫu {cover.template_version!r} is not a template this warehouse knows; read as "
            f"template {template.version}, the template of {cover.period_month:%m/%Y}"
        )
    return cover, template, notes, reference


def written_scope(rows: list[list[Any]]) -> dict[str, Any] | None:
    """The province, unit and month a cover names as written (codes as text, the period parsed), when each can be
    read: a rejected workbook's whom and when. Never raises."""
    from ingestion import values as v
    from ingestion.reader.grid import label_values

    pairs = label_values(rows)

    def written(label: str) -> str | None:
        return v.text(pairs.get(fold(label), ("",))[0])

    province, district, commune = written("Mã tỉnh"), written("Mã huyện"), written("Mã xã")
    try:
        period = v.parse_period(pairs.get(fold("Kỳ báo cáo"), ("",))[0])
    except ValueError:
        period = None
    unit = commune or district
    if not (province and unit and period):
        return None
    level = "commune" if commune else "district"
    return {"province_code": province, "reporting_unit_code": unit, "reporting_unit_level": level,
            "period_month": period, "district_code": district if level == "district" else None}  # fmt: skip


def read_cover(path: Path, units: AdminUnits) -> Cover:
    """Only the cover: which district and month a workbook reports (fast; what a sensor needs).

    Raises :class:`WorkbookRejected` for the reasons :func:`read_workbook` would reject the file
    before reading its detail sheets.
    """
    book = open_workbook(path)
    try:
        cover, template, _, _ = _cover_of(book, units)
        _find_sheets(book, template)
        return cover
    finally:
        book.close()


def read_workbook(path: Path, units: AdminUnits) -> WorkbookResult:
    """Read a district workbook. Raises :class:`WorkbookRejected` if it cannot be loaded."""
    book = open_workbook(path)
    try:
        cover, template, notes, reference = _cover_of(book, units)
        found, sheet_notes = _find_sheets(book, template)
        # every raw table of the template but the covers' (a sheet may fill several: B01 its marks too)
        tables = [t.removeprefix("raw.") for t in template.raw_tables if t != "raw.workbook_covers"]
        sheets = {key: read_sheet(book, name) for key, name in found.items() if key != "cover"}
        # A sheet holding only what a template pre-fills is not read: an optional one is "not reported" as if
        # absent, a required one reads as empty; a workbook without a figure in any sheet is not filled in.
        content = {key: sheet_content(rows, template.sheet(key)) for key, rows in sheets.items()}
        empty = {key for key, what in content.items() if what == PREFILLED}
        if FIGURES not in content.values():
            raise WorkbookNotFilled(
                f"not filled in (chưa điền số liệu): no sheet holds a figure; nothing was loaded, and the "
                f"{cover.reporting_level} {cover.reporting_unit_code} is not yet reported for "
                f"{cover.period_month:%m/%Y}"
            )
        out = WorkbookResult(
            cover=cover,
            tables={t: [] for t in tables},
            notes=notes + sheet_notes,
            template_read=template.version,
            sheets_read=tuple(s.key for s in template.sheets if s.key in found and (s.required or s.key not in empty)),
        )
        for spec in template.sheets:
            if spec.key == "cover" or spec.key not in found:
                continue
            name = found[spec.key]
            if spec.key in empty:
                what = "read as empty" if spec.required else "not reported"
                out.notes.append(f"sheet {name!r} holds only its pre-filled codes and labels, no figure: {what}")
                continue
            try:
                rule_of(spec)(sheets[spec.key], name, spec, cover, reference, out)
            except WorkbookRejected as exc:
                if spec.required:
                    raise
                # An optional sheet that cannot be read is skipped, not fatal.
                out.rejections.append(Rejection(name, None, None, None, f"{exc.reason}; the sheet was not loaded"))
        return out
    finally:
        book.close()
