"""The workbook reader on workbooks built in the test (spec: ../shared/spec/district-workbook.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from ingestion.reader import WorkbookRejected, read_workbook
from tests.conftest import PERIOD

B01_FIRST_DATA_ROW = 6  # title, subtitle, blank, two header rows


def test_reads_every_required_sheet_with_lineage(make_workbook, units):
    result = read_workbook(make_workbook(), units)
    assert result.cover.province_code == "06"
    assert result.cover.district_code == "060"
    assert result.cover.period_month == dt.date(2023, 12, 1)
    communes = result.tables["commune_criteria"]
    assert len(communes) == len(units.at(PERIOD).districts["060"].xa) == 10
    assert communes[0]["row_number"] == B01_FIRST_DATA_ROW
    assert communes[0]["sheet"] == "B01_TieuChiXa"
    assert all(r["commune_code"] in {c.code for c in units.at(PERIOD).districts["060"].xa} for r in communes)
    assert result.tables["ocop_products"] and result.tables["fund_positions"] and result.tables["plan_targets"]
    assert {r["indicator_code"] for r in result.tables["unit_totals"]} >= {"ocop_products", "ocop_3_star"}
    assert result.rejections == []


def test_header_found_below_extra_title_rows(make_workbook, units):
    def insert_rows(book):
        book["B01_TieuChiXa"].insert_rows(1, amount=4)
        book["B04_OCOP"].insert_rows(1, amount=2)

    result = read_workbook(make_workbook(insert_rows), units)
    assert len(result.tables["commune_criteria"]) == 10
    assert result.tables["commune_criteria"][0]["row_number"] == B01_FIRST_DATA_ROW + 4
    assert result.rejections == []


def test_sheet_names_compared_without_case_diacritics_and_separators(make_workbook, units):
    def rename(book):
        book["B01_TieuChiXa"].title = "b01 - tiêu chí xã"
        book["ThongTinChung"].title = "Thông tin chung"
        book["B04_OCOP"].title = "B04.OCOP"
        book["TongHop"].sheet_state = "hidden"

    result = read_workbook(make_workbook(rename), units)
    assert len(result.tables["commune_criteria"]) == 10
    assert result.tables["commune_criteria"][0]["sheet"] == "b01 - tiêu chí xã"
    assert any(r["indicator_code"] == "ocop_products" for r in result.tables["unit_totals"])


def test_extra_sheet_is_ignored_with_a_note(make_workbook, units):
    result = read_workbook(make_workbook(lambda book: book.create_sheet("Ghi chu cua huyen")), units)
    assert any("Ghi chu cua huyen" in note for note in result.notes)


def test_missing_required_sheet_rejects_the_workbook(make_workbook, units):
    path = make_workbook(lambda book: book.remove(book["B04_OCOP"]))
    with pytest.raises(WorkbookRejected, match="B04_OCOP"):
        read_workbook(path, units)


def test_not_a_workbook_is_rejected(tmp_path, units):
    path = tmp_path / "notes.xlsx"
    path.write_text("this is not a spreadsheet")
    with pytest.raises(WorkbookRejected, match="not a workbook: it is text"):
        read_workbook(path, units)


def _cover_cell(book, label):
    sheet = book["ThongTinChung"]
    for row in sheet.iter_rows():
        if row[0].value == label:
            return row[1]
    raise AssertionError(label)


def test_cover_name_contradicting_its_code_rejects_the_workbook(make_workbook, units):
    path = make_workbook(lambda book: setattr(_cover_cell(book, "Huyện"), "value", "Ba Bể"))
    with pytest.raises(WorkbookRejected, match="contradicts Mã huyện 060"):
        read_workbook(path, units)


def test_district_of_another_province_rejects_the_workbook(make_workbook, units):
    def other(book):
        _cover_cell(book, "Mã tỉnh").value = "38"
        _cover_cell(book, "Tỉnh").value = None

    with pytest.raises(WorkbookRejected, match="belongs to province 06"):
        read_workbook(make_workbook(other), units)


def test_cover_period_in_words(make_workbook, units):
    path = make_workbook(lambda book: setattr(_cover_cell(book, "Kỳ báo cáo"), "value", "tháng 12 năm 2023"))
    assert read_workbook(path, units).cover.period_month == dt.date(2023, 12, 1)


def test_unknown_criterion_mark_rejects_the_row_naming_the_cell(make_workbook, units):
    # Criterion 17 is column T (criteria 1..19 are D..V).
    path = make_workbook(lambda book: setattr(book["B01_TieuChiXa"]["T7"], "value", "gần đạt"))
    result = read_workbook(path, units)
    assert len(result.tables["commune_criteria"]) == 9
    [rejection] = result.rejections
    assert (rejection.sheet, rejection.row_number, rejection.column_name) == ("B01_TieuChiXa", 7, "Tiêu chí 17 (T)")
    assert rejection.value == "gần đạt"
    assert "criterion mark" in rejection.reason


def test_commune_found_by_name_without_code(make_workbook, units):
    def by_name(book):
        sheet = book["B01_TieuChiXa"]
        sheet["B6"].value = None
        sheet["C6"].value = "XA BANG THANH"  # no code, no diacritics, upper case

    result = read_workbook(make_workbook(by_name), units)
    assert result.rejections == []
    assert result.tables["commune_criteria"][0]["commune_code"] == "01858"


def test_unknown_commune_name_rejects_the_row(make_workbook, units):
    def unknown(book):
        sheet = book["B01_TieuChiXa"]
        sheet["B6"].value = None
        sheet["C6"].value = "Xã Không Có Thật"

    result = read_workbook(make_workbook(unknown), units)
    [rejection] = result.rejections
    assert rejection.row_number == 6 and "matches no commune" in rejection.reason


def test_commune_code_of_another_district_rejects_the_row(make_workbook, units):
    ba_be = units.at(PERIOD).districts["061"].xa[0]
    result = read_workbook(make_workbook(lambda book: setattr(book["B01_TieuChiXa"]["B6"], "value", ba_be.code)), units)
    [rejection] = result.rejections
    assert (rejection.row_number, rejection.column_name, rejection.value) == (6, "Mã xã (B)", ba_be.code)
    assert "belongs to district 061" in rejection.reason
    assert len(result.tables["commune_criteria"]) == 9


def test_two_star_product_is_rejected(make_workbook, units):
    path = make_workbook(lambda book: setattr(book["B04_OCOP"]["I4"], "value", 2))
    result = read_workbook(path, units)
    [rejection] = result.rejections
    assert (rejection.sheet, rejection.row_number, rejection.column_name) == ("B04_OCOP", 4, "Số sao (I)")
    assert "not an OCOP product" in rejection.reason


def test_empty_expiry_defaults_to_36_months(make_workbook, units):
    def clear_expiry(book):
        book["B04_OCOP"]["L4"].value = "15/03/2022"
        book["B04_OCOP"]["M4"].value = None

    product = read_workbook(make_workbook(clear_expiry), units).tables["ocop_products"][0]
    assert product["expiry_date"] == dt.date(2025, 3, 15)
    assert product["expiry_defaulted"] is True


def test_totals_row_is_kept_for_reconciliation_not_as_a_commune(make_workbook, units):
    """The B01 totals row ("Tổng cộng", a SUM formula) is read from its cached value, not as a commune."""
    result = read_workbook(make_workbook(), units)
    communes = result.tables["commune_criteria"]
    assert len(communes) == 10
    assert all(r["commune_name_written"] != "Tổng cộng" for r in communes)
    [total] = [r for r in result.tables["unit_totals"] if r["source_table"] == "B01"]
    assert total["indicator_code"] == "criteria_met_sum"
    marks = result.tables["commune_criterion_marks"]
    assert len(marks) == 19 * len(communes)  # B01's criterion columns, one row per commune x criterion
    assert total["reported_value"] == sum(m["is_met"] for m in marks)


def test_years_going_backwards_reject_the_row(make_workbook, units):
    def backwards(book):
        sheet = book["B01_TieuChiXa"]
        sheet["X6"].value = "NTM nâng cao"
        sheet["Y6"].value = 2022
        sheet["Z6"].value = 2020

    result = read_workbook(make_workbook(backwards), units)
    assert any(r.row_number == 6 and "years go backwards" in r.reason for r in result.rejections)


def test_a_count_no_workbook_holds_rejects_its_total_or_target_naming_the_cell(make_workbook, units):
    """A TongHop total of 2³¹ 3★ products once broke a dbt cast for every district (make fuzz found it)."""

    def impossible(book):
        for row in book["TongHop"].iter_rows():
            if row[0].value == "Số sản phẩm OCOP 3 sao":
                row[1].value = 2**31
        book["B06_KeHoach"]["B2"].value = 5_000_000  # the first target's plan: 5 million communes

    result = read_workbook(make_workbook(impossible), units)
    totals = {r["indicator_code"] for r in result.tables["unit_totals"] if r["source_table"] == "TongHop"}
    assert "ocop_3_star" not in totals and "ocop_4_star" in totals
    reasons = {(r.sheet, r.column_name): r.reason for r in result.rejections}
    assert "is not a count any workbook holds" in reasons[("TongHop", "Số sản phẩm OCOP 3 sao (B)")]
    assert any(sheet == "B06_KeHoach" and "not a plausible count" in reason for (sheet, _), reason in reasons.items())


def test_a_name_longer_than_a_name_can_be_rejects_the_row_naming_the_cell(make_workbook, units):
    """A 100,000-character product name (a paste gone wrong) is not read and published whole: its row is refused,
    the cell named, and the rejection records the start of what was written, not all of it."""
    path = make_workbook(lambda book: setattr(book["B04_OCOP"]["C4"], "value", "Miến dong " * 10_000))
    result = read_workbook(path, units)
    [rejection] = result.rejections
    assert (rejection.sheet, rejection.row_number, rejection.column_name) == ("B04_OCOP", 4, "Tên sản phẩm (C)")
    assert "characters, more than the 500" in rejection.reason  # Excel kept 32,767 of them
    assert len(rejection.value) <= 121 and rejection.value.startswith("Miến dong Miến dong")
    assert all(len(row["product_name"]) <= 500 for row in result.tables["ocop_products"])
    from publishing.feedback import ROW_REASONS, _wording

    _, what, action = _wording(ROW_REASONS, rejection.reason, rejection.value, "C4")
    assert what == "Nội dung ô quá dài (quá 500 ký tự)" and "ô C4" in action  # the unit is told in Vietnamese
