"""Read one workbook (a district's, template 2024.1, or a commune's, template 2026.1) into normalised rows.

``read_workbook`` returns a :class:`WorkbookResult`: rows for each raw table, every row
carrying its lineage (``file_sha256``, ``sheet``, ``row_number``), and the rows it had to
reject with the sheet, row, column and reason. A workbook that cannot be read at all, or
whose cover is missing or contradicts itself, raises :class:`WorkbookRejected`.

The contracts are ../shared/spec/district-workbook.md and ../shared/spec/commune-workbook.md.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ingestion import values as v
from ingestion.criteria import CriteriaSet, set_in_force
from ingestion.reference import AdminUnits, Reference, UnknownCommune, normalise_code
from ingestion.template import B07_STATUS, C01_STATUS, TEMPLATE_2024_1, TEMPLATES, Sheet, Template, template_for
from ingestion.text import fold

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_SHEET_ROWS = 200_000
MAX_ZIP_RATIO = 100
HEADER_SEARCH_ROWS = 30
CRITERIA = TEMPLATE_2024_1.criteria  # B01's numbered criteria (template 2024.1)


class WorkbookRejected(Exception):
    """The whole workbook is rejected; ``reason`` says why in words a clerk can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Rejection:
    sheet: str
    row_number: int | None
    column_name: str | None
    value: str | None
    reason: str


@dataclass
class Cover:
    province_code: str
    district_code: str | None  # None for a commune's workbook (no districts from 07/2025)
    period_month: dt.date
    report_date: dt.date | None
    province_name_written: str | None
    district_name_written: str | None
    prepared_by: str | None
    template_version: str | None
    sheet: str
    row_number: int  # the row of "Kỳ báo cáo", the period the whole workbook is about
    reporting_level: str = "district"  # district | commune: who sent it
    commune_code: str | None = None  # the reporting commune (template 2026.1)
    commune_name_written: str | None = None
    commune_group: int | None = None  # Nhóm xã 1 | 2 | 3 (template 2026.1)
    is_sample: bool = False  # the cover carries values.SAMPLE_MARK (written by samples/, never by an office)
    commune_type: str | None = None  # Xã | Phường | Đặc khu: the NTM criteria apply to xã only

    @property
    def reporting_unit_code(self) -> str:
        """The unit that sent the workbook: the partition that loads it."""
        return (self.commune_code if self.reporting_level == "commune" else self.district_code) or ""


@dataclass
class WorkbookResult:
    cover: Cover
    tables: dict[str, list[dict[str, Any]]]
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    template_read: str | None = None  # the template's version the workbook was read as
    sheets_read: tuple[str, ...] = ()  # the keys of the template's sheets found in the file (in template order)


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- opening -------------------------------------------------------------------------


