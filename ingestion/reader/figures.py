"""Whether a sheet holds any figure: a value the unit typed, beyond what a template writes before it is filled.

`ntm-ocop template` pre-fills codes and names (the district's xã in B01, the criteria of C01, the plan codes of
B06/C06: ``Sheet.prefilled``) and the labels of label/value rows (TongHop, C01's and B07's status). A sheet holding
only those is not read: an optional one is "not reported", as if absent; a required one reads as empty. A sheet with
nothing below its header is read as it always was ("none": a unit with nothing to list sends it so). A workbook none
of whose sheets holds a figure is not filled in at all (:class:`WorkbookNotFilled`): received and kept, nothing
loaded, its unit not yet reported. The rule reads only values, so it holds for a template and for a workbook made
by hand alike.
"""

from __future__ import annotations

from typing import Any

from ingestion import values as v
from ingestion.reader.grid import find_header
from ingestion.reader.result import WorkbookRejected
from ingestion.template import Sheet
from ingestion.text import fold

FIGURES, PREFILLED, EMPTY = "figures", "prefilled", "empty"


def _filled(row: list[Any], col: int) -> bool:
    return col < len(row) and not v.is_blank(row[col])


def sheet_content(rows: list[list[Any]], spec: Sheet) -> str:
    """FIGURES: a cell holds a value beyond the sheet's titles, header, labels and pre-filled columns; PREFILLED: it
    holds only what a template writes before the unit fills it (labels, codes, names); EMPTY: nothing below the
    header (a header-only sheet: "none", as a unit with nothing to list sends it)."""
    if not spec.columns:  # label in column A, value in column B (TongHop)
        if any(_filled(row, 0) and _filled(row, 1) for row in rows):
            return FIGURES
        return PREFILLED if any(_filled(row, 0) for row in rows[1:]) else EMPTY
    try:
        header = find_header(rows, spec, spec.name)
    except WorkbookRejected:
        return FIGURES  # not the template's layout: the sheet's rule says what is wrong with it
    labels = {fold(alias) for column in spec.label_rows for alias in column.labels}
    content = EMPTY
    for row in rows[: header.row_index]:  # label/value rows above the table (B07)
        if row and isinstance(row[0], str) and fold(row[0]) in labels:
            if _filled(row, 1):
                return FIGURES
            content = PREFILLED
    known = {header.columns[key] for key in spec.prefilled if key in header.columns}
    for row in rows[header.row_index + spec.header_rows :]:
        at = next((i for i, cell in enumerate(row) if isinstance(cell, str) and fold(cell) in labels), None)
        if at is not None:  # a label/value row below the table (C01): its value is a figure
            if _filled(row, at + 1):
                return FIGURES
            content = PREFILLED
            continue
        for col, cell in enumerate(row):
            if not v.is_blank(cell):
                if col not in known:
                    return FIGURES
                content = PREFILLED
    return content
