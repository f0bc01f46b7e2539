"""The district workbook contract (../shared/spec/district-workbook.md), one test per tolerance
and per rejection, on workbooks built in the test. Readers of single workbooks are in
test_reader.py; this file covers the rest of the spec and the corruption robustness test.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import shutil
import unicodedata
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl
import pandas as pd
import pytest
import xlwt
from openpyxl.cell.cell import MergedCell
from python_calamine import CalamineWorkbook

from ingestion import pipeline, warehouse
from ingestion.landing import sha256_of
from ingestion.reader import WorkbookRejected, container, read_workbook
from tests.conftest import PERIOD

# --- helpers -------------------------------------------------------------------------------


def all_cells(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def to_xls(source: Path, target: Path) -> Path:
    """The same workbook as Excel 97-2003 .xls (what older offices send)."""
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for name, rows in all_cells(source).items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, date_style)
                elif value != "":
                    sheet.write(r, c, value)
    book.save(str(target))
    return target


def to_ods(source: Path, target: Path) -> Path:
    """The same workbook as OpenDocument .ods (what LibreOffice users send)."""
    with pd.ExcelWriter(target, engine="odf") as writer:
        for name, rows in all_cells(source).items():
            pd.DataFrame(rows).replace("", None).to_excel(writer, sheet_name=name, header=False, index=False)
    return target


def tables_of(path: Path, units) -> dict[str, list[dict]]:
    result = read_workbook(path, units)
    assert result.rejections == []
    return {k: [{c: v for c, v in row.items() if c != "sheet"} for row in rows] for k, rows in result.tables.items()}


def untouched(book) -> None:
    """A no-op mutation: the workbook still goes through openpyxl, which drops cached formula
    values (the B01 totals row), so it compares like for like with a mutated one."""


def header_cell(sheet, label):
    for row in sheet.iter_rows(max_row=10):
        for cell in row:
            if cell.value == label:
                return cell
    raise AssertionError(label)


# --- file formats ------------------------------------------------------------------------------


@pytest.mark.parametrize("convert", [to_xls, to_ods], ids=["xls", "ods"])
def test_xls_and_ods_read_like_the_xlsx(convert, make_workbook, units, tmp_path):
    xlsx = make_workbook()
    other = convert(xlsx, tmp_path / f"district{convert.__name__[2:].replace('_', '.')}")
    expected, got = tables_of(xlsx, units), tables_of(other, units)
    # The .xlsx B01 totals row holds a formula; converters keep its value, so compare the detail.
    for table in (
        "commune_criteria",
        "commune_indicators",
        "villages",
        "ocop_products",
        "fund_positions",
        "plan_targets",
    ):
        assert got[table] == expected[table], table


@pytest.mark.parametrize("misnamed", ["xlsx as .xls", "xls as .xlsx", "ods as .xlsx", "xlsx without a suffix"])
def test_a_workbook_is_read_as_what_its_content_is_whatever_its_name_says(misnamed, make_workbook, units, tmp_path):
    """The name is not trusted to identify anything: a workbook whose extension lies, or that has none, is read
    from its content like one named right."""
    xlsx = make_workbook()
    made = {
        "xlsx as .xls": lambda: xlsx,
        "xls as .xlsx": lambda: to_xls(xlsx, tmp_path / "real.xls"),
        "ods as .xlsx": lambda: to_ods(xlsx, tmp_path / "real.ods"),
        "xlsx without a suffix": lambda: xlsx,
    }[misnamed]()
    name = {"xlsx as .xls": "district.xls", "xlsx without a suffix": "district"}.get(misnamed, "district.xlsx")
    lying = tmp_path / "sent" / name
    lying.parent.mkdir()
    lying.write_bytes(made.read_bytes())
    expected, got = tables_of(made, units), tables_of(lying, units)
    assert got == expected and got["commune_criteria"]


# --- tolerances ---------------------------------------------------------------------------------


def test_two_row_header_with_merged_title_and_criteria_cells(make_workbook, units):
    path = make_workbook()
    merged = openpyxl.load_workbook(path)["B01_TieuChiXa"].merged_cells.ranges
    assert any(str(r) == "D4:V4" for r in merged)  # "Tiêu chí" merged over the 19 criteria
    assert any(str(r).startswith("A1:") for r in merged)  # the title row
    assert len(read_workbook(path, units).tables["commune_criteria"]) == 10


def test_header_labels_with_line_breaks_spaces_other_case_and_nfd(make_workbook, units):
    def messy(book):
        sheet = book["B01_TieuChiXa"]
        header_cell(sheet, "Mức đạt chuẩn").value = "MỨC ĐẠT\nCHUẨN"
        header_cell(sheet, "Tên xã").value = unicodedata.normalize("NFD", "  tên   xã ")
        header_cell(sheet, "Năm đạt chuẩn NTM").value = "Năm đạt\nchuẩn NTM"
        header_cell(book["B04_OCOP"], "Số sao").value = unicodedata.normalize("NFD", "SỐ SAO")

    clean, result = read_workbook(make_workbook(untouched), units), read_workbook(make_workbook(messy), units)
    assert result.rejections == []
    assert result.tables["commune_criteria"] == clean.tables["commune_criteria"]
    assert result.tables["ocop_products"] == clean.tables["ocop_products"]


def test_blank_rows_and_blank_columns(make_workbook, units):
    def spread(book):
        sheet = book["B01_TieuChiXa"]
        sheet.insert_cols(4)  # a blank column between "Tên xã" and the criteria
        sheet.insert_rows(9, amount=2)  # blank rows among the communes
        book["B04_OCOP"].insert_rows(5)

    clean, result = read_workbook(make_workbook(untouched), units), read_workbook(make_workbook(spread), units)
    assert result.rejections == []
    strip = lambda rows: [{k: v for k, v in r.items() if k != "row_number"} for r in rows]  # noqa: E731
    assert strip(result.tables["commune_criteria"]) == strip(clean.tables["commune_criteria"])
    assert strip(result.tables["ocop_products"]) == strip(clean.tables["ocop_products"])
    assert result.tables["commune_criteria"][-1]["row_number"] == clean.tables["commune_criteria"][-1]["row_number"] + 2


def test_hidden_rows_and_hidden_sheets_are_read(make_workbook, units):
    def hide(book):
        book["B01_TieuChiXa"].row_dimensions[7].hidden = True
        book["B04_OCOP"].sheet_state = "hidden"
        book["B05_NguonVon"].sheet_state = "veryHidden"

    result = read_workbook(make_workbook(hide), units)
    assert 7 in [r["row_number"] for r in result.tables["commune_criteria"]]
    assert result.tables["ocop_products"] and result.tables["fund_positions"]


def test_sheet_order_does_not_matter(make_workbook, units):
    def shuffle(book):
        book.move_sheet("TongHop", offset=-(len(book.sheetnames) - 1))
        book.move_sheet("ThongTinChung", offset=len(book.sheetnames) - 1)

    assert read_workbook(make_workbook(shuffle), units).tables == read_workbook(make_workbook(untouched), units).tables


def test_totals_rows_of_detail_sheets_are_not_detail(make_workbook, units):
    def add_totals(book):
        sheet = book["B04_OCOP"]
        sheet.cell(row=sheet.max_row + 1, column=3, value="Cộng")
        sheet.cell(row=sheet.max_row, column=9, value=99)

    clean, result = (
        read_workbook(make_workbook(untouched), units),
        read_workbook(make_workbook(add_totals), units),
    )
    assert result.rejections == []
    assert len(result.tables["ocop_products"]) == len(clean.tables["ocop_products"])
    b05_totals = {r["indicator_code"] for r in result.tables["unit_totals"] if r["source_table"] == "B05"}
    assert b05_totals == {"fund_allocated_mil_vnd", "fund_disbursed_mil_vnd"}


def test_numbers_as_text_in_vietnamese_and_english_notation_with_percent(make_workbook, units):
    def as_text(book):
        sheet = book["B05_NguonVon"]
        sheet["D4"].value, sheet["E4"].value, sheet["F4"].value = "1.234,5", "1,000.0", "81,0%"

    [first, *_] = read_workbook(make_workbook(as_text), units).tables["fund_positions"]
    assert (first["allocated_mil_vnd"], first["disbursed_mil_vnd"], first["disbursement_pct_reported"]) == (
        1234.5,
        1000.0,
        81.0,
    )


def test_dates_as_excel_dates_serial_numbers_and_text(make_workbook, units):
    def dates(book):
        sheet = book["B04_OCOP"]
        sheet["L4"].value = dt.datetime(2022, 3, 15)
        sheet["L5"].value = (dt.date(2022, 3, 15) - dt.date(1899, 12, 30)).days  # serial 44635
        sheet["L6"].value = "15/03/2022"
        for cell in ("M4", "M5", "M6"):
            sheet[cell].value = None

    products = read_workbook(make_workbook(dates), units).tables["ocop_products"][:3]
    assert [p["decision_date"] for p in products] == [dt.date(2022, 3, 15)] * 3
    assert [p["expiry_date"] for p in products] == [dt.date(2025, 3, 15)] * 3


def test_cover_period_as_a_date_anywhere_in_the_month(make_workbook, units):
    def period(book):
        for row in book["ThongTinChung"].iter_rows():
            if row[0].value == "Kỳ báo cáo":
                row[1].value = dt.datetime(2023, 12, 17)

    assert read_workbook(make_workbook(period), units).cover.period_month == dt.date(2023, 12, 1)


def test_commune_names_with_diacritics_resolve_and_without_them_when_ambiguous_are_rejected(make_workbook, units):
    """Trấn Yên has Xã Minh Quán (04516) and Xã Minh Quân (04567): "Minh Quan" could be either."""

    def names(book):
        sheet = book["B01_TieuChiXa"]
        rows = {sheet.cell(row=r, column=2).value: r for r in range(6, sheet.max_row + 1)}
        sheet.cell(row=rows["04567"], column=2).value = None
        sheet.cell(row=rows["04567"], column=3).value = unicodedata.normalize("NFD", "xã minh quân")
        sheet.cell(row=rows["04516"], column=2).value = None
        sheet.cell(row=rows["04516"], column=3).value = "XA MINH QUAN"

    result = read_workbook(make_workbook(names, district_code="138"), units)
    assert "04567" in {r["commune_code"] for r in result.tables["commune_criteria"]}
    [rejection] = result.rejections
    assert rejection.value == "XA MINH QUAN" and rejection.column_name == "Tên xã (C)"
    assert "matches several communes" in rejection.reason and "Xã Minh Quân" in rejection.reason


# --- rejections of whole workbooks ------------------------------------------------------------------


def test_empty_file_is_rejected(tmp_path, units):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(WorkbookRejected, match="empty"):
        read_workbook(path, units)


def test_password_protected_workbook_is_rejected(make_workbook, units, tmp_path):
    encrypted = tmp_path / "locked.xlsx"
    with make_workbook().open("rb") as plain, encrypted.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("matkhau", out)
    with pytest.raises(WorkbookRejected, match="password-protected"):
        read_workbook(encrypted, units)


def _with_filepass(xls: Path, target: Path, encryption_type: int) -> Path:
    """`xls` with a FILEPASS record after its globals' BOF, as Excel writes a workbook with a password to open:
    type 0 is XOR obfuscation, 1 RC4 (the rest of the stream is left as it is: the record alone says encrypted)."""
    import struct

    from xlwt import CompoundDoc

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in all_cells(xls).items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value != "" and not isinstance(value, dt.date):
                    sheet.write(r, c, value)
    data = book.get_biff_data()
    _, bof_size = struct.unpack("<HH", data[:4])
    payload = (
        struct.pack("<HHH", 0, 0x1234, 0x5678) if encryption_type == 0 else struct.pack("<HHH", 1, 1, 1) + bytes(48)
    )
    record = struct.pack("<HH", 0x002F, len(payload)) + payload
    CompoundDoc.XlsDoc().save(str(target), data[: 4 + bof_size] + record + data[4 + bof_size :])
    return target


def _encrypted_ods(source: Path, target: Path) -> Path:
    """An .ods saved with a password: its manifest names the encryption of each part (LibreOffice's form)."""
    with zipfile.ZipFile(source) as plain, zipfile.ZipFile(target, "w") as out:
        for info in plain.infolist():
            data = plain.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(
                    b'manifest:full-path="content.xml"',
                    b'manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1"/'
                    b'></manifest:file-entry><manifest:file-entry manifest:full-path="x"',
                    1,
                )
            out.writestr(info, data)
    return target


@pytest.mark.parametrize("kind", ["xls, XOR obfuscation", "xls, RC4", "ods"])
def test_every_kind_of_password_protected_workbook_is_rejected_as_such(kind, make_workbook, units, tmp_path):
    """Not only .xlsx: an .xls with a password (RC4, or the old XOR obfuscation, where calamine's own message is
    a codepage or record error) and an .ods with one get the same reason, whatever the name says."""
    xlsx = make_workbook()
    if kind == "ods":
        locked = _encrypted_ods(to_ods(xlsx, tmp_path / "plain.ods"), tmp_path / "locked.xlsx")
    else:
        locked = _with_filepass(to_xls(xlsx, tmp_path / "plain.xls"), tmp_path / "locked.xls", kind.endswith("RC4"))
    with pytest.raises(WorkbookRejected, match="password-protected") as rejected:
        read_workbook(locked, units)
    assert rejected.value.reason == (
        "the workbook is password-protected (encrypted); ask the unit to send it without a password"
    )


def _docx(target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as out:
        out.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        out.writestr("word/document.xml", "<document/>")
    return target


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n...", "the file is not a workbook: it is a PDF document"),
        (b"<!DOCTYPE html><html><table></table></html>", "the file is not a workbook: it is a web page"),
        (b"Ma xa;Tieu chi\n02020;1\n", "the file is not a workbook: it is text or data of an unknown kind"),
        ("docx", "the file is not a workbook: it is a Word document"),
        ("zip", "the file is not a workbook: it is a zip archive of other files"),
        ("cut", "the file is a damaged workbook"),
        ("ole", "the file is a damaged workbook (its .xls structure cannot be read)"),
    ],
)
def test_a_file_that_is_not_a_readable_workbook_is_told_what_it_is_in_words_not_parser_text(
    content, expected, make_workbook, units, tmp_path
):
    path = tmp_path / "BC T12 2023.xlsx"
    if content == "docx":
        _docx(path)
    elif content == "zip":
        with zipfile.ZipFile(path, "w") as out:
            out.writestr("anh-chup.txt", "bảng số liệu")
    elif content == "cut":
        data = make_workbook().read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif content == "ole":
        path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(600))
    else:
        path.write_bytes(content)
    with pytest.raises(WorkbookRejected) as rejected:
        read_workbook(path, units)
    reason = rejected.value.reason
    assert reason.startswith(expected), reason
    assert reason.endswith(("ask the unit to send the report's workbook", "save it again in Excel (.xlsx) and send it"))


