"""Template 2024.2: what the briefings read out that 2024.1 did not collect (../shared/spec/district-workbook.md).

Each new figure class is read from a workbook that carries it, rejected row by row where the workbook contradicts the
spec, and stays null (not reported), never zero, for a 2024.1 workbook: the district's own recognition (B07_Huyen),
OCOP dossiers and rounds (B08_OCOP_DanhGia), the advanced set (B01N_TieuChiNangCao), model residential areas and
mountain villages (B03), plans by stars, residential areas and district recognition (B06).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

from ingestion import reader
from ingestion.template import TEMPLATE_2024_1, TEMPLATE_2024_2
from orchestration import cli
from samples import generate, write_workbook
from samples.model import DistrictStatus, Dossier
from samples.provinces import generic_district_report, plan_province
from tests.workbooks import edit, set_label

PERIOD = dt.date(2023, 12, 1)
NOVEMBER = dt.date(2023, 11, 1)


@pytest.fixture
def workbook_2024_2(tmp_path, units):
    """A generic district's workbook on template 2024.2 (Pác Nặm, a huyện), changed by the test with openpyxl."""

    def make(change=None, *, template=TEMPLATE_2024_2) -> Path:
        reference = units.at(PERIOD)
        report = generic_district_report(reference, "060", PERIOD, 7)
        communes = sorted(reference.districts["060"].xa, key=lambda c: c.code)
        report = dataclasses.replace(
            report,
            district_status=DistrictStatus("Chưa đạt", {1, 2, 4}, target_year=2025),
            dossiers=[
                Dossier("Mật ong bạc hà", "HTX Bằng Thành", communes[0], 1, "Mới", "Đánh giá cấp tỉnh", 62, 3),
                Dossier("Miến dong", "HTX Nhạn Môn", communes[1], 1, "Đánh giá lại", "Không đạt", 41, None),
                Dossier("Trà hoa vàng", "HTX Bằng Thành", communes[0], 2, "Mới", "Hoàn thiện hồ sơ", None, None),
            ],
            advanced_criteria=[(communes[0], set(range(1, 20))), (communes[1], {1, 2, 3})],
            plan={**report.plan, "SP_OCOP_4SAO": 2, "SP_OCOP_5SAO": 1, "KDC_KIEU_MAU": 3, "HUYEN_NTM": 0},
        )
        path = write_workbook(report, tmp_path / f"{template.version}.xlsx", template)
        return edit(path, change) if change else path

    return make


def rejections(result) -> list[tuple]:
    return [(r.sheet, r.row_number, r.column_name, r.reason) for r in result.rejections]


# --- reading ---------------------------------------------------------------------------------------------------------


def test_the_new_sheets_are_read_and_recorded_as_read(workbook_2024_2, units):
    result = reader.read_workbook(workbook_2024_2(), units)
    assert result.template_read == "2024.2" and result.rejections == []
    assert {"b07", "b08", "b01n"} <= set(result.sheets_read)
    [status] = result.tables["district_status"]
    assert (status["level_code"], status["target_year"], status["dossier_status"]) == ("not_yet", 2025, None)
    marks = result.tables["district_criterion_marks"]
    assert [(m["criterion_number"], m["is_met"]) for m in marks] == [(n, n in {1, 2, 4}) for n in range(1, 10)]
    assert {m["criteria_set_code"] for m in marks} == {"ntm-huyen-2021-2025"}
    dossiers = result.tables["ocop_dossiers"]
    assert [(d["dossier_type"], d["stage_code"], d["stars_proposed"]) for d in dossiers] == [
        ("new", "province_evaluation", 3),
        ("reevaluation", "failed", None),
        ("new", "preparing", None),
    ]
    assert len({d["producer_key"] for d in dossiers}) == 2
    advanced = result.tables["advanced_criterion_marks"]
    assert len(advanced) == 38 and sum(m["is_met"] for m in advanced) == 22
    planned = {p["target_code"]: p["planned_value"] for p in result.tables["plan_targets"]}
    assert (planned["SP_OCOP_4SAO"], planned["SP_OCOP_5SAO"], planned["KDC_KIEU_MAU"]) == (2, 1, 3)


