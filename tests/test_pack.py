"""The briefing pack's rendering: Vietnamese notation, and no formula can hide in a workbook cell."""

from __future__ import annotations

import datetime as dt

import docx
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from publishing import pack


@given(st.text())
def test_excel_text_never_starts_a_formula(value):
    escaped = pack.excel_text(value)
    assert not escaped.startswith(pack.FORMULA_STARTS)
    assert escaped.removeprefix("'") == value or escaped == value


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","bấm")', "+1+1", "-2+3", "@SUM(A1)"])
def test_formula_like_text_is_escaped_with_an_apostrophe(value):
    assert pack.excel_text(value) == "'" + value


def _data(**changes) -> pack.PackData:
    figures = dict(
        province_code="06", period_month=dt.date(2023, 12, 1), districts_expected=2, districts_reported=1,
        communes_total=1234, communes_ntm=617, communes_ntm_advanced=10, communes_ntm_model=1,
        communes_ntm_new_in_year=5, communes_ntm_advanced_new_in_year=2, communes_ntm_model_new_in_year=0,
        plan_communes_ntm=17, plan_communes_ntm_advanced=6, plan_communes_ntm_model=0, pct_plan_communes_ntm=29.4,
        avg_criteria_met=12.81, communes_19_criteria=29, communes_15_18_criteria=5, communes_10_14_criteria=33,
        communes_5_9_criteria=28, communes_under_5_criteria=0, communes_not_maintaining=3, villages_ntm=1,
        villages_model=0, ocop_products=218, ocop_3_star=199, ocop_4_star=18, ocop_5_star=1, ocop_new_in_year=46,
        plan_ocop=58, pct_plan_ocop=79.3, ocop_expired_not_recertified=6, ocop_exported=5,
        fund_allocated_mil_vnd=1234567.8, fund_disbursed_mil_vnd=154933.2, fund_disbursement_pct=12.55,
        fund_budget_allocated_mil_vnd=234567.8, fund_budget_disbursed_mil_vnd=54933.2,
        fund_budget_disbursement_pct=23.42, criteria_set_code="ntm-xa-2021-2025", criteria_in_set=19,
        communes_all_criteria=29, validation_status="warning", pct_communes_ntm=50.0,
        pct_plan_communes_ntm_advanced=33.3,
    )  # fmt: skip
    district = {"district_name": "=HYPERLINK(\"http://x\")", "validation_status": "warning",
                **{c: 1 for c in pack.DISTRICT_MEASURES}}  # fmt: skip
    data = pack.PackData(
        province_code="06", province_name="Tỉnh Bắc Kạn", period_month=dt.date(2023, 12, 1), figures=figures,
        districts=[district], missing_districts=["Na Rì"],
        hardest=[{"criterion_number": 13, "criterion_name_vi": "@Tổ chức sản xuất", "communes_not_meeting": 40,
                  "share_not_meeting_pct": 42.1, "hardest_rank": 1}],
        funds=[{"fund_source_name_vi": "-Ngân sách trung ương", "plan_year": 2023, "allocated_mil_vnd": 1000.5,
                "disbursed_mil_vnd": 500.25, "disbursement_pct": 50.0}],
        warnings=[{"district_name": "Ba Bể", "suite": "reference_integrity", "check_name": "commune_in_reference_list",
                   "severity": "warning", "details": "+cmd|' /C calc'!A0"}],
        published_at=dt.datetime(2023, 12, 25, 6, 0), run_id="r1",
        sets_in_force=["commune", "commune_advanced", "district"],  # 12/2023 (dim_criteria_set)
    )  # fmt: skip
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_headline_numbers_use_vietnamese_notation():
    sentences = pack.headline(_data())
    assert sentences[0].startswith("Lũy kế đến nay toàn tỉnh có 617 xã đạt chuẩn NTM (50,0 % tổng số 1.234 xã)")
    assert "bình quân cả tỉnh đạt 12,81 tiêu chí/xã" in sentences[0]
    # The rate read out is the state budget's, as provinces report it; all sources beside it.
    [funds] = [s for s in sentences if s.startswith("Vốn ngân sách nhà nước")]
    assert funds.startswith(
        "Vốn ngân sách nhà nước kế hoạch năm 2023: giao 234.567,8 triệu đồng, giải ngân 54.933,2 triệu đồng, "
        "đạt 23,42 %; tính cả vốn lồng ghép"
    )
    assert "giao 1.234.567,8 triệu đồng, giải ngân 154.933,2 triệu đồng, đạt 12,55 %" in funds
    assert "chưa duy trì đủ 19 tiêu chí" in sentences[2]
    assert "2 xã đạt chuẩn NTM nâng cao, đạt 33,3 % kế hoạch (6 xã)" in sentences[1]
    assert "chưa có xã đạt chuẩn NTM kiểu mẫu, chưa giao kế hoạch" in sentences[1]  # a zero said in words
    assert sentences[-1] == "Số huyện đã báo cáo: 1/2 (chưa báo cáo: Na Rì)."