def test_file_over_50_mb_is_rejected(make_workbook, units, monkeypatch):
    path = make_workbook()
    monkeypatch.setattr(container, "MAX_FILE_BYTES", path.stat().st_size - 1)
    with pytest.raises(WorkbookRejected, match="over the 50 MB limit"):
        read_workbook(path, units)


def test_sheet_over_200000_rows_is_rejected(make_workbook, units, monkeypatch):
    monkeypatch.setattr(container, "MAX_SHEET_ROWS", 15)
    with pytest.raises(WorkbookRejected, match="rows, over the 15 limit"):
        read_workbook(make_workbook(), units)


def test_zip_bomb_is_rejected(make_workbook, units, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    shutil.copy(make_workbook(), bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(WorkbookRejected, match="over 100 times its size"):
        read_workbook(bomb, units)


def test_cover_missing_a_required_label_rejects_the_workbook(make_workbook, units):
    def drop(book):
        for row in book["ThongTinChung"].iter_rows():
            if row[0].value == "Mã huyện":
                row[0].value = row[1].value = None

    with pytest.raises(WorkbookRejected, match="lacks Mã huyện"):
        read_workbook(make_workbook(drop), units)


def test_unknown_province_code_rejects_the_workbook(make_workbook, units):
    def wrong(book):
        for row in book["ThongTinChung"].iter_rows():
            if row[0].value == "Mã tỉnh":
                row[1].value = "99"

    with pytest.raises(WorkbookRejected, match="'99' is not a province code"):
        read_workbook(make_workbook(wrong), units)


# --- rejections of rows -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "column", "reason"),
    [
        ("B04_OCOP", "J4", 95, "Điểm (J)", "does not match"),
        ("B04_OCOP", "L4", "32/13/2023", "Ngày quyết định (L)", "not a real date"),
        ("B04_OCOP", "E4", "Liên hiệp", "Loại hình chủ thể (E)", "not a known producer type"),
        ("B05_NguonVon", "D4", "một tỷ", "Kế hoạch vốn giao (D)", "not a number"),
        ("B05_NguonVon", "B4", "Vốn vay nước ngoài", "Nguồn vốn (B)", "not a known fund source"),
        ("B06_KeHoach", "A2", "XA_MOI", "Chỉ tiêu (A)", "not a known plan target code"),
        ("B02_ChiTieu", "C4", "17", "Mã chỉ tiêu (C)", "not an indicator code"),
        ("B03_ThonBan", "E4", "Nâng cao", "Mức đạt chuẩn (E)", "not a known village level"),
        ("B01_TieuChiXa", "Y6", "202", "Năm đạt chuẩn NTM (Y)", "not a 4-digit year"),
        ("B01_TieuChiXa", "X6", "Gần đạt", "Mức đạt chuẩn (X)", "not a known level"),
    ],
)
def test_a_bad_cell_rejects_its_row_naming_sheet_row_and_column(
    make_workbook, units, sheet, cell, value, column, reason
):
    def bad(book):
        book[sheet][cell].value = value

    clean, result = read_workbook(make_workbook(untouched), units), read_workbook(make_workbook(bad), units)
    rejected = [r for r in result.rejections if r.column_name == column]
    assert rejected, result.rejections
    assert rejected[0].sheet == sheet and rejected[0].row_number == int(cell[1:])
    assert reason in rejected[0].reason
    assert rejected[0].value == str(value)
    # Only that row is lost (for a commune row of B01, with the 19 criterion marks it carries).
    lost = {t: len(clean.tables[t]) - len(rows) for t, rows in result.tables.items()}
    lost = {t: n for t, n in lost.items() if n}
    expected = {"commune_criteria": 1, "commune_criterion_marks": 19} if sheet == "B01_TieuChiXa" else None
    assert lost == expected or (expected is None and list(lost.values()) == [1])


def test_a_level_without_its_year_rejects_the_row(make_workbook, units):
    def no_year(book):
        sheet = book["B01_TieuChiXa"]
        sheet["X6"].value, sheet["Y6"].value = "NTM", None

    [rejection] = read_workbook(make_workbook(no_year), units).rejections
    assert (rejection.row_number, rejection.column_name) == (6, "Năm đạt chuẩn NTM (Y)")


def test_criteria_row_for_a_town_is_rejected(make_workbook, units):
    """NTM criteria apply to xã only: a thị trấn in B01 is rejected, not counted."""
    town = next(c for c in units.at(PERIOD).districts["061"].communes if c.unit_type == "Thị trấn")  # Ba Bể: Chợ Rã
    path = make_workbook(lambda book: setattr(book["B01_TieuChiXa"]["B6"], "value", town.code), district_code="061")
    [rejection] = read_workbook(path, units).rejections
    assert (rejection.row_number, rejection.value) == (6, town.code)
    assert "apply to xã only" in rejection.reason


# --- the inbox: several months, resubmissions, nothing lost ---------------------------------------------


@pytest.fixture
def con(tmp_path):
    connection = warehouse.connect(str(tmp_path / "w.duckdb"))
    yield connection
    connection.close()


def set_cover(book, **labels):
    for row in book["ThongTinChung"].iter_rows():
        if row[0].value in labels:
            row[1].value = labels[row[0].value]


def test_several_months_and_provinces_in_one_inbox(con, tmp_path, make_workbook, units):
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    shutil.copy(make_workbook(name="a.xlsx"), inbox / "pac_nam_12.xlsx")
    shutil.copy(
        make_workbook(lambda b: set_cover(b, **{"Kỳ báo cáo": "11/2023"}), name="b.xlsx"), inbox / "pac_nam_11.xlsx"
    )
    shutil.copy(make_workbook(name="c.xlsx", district_code="138"), inbox / "tran_yen_12.xlsx")
    pipeline.receive_inbox(con, inbox, landing)
    summary = pipeline.load_received(con)
    assert len(summary.loaded) == 3
    months = con.execute(
        "select province_code, district_code, period_month, count(*) from raw.commune_criteria "
        "group by all order by all"
    ).fetchall()
    assert [(p, d, m) for p, d, m, _ in months] == [
        ("06", "060", dt.date(2023, 11, 1)),
        ("06", "060", dt.date(2023, 12, 1)),
        ("15", "138", dt.date(2023, 12, 1)),
    ]


def test_a_later_file_with_an_earlier_report_date_does_not_replace_the_newer_one(con, tmp_path, make_workbook, units):
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    newer = make_workbook(lambda b: set_cover(b, **{"Ngày lập": dt.datetime(2023, 12, 28)}), name="newer.xlsx", seed=1)
    older = make_workbook(lambda b: set_cover(b, **{"Ngày lập": dt.datetime(2023, 12, 2)}), name="older.xlsx", seed=2)
    shutil.copy(newer, inbox / newer.name)
    pipeline.receive_inbox(con, inbox, landing)
    pipeline.load_received(con)
    shutil.copy(older, inbox / older.name)  # arrives later, but was prepared earlier
    pipeline.receive_inbox(con, inbox, landing)
    pipeline.load_received(con)
    statuses = dict(con.execute("select file_name, status from audit.received_files").fetchall())
    assert statuses == {"newer.xlsx": "loaded", "older.xlsx": "superseded"}
    assert con.execute("select distinct file_sha256 from raw.ocop_products").fetchall() == [(sha256_of(newer),)]


def test_same_report_date_the_later_received_wins(con, tmp_path, make_workbook, units):
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    first, second = make_workbook(name="1.xlsx", seed=1), make_workbook(name="2.xlsx", seed=2)
    shutil.copy(first, inbox / first.name)
    pipeline.receive_inbox(con, inbox, landing)
    pipeline.load_received(con)
    shutil.copy(second, inbox / second.name)
    pipeline.receive_inbox(con, inbox, landing)
    pipeline.load_received(con)
    statuses = dict(con.execute("select file_name, status from audit.received_files").fetchall())
    assert statuses == {"1.xlsx": "superseded", "2.xlsx": "loaded"}


# --- robustness: random corruptions never crash the run, and nothing is lost ------------------------------

JUNK = ["", "???", -1, 1e12, "Đạt?", "#REF!", "=1/0", dt.datetime(1900, 1, 1), "★", "x" * 300, "0,0,0", None]


DISTRICT_ERA_MONTHS = 186  # 01/2010-06/2025: the months a district (template 2024.1) reports


def _for_month(book, month: int) -> None:
    """The cover set to another reporting month, so no two corrupted copies supersede each other."""
    assert month < DISTRICT_ERA_MONTHS
    set_cover(book, **{"Kỳ báo cáo": f"{month % 12 + 1:02d}/{2010 + month // 12}"})


def _saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def corrupt(base: bytes, month: int, rng: random.Random) -> tuple[str, bytes]:
    """A copy of the workbook for `month`, damaged in one way: its bytes (truncated, flipped) or its cells and rows
    (the workbook opened and saved once for both the month and the damage)."""
    kind = rng.choice(["cell", "cell", "cell", "rows", "truncate", "flip"])
    book = openpyxl.load_workbook(io.BytesIO(base))
    _for_month(book, month)
    if kind == "truncate":
        data = _saved(book)
        return kind, data[: rng.randrange(0, len(data))]
    if kind == "flip":
        data = bytearray(_saved(book))
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] ^= rng.randrange(1, 256)
        return kind, bytes(data)
    sheet = book[rng.choice(book.sheetnames)]
    if kind == "cell":
        for _ in range(rng.randint(1, 3)):
            cell = sheet.cell(row=rng.randint(1, sheet.max_row + 2), column=rng.randint(1, sheet.max_column + 1))
            if not isinstance(cell, MergedCell):
                cell.value = rng.choice(JUNK)
    else:
        sheet.delete_rows(rng.randint(1, max(sheet.max_row, 1)), amount=rng.randint(1, 3))
    return kind, _saved(book)


