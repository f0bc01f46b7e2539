"""Template 2026.1, the commune workbook (../shared/spec/commune-workbook.md): read with the district template's
machinery, its own rules (units of the month, the criteria set in force, levels of the set, who certified, no
district budget) and the same tolerances."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from ingestion.reader import WorkbookRejected, read_cover, read_workbook
from samples.communes import plan_communes, write_commune_workbook

MARCH_2026 = dt.date(2026, 3, 1)
COMMUNE = "01864"  # Xã Bằng Thành, Thái Nguyên (19): took in legacy communes of Bắc Kạn's Pác Nặm
# Xã Phúc Lộc: took in legacy communes of Bắc Kạn's Ba Bể; lists products certified by the former district
LISTING = "01894"


@pytest.fixture(scope="module")
def reports(units):
    return {r.commune.code: r for r in plan_communes(units, "19", MARCH_2026)}


@pytest.fixture(scope="module")
def province_rated(reports) -> str:
    """A commune of the sample listing a product the province certified (since 07/2025)."""
    return next(code for code, r in sorted(reports.items()) if any(x.issuing_level == "province" for x in r.listings))


@pytest.fixture
def make_commune_workbook(tmp_path, reports) -> Callable[..., Path]:
    """Write a valid commune workbook of Bằng Thành for 03/2026, then let the test change it with openpyxl."""

    def make(mutate: Callable[[openpyxl.Workbook], None] | None = None, *, commune: str = COMMUNE) -> Path:
        path = tmp_path / f"{commune}.xlsx"
        write_commune_workbook(reports[commune], path)
        if mutate is not None:
            book = openpyxl.load_workbook(path)
            mutate(book)
            book.save(path)
        return path

    return make


def set_label(sheet, label: str, value) -> None:
    """Write `value` beside the label in column A (adding the row when the label is not there)."""
    for row in sheet.iter_rows():
        if row[0].value == label:
            row[1].value = value
            return
    sheet.append([label, value])


def rows_of(sheet, first_column_value) -> list:
    return [row for row in sheet.iter_rows() if row[0].value == first_column_value]


def test_a_commune_workbook_is_read_into_the_shared_raw_tables(make_commune_workbook, units):
    assert read_workbook(make_commune_workbook(), units).rejections == []
    result = read_workbook(make_commune_workbook(commune=LISTING), units)
    cover = result.cover
    assert (cover.province_code, cover.commune_code, cover.district_code) == ("19", LISTING, None)
    assert (cover.reporting_level, cover.reporting_unit_code, cover.period_month) == ("commune", LISTING, MARCH_2026)
    assert cover.commune_group == 3 and cover.is_sample
    assert result.rejections == []
    status = result.tables["commune_criteria"]
    assert len(status) == 1 and status[0]["commune_code"] == LISTING and status[0]["level_code"] in {"not_yet", "ntm"}
    marks = result.tables["commune_criterion_marks"]
    assert sorted(m["criterion_number"] for m in marks) == list(range(1, 11))  # the 2026-2030 set: 10 criteria
    assert {m["commune_row_number"] for m in marks} == {status[0]["row_number"]}  # the status row they belong to
    assert all(m["indicators_total"] >= m["indicators_met"] >= 0 for m in marks)
    products = result.tables["ocop_products"]
    assert products and {p["commune_code"] for p in products} == {LISTING}  # the commune's own producers
    assert "district" in {p["issuing_level"] for p in products}  # a former district's certificates, still valid
    totals = {t["indicator_code"] for t in result.tables["unit_totals"]}
    assert {"criteria_met", "indicators_met", "villages_ntm", "ocop_3_star", "fund_disbursed_mil_vnd"} <= totals
    assert {f["fund_source_code"] for f in result.tables["fund_positions"]}.isdisjoint({"district"})


@pytest.mark.parametrize(
    ("label", "value", "reason"),
    [
        # a province merged away in 2025: Bắc Kạn's code names nothing in 03/2026
        ("Mã tỉnh", "06", r"Mã tỉnh '06' names no province valid in 03/2026 \(the code was: Tỉnh Bắc Kạn, "
                           r"01/01/2010–30/06/2025\)"),
        # a legacy commune (merged into Bằng Thành) in 03/2026
        ("Mã xã", "01858", r"Mã xã '01858' names no commune valid in 03/2026 \(the code was: Xã Bằng Thành"),
        ("Nhóm xã", "4", "Nhóm xã '4' is not a commune group"),
        ("Kỳ báo cáo", "12/2023", "up to 06/2025 the district reports its communes|names no"),
        ("Xã", "Xã Nghiên Loan", "Xã 'Xã Nghiên Loan' contradicts Mã xã 01864"),
    ],
)  # fmt: skip
def test_a_cover_naming_a_unit_of_another_time_rejects_the_workbook_whole(make_commune_workbook, units, label,
                                                                          value, reason):  # fmt: skip
    path = make_commune_workbook(lambda book: set_label(book["ThongTinChung"], label, value))
    with pytest.raises(WorkbookRejected, match=reason):
        read_cover(path, units)


def test_a_district_workbook_for_march_2026_is_rejected_naming_the_end_of_districts(make_workbook, units):
    # a district of Thái Nguyên, a province that still exists: the district is what names no unit in 03/2026
    district = next(d for d in units.at(dt.date(2023, 12, 1)).provinces["19"].districts if d.xa)

    def to_2026(book):
        set_label(book["ThongTinChung"], "Kỳ báo cáo", "03/2026")

    with pytest.raises(WorkbookRejected, match=rf"Mã huyện '{district.code}' names no district valid in 03/2026 "
                                               r"\(the code was: .*–30/06/2025\)"):  # fmt: skip
        read_workbook(make_workbook(to_2026, district_code=district.code), units)


def test_a_cover_with_both_a_district_and_a_commune_is_rejected(make_commune_workbook, units):
    path = make_commune_workbook(lambda book: set_label(book["ThongTinChung"], "Mã huyện", "060"))
    with pytest.raises(WorkbookRejected, match="gives both Mã huyện and Mã xã"):
        read_cover(path, units)


def test_a_wards_workbook_loads_its_ocop_and_funds_and_rejects_criteria_rows(make_commune_workbook, units):
    """The NTM criteria apply to xã; a ward (phường) reports its OCOP products and funds all the same."""
    ward = next(c for c in units.at(MARCH_2026).provinces["19"].communes if c.unit_type == "Phường")

    def to_ward(book):
        set_label(book["ThongTinChung"], "Mã xã", ward.code)
        set_label(book["ThongTinChung"], "Xã", None)

    result = read_workbook(make_commune_workbook(to_ward, commune=LISTING), units)
    assert result.cover.commune_type == "Phường" and result.cover.reporting_unit_code == ward.code
    assert result.tables["commune_criteria"] == [] and result.tables["commune_criterion_marks"] == []
    assert result.tables["ocop_products"] and result.tables["fund_positions"]
    reasons = {r.reason for r in result.rejections}
    assert reasons == {
        "the NTM criteria apply to xã only: the reporting unit is a Phường",
        "the NTM levels apply to xã only: the reporting unit is a Phường",
    }
    assert len(result.rejections) == 11  # its 10 criterion rows and its level, each recorded with the reason


def test_a_criterion_outside_the_set_in_force_rejects_that_row_naming_the_set(make_commune_workbook, units):
    def eleventh(book):
        c01 = book["C01_TieuChi"]
        c01.insert_rows(5)
        for col, value in enumerate((11, None, "Đạt", 3, 4), start=1):
            c01.cell(5, col).value = value

    result = read_workbook(make_commune_workbook(eleventh), units)
    assert [(r.sheet, r.row_number, r.column_name) for r in result.rejections] == [("C01_TieuChi", 5, "Tiêu chí (A)")]
    assert "criterion 11 is not a criterion of the set in force in 03/2026 (ntm-xa-2026-2030" in (
        result.rejections[0].reason
    )
    assert sorted(m["criterion_number"] for m in result.tables["commune_criterion_marks"]) == list(range(1, 11))


def test_a_criterion_written_twice_rejects_the_second_row_naming_the_first(make_commune_workbook, units):
    def twice(book):
        c01 = book["C01_TieuChi"]
        c01.insert_rows(5)
        for col, value in enumerate((2, None, "Đạt", 3, 4), start=1):
            c01.cell(5, col).value = value

    result = read_workbook(make_commune_workbook(twice), units)
    [rejection] = result.rejections
    # the inserted row (5) is the first written; the template's own criterion 2, now row 6, is the second
    assert (rejection.sheet, rejection.row_number, rejection.column_name) == ("C01_TieuChi", 6, "Tiêu chí (A)")
    assert rejection.reason == "criterion 2 is written twice (rows 5 and 6)"


def test_a_criterion_whose_row_has_no_mark_is_not_achieved_as_in_b01(make_commune_workbook, units):
    """`Đạt` takes B01's markers, where empty is "not achieved": criterion 3's row is there, its mark empty."""

    def blank_third(book):
        for row in rows_of(book["C01_TieuChi"], 3):
            row[2].value = None

    result = read_workbook(make_commune_workbook(blank_third), units)
    assert result.rejections == []
    marks = {m["criterion_number"]: m["is_met"] for m in result.tables["commune_criterion_marks"]}
    assert sorted(marks) == list(range(1, 11))
    assert marks[3] is False


def test_a_criterion_with_no_row_is_not_reported(make_commune_workbook, units):
    def without_third(book):
        c01 = book["C01_TieuChi"]
        [row] = rows_of(c01, 3)
        c01.delete_rows(row[0].row)

    result = read_workbook(make_commune_workbook(without_third), units)
    assert result.rejections == []
    assert sorted(m["criterion_number"] for m in result.tables["commune_criterion_marks"]) == [1, 2, *range(4, 11)]


def test_a_c01_with_no_mark_at_all_reports_no_criterion(make_commune_workbook, units):
    """The criteria of a template's C01 are pre-filled: a commune that marked none of them reported none (its status
    rows still count), rather than "not achieving" all ten."""

    def unmarked(book):
        for number in range(1, 11):
            for row in rows_of(book["C01_TieuChi"], number):
                row[2].value = None

    result = read_workbook(make_commune_workbook(unmarked), units)
    assert result.tables["commune_criterion_marks"] == []
    assert any("criterion 3 has no result (Đạt), nor has any criterion of the sheet" in n for n in result.notes)


@pytest.mark.parametrize(
    ("period", "level", "accepted"),
    [
        ("03/2026", "NTM nâng cao", False),  # no advanced or model level from 02/2026
        ("03/2026", "NTM kiểu mẫu", False),
        ("03/2026", "NTM hiện đại", True),
        ("12/2025", "NTM hiện đại", False),  # the pilot level is the 2026-2030 set's
    ],
)
def test_levels_are_those_of_the_set_in_force(make_commune_workbook, units, period, level, accepted):
    def with_level(book):
        cover, c01 = book["ThongTinChung"], book["C01_TieuChi"]
        set_label(cover, "Kỳ báo cáo", period)
        set_label(c01, "Mức đạt chuẩn", level)
        set_label(c01, "Năm đạt chuẩn NTM", 2020)
        for label in ("Năm đạt NTM hiện đại", "Năm đạt NTM nâng cao", "Năm đạt NTM kiểu mẫu"):
            set_label(c01, label, 2025)
        if period == "12/2025":  # the 2021-2025 set: 19 criteria, numbered 11-19 too
            for n in range(11, 20):
                c01.insert_rows(14)
                c01.cell(14, 1).value, c01.cell(14, 3).value = n, "Đạt"

    result = read_workbook(make_commune_workbook(with_level), units)
    if accepted:
        assert result.rejections == [] and result.tables["commune_criteria"][0]["level_code"] == "modern"
        return
    assert result.tables["commune_criteria"] == [] and result.tables["commune_criterion_marks"] == []
    level_problem = [r for r in result.rejections if r.column_name.startswith("Mức đạt chuẩn")]
    assert len(level_problem) == 1 and "is not a level of the criteria set in force" in level_problem[0].reason
    # the criteria rows are recorded as rejected too, with why: nothing is lost silently
    assert all("status below the criteria" in r.reason for r in result.rejections if r is not level_problem[0])


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Cấp công nhận", "Huyện", "no district issues a certificate after 30/06/2025"),
        ("Cấp công nhận", "Cấp xã", "is not a known issuing level"),
    ],
)
def test_who_certified_is_checked(make_commune_workbook, units, province_rated, column, value, reason):
    def on_new_product(book):
        c04 = book["C04_OCOP"]
        headers = [c.value for c in c04[1]]
        for row in c04.iter_rows(min_row=2):
            if row[headers.index(column)].value == "Tỉnh":
                row[headers.index(column)].value = value
                return
        raise AssertionError("the sample commune lists no product the province certified")

    result = read_workbook(make_commune_workbook(on_new_product, commune=province_rated), units)
    assert [r.column_name.split(" (")[0] for r in result.rejections] == ["Cấp công nhận"]
    assert reason in result.rejections[0].reason


def test_a_five_star_product_is_certified_by_the_central_level(make_commune_workbook, units, province_rated):
    def five_stars_by_province(book):
        c04 = book["C04_OCOP"]
        headers = [c.value for c in c04[1]]
        row = next(r for r in c04.iter_rows(min_row=2) if r[headers.index("Cấp công nhận")].value == "Tỉnh")
        row[headers.index("Số sao")].value = 5
        row[headers.index("Điểm")].value = 92

    result = read_workbook(make_commune_workbook(five_stars_by_province, commune=province_rated), units)
    assert ["a 5★ product is recognised by the central level" in r.reason for r in result.rejections] == [True]


def test_no_district_budget_after_june_2025(make_commune_workbook, units):
    def district_budget(book):
        book["C05_NguonVon"].cell(2, 2).value = "Ngân sách huyện"

    result = read_workbook(make_commune_workbook(district_budget), units)
    assert [(r.sheet, r.row_number, r.column_name) for r in result.rejections] == [("C05_NguonVon", 2, "Nguồn vốn (B)")]
    assert "there is no district budget after 06/2025" in result.rejections[0].reason


def test_a_commune_plans_its_own_recognition_as_0_or_1(make_commune_workbook, units):
    def twice(book):
        for row in rows_of(book["C06_KeHoach"], "XA_NTM"):
            row[1].value = 2

    result = read_workbook(make_commune_workbook(twice), units)
    assert ["0 or 1" in r.reason for r in result.rejections] == [True]


def test_indicator_codes_are_of_the_set_in_force(make_commune_workbook, units):
    def indicators(book):
        c02 = book.create_sheet("C02_ChiTieu")
        c02.append(["Mã chỉ tiêu", "Giá trị", "Đơn vị", "Đạt"])
        c02.append(["3.2", 75, "%", "Đạt"])  # criterion 3 of 2026-2030: accepted (the 47 are not transcribed)
        c02.append(["17.1", 80, "%", "Đạt"])  # 17.1 was an indicator of 2021-2025: no criterion 17 now

    result = read_workbook(make_commune_workbook(indicators), units)
    assert [i["indicator_code"] for i in result.tables["commune_indicators"]] == ["3.2"]
    assert [(r.row_number, "not an indicator code of set ntm-xa-2026-2030" in r.reason) for r in result.rejections] == [
        (3, True)
    ]