def test_template_2024_2_sentences_read_as_the_briefings_and_say_what_is_missing():
    reported = dict(
        districts_expected=26, districts_ntm=12, districts_not_maintaining=7, districts_under_appraisal=1,
        plan_districts_ntm=None, communes_in_advanced_set=23, avg_advanced_criteria_met=7.6,
        communes_advanced_not_maintaining=28, communes_ntm_advanced=81, villages_mountain_ntm=700,
        model_residential_areas=1100, plan_model_residential_areas=150, ocop_dossiers=60, ocop_producers_in_dossiers=28,
        ocop_dossiers_new=44, ocop_dossiers_reevaluated=16, ocop_evaluated=71, ocop_dossiers_failed=11,
        plan_ocop_4_star=10, plan_ocop_5_star=1,
    )  # fmt: skip
    data = _data()
    data.figures = {**data.figures, **reported}
    data.advanced_bands = [
        {"band_code": "19", "min_criteria": 19, "max_criteria": 19, "communes": 4},
        {"band_code": "10-14", "min_criteria": 10, "max_criteria": 14, "communes": 1},
        {"band_code": "under 5", "min_criteria": 0, "max_criteria": 4, "communes": 9},
    ]
    data.dossier_results = [
        {"dossier_type": "reevaluation", "stars_proposed": 3, "products": 12},
        {"dossier_type": "new", "stars_proposed": 4, "products": 4},
        {"dossier_type": "new", "stars_proposed": 3, "products": 44},
    ]
    text = " ".join(pack.headline(data))
    assert (
        "Lũy kế đến nay toàn tỉnh có 12/26 đơn vị cấp huyện đạt chuẩn và hoàn thành nhiệm vụ xây dựng NTM; "
        "7/12 huyện không duy trì được tiêu chí huyện NTM; 1 đơn vị đang được thẩm định hồ sơ."
    ) in text
    assert (
        "Đối với tiêu chí NTM nâng cao, có 4 xã đạt 19 tiêu chí; 1 xã đạt 10 - 14 tiêu chí; 9 xã đạt dưới 5 "
        "tiêu chí; bình quân đạt 7,6 tiêu chí/xã; 28/81 xã không duy trì được tiêu chí NTM nâng cao."
    ) in text
    assert "1 thôn, bản đạt chuẩn NTM; 700 thôn/bản miền núi đạt chuẩn NTM; 1.100 khu dân cư kiểu mẫu đạt chuẩn" in text
    assert (
        "60 sản phẩm của 28 chủ thể làm hồ sơ OCOP; trong đó có 44 sản phẩm mới và 16 sản phẩm tham gia đánh giá "
        "và xếp hạng lại"
    ) in text
    assert (
        "12 sản phẩm đủ điều kiện cấp lại Giấy chứng nhận (12 sản phẩm 3 sao); 48 sản phẩm đủ điều kiện cấp sao "
        "(4 sản phẩm 4 sao và 44 sản phẩm 3 sao)"
    ) in text
    assert "Kế hoạch năm 2023: 10 sản phẩm OCOP 4 sao, 1 sản phẩm OCOP 5 sao." in text
    # a month where one district sent template 2024.2 and another 2024.1: none read out as 0, each said to be missing
    data = _data()
    reporting = {"districts_ntm": 1, "communes_in_advanced_set": 3, "ocop_dossiers": 5}
    data.districts = [{**data.districts[0], **reporting}, {**data.districts[0], "district_name": "Na Rì"}]
    text = " ".join(pack.headline(data))
    assert "Đơn vị cấp huyện đạt chuẩn NTM: chưa đủ số liệu: biểu B07_Huyen (mẫu 2024.2)" in text
    assert "Tiêu chí NTM nâng cao: chưa đủ số liệu" in text and "Hồ sơ, đánh giá sản phẩm OCOP: chưa đủ số liệu" in text
    assert "thôn/bản miền núi" not in text and "sản phẩm OCOP 4 sao" not in text
    # every district on template 2024.1: the sheets are not in use, nothing said of them
    text = " ".join(pack.headline(_data()))
    assert "chưa đủ số liệu" not in text and "Hồ sơ, đánh giá" not in text
    # a month before the advanced and district sets (2014): nothing to miss, nothing said
    data = _data(sets_in_force=["commune"])
    text = " ".join(pack.headline(data))
    assert "nâng cao: chưa đủ" not in text and "cấp huyện" not in text


