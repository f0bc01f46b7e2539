"""Criteria marks: B01 (a district's communes, the 19 criteria as columns), C01 (a commune's criteria as rows,
then its status), B01N (the advanced set), B07 (the district's own status and criteria)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from ingestion import values as v
from ingestion.criteria import CriteriaSet, set_in_force
from ingestion.reader.grid import (
    Header,
    RowReader,
    detail_rows,
    find_header,
    has_problem,
    is_totals_row,
    keep,
    label_rows_reader,
    resolve_commune,
    total_value,
    totals_record,
    with_lineage,
)
from ingestion.reader.result import Cover, Rejection, WorkbookRejected, WorkbookResult
from ingestion.reference import Commune, Reference
from ingestion.template import B07_STATUS, C01_STATUS, TEMPLATE_2024_1, Sheet
from ingestion.text import fold

CRITERIA = TEMPLATE_2024_1.criteria  # B01's numbered criteria (template 2024.1)


def _criteria_columns(rows: list[list[Any]], header: Header, sheet: str) -> Header:
    """The second header row numbers the 19 criteria under the merged "Tiêu chí" cell."""
    sub_index = header.row_index + 1
    sub = rows[sub_index] if sub_index < len(rows) else []
    columns, labels = dict(header.columns), dict(header.labels)
    for col, cell in enumerate(sub):
        try:
            number = v.parse_int(cell)
        except ValueError:
            continue
        if number in CRITERIA and f"c{number:02d}" not in columns and col >= header.columns["criteria"]:
            columns[f"c{number:02d}"] = col
            labels[f"c{number:02d}"] = f"Tiêu chí {number}"
    missing = [str(n) for n in CRITERIA if f"c{n:02d}" not in columns]
    if missing:
        raise WorkbookRejected(
            f"sheet {sheet!r}: the row under 'Tiêu chí' (row {sub_index + 1}) does not number "
            f"criteria {', '.join(missing)}"
        )
    return Header(sub_index, columns, labels)


def read_commune_columns(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = find_header(rows, spec, sheet)
    header = _criteria_columns(rows, header, sheet)
    seen_totals = False
    for r in detail_rows(rows, header, sheet, spec.prefilled, out.notes):
        if is_totals_row(r, "stt", "commune_name", "commune_code"):
            seen_totals = True
            _b01_totals(r, out)
            continue
        if seen_totals:
            out.notes.append(f"{sheet} row {r.row_number}: a row after the totals row was read as a commune")
        record, marks = _b01_row(r, cover, reference, out.notes)
        keep(out, "commune_criteria", r, record)
        if not r.problems:  # the commune's marks, one row per criterion, with the commune row's lineage
            code = record["commune_code"]
            out.tables["commune_criterion_marks"].extend(
                with_lineage(
                    {"commune_code": code, "criterion_number": n, "is_met": met, "commune_row_number": r.row_number},
                    sheet,
                    r.row_number,
                )
                for n, met in marks
            )


def _b01_row(
    r: RowReader, cover: Cover, reference: Reference, notes: list[str]
) -> tuple[dict[str, Any], list[tuple[int, bool]]]:
    """The commune's row of B01, and its criterion marks as (criterion number, met)."""
    commune = resolve_commune(r, cover, reference, notes)
    if commune is not None and commune.unit_type != "Xã":
        r.fail("commune_code", commune.code, f"{commune.name} is a {commune.unit_type}: NTM criteria apply to xã only")
    record: dict[str, Any] = {
        "commune_code": commune.code if commune else None,
        "commune_name_written": r.text("commune_name"),
    }
    marks = [(n, r.get(f"c{n:02d}", v.parse_marker)) for n in CRITERIA]
    record["criteria_met_reported"] = r.get("criteria_met", lambda x: v.parse_count(x, maximum=len(CRITERIA)))
    level = r.get("level", lambda x: v.LEVELS.parse(x, default="not_yet"))
    check_level_in_set(r, "level", level, cover.period_month)
    years = {k: r.get(k, v.parse_year) for k in ("year_ntm", "year_advanced", "year_model")}
    if level is not None:
        rank = v.LEVEL_RANK[level]
        for needed_rank, key in ((1, "year_ntm"), (2, "year_advanced"), (3, "year_model")):
            if rank >= needed_rank and years[key] is None and key in r.header.columns and not has_problem(r, key):
                r.fail(key, r.raw(key), f"the commune is at level {r.raw('level')!r} but this year is empty")
    ordered = [(k, years[k]) for k in ("year_ntm", "year_advanced", "year_model") if years[k] is not None]
    for (k1, y1), (k2, y2) in itertools.pairwise(ordered):
        if y2 < y1:
            r.fail(
                k2, r.raw(k2), f"{r.header.labels[k2]} {y2} is before {r.header.labels[k1]} {y1}: years go backwards"
            )
    record.update(years)
    record["level_code"] = level
    maintains = r.get("maintains", v.YES_NO.parse)
    record["maintains_reported"] = None if maintains is None else maintains == "yes"
    record["note"] = r.text("note")
    return record, marks