def test_a_2024_1_workbook_has_none_of_them_and_its_cover_names_the_template(make_workbook, units):
    result = reader.read_workbook(make_workbook(), units)
    assert result.template_read == "2024.1"
    assert not {"b07", "b08", "b01n"} & set(result.sheets_read)
    for table in ("district_status", "district_criterion_marks", "ocop_dossiers", "advanced_criterion_marks"):
        assert table not in result.tables or result.tables[table] == []


def test_a_sheet_of_2024_2_in_a_workbook_that_says_2024_1_is_ignored_with_a_note(workbook_2024_2, units):
    result = reader.read_workbook(
        workbook_2024_2(lambda book: set_label(book["ThongTinChung"], "Phiên bản biểu mẫu", "2024.1")), units
    )
    assert result.template_read == "2024.1"
    assert "sheet 'B07_Huyen' is not part of template 2024.1 and was ignored" in result.notes
    assert "district_status" not in result.tables


def test_b07_rejects_what_contradicts_the_district(workbook_2024_2, units):
    def change(book):
        sheet = book["B07_Huyen"]
        set_label(sheet, "Mức đạt chuẩn huyện", "Hoàn thành nhiệm vụ")  # Pác Nặm is a huyện, not a town
        set_label(sheet, "Năm công nhận", 2023)
        sheet.append([10, None, "Đạt"])  # the district set has 9 criteria

    result = reader.read_workbook(workbook_2024_2(change), units)
    found = rejections(result)
    assert any(
        sheet == "B07_Huyen" and column.startswith("Mức đạt chuẩn huyện") and "is a Huyện" in reason
        for sheet, _, column, reason in found
    ), found
    assert any("criterion 10 is not a criterion of the district set ntm-huyen-2021-2025" in r[3] for r in found)
    assert result.tables["district_status"] == []  # its status is not loaded; its criteria 1-9 are
    assert len(result.tables["district_criterion_marks"]) == 9


def test_b07_a_recognised_district_needs_its_year(workbook_2024_2, units):
    result = reader.read_workbook(
        workbook_2024_2(lambda book: set_label(book["B07_Huyen"], "Mức đạt chuẩn huyện", "NTM")), units
    )
    assert [r for r in rejections(result) if "'Năm công nhận' is empty" in r[3]]


def test_b08_rejects_stages_and_stars_that_disagree(workbook_2024_2, units):
    def change(book):
        sheet = book["B08_OCOP_DanhGia"]
        sheet["J5"] = "3 sao"  # a dossier that did not pass proposes stars
        sheet["H6"] = "Công nhận"  # recognised, without stars
        sheet["I4"] = 75  # a 3★ scored as 4★
        sheet.append([4, "Bánh gai", "HTX Cốc Đán", None, None, 1, "Mới", "Đã nộp", None, None])

    result = reader.read_workbook(workbook_2024_2(change), units)
    found = [(row, column, reason) for _, row, column, reason in rejections(result)]

    def rejected(row: int, column: str, words: str) -> bool:
        return any(r == row and c.startswith(column) and words in reason for r, c, reason in found)

    assert rejected(5, "Số sao đề xuất", "a dossier that did not pass (Không đạt) is proposed no stars"), found
    assert rejected(6, "Số sao đề xuất", "a recognised product (Công nhận) has its stars"), found
    assert rejected(4, "Điểm", "score 75 does not match 3★"), found
    assert rejected(7, "Giai đoạn", "'Đã nộp' is not a known dossier stage"), found
    assert result.tables["ocop_dossiers"] == []


def test_b01n_rejects_a_criterion_outside_the_advanced_set(workbook_2024_2, units):
    def change(book):
        sheet = book["B01N_TieuChiNangCao"]
        code, name = sheet["A4"].value, sheet["B4"].value
        sheet.append([code, name, 20, "Đạt"])

    result = reader.read_workbook(workbook_2024_2(change), units)
    [(sheet, _, column, reason)] = rejections(result)
    assert sheet == "B01N_TieuChiNangCao" and column.startswith("Tiêu chí")
    assert "criterion 20 is not a criterion of the advanced set ntm-xa-nang-cao-2021-2025" in reason