def test_no_cell_of_the_workbook_starts_a_formula(tmp_path):
    path = pack.render_xlsx(_data(), tmp_path / "pack.xlsx")
    book = openpyxl.load_workbook(path)
    texts = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in texts if c.data_type == "f" or c.value.startswith(pack.FORMULA_STARTS)]
    values = {c.value for c in texts}
    assert {'\'=HYPERLINK("http://x")', "'@Tổ chức sản xuất", "'-Ngân sách trung ương", "'+cmd|' /C calc'!A0"} <= values
    assert book["Huyen"]["B2"].value == 1 and book["NguonVon"]["C2"].value == 1000.5  # numbers stay numbers


def test_a_warning_longer_than_a_cell_goes_on_in_the_rows_below_never_cut(tmp_path):
    """Excel holds 32,767 characters a cell: a warning naming more units than that goes on in the next rows, each
    marked "(tiếp)", cut between two units, so that the workbook names every unit the page names."""
    from publishing.pack.workbook import CELL_CHARACTERS, GOES_ON, cell_parts

    units = [f"xã Thử Nghiệm Số {n} (mã {n:05d}): 3 sản phẩm 3 sao theo danh sách, 4 ở TongHop" for n in range(900)]
    details = "; ".join(units)
    assert len(details) > 2 * CELL_CHARACTERS
    warning = {"district_name": "Ba Bể", "suite": "unit_totals", "check_name": "ocop_3_star", "severity": "warning",
               "details": details}  # fmt: skip
    path = pack.render_xlsx(_data(warnings=[warning]), tmp_path / "pack.xlsx")
    sheet = openpyxl.load_workbook(path)["CanhBao"]
    rows = [row for row in sheet.iter_rows() if row[4].value == "unit_totals.ocop_3_star"]
    cells = [row[3].value for row in rows]
    assert len(cells) == 3 and all(len(c) <= CELL_CHARACTERS for c in cells)
    assert all(c.startswith(GOES_ON) for c in cells[1:]) and not cells[0].startswith(GOES_ON)
    assert "".join(c.removeprefix(GOES_ON) for c in cells) == details
    assert all(c.endswith("; ") for c in cells[:-1])  # cut between two units, not inside a name
    assert [row[0].value for row in rows] == ["Ba Bể"] * 3
    assert cell_parts("ngắn") == ["ngắn"]
    assert cell_parts("a" * 40, limit=20) == ["a" * 20, GOES_ON + "a" * 13, GOES_ON + "a" * 7]  # no space: cut anyway


def test_the_page_escapes_what_districts_typed(tmp_path):
    page = pack.render_html(_data(districts=[{**_data().districts[0], "district_name": "<script>alert(1)</script>"}]))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<html lang="vi">' in page and "Chưa báo cáo: Na Rì" in page


def test_every_validation_check_is_explained_in_vietnamese():
    from expectations import SUITES

    unlabelled = [check.name for suite in SUITES for check in suite.CHECKS if not check.label_vi.strip()]
    assert unlabelled == []
    assert set(pack.CHECK_LABELS_VI) == {check.name for suite in SUITES for check in suite.CHECKS}


def test_packs_are_drawn_in_parallel_and_kept_when_their_figures_have_not_changed(tmp_path, monkeypatch):
    months = [("06", dt.date(2023, 12, 1)), ("19", dt.date(2026, 3, 1)), ("42", dt.date(2023, 3, 1))]

    def load(_serving, province_code, period_month):
        if province_code == "42":
            return None  # not published: no pack
        data = _data()
        data.province_code, data.period_month = province_code, period_month
        return data

    monkeypatch.setattr("publishing.pack.load", load)
    packs = pack.write_packs(None, tmp_path, months, workers=2, parallel_from=2)
    assert [(p.directory.parent.name, p.directory.name, p.written) for p in packs] == [
        ("06", "2023-12", True),
        ("19", "2026-03", True),
    ]
    assert all(p.html_path.read_text().startswith("<!doctype html>") and p.xlsx_path.stat().st_size for p in packs)
    assert all(docx.Document(str(p.docx_path)).paragraphs[0].text == "BÁO CÁO" for p in packs)
    # the same figures again: nothing redrawn; forced: redrawn (here one after another)
    assert [p.written for p in pack.write_packs(None, tmp_path, months, workers=2, parallel_from=2)] == [False, False]
    assert [p.written for p in pack.write_packs(None, tmp_path, months, force=True, workers=1)] == [True, True]


def _write(tmp_path, monkeypatch, data):
    monkeypatch.setattr("publishing.pack.load", lambda *_: data)
    return pack.write_pack(None, tmp_path / "reports", data.province_code, data.period_month)