def _b01_totals(r: RowReader, out: WorkbookResult) -> None:
    """The district's totals row of B01: kept for reconciliation, not as a commune."""
    for key in ("criteria_met", *(f"c{n:02d}" for n in CRITERIA)):
        value = r.raw(key)
        if v.is_blank(value):
            continue
        indicator = "criteria_met_sum" if key == "criteria_met" else f"communes_meeting_{key}"
        try:
            number = total_value(indicator, value)
        except ValueError as exc:
            r.fail(key, value, f"totals row: {exc}")
            continue
        out.tables["unit_totals"].append(
            totals_record("B01", r.sheet, r.row_number, indicator, r.header.labels[key], number)
        )
    out.rejections.extend(r.problems)


def check_level_in_set(r: RowReader, key: str, level: str | None, month: dt.date) -> None:
    """A level the criteria set of the month does not have (no "NTM nâng cao" from 02/2026) rejects the row."""
    in_force = set_in_force(month)
    if level is not None and in_force is not None and level not in in_force.levels:
        r.fail(
            key,
            r.raw(key),
            f"{v.text(r.raw(key))!r} is not a level of the criteria set in force in {month:%m/%Y} "
            f"({in_force.code}, {in_force.period}: "
            + ", ".join(v.LEVELS.labels[c] for c in sorted(in_force.levels))
            + ")",
        )


_C01_STATUS_LABELS = {fold(alias): column for column in C01_STATUS for alias in column.labels}