def test_b01n_rejects_a_communes_criterion_written_twice_naming_the_commune(workbook_2024_2, units):
    def change(book):
        sheet = book["B01N_TieuChiNangCao"]
        code, name, number = sheet["A4"].value, sheet["B4"].value, sheet["C4"].value
        sheet.append([code, name, number, "Đạt"])

    result = reader.read_workbook(workbook_2024_2(change), units)
    [(sheet, row, column, reason)] = rejections(result)
    assert sheet == "B01N_TieuChiNangCao" and column.startswith("Tiêu chí")
    assert reason.startswith("criterion ") and " of Xã " in reason and f"is written twice (rows 4 and {row})" in reason


@pytest.mark.parametrize("template", [TEMPLATE_2024_1, TEMPLATE_2024_2], ids=lambda t: t.version)
def test_the_new_village_levels_and_plan_codes_belong_to_2024_2(workbook_2024_2, units, template):
    def change(book):
        villages = book["B03_ThonBan"]
        code, name = villages["B4"].value, villages["C4"].value
        villages.append([90, code, name, "Khu dân cư Nà Làng", "Khu dân cư kiểu mẫu", 2022])
        villages.append([91, code, name, "Bản Khuổi Mu", "Thôn NTM miền núi", 2023])
        plans = book["B06_KeHoach"]
        plans.append(["SP_OCOP_4SAO", 2])
        plans.append(["HUYEN_NTM", 2])  # the district's own recognition: 0 or 1

    result = reader.read_workbook(workbook_2024_2(change, template=template), units)
    found = rejections(result)
    levels = [v["level_code"] for v in result.tables["villages"]]
    if template is TEMPLATE_2024_1:  # not codes of 2024.1: the rows are rejected, naming the column
        assert not {"model_residential_area", "mountain_ntm"} & set(levels)
        assert [r for r in found if r[0] == "B03_ThonBan" and "'Khu dân cư kiểu mẫu' is not a known village level"
                in r[3]]  # fmt: skip
        assert [r for r in found if r[0] == "B06_KeHoach" and "'SP_OCOP_4SAO' is not a known plan target" in r[3]]
    else:
        assert levels.count("model_residential_area") == 1 and levels.count("mountain_ntm") == 1
        assert [r for r in found if "HUYEN_NTM is the district's own recognition this year: 0 or 1" in r[3]]


# --- end to end: a month every district reports on 2024.2, a month one district reports on 2024.1 -----------------