def test_the_report_is_laid_out_as_decree_30_sets_and_marks_sample_data_on_every_page(tmp_path, monkeypatch):
    from docx.shared import Pt

    from publishing.pack.words import SAMPLE_NOTICE

    data = _data()
    data.figures = {**data.figures, "is_sample_data": True}
    written = _write(tmp_path, monkeypatch, data)
    document = docx.Document(str(written.docx_path))
    header = document.tables[0].rows[0].cells
    assert header[0].text.split("\n")[:2] == ["BCĐ CÁC CTMTQG TỈNH BẮC KẠN", "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI"]
    assert "Số:       /BC-VPĐP" in header[0].text
    assert header[1].text.split("\n")[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "Bắc Kạn, ngày     tháng     năm" in header[1].text
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == (
        "Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới và Chương trình OCOP tháng 12 năm 2023"
    )
    for part in ("I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ", "III. NHIỆM VỤ TRỌNG TÂM THÁNG TỚI", "PHỤ LỤC"):
        assert part in texts
    assert "- Đôn đốc Na Rì gửi báo cáo đúng hạn." in texts  # a suggestion from the data
    body = document.sections[0]
    sizes = (body.page_width, body.page_height, body.top_margin, body.left_margin, body.right_margin)
    assert [round(size.mm) for size in sizes] == [210, 297, 20, 30, 15]  # A4; Decree 30's margins, in mm
    assert document.styles["Normal"].font.name == "Times New Roman" and document.styles["Normal"].font.size == Pt(14)
    # the first page unnumbered, the others numbered; the sample mark on every page, the appendix's included
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer):
            assert SAMPLE_NOTICE in " ".join(p.text for p in part.paragraphs)
    assert "PAGE" in body.header._element.xml and "PAGE" not in body.first_page_header._element.xml
    # the units' table ends with the province's own row; no raw None anywhere
    units = document.tables[2]
    assert units.rows[-1].cells[1].text == "Toàn tỉnh" and units.rows[-1].cells[2].text == "1.234"
    everything = "\n".join(texts + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "None" not in everything and "ntm-xa" not in everything


def test_the_report_takes_the_offices_settings_and_is_rewritten_when_they_change(tmp_path, monkeypatch):
    settings = tmp_path / "bao-cao.toml"
    settings.write_text(
        '[default]\nsigner_title = "KT. CHÁNH VĂN PHÒNG\\nPHÓ CHÁNH VĂN PHÒNG"\n'
        '[province."06"]\nissuing_body = "VĂN PHÒNG ĐIỀU PHỐI NTM"\nsigner_name = "Nguyễn Văn A"\n',
        encoding="utf-8",
    )
    written = _write(tmp_path, monkeypatch, _data())
    document = docx.Document(str(written.docx_path))
    assert "VĂN PHÒNG ĐIỀU PHỐI NTM" in document.tables[0].rows[0].cells[0].text
    signature = document.tables[1].rows[0].cells[1].text
    assert "PHÓ CHÁNH VĂN PHÒNG" in signature and "Nguyễn Văn A" in signature
    assert not _write(tmp_path, monkeypatch, _data()).written  # nothing changed: kept
    settings.write_text('[province."06"]\nsigner_name = "Trần Thị B"\n', encoding="utf-8")
    rewritten = _write(tmp_path, monkeypatch, _data())
    assert rewritten.written and "Trần Thị B" in docx.Document(str(rewritten.docx_path)).tables[1].rows[0].cells[1].text
    settings.write_text('[default]\nsigner = "x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bao-cao.toml: unknown setting signer"):
        _write(tmp_path, monkeypatch, _data())


def test_every_sheet_of_the_workbook_prints_on_a4_one_page_wide_with_its_headers_repeated(tmp_path):
    path = pack.render_xlsx(_data(), tmp_path / "pack.xlsx")
    book = openpyxl.load_workbook(path)
    for sheet in book:
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.fitToWidth in (1, None), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0, sheet.title
        assert "Tỉnh Bắc Kạn - tháng 12/2023" in sheet.oddHeader.left.text and "&P" in sheet.oddFooter.center.text
    assert book["Huyen"].print_title_rows == "$1:$1" and book["Huyen"].page_setup.orientation == "landscape"


def test_the_month_is_compared_with_the_month_before_and_a_year_before_where_loaded():
    data = _data()
    assert pack.words.comparison(data) == []  # neither loaded: nothing said
    data.earlier = {
        "previous": {"communes_ntm": 615, "avg_criteria_met": 12.70, "ocop_products": 218},
        "year_ago": {"communes_ntm": 620, "avg_criteria_met": 12.45, "ocop_products": 200},
    }
    [sentence] = pack.words.comparison(data)
    assert sentence == (
        "So với tháng trước: tăng 2 xã đạt chuẩn NTM, tăng 0,11 tiêu chí bình quân/xã, số sản phẩm OCOP không đổi; "
        "so với cùng kỳ năm 2022: giảm 3 xã đạt chuẩn NTM, tăng 0,36 tiêu chí bình quân/xã, tăng 18 sản phẩm OCOP."
    )
    assert sentence in pack.headline(data)
