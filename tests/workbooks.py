"""Changing a generated workbook as an office would, for tests: a label's value on a label/value sheet, any edit."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def set_label(sheet, label: str, value) -> None:
    """The value beside a label in column A (a cover, TongHop, B07's status rows)."""
    for row in sheet.iter_rows():
        if row[0].value == label:
            row[1].value = value
            return
    raise AssertionError(f"no {label!r} in {sheet.title}")


def get_label(sheet, label: str):
    return next(row[1].value for row in sheet.iter_rows() if row[0].value == label)


def edit(path: Path, change, to: Path | None = None) -> Path:
    """Open the workbook, let `change` edit it, save it (to `to`, a new file, when given)."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(to or path)
    return to or path