@pytest.fixture(scope="module")
def published(tmp_path_factory, units, dbt_manifest):
    """Bắc Kạn 12/2023 on 2024.2 with a recognised town, a district recognised but not maintaining, one under
    appraisal, an advanced commune short of one criterion, a mountain village and a model residential area; 11/2023
    with Pác Nặm's workbook on 2024.1 (none of the new sheets)."""
    inbox = tmp_path_factory.mktemp("inbox")
    december = {p.name: p for p in generate("06", PERIOD, inbox, units=units)}
    november = generate("06", NOVEMBER, inbox, units=units)
    pac_nam = next(p for p in november if "Pác Nặm" in p.name)
    report = next(r for r in plan_province(units.at(NOVEMBER), "06", NOVEMBER) if r.district.code == "060")
    write_workbook(report, pac_nam, TEMPLATE_2024_1)

    def district(level, year, maintains, dossier=None):
        def change(book):
            sheet = book["B07_Huyen"]
            set_label(sheet, "Mức đạt chuẩn huyện", level)
            set_label(sheet, "Năm công nhận", year)
            set_label(sheet, "Duy trì", maintains)
            set_label(sheet, "Năm phấn đấu đạt chuẩn", None)
            set_label(sheet, "Tình trạng hồ sơ", dossier)

        return change

    edit(december["BC NTM T12 2023 - Bắc Kạn.xlsx"], district("Hoàn thành nhiệm vụ", 2022, "Có"))

    def one_criterion_short(book):  # the city says it maintains the district set, yet marks criterion 9 short
        sheet = book["B07_Huyen"]
        row = next(r for r in sheet.iter_rows() if r[0].value == 9 and r[2].value == "Đạt")
        row[2].value = "Chưa đạt"

    edit(december["BC NTM T12 2023 - Bắc Kạn.xlsx"], one_criterion_short)
    edit(december["BC NTM T12 2023 - Bạch Thông.xlsx"], district("NTM", 2021, "Không"))
    edit(december["BC NTM T12 2023 - Chợ Đồn.xlsx"], district("Chưa đạt", None, None, "Đang thẩm định"))

    def villages(book):
        sheet = book["B03_ThonBan"]
        code, name = sheet["B4"].value, sheet["C4"].value
        sheet.append([90, code, name, "Khu dân cư Nà Làng", "Khu dân cư kiểu mẫu", 2022])
        sheet.append([91, code, name, "Bản Khuổi Mu", "Thôn NTM miền núi", 2023])

    edit(december["BC NTM T12 2023 - Chợ Mới.xlsx"], villages)

    def recognised_without_certificate(book):  # B08 says recognised; B04 does not list it
        sheet = book["B08_OCOP_DanhGia"]
        row = next(r for r in sheet.iter_rows(min_row=4) if r[7].value == "Đánh giá cấp tỉnh")
        row[7].value = "Công nhận"

    edit(december["BC NTM T12 2023 - Na Rì.xlsx"], recognised_without_certificate)

    def short_of_one(path: Path) -> bool:  # an advanced commune (all 19) now short of criterion 7
        book = openpyxl.load_workbook(path)
        sheet = book["B01N_TieuChiNangCao"]
        met: dict[str, list] = {}
        for row in sheet.iter_rows(min_row=4):
            if row[0].value:
                met.setdefault(row[0].value, []).append(row)
        full = next((rows for rows in met.values() if all(r[3].value == "Đạt" for r in rows)), None)
        if full is None:
            return False
        full[6][3].value = "Chưa đạt"
        book.save(path)
        return True

    assert any(short_of_one(p) for p in sorted(december.values()))
    tmp = tmp_path_factory.mktemp("run")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("NTM_INBOX", "NTM_WAREHOUSE", "NTM_DATA_DIR", "DAGSTER_HOME"):
            mp.delenv(name, raising=False)
        warehouse = tmp / "warehouse.duckdb"
        code = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert code == 0
    return warehouse


