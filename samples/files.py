"""The sample's files: a province's workbooks for a month, and a month as offices often send it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingestion.reference import AdminUnits, load_units
from samples.model import LEVEL_LABELS, DistrictReport
from samples.provinces import plan_province
from samples.workbook import write_workbook


def _file_name(report: DistrictReport) -> str:
    return f"BC NTM T{report.period.month} {report.period.year} - {report.district.short_name}.xlsx"


def generate(
    province_code: str, period: dt.date, out_dir: Path, *, seed: int = 2023, units: AdminUnits | None = None
) -> list[Path]:
    """Write one workbook per district of the province for the month (its units of that month); returns the paths."""
    units = units or load_units()
    reference = units.at(period)
    if province_code not in reference.provinces:
        raise ValueError(f"province code {province_code!r} {units.why_not('province', province_code, period)}")
    if not reference.provinces[province_code].districts:
        raise ValueError(
            f"province {province_code} has no districts in {period:%m/%Y}: district workbooks (template 2024.1) "
            "are for months up to 06/2025"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = plan_province(reference, province_code, period, seed)
    names = [_file_name(r) for r in reports]
    # Two districts may share a short name (Huyện and Thị xã Kỳ Anh, Hà Tĩnh): then the code tells the files apart.
    names = [
        n.replace(".xlsx", f" ({r.district.code}).xlsx") if names.count(n) > 1 else n
        for n, r in zip(names, reports, strict=True)
    ]
    return [write_workbook(r, out_dir / name) for r, name in zip(reports, names, strict=True)]


def generate_with_problems(
    province_code: str, period: dt.date, out_dir: Path, *, seed: int = 2023, units: AdminUnits | None = None
) -> dict[str, str]:
    """The previous month complete, and this month as offices often send it, for demonstrations.

    This month: the last district has not reported; the second district's TongHop counts one
    3★ product too many; the first district with an NTM commune writes it as not yet recognised
    (lost since last month, and its TongHop no longer agrees); another types 'Đ' for a criterion (that commune's row is
    rejected, naming the cell); and a draft that is not a workbook.
    Returns what was done to which file.
    """
    import openpyxl

    previous = (period.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    generate(province_code, previous, out_dir, seed=seed, units=units)
    paths = sorted(generate(province_code, period, out_dir, seed=seed, units=units))
    done: dict[str, str] = {}

    def edit(path: Path, sheet: str, change) -> bool:
        book = openpyxl.load_workbook(path)
        changed = change(book[sheet])
        if changed:
            book.save(path)
        return changed

    def one_more_3_star(sheet) -> bool:
        for row in sheet.iter_rows():
            if row[0].value == "Số sản phẩm OCOP 3 sao":
                row[1].value += 1
                return True
        return False

    def lose_a_level(sheet) -> bool:
        for row in sheet.iter_rows(min_row=6):
            if row[23].value == LEVEL_LABELS[1]:
                row[23].value = LEVEL_LABELS[0]
                for cell in row[24:28]:
                    cell.value = None
                return True
        return False

    paths[-1].unlink()
    done[paths[-1].name] = "removed: the district has not reported"
    if edit(paths[1], "TongHop", one_more_3_star):
        done[paths[1].name] = "TongHop 'Số sản phẩm OCOP 3 sao' one too many"
    for path in paths[:-1]:
        if edit(path, "B01_TieuChiXa", lose_a_level):
            done[path.name] = "an NTM commune written 'Chưa đạt'"
            break

    def criterion_mistyped(sheet) -> bool:  # a slip of the keyboard in the first commune's criterion 1
        sheet["D6"].value = "Đ"
        return True

    typo = next(path for path in paths[:-1] if path.name not in done)
    if edit(typo, "B01_TieuChiXa", criterion_mistyped):
        done[typo.name] = "B01_TieuChiXa!D6 (a commune's criterion 1) typed 'Đ'"
    draft = out_dir / f"BC T{period:%m} - ban nhap.xlsx"
    draft.write_bytes(b"PK\x03\x04 a draft saved half-way")
    done[draft.name] = "not a workbook"
    return done
