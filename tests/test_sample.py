"""The sample generator: deterministic, real units, and each district's TongHop agrees with its detail."""

from __future__ import annotations

import datetime as dt

import pytest
from python_calamine import CalamineWorkbook

from ingestion.reader import read_workbook
from samples import excel_round, generate

PERIOD = dt.date(2023, 12, 1)


def cells(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.fixture(scope="module")
def bac_kan(tmp_path_factory, units):
    return generate("06", PERIOD, tmp_path_factory.mktemp("bac_kan"), units=units)


def test_one_workbook_per_district_of_bac_kan_with_real_codes(bac_kan, units):
    assert len(bac_kan) == 8
    read = [read_workbook(path, units) for path in bac_kan]
    assert sorted(r.cover.district_code for r in read) == sorted(
        d.code for d in units.at(PERIOD).provinces["06"].districts
    )
    communes = [row["commune_code"] for r in read for row in r.tables["commune_criteria"]]
    assert len(communes) == len(set(communes)) == 95
    assert all(units.at(PERIOD).communes[c].unit_type == "Xã" for c in communes)
    assert all(r.rejections == [] for r in read)


def test_same_seed_same_content(bac_kan, tmp_path, units):
    again = generate("06", PERIOD, tmp_path, units=units)
    assert [p.name for p in again] == [p.name for p in bac_kan]
    assert all(cells(a) == cells(b) for a, b in zip(again, bac_kan, strict=True))


def test_other_seed_other_content(bac_kan, tmp_path, units):
    other = generate("06", PERIOD, tmp_path, seed=99, units=units)
    assert any(cells(a) != cells(b) for a, b in zip(other, bac_kan, strict=True))


@pytest.mark.parametrize("province", ["06", "92"])
def test_district_totals_agree_with_their_detail(province, tmp_path, units):
    for path in generate(province, PERIOD, tmp_path, units=units):
        result = read_workbook(path, units)
        totals = {
            r["indicator_code"]: r["reported_value"]
            for r in result.tables["unit_totals"]
            if r["source_table"] == "TongHop"
        }
        communes = result.tables["commune_criteria"]
        assert totals["communes_total"] == len(communes)
        assert totals["communes_ntm"] == sum(c["level_code"] != "not_yet" for c in communes)
        met = sum(m["is_met"] for m in result.tables["commune_criterion_marks"])
        assert len(result.tables["commune_criterion_marks"]) == 19 * len(communes)
        assert totals["avg_criteria_met"] == excel_round(met / len(communes), 2)
        assert totals["ocop_3_star"] + totals["ocop_4_star"] + totals["ocop_5_star"] == totals["ocop_products"]


def test_excel_rounding_is_half_away_from_zero():
    assert (excel_round(12.625, 2), round(12.625, 2)) == (12.63, 12.62)
    assert excel_round(0.05, 1) == 0.1 and excel_round(2.5, 0) == 3.0


def test_the_demonstration_inbox_has_each_problem_once(tmp_path, units):
    from ingestion.reader import WorkbookRejected
    from samples import generate_with_problems

    done = generate_with_problems("06", dt.date(2023, 12, 1), tmp_path, units=units)
    assert sorted(done.values()) == sorted([
        "removed: the district has not reported", "TongHop 'Số sản phẩm OCOP 3 sao' one too many",
        "an NTM commune written 'Chưa đạt'", "not a workbook", "B01_TieuChiXa!D6 (a commune's criterion 1) typed 'Đ'",
    ])  # fmt: skip
    typo = next(n for n, what in done.items() if what.endswith("typed 'Đ'"))
    (rejection,) = read_workbook(tmp_path / typo, units).rejections
    assert (rejection.sheet, rejection.row_number, rejection.column_name) == ("B01_TieuChiXa", 6, "Tiêu chí 1 (D)")
    names = {p.name for p in tmp_path.iterdir()}
    assert len([n for n in names if "NTM T11 " in n]) == 8 and len([n for n in names if "NTM T12 " in n]) == 7
    removed = next(n for n, what in done.items() if what.startswith("removed"))
    assert removed not in names
    draft = next(n for n, what in done.items() if what == "not a workbook")
    with pytest.raises(WorkbookRejected):
        read_workbook(tmp_path / draft, units)