def read_commune_rows(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """One row per criterion of the set in force, then the commune's status as label/value rows."""
    header = find_header(rows, spec, sheet)
    in_force = set_in_force(cover.period_month)
    if in_force is None:
        raise WorkbookRejected(f"no criteria set of this warehouse covers {cover.period_month:%m/%Y}")
    label_col = header.columns["criterion"]
    rural = cover.commune_type in (None, "Xã")
    status: dict[str, tuple[Any, int, str]] = {}  # key -> (value, row, label as written)
    marks: list[RowReader] = []
    records: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    criteria: list[RowReader] = []
    for r in detail_rows(rows, header, sheet):
        first = r.raw("criterion")
        if isinstance(first, str) and fold(first) in _C01_STATUS_LABELS:
            column = _C01_STATUS_LABELS[fold(first)]
            value = r.row[label_col + 1] if label_col + 1 < len(r.row) else ""
            status.setdefault(column.key, (value, r.row_number, v.text(first) or column.label))
            continue
        if is_totals_row(r, "criterion", "criterion_name"):
            continue
        if not rural:  # a ward's or special zone's workbook: its OCOP and funds count, criteria do not apply
            r.fail("criterion", r.raw("criterion"), f"the NTM criteria apply to xã only: the reporting unit is a "
                   f"{cover.commune_type}")  # fmt: skip
            out.rejections.extend(r.problems)
            continue
        criteria.append(r)
    # `Đạt` takes B01's markers, where an empty cell is "not achieved": a criterion whose row is there with no mark is
    # not achieved, one with no row "not reported". A sheet with no mark at all (a template's C01 left as sent, its
    # criteria pre-filled) reports no criterion: its rows are not reported.
    marked = any(not v.is_blank(r.raw("met")) for r in criteria)
    for r in criteria:
        record = _c01_mark(r, cover, in_force, seen, out, empty_is_not_met=marked)
        if record is not None:
            marks.append(r)
            records.append(record)
    if not rural:
        if status:
            out.rejections.append(Rejection(sheet, None, "Mức đạt chuẩn", None, f"the NTM levels apply to xã only: the "
                                            f"reporting unit is a {cover.commune_type}"))  # fmt: skip
        return
    status_row = _c01_status(status, sheet, header, cover, out)
    for r, record in zip(marks, records, strict=True):
        if status_row is None and not r.problems:
            r.fail(None, None, "not loaded: the commune's status below the criteria (Mức đạt chuẩn) was rejected",
                   column_name=header.labels["criterion"])  # fmt: skip
        keep(out, "commune_criterion_marks", r, {**record, "commune_row_number": status_row or 0})


def _criterion_number(
    r: RowReader,
    in_force: CriteriaSet | None,
    level: str,
    month: dt.date,
    seen: dict,
    commune: Commune | None = None,
    per_commune: bool = False,
) -> int | None:
    """The row's criterion number (C01, B07, B01N), checked against the `level` set in force in the month and
    against the rows before it; problems are recorded on the row. `seen` holds the first row of each criterion (of
    each commune, `per_commune`: B01N lists several communes; a row whose commune is unknown is not compared)."""
    written = r.raw("criterion")
    number = r.get("criterion", v.parse_int)
    key = number if not per_commune else (commune.code, number) if commune else None
    if number is None and not has_problem(r, "criterion"):
        r.fail("criterion", None, "the criterion number is empty")
    elif in_force is None:
        r.fail("criterion", written, f"no {level} criteria set of this warehouse covers {month:%m/%Y} (the "
               "2021-2025 set applies from 03/2022)")  # fmt: skip
    elif number is not None and number not in in_force.criteria:
        if level == "commune":
            which = f"the set in force in {month:%m/%Y} ({in_force.code}, "
        else:
            which = f"the {level} set {in_force.code} ("
        r.fail("criterion", written, f"criterion {number} is not a criterion of {which}{in_force.period}: criteria "
               f"1–{max(in_force.criteria)})")  # fmt: skip
    elif key is not None and key in seen:
        whose = f" of {commune.name}" if per_commune else ""
        r.fail("criterion", written, f"criterion {number}{whose} is written twice (rows {seen[key]} and "
               f"{r.row_number})")  # fmt: skip
    if number is not None and key is not None:
        seen.setdefault(key, r.row_number)
    return number


def _c01_mark(
    r: RowReader, cover: Cover, in_force: CriteriaSet, seen: dict[int, int], out: WorkbookResult,
    *, empty_is_not_met: bool,
):  # fmt: skip
    """One criterion's row of C01: its mark record, or None when it is not reported (an empty mark in a sheet with
    no mark at all); problems are recorded on the row (a number outside the set in force, a criterion written
    twice, more indicators met than there are)."""
    number = _criterion_number(r, in_force, "commune", cover.period_month, seen)
    if v.is_blank(r.raw("met")) and not empty_is_not_met:
        out.notes.append(f"{r.sheet} row {r.row_number}: criterion {number} has no result (Đạt), nor has any "
                         "criterion of the sheet: not reported")  # fmt: skip
        return None
    met = r.get("met", v.parse_marker)
    indicators_met = r.get("indicators_met", v.parse_count)
    indicators_total = r.get("indicators_total", v.parse_count)
    if indicators_met is not None and indicators_total is not None and indicators_met > indicators_total:
        r.fail("indicators_met", r.raw("indicators_met"), f"{indicators_met} indicators met of {indicators_total}")
    return {
        "commune_code": cover.commune_code,
        "criterion_number": number,
        "is_met": met,
        "indicators_met": indicators_met,
        "indicators_total": indicators_total,
    }


def _c01_status(status, sheet: str, header: Header, cover: Cover, out: WorkbookResult) -> int | None:
    """The commune's record of raw.commune_criteria from C01's label rows; its row, or None when rejected."""
    if "level" not in status:
        out.rejections.append(
            Rejection(sheet, None, "Mức đạt chuẩn", None, "no 'Mức đạt chuẩn' row below the criteria: the commune's "
                      "status is not known")
        )  # fmt: skip
        return None
    level_value, level_row, _ = status["level"]
    r = label_rows_reader(status, sheet, level_row)
    level = r.get("level", lambda x: v.LEVELS.parse(x, default="not_yet"))
    check_level_in_set(r, "level", level, cover.period_month)
    year_keys = ("year_ntm", "year_advanced", "year_model", "year_modern")
    years = {k: r.get(k, v.parse_year) for k in year_keys}
    needed = {"ntm": ("year_ntm",), "advanced": ("year_ntm", "year_advanced"), "model": ("year_ntm", "year_model"),
              "modern": ("year_ntm", "year_modern")}  # fmt: skip
    for key in needed.get(level or "", ()):
        if years[key] is None and not has_problem(r, key):
            label = next(c.label for c in C01_STATUS if c.key == key)
            r.fail(None, None, f"the commune is at level {v.text(level_value)!r} but '{label}' is empty",
                   column_name=label)  # fmt: skip
    for later in ("year_advanced", "year_model", "year_modern"):
        if years["year_ntm"] and years[later] and years[later] < years["year_ntm"]:
            r.fail(later, status[later][0], f"{years[later]} is before the year of NTM {years['year_ntm']}")
    maintains = r.get("maintains", v.YES_NO.parse)
    record = {
        "commune_code": cover.commune_code,
        "commune_name_written": cover.commune_name_written,
        "criteria_met_reported": None,  # the commune's count is its TongHop's "Số tiêu chí đạt"
        "level_code": level,
        **years,
        "decision_number": v.text(status.get("decision_number", ("",))[0]),
        "maintains_reported": None if maintains is None else maintains == "yes",
        "note": None,
    }
    if r.problems:
        out.rejections.extend(r.problems)
        return None
    out.tables["commune_criteria"].append(with_lineage(record, sheet, level_row))
    return level_row


def read_advanced_marks(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """B01N_TieuChiNangCao: long, one row per commune x criterion of the advanced set in force."""
    header = find_header(rows, spec, sheet)
    in_force = set_in_force(cover.period_month, "commune_advanced")
    seen: dict[tuple[str, int], int] = {}
    for r in detail_rows(rows, header, sheet):
        if is_totals_row(r, "commune_code", "commune_name"):
            continue
        commune = resolve_commune(r, cover, reference, out.notes)
        if commune is not None and commune.unit_type != "Xã":
            r.fail("commune_code", commune.code, f"{commune.name} is a {commune.unit_type}: NTM criteria apply to xã "
                   "only")  # fmt: skip
        number = _criterion_number(r, in_force, "advanced", cover.period_month, seen, commune, per_commune=True)
        record = {
            "commune_code": commune.code if commune else None,
            "criteria_set_code": in_force.code if in_force else None,
            "criterion_number": number,
            "is_met": r.get("met", v.parse_marker),
        }
        keep(out, "advanced_criterion_marks", r, record)


_B07_STATUS_LABELS = {fold(alias): column for column in B07_STATUS for alias in column.labels}


_RECOGNISED_DISTRICT_LEVELS = ("ntm", "advanced", "model", "completed")


def read_district_status(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """B07_Huyen: the district's status as label/value rows (label in A, value in B), then its criteria table."""
    header = find_header(rows, spec, sheet)
    status: dict[str, tuple[Any, int, str]] = {}
    for index, row in enumerate(rows[: header.row_index]):
        if row and isinstance(row[0], str) and fold(row[0]) in _B07_STATUS_LABELS:
            column = _B07_STATUS_LABELS[fold(row[0])]
            status.setdefault(column.key, (row[1] if len(row) > 1 else "", index + 1, v.text(row[0]) or column.label))
    if "level" not in status:
        raise WorkbookRejected(
            f"sheet {sheet!r}: no '{B07_STATUS[0].label}' row above the criteria table: the district's status is "
            "not known"
        )
    _b07_status(status, sheet, cover, reference, out)
    in_force = set_in_force(cover.period_month, "district")
    seen: dict[int, int] = {}
    for r in detail_rows(rows, header, sheet, spec.prefilled, out.notes):
        if is_totals_row(r, "criterion", "criterion_name"):
            continue
        number = _criterion_number(r, in_force, "district", cover.period_month, seen)
        if v.is_blank(r.raw("met")) and not r.problems:  # no result: "not reported", not "not achieved"
            out.notes.append(f"{sheet} row {r.row_number}: district criterion {number} has no result (Đạt)")
            continue
        record = {
            "criteria_set_code": in_force.code if in_force else None,
            "criterion_number": number,
            "is_met": r.get("met", v.parse_marker),
        }
        keep(out, "district_criterion_marks", r, record)


def _b07_status(status, sheet: str, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    level_value, level_row, _ = status["level"]
    r = label_rows_reader(status, sheet, level_row)
    level = r.get("level", v.DISTRICT_LEVELS.parse)
    if level is None and not r.problems:
        r.fail("level", None, "the district's level is empty (Chưa đạt, NTM, …, Hoàn thành nhiệm vụ)")
    year = r.get("year_recognised", v.parse_year)
    target_year = r.get("target_year", v.parse_year)
    maintains = r.get("maintains", v.YES_NO.parse)
    dossier = r.get("dossier_status", v.DOSSIER_STATUSES.parse)
    district = reference.districts.get(cover.district_code or "")
    if level in _RECOGNISED_DISTRICT_LEVELS and year is None and not has_problem(r, "year_recognised"):
        r.fail(None, None, f"the district is at level {v.text(level_value)!r} but 'Năm công nhận' is empty",
               column_name="Năm công nhận")  # fmt: skip
    if year is not None and year > cover.period_month.year:
        r.fail("year_recognised", status["year_recognised"][0], f"recognised in {year}, after the reporting month "
               f"{cover.period_month:%m/%Y}")  # fmt: skip
    if level == "completed" and district is not None and district.district_type in ("Huyện", "Quận"):
        r.fail("level", level_value, f"{district.name} is a {district.district_type}: 'Hoàn thành nhiệm vụ' is for "
               "towns (thị xã) and provincial cities; a huyện is recognised NTM")  # fmt: skip
    if r.problems:
        out.rejections.extend(r.problems)
        return
    out.tables["district_status"].append(
        with_lineage(
            {
                "level_code": level,
                "year_recognised": year,
                "decision_number": v.text(status.get("decision_number", ("",))[0]),
                "maintains_reported": None if maintains is None else maintains == "yes",
                "target_year": target_year,
                "dossier_status": dossier,
            },
            sheet,
            level_row,
        )
    )