def _check_container(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookRejected(f"the file is {size / 1e6:.1f} MB, over the 50 MB limit")
    if size == 0:
        raise WorkbookRejected("the file is empty")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookRejected(f"the file is a damaged workbook ({exc})") from None
        if unpacked > MAX_ZIP_RATIO * size:
            raise WorkbookRejected(
                f"the workbook unpacks to {unpacked / 1e6:.0f} MB, over {MAX_ZIP_RATIO} times its size"
            )


_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def _is_encrypted_ooxml(path: Path) -> bool:
    """A password-protected .xlsx is an OLE container holding an EncryptionInfo stream."""
    with path.open("rb") as handle:
        if handle.read(8) != _OLE_MAGIC:
            return False
        return _ENCRYPTION_INFO in handle.read(MAX_FILE_BYTES)


def _open(path: Path) -> CalamineWorkbook:
    _check_container(path)
    if _is_encrypted_ooxml(path):
        raise WorkbookRejected(
            "the workbook is password-protected (encrypted); ask the district to send it without a password"
        )
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for corrupt or encrypted files
        raise WorkbookRejected(
            f"the file is not a readable workbook (.xlsx, .xls or .ods): {exc}; ask the district to send it again"
        ) from None


def _read_sheet(book: CalamineWorkbook, name: str) -> list[list[Any]]:
    try:
        sheet = book.get_sheet_by_name(name)
        if sheet.total_height > MAX_SHEET_ROWS:
            raise WorkbookRejected(f"sheet {name!r} has {sheet.total_height:,} rows, over the {MAX_SHEET_ROWS:,} limit")
        return sheet.to_python(skip_empty_area=False)
    except WorkbookRejected:
        raise
    except Exception as exc:  # calamine's errors for damaged XML or records
        raise WorkbookRejected(f"sheet {name!r} is damaged and cannot be read ({exc})") from None


# --- headers -------------------------------------------------------------------------


@dataclass
class Header:
    row_index: int  # 0-based index of the (last) header row
    columns: dict[str, int]
    labels: dict[str, str]

    def column_name(self, key: str) -> str:
        return f"{self.labels[key]} ({column_letter(self.columns[key])})"


def _find_header(rows: list[list[Any]], spec: Sheet, sheet: str) -> Header:
    """The header row: the first row holding the label of every required column of the sheet's declaration."""
    wanted = {fold(alias): column.key for column in spec.columns for alias in column.labels}
    required = spec.required_keys()
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        for col, cell in enumerate(row):
            key = wanted.get(fold(cell)) if isinstance(cell, str) else None
            if key and key not in columns:
                columns[key] = col
                labels[key] = v.text(cell) or key
        if all(k in columns for k in required):
            return Header(index, columns, labels)
    names = ", ".join(spec.column(k).label for k in required)
    raise WorkbookRejected(
        f"sheet {sheet!r}: no header row with the columns {names} in its first {HEADER_SEARCH_ROWS} rows"
    )


class _RowReader:
    """Reads the cells of one detail row, collecting every problem as a rejection."""

    def __init__(self, sheet: str, header: Header, row: list[Any], row_number: int):
        self.sheet, self.header, self.row, self.row_number = sheet, header, row, row_number
        self.problems: list[Rejection] = []

    def raw(self, key: str) -> Any:
        col = self.header.columns.get(key)
        if col is None or col >= len(self.row):
            return ""
        return self.row[col]

    def get(self, key: str, parser: Callable[[Any], Any]) -> Any:
        value = self.raw(key)
        try:
            return parser(value)
        except ValueError as exc:
            self.fail(key, value, str(exc))
            return None

    def fail(self, key: str | None, value: Any, reason: str, column_name: str | None = None) -> None:
        if column_name is None and key is not None and key in self.header.columns:
            column_name = self.header.column_name(key)
        self.problems.append(Rejection(self.sheet, self.row_number, column_name, v.text(value), reason))


def _is_blank_row(row: list[Any]) -> bool:
    return all(v.is_blank(cell) for cell in row)


def _is_totals_row(reader: _RowReader, *keys: str) -> bool:
    return any(fold(reader.raw(k)) in v.TOTALS_ROW_WORDS for k in keys)


def _detail_rows(rows: list[list[Any]], header: Header, sheet: str) -> Iterable[_RowReader]:
    """A reader for each non-blank row below the header (blank rows anywhere are skipped)."""
    for index in range(header.row_index + 1, len(rows)):
        if not _is_blank_row(rows[index]):
            yield _RowReader(sheet, header, rows[index], index + 1)


# --- cover ---------------------------------------------------------------------------


def _label_values(rows: list[list[Any]]) -> dict[str, tuple[Any, int]]:
    """Label in column A, value in column B -> {folded label: (value, 1-based row)}."""
    found: dict[str, tuple[Any, int]] = {}
    for index, row in enumerate(rows):
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip():
            found.setdefault(fold(row[0]), (row[1], index + 1))
    return found


_UNIT_LABEL = {"district": "Mã huyện", "commune": "Mã xã"}


def _cover_spec(pairs: dict[str, tuple[Any, int]], sheet: str) -> tuple[str, Sheet]:
    """Which kind of workbook the cover is (its reporting unit's level), and that template's cover declaration."""
    by_level = {t.reporting_level: t.sheet("cover") for t in TEMPLATES}  # the latest template of each level
    named = [
        level
        for level, spec in by_level.items()
        if any(fold(a) in pairs and not v.is_blank(pairs[fold(a)][0]) for a in spec.labels()[f"{level}_code"])
    ]
    if len(named) > 1:
        raise WorkbookRejected(
            f"the cover sheet {sheet!r} gives both Mã huyện and Mã xã: a workbook is a district's (template 2024.1, "
            "up to 06/2025) or a commune's (template 2026.1, from 07/2025)"
        )
    if not named:
        raise WorkbookRejected(
            f"the cover sheet {sheet!r} lacks Mã huyện (a district's workbook, up to 06/2025) or Mã xã (a commune's "
            "workbook, from 07/2025)"
        )
    return named[0], by_level[named[0]]


def _read_cover(rows: list[list[Any]], sheet: str, units: AdminUnits) -> tuple[Cover, Reference]:
    """The cover, and the units of its reporting month (the reference every other sheet is read against)."""
    pairs = _label_values(rows)
    level, spec = _cover_spec(pairs, sheet)
    labels = spec.labels()

    def found(key: str) -> tuple[Any, int | None]:
        for alias in labels[key]:
            if fold(alias) in pairs:
                return pairs[fold(alias)]
        return "", None

    def value(key: str) -> Any:
        return found(key)[0]

    missing = [spec.column(k).label for k in spec.required_keys() if v.is_blank(value(k))]
    if missing:
        raise WorkbookRejected(f"the cover sheet {sheet!r} lacks {', '.join(missing)}")
    try:
        period = v.parse_period(value("period"))
    except ValueError as exc:
        raise WorkbookRejected(f"cover: Kỳ báo cáo {exc}") from None
    first = min(t.valid_from for t in TEMPLATES)
    if period < first:
        raise WorkbookRejected(f"cover: Kỳ báo cáo {period:%m/%Y} is before {first:%m/%Y}, the warehouse's first month")
    reference = units.at(period)
    province_code = normalise_code(value("province_code"), 2)
    province = reference.provinces.get(province_code or "")
    if province is None:
        raise WorkbookRejected(f"cover: Mã tỉnh {province_code!r} {units.why_not('province', province_code, period)}")
    province_written = v.text(value("province_name"))
    if province_written and not reference.name_matches(province_written, province.name, province.short_name):
        raise WorkbookRejected(
            f"cover: Tỉnh {province_written!r} contradicts Mã tỉnh {province_code} ({province.name} in {period:%m/%Y})"
            + _other_times(units, reference, "province", province_code, province_written)
        )
    unit = _district_of_cover if level == "district" else _commune_of_cover
    fields = unit(value, units, reference, period, province_code or "", province)
    try:
        report_date = v.parse_date(value("report_date"))
    except ValueError as exc:
        raise WorkbookRejected(f"cover: Ngày lập {exc}") from None
    return Cover(
        province_code=province_code or "",
        period_month=period,
        report_date=report_date,
        province_name_written=province_written,
        prepared_by=v.text(value("prepared_by")),
        template_version=v.text(value("template_version")),
        sheet=sheet,
        row_number=found("period")[1] or 0,
        reporting_level=level,
        is_sample=any(row and isinstance(row[0], str) and fold(row[0]) == fold(v.SAMPLE_MARK) for row in rows),
        **fields,
    ), reference


def _district_of_cover(value, units: AdminUnits, reference: Reference, period, province_code: str, province):
    district_code = normalise_code(value("district_code"), 3)
    district = reference.districts.get(district_code or "")
    if district is None:
        raise WorkbookRejected(f"cover: Mã huyện {district_code!r} {units.why_not('district', district_code, period)}")
    if district.province_code != province_code:
        raise WorkbookRejected(
            f"cover: district {district_code} ({district.name}) belongs to province "
            f"{district.province_code}, not to {province_code} ({province.name}), in {period:%m/%Y}"
        )
    district_written = v.text(value("district_name"))
    if district_written and not reference.name_matches(district_written, district.name, district.short_name):
        raise WorkbookRejected(
            f"cover: Huyện {district_written!r} contradicts Mã huyện {district_code} "
            f"({district.name} in {period:%m/%Y})"
            + _other_times(units, reference, "district", district_code, district_written)
        )
    return {"district_code": district_code, "district_name_written": district_written}


def _commune_of_cover(value, units: AdminUnits, reference: Reference, period, province_code: str, province):
    commune_code = normalise_code(value("commune_code"), 5)
    commune = reference.communes.get(commune_code or "")
    if commune is None:
        raise WorkbookRejected(f"cover: Mã xã {commune_code!r} {units.why_not('commune', commune_code, period)}")
    if commune.district_code is not None:
        raise WorkbookRejected(
            f"cover: Mã xã {commune_code} ({commune.name}) is a commune of district {commune.district_code} in "
            f"{period:%m/%Y}: up to 06/2025 the district reports its communes (template 2024.1), not the commune"
        )
    if commune.province_code != province_code:
        raise WorkbookRejected(
            f"cover: commune {commune_code} ({commune.name}) belongs to province {commune.province_code}, "
            f"not to {province_code} ({province.name}), in {period:%m/%Y}"
        )
    commune_written = v.text(value("commune_name"))
    if commune_written and not reference.name_matches(commune_written, commune.name, commune.short_name):
        raise WorkbookRejected(
            f"cover: Xã {commune_written!r} contradicts Mã xã {commune_code} ({commune.name} in {period:%m/%Y})"
            + _other_times(units, reference, "commune", commune_code, commune_written)
        )
    group = value("commune_group")
    try:
        commune_group = v.parse_int(group)
    except ValueError:
        commune_group = -1
    if commune_group is not None and commune_group not in (1, 2, 3):
        raise WorkbookRejected(f"cover: Nhóm xã {v.text(group)!r} is not a commune group (1, 2 or 3; Decision 51/2025)")
    return {
        "district_code": None,
        "district_name_written": None,
        "commune_code": commune_code,
        "commune_name_written": commune_written,
        "commune_group": commune_group,
        "commune_type": commune.unit_type,
    }


def _other_times(units: AdminUnits, reference: Reference, level: str, code: str, written: str) -> str:
    """When the written name is the code's name at another time: which, so the office can fix the month."""
    others = [u for u in units.versions(level, code) if reference.name_matches(written, u.name)]
    if not others:
        return ""
    return "; the code was " + ", ".join(f"{u.name} {u.validity}" for u in others) + ": check Kỳ báo cáo"


# --- B01: commune criteria -------------------------------------------------------------


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


def _read_b01(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = _find_header(rows, spec, sheet)
    header = _criteria_columns(rows, header, sheet)
    seen_totals = False
    for r in _detail_rows(rows, header, sheet):
        if _is_totals_row(r, "stt", "commune_name", "commune_code"):
            seen_totals = True
            _b01_totals(r, out)
            continue
        if seen_totals:
            out.notes.append(f"{sheet} row {r.row_number}: a row after the totals row was read as a commune")
        record, marks = _b01_row(r, cover, reference, out.notes)
        _keep(out, "commune_criteria", r, record)
        if not r.problems:  # the commune's marks, one row per criterion, with the commune row's lineage
            code = record["commune_code"]
            out.tables["commune_criterion_marks"].extend(
                _with_lineage(
                    {"commune_code": code, "criterion_number": n, "is_met": met, "commune_row_number": r.row_number},
                    sheet,
                    r.row_number,
                )
                for n, met in marks
            )


def _b01_row(
    r: _RowReader, cover: Cover, reference: Reference, notes: list[str]
) -> tuple[dict[str, Any], list[tuple[int, bool]]]:
    """The commune's row of B01, and its criterion marks as (criterion number, met)."""
    commune = _resolve(r, cover, reference, notes)
    if commune is not None and commune.unit_type != "Xã":
        r.fail("commune_code", commune.code, f"{commune.name} is a {commune.unit_type}: NTM criteria apply to xã only")
    record: dict[str, Any] = {
        "commune_code": commune.code if commune else None,
        "commune_name_written": v.text(r.raw("commune_name")),
    }
    marks = [(n, r.get(f"c{n:02d}", v.parse_marker)) for n in CRITERIA]
    record["criteria_met_reported"] = r.get("criteria_met", lambda x: v.parse_count(x, maximum=len(CRITERIA)))
    level = r.get("level", lambda x: v.LEVELS.parse(x, default="not_yet"))
    _check_level_in_set(r, "level", level, cover.period_month)
    years = {k: r.get(k, v.parse_year) for k in ("year_ntm", "year_advanced", "year_model")}
    if level is not None:
        rank = v.LEVEL_RANK[level]
        for needed_rank, key in ((1, "year_ntm"), (2, "year_advanced"), (3, "year_model")):
            if rank >= needed_rank and years[key] is None and key in r.header.columns and not _has_problem(r, key):
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
    record["note"] = v.text(r.raw("note"))
    return record, marks


def _check_level_in_set(r: _RowReader, key: str, level: str | None, month: dt.date) -> None:
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


def _has_problem(r: _RowReader, key: str) -> bool:
    if key not in r.header.columns:  # an optional column the sheet does not have
        return False
    name = r.header.column_name(key)
    return any(p.column_name == name for p in r.problems)


def _b01_totals(r: _RowReader, out: WorkbookResult) -> None:
    """The district's totals row of B01: kept for reconciliation, not as a commune."""
    for key in ("criteria_met", *(f"c{n:02d}" for n in CRITERIA)):
        value = r.raw(key)
        if v.is_blank(value):
            continue
        indicator = "criteria_met_sum" if key == "criteria_met" else f"communes_meeting_{key}"
        try:
            number = _total_value(indicator, value)
        except ValueError as exc:
            r.fail(key, value, f"totals row: {exc}")
            continue
        out.tables["unit_totals"].append(
            _totals_record("B01", r.sheet, r.row_number, indicator, r.header.labels[key], number)
        )
    out.rejections.extend(r.problems)


def _totals_record(
    source_table: str, sheet: str, row_number: int, indicator: str, label: str | None, value: float | None
) -> dict:
    return {
        "source_table": source_table,
        "sheet": sheet,
        "row_number": row_number,
        "indicator_code": indicator,
        "label_written": label,
        "reported_value": value,
    }


# --- C01: a commune's criteria (template 2026.1) ---------------------------------------------

_C01_STATUS_LABELS = {fold(alias): column for column in C01_STATUS for alias in column.labels}


def _read_c01(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """One row per criterion of the set in force, then the commune's status as label/value rows."""
    header = _find_header(rows, spec, sheet)
    in_force = set_in_force(cover.period_month)
    if in_force is None:
        raise WorkbookRejected(f"no criteria set of this warehouse covers {cover.period_month:%m/%Y}")
    label_col = header.columns["criterion"]
    rural = cover.commune_type in (None, "Xã")
    status: dict[str, tuple[Any, int, str]] = {}  # key -> (value, row, label as written)
    marks: list[_RowReader] = []
    records: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    for r in _detail_rows(rows, header, sheet):
        first = r.raw("criterion")
        if isinstance(first, str) and fold(first) in _C01_STATUS_LABELS:
            column = _C01_STATUS_LABELS[fold(first)]
            value = r.row[label_col + 1] if label_col + 1 < len(r.row) else ""
            status.setdefault(column.key, (value, r.row_number, v.text(first) or column.label))
            continue
        if _is_totals_row(r, "criterion", "criterion_name"):
            continue
        if not rural:  # a ward's or special zone's workbook: its OCOP and funds count, criteria do not apply
            r.fail("criterion", r.raw("criterion"), f"the NTM criteria apply to xã only: the reporting unit is a "
                   f"{cover.commune_type}")  # fmt: skip
            out.rejections.extend(r.problems)
            continue
        number = r.get("criterion", v.parse_int)
        if number is None and not r.problems:
            r.fail("criterion", None, "the criterion number is empty")
        elif number is not None and number not in in_force.criteria:
            r.fail(
                "criterion",
                first,
                f"criterion {number} is not a criterion of the set in force in {cover.period_month:%m/%Y} "
                f"({in_force.code}, {in_force.period}: criteria 1–{max(in_force.criteria)})",
            )
        elif number in seen:
            r.fail("criterion", first, f"criterion {number} is written twice (rows {seen[number]} and {r.row_number})")
        if number is not None:
            seen.setdefault(number, r.row_number)
        if v.is_blank(r.raw("met")):  # a criterion without a result is "not reported", not "not achieved"
            out.notes.append(f"{sheet} row {r.row_number}: criterion {number} has no result (Đạt): not reported")
            continue
        met = r.get("met", v.parse_marker)
        indicators_met = r.get("indicators_met", v.parse_count)
        indicators_total = r.get("indicators_total", v.parse_count)
        if indicators_met is not None and indicators_total is not None and indicators_met > indicators_total:
            r.fail("indicators_met", r.raw("indicators_met"), f"{indicators_met} indicators met of {indicators_total}")
        marks.append(r)
        records.append(
            {
                "commune_code": cover.commune_code,
                "criterion_number": number,
                "is_met": met,
                "indicators_met": indicators_met,
                "indicators_total": indicators_total,
            }
        )
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
        _keep(out, "commune_criterion_marks", r, {**record, "commune_row_number": status_row or 0})


def _label_rows_reader(status: dict[str, tuple[Any, int, str]], sheet: str, row_number: int) -> _RowReader:
    """Label/value rows (C01's status, B07's) read like a row of their own: one reader over "cells" keyed by their
    keys, each named by its label as written and its row."""
    keys = list(status)
    pseudo = Header(0, {k: i for i, k in enumerate(keys)}, {k: f"{status[k][2]} (row {status[k][1]})" for k in keys})
    return _RowReader(sheet, pseudo, [status[k][0] for k in keys], row_number)


def _c01_status(status, sheet: str, header: Header, cover: Cover, out: WorkbookResult) -> int | None:
    """The commune's record of raw.commune_criteria from C01's label rows; its row, or None when rejected."""
    if "level" not in status:
        out.rejections.append(
            Rejection(sheet, None, "Mức đạt chuẩn", None, "no 'Mức đạt chuẩn' row below the criteria: the commune's "
                      "status is not known")
        )  # fmt: skip
        return None
    level_value, level_row, _ = status["level"]
    r = _label_rows_reader(status, sheet, level_row)
    level = r.get("level", lambda x: v.LEVELS.parse(x, default="not_yet"))
    _check_level_in_set(r, "level", level, cover.period_month)
    year_keys = ("year_ntm", "year_advanced", "year_model", "year_modern")
    years = {k: r.get(k, v.parse_year) for k in year_keys}
    needed = {"ntm": ("year_ntm",), "advanced": ("year_ntm", "year_advanced"), "model": ("year_ntm", "year_model"),
              "modern": ("year_ntm", "year_modern")}  # fmt: skip
    for key in needed.get(level or "", ()):
        if years[key] is None and not _has_problem(r, key):
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
    out.tables["commune_criteria"].append(_with_lineage(record, sheet, level_row))
    return level_row


# --- B04: OCOP products ----------------------------------------------------------------

CERTIFICATE_MONTHS = 36


def _required_text(r: _RowReader, key: str, what: str) -> str | None:
    value = v.text(r.raw(key))
    if value is None:
        r.fail(key, None, f"{what} is empty")
    return value


def _product_of_row(r: _RowReader, cover: Cover, reference: Reference, out: WorkbookResult):
    """A product row's name, producer and producer's commune (B04, C04, B08): the commune the row names, else the
    reporting commune (a commune's workbook lists its own producers), else none (a district's row may leave it out)."""
    name = _required_text(r, "product_name", "the product name")
    producer = _required_text(r, "producer_name", "the producer (Chủ thể)")
    commune_code = cover.commune_code
    if not (v.is_blank(r.raw("commune_code")) and v.is_blank(r.raw("commune_name"))):
        commune = _resolve(r, cover, reference, out.notes)
        commune_code = commune.code if commune else None
    return name, producer, commune_code


def _read_b04(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = _find_header(rows, spec, sheet)
    for r in _detail_rows(rows, header, sheet):
        if _is_totals_row(r, "stt", "product_name"):
            continue
        name, producer, commune_code = _product_of_row(r, cover, reference, out)
        stars = r.get("stars", v.parse_stars)
        score = r.get("score", v.parse_number)
        if stars is not None and score is not None:
            try:
                v.check_score(stars, score)
            except ValueError as exc:
                r.fail("score", r.raw("score"), str(exc))
        decision_date = r.get("decision_date", v.parse_date)
        if decision_date is None and not _has_problem(r, "decision_date"):
            r.fail("decision_date", None, "the decision date is empty")
        expiry = r.get("expiry_date", v.parse_date)
        defaulted = expiry is None and decision_date is not None and not _has_problem(r, "expiry_date")
        if defaulted:
            expiry = v.add_months(decision_date, CERTIFICATE_MONTHS)
        record = {
            "product_code": v.text(r.raw("product_code")),
            "product_name": name,
            "producer_name": producer,
            # One identity per product across re-certifications: same name and producer, as names compare.
            "product_key": f"{fold(name)}|{fold(producer)}" if name and producer else None,
            "producer_type": r.get("producer_type", v.PRODUCER_TYPES.parse),
            "commune_code": commune_code,
            "group_code": r.get("group", v.OCOP_GROUPS.parse),
            "stars": stars,
            "score": score,
            "decision_number": v.text(r.raw("decision_number")),
            "decision_date": decision_date,
            "expiry_date": expiry,
            "expiry_defaulted": defaulted,
            "export_market": v.text(r.raw("export_market")),
            "status_code": r.get("status", lambda x: v.OCOP_STATUSES.parse(x, default="new")),
            "issuing_level": _issuing_level(r, stars, decision_date),
        }
        _keep(out, "ocop_products", r, record)


DISTRICTS_END = dt.date(2025, 6, 30)  # the last day of district-level government (Law 72/2025/QH15)


def _issuing_level(r: _RowReader, stars: int | None, decision_date: dt.date | None) -> str | None:
    """Cấp công nhận (template 2026.1; may be empty for a certificate decided before 07/2025)."""
    level = r.get("issuing_level", v.ISSUING_LEVELS.parse)
    if level == "district" and decision_date is not None and decision_date > DISTRICTS_END:
        r.fail(
            "issuing_level", r.raw("issuing_level"), f"no district issues a certificate after {DISTRICTS_END:%d/%m/%Y}"
        )
    if level is not None and level != "central" and stars == 5:
        r.fail("issuing_level", r.raw("issuing_level"), "a 5★ product is recognised by the central level (Trung ương)")
    if level == "central" and stars is not None and stars < 5:
        r.fail("issuing_level", r.raw("issuing_level"), f"the central level recognises 5★ products, not {stars}★")
    return level


# --- B05: funds ------------------------------------------------------------------------


def _read_b05(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = _find_header(rows, spec, sheet)
    for r in _detail_rows(rows, header, sheet):
        if _is_totals_row(r, "stt", "source"):
            for key, indicator in (("allocated", "fund_allocated_mil_vnd"), ("disbursed", "fund_disbursed_mil_vnd")):
                number = r.get(key, v.parse_number)
                if number is not None:
                    out.tables["unit_totals"].append(
                        _totals_record("B05", sheet, r.row_number, indicator, header.labels[key], number)
                    )
            out.rejections.extend(r.problems)
            continue
        source = r.get("source", v.FUND_SOURCES.parse)
        if source is None and not r.problems:
            r.fail("source", None, "the fund source is empty")
        if source == "district" and cover.period_month > DISTRICTS_END:
            r.fail("source", r.raw("source"), f"there is no district budget after {DISTRICTS_END:%m/%Y}")
        plan_year = r.get("plan_year", v.parse_year)
        if plan_year is None and not _has_problem(r, "plan_year"):
            r.fail("plan_year", None, "the plan year is empty")
        record = {
            "fund_source_code": source,
            "plan_year": plan_year,
            "allocated_mil_vnd": r.get("allocated", v.parse_number),
            "disbursed_mil_vnd": r.get("disbursed", v.parse_number),
            "disbursement_pct_reported": r.get("rate", v.parse_number),
        }
        _keep(out, "fund_positions", r, record)


# --- B06: plan targets -----------------------------------------------------------------


def _read_b06(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = _find_header(rows, spec, sheet)
    for r in _detail_rows(rows, header, sheet):
        targets = (
            v.COMMUNE_PLAN_TARGETS
            if cover.reporting_level == "commune"
            else v.PLAN_TARGETS_2024_2
            if out.template_read == "2024.2"
            else v.PLAN_TARGETS
        )
        record = {
            "target_code": r.get("target", targets.parse),
            "plan_year": cover.period_month.year,
            "planned_value": r.get("planned", v.parse_count),  # every target counts communes, villages or products
        }
        if cover.reporting_level == "commune" and record["target_code"] in ("XA_NTM", "XA_NTM_HIEN_DAI"):
            if record["planned_value"] not in (None, 0, 1):
                r.fail("planned", r.raw("planned"), "a commune plans its own recognition: 0 or 1")
        if record["target_code"] == "HUYEN_NTM" and record["planned_value"] not in (None, 0, 1):
            r.fail("planned", r.raw("planned"), "HUYEN_NTM is the district's own recognition this year: 0 or 1")
        if record["target_code"] is None and not r.problems:
            r.fail("target", None, "the target code is empty")
        _keep(out, "plan_targets", r, record)


# --- B02: commune indicators ---------------------------------------------------------------


def parse_indicator_code(value: Any, criteria: CriteriaSet | None = None) -> str:
    """An indicator numbered criterion.n (17.1, 13.3) of a criterion of the set in force (2021-2025 when not given).

    Whether the indicator is in the set's transcribed list is for the marts to say (the 47 indicators of 2026-2030
    are not transcribed yet): the code is accepted when its criterion is one of the set's.
    """
    numbers = criteria.criteria if criteria else tuple(range(1, 20))
    code = v.text(value)
    if code is None:
        raise ValueError("the indicator code is empty")
    parts = code.split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) not in numbers or int(parts[1]) < 1:
        which = f"set {criteria.code}" if criteria else "the 2021-2025 set"
        raise ValueError(
            f"{code!r} is not an indicator code of {which} (criterion.number, criterion 1–{max(numbers)}, like 1.1)"
        )
    return f"{int(parts[0])}.{int(parts[1])}"


def _read_b02(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = _find_header(rows, spec, sheet)
    for r in _detail_rows(rows, header, sheet):
        commune = _resolve(r, cover, reference, out.notes)
        raw_value = r.raw("value")
        try:
            number = v.parse_number(raw_value)
        except ValueError:
            number = None  # a text value ("Đạt", "Có") is kept as text
        record = {
            "commune_code": commune.code if commune else None,
            "indicator_code": r.get("indicator", lambda x: parse_indicator_code(x, set_in_force(cover.period_month))),
            "value_number": number,
            "value_text": v.text(raw_value),
            "unit": v.text(r.raw("unit")),
            "is_met": None if v.is_blank(r.raw("met")) else r.get("met", v.parse_marker),
        }
        _keep(out, "commune_indicators", r, record)


# --- B03: villages -------------------------------------------------------------------------

VILLAGE_LEVELS = v.Vocabulary("village level", {"ntm": ("NTM", "Đạt chuẩn NTM"), "model": ("NTM kiểu mẫu", "Kiểu mẫu")})
# Template 2024.2 adds model residential areas (Hà Tĩnh) and mountain NTM villages (Thanh Hóa): each counted on its
# own, they do not nest with ntm | model.
VILLAGE_LEVELS_2024_2 = v.Vocabulary(
    "village level",
    {
        **VILLAGE_LEVELS.spellings,
        "model_residential_area": ("Khu dân cư kiểu mẫu", "KDC kiểu mẫu", "Khu dân cư NTM kiểu mẫu"),
        "mountain_ntm": ("Thôn NTM miền núi", "Thôn, bản NTM miền núi", "Thôn/bản NTM miền núi"),
    },
)


def _read_b03(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = _find_header(rows, spec, sheet)
    levels = VILLAGE_LEVELS_2024_2 if out.template_read == "2024.2" else VILLAGE_LEVELS
    for r in _detail_rows(rows, header, sheet):
        if _is_totals_row(r, "commune_name", "village"):
            continue
        commune = _resolve(r, cover, reference, out.notes)
        record = {
            "commune_code": commune.code if commune else None,
            "village_name": _required_text(r, "village", "the village name"),
            "village_key": fold(r.raw("village")),  # one village across months, however it is written
            "level_code": r.get("level", levels.parse),
            "year_recognised": r.get("year", v.parse_year),
        }
        if record["level_code"] is None and not _has_problem(r, "level"):
            r.fail("level", None, "the village level is empty")
        _keep(out, "villages", r, record)


# --- template 2024.2: B07 (the district's own status), B08 (OCOP dossiers), B01N (the advanced set) -----------

_B07_STATUS_LABELS = {fold(alias): column for column in B07_STATUS for alias in column.labels}
_RECOGNISED_DISTRICT_LEVELS = ("ntm", "advanced", "model", "completed")


def _read_b07(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """B07_Huyen: the district's status as label/value rows (label in A, value in B), then its criteria table."""
    header = _find_header(rows, spec, sheet)
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
    for r in _detail_rows(rows, header, sheet):
        if _is_totals_row(r, "criterion", "criterion_name"):
            continue
        number = r.get("criterion", v.parse_int)
        if number is None and not r.problems:
            r.fail("criterion", None, "the criterion number is empty")
        elif in_force is None:
            r.fail("criterion", r.raw("criterion"), f"no district criteria set of this warehouse covers "
                   f"{cover.period_month:%m/%Y} (the 2021-2025 set applies from 03/2022)")  # fmt: skip
        elif number is not None and number not in in_force.criteria:
            r.fail("criterion", r.raw("criterion"), f"criterion {number} is not a criterion of the district set "
                   f"{in_force.code} ({in_force.period}: criteria 1–{max(in_force.criteria)})")  # fmt: skip
        elif number in seen:
            r.fail("criterion", r.raw("criterion"), f"criterion {number} is written twice (rows {seen[number]} and "
                   f"{r.row_number})")  # fmt: skip
        if number is not None:
            seen.setdefault(number, r.row_number)
        if v.is_blank(r.raw("met")) and not r.problems:  # no result: "not reported", not "not achieved"
            out.notes.append(f"{sheet} row {r.row_number}: district criterion {number} has no result (Đạt)")
            continue
        record = {
            "criteria_set_code": in_force.code if in_force else None,
            "criterion_number": number,
            "is_met": r.get("met", v.parse_marker),
        }
        _keep(out, "district_criterion_marks", r, record)


def _b07_status(status, sheet: str, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    level_value, level_row, _ = status["level"]
    r = _label_rows_reader(status, sheet, level_row)
    level = r.get("level", v.DISTRICT_LEVELS.parse)
    if level is None and not r.problems:
        r.fail("level", None, "the district's level is empty (Chưa đạt, NTM, …, Hoàn thành nhiệm vụ)")
    year = r.get("year_recognised", v.parse_year)
    target_year = r.get("target_year", v.parse_year)
    maintains = r.get("maintains", v.YES_NO.parse)
    dossier = r.get("dossier_status", v.DOSSIER_STATUSES.parse)
    district = reference.districts.get(cover.district_code or "")
    if level in _RECOGNISED_DISTRICT_LEVELS and year is None and not _has_problem(r, "year_recognised"):
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
        _with_lineage(
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


def _read_b08(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """B08_OCOP_DanhGia: one row per product dossier of the year, at its stage of the evaluation rounds."""
    header = _find_header(rows, spec, sheet)
    for r in _detail_rows(rows, header, sheet):
        if _is_totals_row(r, "stt", "product_name"):
            continue
        name, producer, commune_code = _product_of_row(r, cover, reference, out)
        round_number = r.get("round", v.parse_count)
        if not round_number and not _has_problem(r, "round"):
            r.fail("round", r.raw("round"), "the round (Đợt) is a number from 1")
        dossier_type = r.get("dossier_type", v.DOSSIER_TYPES.parse)
        if dossier_type is None and not _has_problem(r, "dossier_type"):
            r.fail("dossier_type", None, "the dossier type is empty (Mới | Đánh giá lại)")
        stage = r.get("stage", v.DOSSIER_STAGES.parse)
        if stage is None and not _has_problem(r, "stage"):
            r.fail("stage", None, "the stage is empty (" + ", ".join(v.DOSSIER_STAGES.labels.values()) + ")")
        score = r.get("score", v.parse_number)
        if score is not None and not 0 <= score <= 100:
            r.fail("score", r.raw("score"), f"score {score:g} is not between 0 and 100")
        stars = None if v.is_blank(r.raw("stars_proposed")) else r.get("stars_proposed", v.parse_stars)
        if stage == "failed" and stars is not None:
            r.fail("stars_proposed", r.raw("stars_proposed"), "a dossier that did not pass (Không đạt) is proposed no "
                   "stars")  # fmt: skip
        if stage == "recognised" and stars is None and not _has_problem(r, "stars_proposed"):
            r.fail("stars_proposed", None, "a recognised product (Công nhận) has its stars (Số sao đề xuất)")
        if stars is not None and score is not None and not _has_problem(r, "score"):
            try:
                v.check_score(stars, score)
            except ValueError as exc:
                r.fail("score", r.raw("score"), str(exc))
        record = {
            "product_name": name,
            "producer_name": producer,
            "product_key": f"{fold(name)}|{fold(producer)}" if name and producer else None,
            "producer_key": fold(producer) if producer else None,
            "commune_code": commune_code,
            "round_number": round_number,
            "dossier_type": dossier_type,
            "stage_code": stage,
            "score": score,
            "stars_proposed": stars,
        }
        _keep(out, "ocop_dossiers", r, record)


def _read_b01n(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """B01N_TieuChiNangCao: long, one row per commune x criterion of the advanced set in force."""
    header = _find_header(rows, spec, sheet)
    in_force = set_in_force(cover.period_month, "commune_advanced")
    seen: dict[tuple[str, int], int] = {}
    for r in _detail_rows(rows, header, sheet):
        if _is_totals_row(r, "commune_code", "commune_name"):
            continue
        commune = _resolve(r, cover, reference, out.notes)
        if commune is not None and commune.unit_type != "Xã":
            r.fail("commune_code", commune.code, f"{commune.name} is a {commune.unit_type}: NTM criteria apply to xã "
                   "only")  # fmt: skip
        number = r.get("criterion", v.parse_int)
        if number is None and not _has_problem(r, "criterion"):
            r.fail("criterion", None, "the criterion number is empty")
        elif in_force is None:
            r.fail("criterion", r.raw("criterion"), f"no advanced criteria set of this warehouse covers "
                   f"{cover.period_month:%m/%Y} (the 2021-2025 set applies from 03/2022)")  # fmt: skip
        elif number is not None and number not in in_force.criteria:
            r.fail("criterion", r.raw("criterion"), f"criterion {number} is not a criterion of the advanced set "
                   f"{in_force.code} ({in_force.period}: criteria 1–{max(in_force.criteria)})")  # fmt: skip
        elif commune is not None and (commune.code, number) in seen:
            r.fail("criterion", r.raw("criterion"), f"criterion {number} of {commune.name} is written twice (rows "
                   f"{seen[(commune.code, number)]} and {r.row_number})")  # fmt: skip
        if commune is not None and number is not None:
            seen.setdefault((commune.code, number), r.row_number)
        record = {
            "commune_code": commune.code if commune else None,
            "criteria_set_code": in_force.code if in_force else None,
            "criterion_number": number,
            "is_met": r.get("met", v.parse_marker),
        }
        _keep(out, "advanced_criterion_marks", r, record)


def _resolve(r: _RowReader, cover: Cover, reference: Reference, notes: list[str] | None = None):
    """The commune of a detail row, or None with the reason recorded as a problem of the row.

    In a commune's workbook a row that names no commune is the reporting commune's.
    """
    if cover.commune_code and v.is_blank(r.raw("commune_code")) and v.is_blank(r.raw("commune_name")):
        return reference.communes[cover.commune_code]
    try:
        commune = reference.resolve_commune(
            cover.district_code, r.raw("commune_code"), v.text(r.raw("commune_name")), cover.province_code
        )
        if not commune.in_reference_list and notes is not None:
            notes.append(
                f"{r.sheet} row {r.row_number}: commune code {commune.code} ({commune.name}) is not in the official "
                "list (a commune merged before 2025?); kept as written"
            )
        return commune
    except UnknownCommune as exc:
        key = "commune_code" if not v.is_blank(r.raw("commune_code")) else "commune_name"
        r.fail(key, r.raw(key), str(exc))
        return None


def _keep(out: WorkbookResult, table: str, r: _RowReader, record: dict[str, Any]) -> None:
    """The row goes to its raw table, or, if any of its cells could not be read, to the rejects."""
    if r.problems:
        out.rejections.extend(r.problems)
    else:
        out.tables[table].append(_with_lineage(record, r.sheet, r.row_number))


# --- TongHop: the district's own totals --------------------------------------------------


def _read_totals(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    for index, row in enumerate(rows):
        if len(row) < 2 or v.is_blank(row[0]):
            continue
        label = v.text(row[0])
        vocabulary = v.COMMUNE_TOTALS if cover.reporting_level == "commune" else v.DISTRICT_TOTALS
        try:
            indicator = vocabulary.parse(row[0])
        except ValueError:
            if index > 0 and not v.is_blank(row[1]):
                out.notes.append(f"{sheet} row {index + 1}: label {label!r} is not a known total and was ignored")
            continue
        try:
            number = _total_value(indicator, row[1])
        except ValueError as exc:
            out.rejections.append(Rejection(sheet, index + 1, f"{label} (B)", v.text(row[1]), str(exc)))
            continue
        out.tables["unit_totals"].append(_totals_record("TongHop", sheet, index + 1, indicator, label, number))


# Totals that are not counts: an average and amounts (million đồng). Every other total counts communes or
# products: a whole number that fits the warehouse's INTEGER columns, or the row is rejected.
_DECIMAL_TOTALS = {"avg_criteria_met", "fund_allocated_mil_vnd", "fund_disbursed_mil_vnd"}


def _total_value(indicator: str, value: object) -> float | None:
    if indicator in _DECIMAL_TOTALS:
        return v.parse_number(value)
    number = v.parse_count(value)
    return None if number is None else float(number)


def _with_lineage(record: dict[str, Any], sheet: str, row_number: int) -> dict[str, Any]:
    record["sheet"] = sheet
    record["row_number"] = row_number
    return record


# --- the workbook ---------------------------------------------------------------------------


def _read_declared(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """A sheet read from its declaration alone: each column's parser gives the raw column of its key; a
    commune is resolved from Mã xã / Tên xã; a totals row is skipped."""
    header = _find_header(rows, spec, sheet)
    commune_columns = {"commune_code", "commune_name"} & {c.key for c in spec.columns}
    for r in _detail_rows(rows, header, sheet):
        if _is_totals_row(r, *(c.key for c in spec.columns[:3])):
            continue
        record = {c.key: r.get(c.key, c.parser or v.text) for c in spec.columns if c.key not in commune_columns}
        if commune_columns:
            commune = _resolve(r, cover, reference, out.notes)
            record["commune_code"] = commune.code if commune else None
        for column in spec.columns:
            if column.required and record.get(column.key) is None and not _has_problem(r, column.key):
                r.fail(column.key, None, f"{column.label} is empty")
        _keep(out, spec.table, r, record)


# The sheets with rules of their own, by sheet key; any other sheet is read from its declaration.
SHEET_READERS = {
    "c01": _read_c01,
    "c02": _read_b02,
    "c03": _read_b03,
    "c04": _read_b04,
    "c05": _read_b05,
    "c06": _read_b06,
    "b01": _read_b01,
    "b02": _read_b02,
    "b03": _read_b03,
    "b04": _read_b04,
    "b05": _read_b05,
    "b06": _read_b06,
    "b01n": _read_b01n,
    "b07": _read_b07,
    "b08": _read_b08,
    "totals": _read_totals,
}


def _find_sheets(book: CalamineWorkbook, template: Template) -> tuple[dict[str, str], list[str]]:
    """The template's sheets by key (case, diacritics and separators ignored), and notes on the others."""
    found: dict[str, str] = {}
    notes: list[str] = []
    for name in book.sheet_names:
        key = template.sheet_key(name)
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
    names = [name for name in book.sheet_names if any(t.sheet_key(name) == "cover" for t in TEMPLATES)]
    if not names:
        raise WorkbookRejected(
            f"required sheet(s) missing: {TEMPLATES[-1].sheet('cover').name} (found: {', '.join(book.sheet_names)})"
        )
    if len(names) > 1:
        raise WorkbookRejected(f"sheets {names[0]!r} and {names[1]!r} are both {TEMPLATES[-1].sheet('cover').name}")
    rows = _read_sheet(book, names[0])
    cover, reference = _read_cover(rows, names[0], units)
    try:
        template = template_for(cover.template_version, cover.period_month)
    except ValueError as exc:
        raise WorkbookRejected(f"cover: {exc}") from None
    if template.reporting_level != cover.reporting_level:
        unit = _UNIT_LABEL[cover.reporting_level]
        raise WorkbookRejected(
            f"cover: a {cover.reporting_level}'s workbook ({unit} {cover.reporting_unit_code}) for "
            f"{cover.period_month:%m/%Y}, but {cover.period_month:%m/%Y} is reported by each "
            f"{template.reporting_level} on template {template.version} ({template.valid_from:%m/%Y}–"
            + (f"{template.valid_to:%m/%Y})" if template.valid_to else "today)")
        )
    notes = []
    if cover.template_version and cover.template_version.strip() != template.version:
        notes.append(
            f"Phiên bản biểu mẫu {cover.template_version!r} is not a template this warehouse knows; read as "
            f"template {template.version}, the template of {cover.period_month:%m/%Y}"
        )
    return cover, template, notes, reference


def read_cover(path: Path, units: AdminUnits) -> Cover:
    """Only the cover: which district and month a workbook reports (fast; what a sensor needs).

    Raises :class:`WorkbookRejected` for the reasons :func:`read_workbook` would reject the file
    before reading its detail sheets.
    """
    book = _open(path)
    try:
        cover, template, _, _ = _cover_of(book, units)
        _find_sheets(book, template)
        return cover
    finally:
        book.close()


def read_workbook(path: Path, units: AdminUnits) -> WorkbookResult:
    """Read a district workbook. Raises :class:`WorkbookRejected` if it cannot be loaded."""
    book = _open(path)
    try:
        cover, template, notes, reference = _cover_of(book, units)
        found, sheet_notes = _find_sheets(book, template)
        # every raw table of the template but the covers' (a sheet may fill several: B01 its marks too)
        tables = [t.removeprefix("raw.") for t in template.raw_tables if t != "raw.workbook_covers"]
        out = WorkbookResult(
            cover=cover,
            tables={t: [] for t in tables},
            notes=notes + sheet_notes,
            template_read=template.version,
            sheets_read=tuple(s.key for s in template.sheets if s.key in found),
        )
        for spec in template.sheets:
            if spec.key == "cover" or spec.key not in found:
                continue
            name = found[spec.key]
            try:
                read = SHEET_READERS.get(spec.key, _read_declared)
                read(_read_sheet(book, name), name, spec, cover, reference, out)
            except WorkbookRejected as exc:
                if spec.required:
                    raise
                # An optional sheet that cannot be read is skipped, not fatal.
                out.rejections.append(Rejection(name, None, None, None, f"{exc.reason}; the sheet was not loaded"))
        return out
    finally:
        book.close()
