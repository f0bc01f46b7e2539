"""The two baselines the pipeline is compared with, on the same files.

python bench/baselines.py pandas-openpyxl DIR   # what a consolidation script does today
python bench/baselines.py calamine DIR          # a bare parse of every cell: the floor
"""

from __future__ import annotations

import sys
from pathlib import Path


def workbooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in {".xlsx", ".xls", ".ods"})


def pandas_openpyxl(folder: Path) -> int:
    import pandas as pd

    cells = 0
    for path in workbooks(folder):
        for frame in pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None).values():
            cells += frame.size
    return cells


def calamine(folder: Path) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in workbooks(folder):
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            cells += sum(len(row) for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False))
        book.close()
    return cells


if __name__ == "__main__":
    kind, folder = sys.argv[1], Path(sys.argv[2])
    count = {"pandas-openpyxl": pandas_openpyxl, "calamine": calamine}[kind](folder)
    print(f"{kind}: {len(workbooks(folder))} workbooks, {count} cells")
