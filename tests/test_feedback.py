"""The catalogue of what each unit is told (publishing/feedback.py): every reason the reader gives has its own
Vietnamese wording. The feedback a run writes is read back in tests/test_resubmission.py, on its problems' run."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from publishing.feedback import FALLBACK, FILE_REASONS, ROW_REASONS, _wording

DECEMBER = dt.date(2023, 12, 1)


@pytest.mark.parametrize(
    "reason",
    [
        "criterion mark 'Đ' is not one of Đạt, x, 1, ✓ (met) or Chưa đạt, Không đạt, 0, - (not met)",
        "'NTM cao' is not a known level (Chưa đạt, NTM, NTM nâng cao, NTM kiểu mẫu, NTM hiện đại)",
        "'20199' is not a 4-digit year",
        "'6' is not a star rating (3, 4 or 5)",
        "the decision date is empty",
        "'32/13/2023' is not a real date (month must be in 1..12)",
        "'Ngân sách thôn' is not a known fund source (NSTW - Đầu tư phát triển, Ngân sách tỉnh)",
        "'nhiều' is not a number",
        "commune code '02020' (Xã Bằng Lãng) belongs to district 064, not to district 061 (Huyện Ba Bể)",
    ],
)
def test_the_readers_reasons_have_their_own_wording(reason):
    entry, problem, action = _wording(ROW_REASONS, reason, "x", "B01_TieuChiXa!D6")
    assert entry is not FALLBACK and problem and action
    assert not re.search(r"\b(is|not|the|of|empty)\b", problem + action)


@pytest.mark.parametrize(
    "reason",
    [
        "not filled in (chưa điền số liệu): no sheet holds a figure; nothing was loaded",
        "required sheet(s) missing: B04_OCOP (found: ThongTinChung, B01_TieuChiXa)",
        "the file is a damaged workbook (Invalid zip)",
        "the file is a damaged workbook (its zip parts cannot be read); ask the unit to save it again in Excel (.xlsx) "
        "and send it",
        "the file is not a workbook: it is a PDF document; ask the unit to send the report's workbook",
        "the workbook is password-protected (encrypted); ask the unit to send it without a password",
        "cover: a district's workbook (Mã huyện 061) for 03/2026, but 03/2026 is reported by each commune on "
        "template 2026.1 (07/2025–today)",
    ],
)
def test_a_whole_files_reasons_have_their_own_wording(reason):
    entry, problem, action = _wording(FILE_REASONS, reason, None, "")
    assert entry is not FALLBACK and problem and action


def test_a_cover_rejected_whole_still_names_whom_and_when(make_workbook, units):
    """A workbook naming a unit that did not exist in its month is rejected at its cover; the codes and month it
    names, as written, are kept so that the unit is told (audit.received_files, then its feedback)."""
    from ingestion.reader.result import WorkbookRejected
    from ingestion.reader.workbook import read_workbook
    from tests.workbooks import set_label

    path = make_workbook(lambda book: set_label(book["ThongTinChung"], "Kỳ báo cáo", "03/2026"))
    with pytest.raises(WorkbookRejected) as rejected:
        read_workbook(path, units)
    assert rejected.value.written == {
        "province_code": "06", "reporting_unit_code": "060", "reporting_unit_level": "district",
        "period_month": dt.date(2026, 3, 1), "district_code": "060",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("reason", "problem"),
    [
        ("the file is not a workbook: it is a PDF document; ask the unit to send the report's workbook",
         "không phải là bảng tính"),
        ("the workbook is password-protected (encrypted); ask the unit to send it without a password", "mật khẩu"),
        ("the file is a damaged workbook (a cut or broken zip); ask the unit to save it again in Excel (.xlsx) and "
         "send it", "không mở được"),
    ],
)  # fmt: skip
def test_each_class_of_rejected_file_is_told_in_its_own_words(reason, problem):
    """Not a workbook, password-protected, damaged (ingestion/reader/container.py): three things a unit does
    differently, so three answers."""
    _, said, action = _wording(FILE_REASONS, reason, None, "")
    assert problem in said and action


def test_a_unit_code_of_another_time_is_told_when_that_code_was_valid():
    """A workbook naming a unit merged away (Bắc Kạn, 06, in 03/2026): the unit is told, in Vietnamese, whose code
    it is and from when to when, so that it writes the code of its unit after the reform."""
    reason = ("cover: Mã tỉnh '06' names no province valid in 03/2026 (the code was: Tỉnh Bắc Kạn, "
              "01/01/2010–30/06/2025)")  # fmt: skip
    _, problem, action = _wording(FILE_REASONS, reason, None, "")
    assert "tháng 03/2026" in problem and "Tỉnh Bắc Kạn, 01/01/2010–30/06/2025" in problem and "07/2025" in action
    _, problem, _ = _wording(FILE_REASONS, reason.replace("30/06/2025", "today"), None, "")
    assert "01/01/2010–nay" in problem
    _, problem, _ = _wording(FILE_REASONS, "cover: Mã huyện '999' is not a district code of any official list "
                             "since 2010", None, "")  # fmt: skip
    assert "không có trong danh mục" in problem