def rows(warehouse: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def province(warehouse: Path, month: dt.date, columns: str) -> tuple:
    sql = f"select {columns} from marts.mart_province_briefing where province_code = '06' and period_month = ?"
    [row] = rows(warehouse, sql, [month])
    return row


def test_district_recognition(published):
    assert province(published, PERIOD, "districts_ntm, districts_not_maintaining, districts_under_appraisal") == (
        2,
        1,
        1,
    )
    # as dated events: the city's recognition in 2022, Bạch Thông's not maintaining first reported 12/2023
    events = rows(
        published,
        "select district_code, event_code, level_code, event_year, first_reported_month "
        "from marts.fct_district_recognition where event_code in ('recognised', 'not_maintaining') order by all",
    )
    assert events == [
        ("058", "recognised", "completed", 2022, NOVEMBER),  # 675/QĐ-TTg: the sample says so from 11/2023
        ("063", "not_maintaining", "ntm", 2023, PERIOD),
        ("063", "recognised", "ntm", 2021, PERIOD),
    ]


def test_the_sheets_are_checked_against_each_other(published):
    """Warnings (the figures publish): a dossier recognised without its certificate in B04; a district that says it
    maintains the district set while missing a criterion of it (the city, 8 of 9 after the edit)."""
    warnings = rows(
        published,
        "select v.district_code, v.check_name from audit.validation_results v where not v.success "
        "and v.suite = 'internal_consistency' and v.period_month = ? order by all",
        [PERIOD],
    )
    assert warnings == [
        ("058", "maintaining_district_meets_its_criteria"),
        ("066", "recognised_dossier_has_certificate"),
    ]
    assert province(published, PERIOD, "validation_status") == ("warning",)


def test_ocop_dossiers_and_rounds(published):
    assert province(
        published,
        PERIOD,
        "ocop_dossiers, ocop_dossiers_new, ocop_dossiers_reevaluated, ocop_evaluated, ocop_dossiers_failed",
    ) == (71, 55, 16, 71, 11)
    [(producers,)] = rows(
        published,
        "select count(distinct producer_id) from marts.fct_ocop_dossier where period_month = ?",
        [PERIOD],
    )
    assert province(published, PERIOD, "ocop_producers_in_dossiers") == (producers,)
    # the rounds: Đợt 1 and 2
    assert [r[0] for r in rows(published, "select distinct round_number from marts.fct_ocop_dossier order by 1")] == [
        1,
        2,
    ]


def test_the_advanced_set(published):
    assert province(
        published,
        PERIOD,
        "communes_in_advanced_set, communes_advanced_all_criteria, communes_advanced_not_maintaining, "
        "avg_advanced_criteria_met",
    ) == (23, 3, 1, 7.6)  # 174 criteria / 23 communes = 7.57


def test_villages_and_plans_by_stars(published):
    assert province(
        published,
        PERIOD,
        "model_residential_areas, villages_mountain_ntm, plan_ocop_4_star, plan_ocop_5_star, plan_districts_ntm, "
        "pct_plan_communes_ntm_advanced, pct_plan_communes_ntm_model",
    ) == (1, 1, 3, 0, 0, 33.3, None)  # no district plans recognition in 2024: the city completed its task in 2022
    # they do not nest with the NTM and model villages
    [(ntm_villages,)] = rows(
        published,
        "select count(*) from marts.fct_village_status where province_code = '06' and period_month = ? and is_ntm",
        [PERIOD],
    )
    assert province(published, PERIOD, "villages_ntm") == (ntm_villages,)


def test_a_2024_1_workbook_reports_none_of_them_and_its_province_is_null_not_zero(published):
    new_columns = (
        "districts_ntm, districts_not_maintaining, districts_under_appraisal, ocop_dossiers, ocop_dossiers_new, "
        "ocop_dossiers_reevaluated, ocop_producers_in_dossiers, ocop_evaluated, ocop_dossiers_failed, "
        "communes_in_advanced_set, communes_advanced_all_criteria, communes_advanced_not_maintaining, "
        "avg_advanced_criteria_met, model_residential_areas, villages_mountain_ntm, plan_ocop_4_star, plan_ocop_5_star"
    )
    [pac_nam] = rows(
        published,
        f"select {new_columns} from marts.mart_district_briefing where district_code = '060' and period_month = ?",
        [NOVEMBER],
    )
    assert set(pac_nam) == {None}
    # the other districts of the month reported them (zero where their sheet said none) ...
    [(reported,)] = rows(
        published,
        "select count(*) from marts.mart_district_briefing where period_month = ? and district_code <> '060' "
        "and districts_ntm is not null and ocop_dossiers > 0",
        [NOVEMBER],
    )
    assert reported == 7
    # ... but the province's figure would be partial: null, not the sum of seven districts
    assert set(province(published, NOVEMBER, new_columns)[:-2]) == {None}
    # and the figures every template collects are there, whole
    assert province(published, NOVEMBER, "communes_total, ocop_products")[0] == 95


def test_the_hardest_indicators_among_communes_not_yet_ntm(published):
    ranked = rows(
        published,
        "select indicator_code, communes_not_meeting, hardest_rank, communes_not_ntm_not_meeting "
        "from marts.mart_indicator_gaps where geo_level = 'province' and period_month = ? order by hardest_rank",
        [PERIOD],
    )
    assert {r[0] for r in ranked} == {"13.3", "17.1"} and ranked[0][2] == 1
    assert all(r[3] <= r[1] for r in ranked)
    [(criteria_13,)] = rows(
        published,
        "select communes_not_ntm_not_meeting from marts.mart_criteria_gaps where geo_level = 'province' "
        "and period_month = ? and criterion_number = 13",
        [PERIOD],
    )
    # the sample's indicator 13.3 is met exactly when criterion 13 is
    assert next(r[3] for r in ranked if r[0] == "13.3") == criteria_13
