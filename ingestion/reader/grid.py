"""The mechanics every sheet shares: the header found by its labels, detail rows read cell by cell into the
problems of the row, label/value rows, lineage, and the commune a row names."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ingestion import values as v
from ingestion.reader.result import Cover, Rejection, WorkbookRejected, WorkbookResult, column_letter
from ingestion.reference import Reference, UnknownCommune
from ingestion.template import Sheet
from ingestion.text import fold

HEADER_SEARCH_ROWS = 30


@dataclass
class Header:
    row_index: int  # 0-based index of the (last) header row
    columns: dict[str, int]
    labels: dict[str, str]

    def column_name(self, key: str) -> str:
        return f"{self.labels[key]} ({column_letter(self.columns[key])})"


def find_header(rows: list[list[Any]], spec: Sheet, sheet: str) -> Header:
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


class RowReader:
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

    def text(self, key: str) -> str | None:
        """The cell's text (v.text), or None with a problem of the row if it is longer than a name or note may be
        (v.MAX_TEXT)."""
        return self.get(key, v.bounded_text)

    def fail(self, key: str | None, value: Any, reason: str, column_name: str | None = None) -> None:
        if column_name is None and key is not None and key in self.header.columns:
            column_name = self.header.column_name(key)
        # the value as written, cut: an overlong cell is recorded by its start, not whole
        self.problems.append(Rejection(self.sheet, self.row_number, column_name, v.preview(value), reason))


def is_blank_row(row: list[Any]) -> bool:
    return all(v.is_blank(cell) for cell in row)


def is_totals_row(reader: RowReader, *keys: str) -> bool:
    return any(fold(reader.raw(k)) in v.TOTALS_ROW_WORDS for k in keys)


def only_prefilled(row: list[Any], prefilled_columns: set[int]) -> bool:
    """A row whose values are all in pre-filled columns (and at least one is): a unit's row left unfilled."""
    values = [col for col, cell in enumerate(row) if not v.is_blank(cell)]
    return bool(values) and all(col in prefilled_columns for col in values)


def detail_rows(
    rows: list[list[Any]], header: Header, sheet: str, prefilled: Sequence[str] = (), notes: list[str] | None = None
) -> Iterable[RowReader]:
    """A reader for each non-blank row below the header (blank rows anywhere are skipped). A row with values only
    in the `prefilled` columns (codes and names a template writes before the unit fills it) is not reported: it is
    skipped, and said in `notes`."""
    known = {header.columns[key]: key for key in prefilled if key in header.columns}
    for index in range(header.row_index + 1, len(rows)):
        row = rows[index]
        if is_blank_row(row):
            continue
        if known and only_prefilled(row, set(known)):
            if notes is not None:
                written = ", ".join(header.labels[k] for col, k in known.items() if col < len(row) and row[col] != "")
                notes.append(
                    f"{sheet} row {index + 1}: only its pre-filled cells ({written}) hold values: not reported"
                )
            continue
        yield RowReader(sheet, header, row, index + 1)


def label_values(rows: list[list[Any]]) -> dict[str, tuple[Any, int]]:
    """Label in column A, value in column B -> {folded label: (value, 1-based row)}."""
    found: dict[str, tuple[Any, int]] = {}
    for index, row in enumerate(rows):
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip():
            found.setdefault(fold(row[0]), (row[1], index + 1))
    return found


def label_rows_reader(status: dict[str, tuple[Any, int, str]], sheet: str, row_number: int) -> RowReader:
    """Label/value rows (C01's status, B07's) read like a row of their own: one reader over "cells" keyed by their
    keys, each named by its label as written and its row."""
    keys = list(status)
    pseudo = Header(0, {k: i for i, k in enumerate(keys)}, {k: f"{status[k][2]} (row {status[k][1]})" for k in keys})
    return RowReader(sheet, pseudo, [status[k][0] for k in keys], row_number)


def has_problem(r: RowReader, key: str) -> bool:
    if key not in r.header.columns:  # an optional column the sheet does not have
        return False
    name = r.header.column_name(key)
    return any(p.column_name == name for p in r.problems)


def required_text(r: RowReader, key: str, what: str) -> str | None:
    value = r.text(key)
    if value is None and not has_problem(r, key):
        r.fail(key, None, f"{what} is empty")
    return value


def resolve_commune(r: RowReader, cover: Cover, reference: Reference, notes: list[str] | None = None):
    """The commune of a detail row, or None with the reason recorded as a problem of the row.

    In a commune's workbook a row that names no commune is the reporting commune's.
    """
    if cover.commune_code and v.is_blank(r.raw("commune_code")) and v.is_blank(r.raw("commune_name")):
        return reference.communes[cover.commune_code]
    try:
        commune = reference.resolve_commune(
            cover.district_code, r.raw("commune_code"), r.text("commune_name"), cover.province_code
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


def keep(out: WorkbookResult, table: str, r: RowReader, record: dict[str, Any]) -> None:
    """The row goes to its raw table, or, if any of its cells could not be read, to the rejects."""
    if r.problems:
        out.rejections.extend(r.problems)
    else:
        out.tables[table].append(with_lineage(record, r.sheet, r.row_number))


def with_lineage(record: dict[str, Any], sheet: str, row_number: int) -> dict[str, Any]:
    record["sheet"] = sheet
    record["row_number"] = row_number
    return record


def totals_record(
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


# Totals that are not counts: an average and amounts (million đồng). Every other total counts communes or
# products: a whole number that fits the warehouse's INTEGER columns, or the row is rejected.
_DECIMAL_TOTALS = {"avg_criteria_met", "fund_allocated_mil_vnd", "fund_disbursed_mil_vnd"}


def total_value(indicator: str, value: object) -> float | None:
    if indicator in _DECIMAL_TOTALS:
        return v.parse_number(value)
    number = v.parse_count(value)
    return None if number is None else float(number)
