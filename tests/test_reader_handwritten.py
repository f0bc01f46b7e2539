"""The reader on workbooks written by hand with openpyxl, from the spec alone (../shared/spec/district-workbook.md).

Neither the template declaration (ingestion/template.py) nor the sample writer is used to build them: a
misunderstanding of the spec shared by the reader and the writer cannot pass these tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from ingestion.reader import WorkbookRejected, read_workbook

# Pác Nặm (060), Bắc Kạn (06): two of its communes in the official list.
BANG_THANH, NHAN_MON = ("01858", "Xã Bằng Thành"), ("01861", "Xã Nhạn Môn")


def handwritten(path: Path, *, names: dict[str, str] | None = None, title_rows: int = 1, stars_label: str = "Số sao",
                stars: object = 3, drop: tuple[str, ...] = ()) -> Path:  # fmt: skip
    """A district workbook as a clerk fills the template by hand: the spec's sheets, labels and layout."""
    names = {"cover": "ThongTinChung", "b01": "B01_TieuChiXa", "b04": "B04_OCOP", "b05": "B05_NguonVon",
             "totals": "TongHop", **(names or {})}  # fmt: skip
    book = openpyxl.Workbook()
    book.remove(book.active)

    cover = book.create_sheet(names["cover"])
    cover.append(["THÔNG TIN CHUNG"])
    cover.append([])
    for row in (("Mã tỉnh", "06"), ("Tỉnh", "Bắc Kạn"), ("Mã huyện", "060"), ("Huyện", "Pác Nặm"),
                ("Kỳ báo cáo", "tháng 12 năm 2023"), ("Ngày lập", dt.datetime(2023, 12, 20))):  # fmt: skip
        cover.append(row)

    b01 = book.create_sheet(names["b01"])
    for _ in range(title_rows):
        b01.append(["BIỂU 01: KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ XÃ NTM"])
    tail = ["Số tiêu chí đạt", "Mức đạt chuẩn", "Năm đạt chuẩn NTM", "Năm đạt NTM nâng cao", "Năm đạt NTM kiểu mẫu",
            "Duy trì", "Ghi chú"]  # fmt: skip
    header = title_rows + 1
    b01.append(["STT", "Mã xã", "Tên xã", "Tiêu chí", *[None] * 18, *tail])
    b01.merge_cells(start_row=header, start_column=4, end_row=header, end_column=22)
    b01.append([None, None, None, *range(1, 20)])
    b01.append([1, BANG_THANH[0], BANG_THANH[1], *["x"] * 19, 19, "NTM", 2019, None, None, "Có"])
    b01.append([2, None, "nhạn môn", *(["Đạt"] * 7 + ["Chưa đạt"] * 12), 7, "Chưa đạt"])  # found by name
    b01.append([None, None, "Tổng cộng", *[None] * 19, 26])

    b04 = book.create_sheet(names["b04"])
    b04.append(["BIỂU 04: SẢN PHẨM OCOP"])
    b04.append(["STT", "Tên sản phẩm", "Chủ thể", stars_label, "Ngày quyết định", "Mã xã"])
    b04.append([1, "Miến dong Bằng Thành", "HTX Bằng Thành", stars, dt.datetime(2023, 5, 4), BANG_THANH[0]])

    if "b05" not in drop:
        b05 = book.create_sheet(names["b05"])
        b05.append(["Nguồn vốn", "Năm kế hoạch", "Kế hoạch vốn giao", "Giải ngân lũy kế"])
        b05.append(["Ngân sách tỉnh", 2023, 1500, "1.234,5"])  # typed as text, Vietnamese style

    totals = book.create_sheet(names["totals"])
    totals.append(["Tổng số xã", 2])
    totals.append(["Số sản phẩm OCOP 3 sao", 1])
    book.save(path)
    return path


def test_a_handwritten_workbook_is_read_to_the_spec(tmp_path, units):
    result = read_workbook(handwritten(tmp_path / "pac-nam.xlsx"), units)
    assert (result.cover.province_code, result.cover.district_code) == ("06", "060")
    assert result.cover.period_month == dt.date(2023, 12, 1)
    assert result.rejections == []
    communes = {r["commune_code"]: r for r in result.tables["commune_criteria"]}
    assert set(communes) == {BANG_THANH[0], NHAN_MON[0]}
    marks = result.tables["commune_criterion_marks"]
    assert sorted(m["criterion_number"] for m in marks if m["commune_code"] == BANG_THANH[0]) == list(range(1, 20))
    assert sum(m["is_met"] for m in marks if m["commune_code"] == BANG_THANH[0]) == 19
    assert sum(m["is_met"] for m in marks if m["commune_code"] == NHAN_MON[0]) == 7
    assert (communes[BANG_THANH[0]]["level_code"], communes[BANG_THANH[0]]["year_ntm"]) == ("ntm", 2019)
    assert communes[NHAN_MON[0]]["level_code"] == "not_yet"
    [product] = result.tables["ocop_products"]
    assert (product["stars"], product["decision_date"], product["commune_code"]) == (3, dt.date(2023, 5, 4), "01858")
    assert product["expiry_date"] == dt.date(2026, 5, 4) and product["expiry_defaulted"]  # 36 months
    [fund] = result.tables["fund_positions"]
    assert (fund["fund_source_code"], fund["allocated_mil_vnd"], fund["disbursed_mil_vnd"]) == (
        "provincial",
        1500,
        1234.5,
    )
    totals = {(t["source_table"], t["indicator_code"]): t["reported_value"] for t in result.tables["unit_totals"]}
    assert totals == {
        ("B01", "criteria_met_sum"): 26,
        ("TongHop", "communes_total"): 2,
        ("TongHop", "ocop_3_star"): 1,
    }


def test_sheet_names_spelled_otherwise_and_a_header_lower_down(tmp_path, units):
    names = {"cover": "Thông tin chung", "b01": "b01 - tiêu chí xã", "b04": "B04.OCOP", "totals": "TỔNG HỢP"}
    result = read_workbook(handwritten(tmp_path / "x.xlsx", names=names, title_rows=4), units)
    assert len(result.tables["commune_criteria"]) == 2 and result.rejections == []


def test_a_label_alias_and_stars_written_in_words(tmp_path, units):
    result = read_workbook(handwritten(tmp_path / "x.xlsx", stars_label="Hạng sao", stars="4 sao"), units)
    assert [p["stars"] for p in result.tables["ocop_products"]] == [4]


def test_a_workbook_without_its_funds_sheet_is_rejected_naming_it(tmp_path, units):
    with pytest.raises(WorkbookRejected, match="required sheet\\(s\\) missing: B05_NguonVon"):
        read_workbook(handwritten(tmp_path / "x.xlsx", drop=("b05",)), units)


def test_a_one_star_product_is_rejected_naming_its_cell(tmp_path, units):
    result = read_workbook(handwritten(tmp_path / "x.xlsx", stars=1), units)
    assert result.tables["ocop_products"] == []
    [rejection] = result.rejections
    assert (rejection.sheet, rejection.row_number, rejection.column_name) == ("B04_OCOP", 3, "Số sao (D)")