# Corrupted copies read by the next test: 90 in `make test` (about 19 s on 2 cores, of its 5-minute budget);
# NTM_CORRUPTIONS=300 for more, and `make fuzz` mutates 1,000 workbooks in 19 more ways (tests/fuzz/). The
# thresholds below scale with the count.
CORRUPTIONS = int(os.environ.get("NTM_CORRUPTIONS", "90"))


def test_hundreds_of_corruptions_never_crash_and_lose_nothing(con, tmp_path, make_workbook, units):
    rng = random.Random(20231201)
    # Two districts of Bắc Kạn, so that every copy has a district-month of its own.
    bases = [make_workbook(name=f"{code}.xlsx", district_code=code).read_bytes() for code in ("060", "061")]
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    kinds = {}
    for i in range(CORRUPTIONS):
        kind, data = corrupt(bases[i // DISTRICT_ERA_MONTHS], i % DISTRICT_ERA_MONTHS, rng)
        name = f"corrupt-{i:03d}-{kind}.xlsx"
        (inbox / name).write_bytes(data)
        kinds[name] = kind

    received = pipeline.receive_inbox(con, inbox, landing)
    summary = pipeline.load_received(con)  # must not raise

    files = con.execute("select file_name, file_sha256, status, status_reason from audit.received_files").fetchall()
    distinct = {sha256_of(p) for p in inbox.iterdir()}
    assert received.received == len(distinct) == len(files)
    assert {p.name.split(".")[0] for p in landing.iterdir()} == distinct  # every received file is kept
    assert {status for *_, status, _ in files} <= {"loaded", "rejected"}  # one file per month: none superseded
    rejected = {name: reason for name, _, status, reason in files if status == "rejected"}
    assert all(rejected.values()) and set(rejected) == set(summary.rejected)
    assert con.execute("select count(*) from audit.rejected_files").fetchone()[0] == len(rejected)
    # Damaged bytes are rejected; most cell and row corruptions still load, losing only their bad rows.
    assert {kinds[n] for n in rejected} >= {"truncate", "flip"}
    loaded_kinds = [kinds[name] for name, _, status, _ in files if status == "loaded"]
    # a cell corruption is one in two, a row corruption one in six (corrupt() above)
    assert loaded_kinds.count("cell") > CORRUPTIONS / 3 and loaded_kinds.count("rows") > CORRUPTIONS / 15
    rows_rejected, files_with_rows = con.execute(
        "select count(*), count(distinct file_sha256) from audit.rejected_rows"
    ).fetchone()
    print(f"\n{CORRUPTIONS} corruptions: {len(files) - len(rejected)} loaded, {len(rejected)} rejected; "
          f"{rows_rejected} rows rejected across {files_with_rows} files")  # fmt: skip
    assert con.execute("select count(distinct file_sha256) from audit.rejected_rows").fetchone()[0] > CORRUPTIONS / 10
    # A file that loaded kept every commune row of B01, either loaded or rejected with a reason.
    for name, sha, status, _ in files:
        if status == "loaded" and kinds[name] == "cell":
            loaded = con.execute("select count(*) from raw.commune_criteria where file_sha256 = ?", [sha]).fetchone()[0]
            rejected_rows = con.execute(
                "select count(distinct row_number) from audit.rejected_rows "
                "where file_sha256 = ? and sheet = 'B01_TieuChiXa'",
                [sha],
            ).fetchone()[0]
            # Junk cannot make a commune row vanish (it would have to blank the whole row or read "Tổng");
            # junk written below the table adds a rejected row, hence >=.
            assert loaded + rejected_rows >= 10, name


def test_an_unreadable_optional_sheet_is_skipped_with_a_rejection_and_the_rest_loads(make_workbook, units):
    def break_b06(book):
        book["B06_KeHoach"]["A1"].value = "Ghi chú"  # its header is gone

    result = read_workbook(make_workbook(break_b06), units)
    assert result.tables["plan_targets"] == []
    assert len(result.tables["commune_criteria"]) == 10 and result.tables["ocop_products"]
    [rejection] = result.rejections
    assert rejection.sheet == "B06_KeHoach" and rejection.row_number is None
    assert "no header row" in rejection.reason and "the sheet was not loaded" in rejection.reason


def test_a_commune_code_absent_from_the_list_is_kept_as_written_with_a_note(make_workbook, units):
    """The list is a 2025 snapshot: a commune merged away earlier is kept, not dropped (a bad name is rejected)."""

    def old_commune(book):
        book["B01_TieuChiXa"]["B6"].value, book["B01_TieuChiXa"]["C6"].value = "01851", "Xã Cũ"
        book["B01_TieuChiXa"]["B7"].value = "12AB"

    result = read_workbook(make_workbook(old_commune), units)
    assert result.tables["commune_criteria"][0]["commune_code"] == "01851"
    assert any("01851" in note and "not in the official list" in note for note in result.notes)
    [rejection] = result.rejections
    assert (rejection.row_number, rejection.value) == (7, "12AB") and "not a 5-digit GSO code" in rejection.reason
