"""The present and the past in one inbox: Bắc Kạn's district workbooks of 12/2023 and Thái Nguyên's commune
workbooks of 03/2026 (template 2026.1), with a corrupt file, a resubmission, a commune whose TongHop is off, a
district workbook dated 03/2026 and a workbook of a province merged away in 2025. One `ntm-ocop run` publishes both
eras, the history restated to today's map and the national roll-up, with the warnings named by commune."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

from orchestration import cli
from samples import generate
from samples.communes import generate_communes
from tests.report_numbers import check_report
from tests.workbooks import edit, get_label, set_label

DECEMBER_2023 = dt.date(2023, 12, 1)
MARCH_2026 = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def mixed_inbox(tmp_path_factory, units) -> dict:
    inbox = tmp_path_factory.mktemp("inbox")
    generate("06", DECEMBER_2023, inbox, units=units)
    files = sorted(generate_communes("19", MARCH_2026, inbox, units=units))  # every xã, ward and special zone
    xa = {c.code for c in units.at(MARCH_2026).provinces["19"].xa}
    communes = [p for p in files if p.name.split(" - ")[1].split()[0] in xa]
    off, resubmitted = communes[0], communes[1]
    # a commune whose TongHop counts one 3-star product too many
    three_stars = "Số sản phẩm OCOP 3 sao"
    edit(off, lambda book: set_label(book["TongHop"], three_stars, get_label(book["TongHop"], three_stars) + 1))

    def resubmission(book):  # sent again a week later, with the disbursement brought up to date
        set_label(book["ThongTinChung"], "Ngày lập", dt.datetime(2026, 4, 20))
        funds = book["C05_NguonVon"]
        funds["E2"].value = funds["D2"].value  # NSTW - Đầu tư phát triển fully disbursed
        tonghop = book["TongHop"]
        disbursed = round(sum(funds.cell(r, 5).value for r in range(2, funds.max_row + 1)), 1)
        set_label(tonghop, "Tổng giải ngân", disbursed)

    edit(resubmitted, resubmission, inbox / f"{resubmitted.stem} (gửi lại).xlsx")
    (inbox / "BC NTM T3 2026 - bản nháp.xlsx").write_bytes(b"PK\x03\x04 not a workbook at all")
    # a district of Thái Nguyên reporting 03/2026: districts ended 30/06/2025
    district_file = next(p for p in sorted(inbox.glob("BC NTM T12 2023*.xlsx")))
    district = next(d for d in units.at(DECEMBER_2023).provinces["19"].districts if d.xa)

    def district_2026(book):
        cover = book["ThongTinChung"]
        set_label(cover, "Kỳ báo cáo", "03/2026")
        set_label(cover, "Mã tỉnh", "19")
        set_label(cover, "Tỉnh", None)
        set_label(cover, "Mã huyện", district.code)
        set_label(cover, "Huyện", None)

    edit(district_file, district_2026, inbox / "BC NTM T3 2026 - huyện.xlsx")

    # a commune workbook naming Bắc Kạn, merged into Thái Nguyên on 01/07/2025
    def bac_kan(book):
        set_label(book["ThongTinChung"], "Mã tỉnh", "06")
        set_label(book["ThongTinChung"], "Tỉnh", "Bắc Kạn")

    edit(communes[2], bac_kan, inbox / "BC NTM T3 2026 - Bắc Kạn.xlsx")
    return {"inbox": inbox, "off": off.name, "resubmitted": resubmitted.name, "communes": len(communes),
            "units": len(files)}  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory, mixed_inbox, dbt_manifest):
    tmp = tmp_path_factory.mktemp("run")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("NTM_INBOX", "NTM_WAREHOUSE", "NTM_DATA_DIR", "DAGSTER_HOME"):
            mp.delenv(name, raising=False)
        warehouse = tmp / "warehouse.duckdb"
        code = cli.main(["run", "--inbox", str(mixed_inbox["inbox"]), "--warehouse", str(warehouse)])
    return code, warehouse, tmp


def query(warehouse: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_both_eras_publish_in_the_geography_of_their_month(run, mixed_inbox):
    code, warehouse, _ = run
    assert code == 0
    rows = query(
        warehouse,
        "select province_code, period_month, reporting_unit_level, units_expected, units_reported, districts_reported, "
        "communes_total, criteria_set_code, validation_status from marts.mart_province_briefing order by 1, 2",
    )
    assert rows == [
        ("06", DECEMBER_2023, "district", 8, 8, 8, 95, "ntm-xa-2021-2025", "passed"),
        ("19", MARCH_2026, "commune", 77, 77, None, 77, "ntm-xa-2026-2030", "warning"),
    ]
    # the commune-level briefing in the place of the district one: one row per reporting unit (77 xã and the
    # wards, whose OCOP products and funds count), summing to the province
    assert query(
        warehouse,
        "select count(*), sum(communes_total), sum(communes_ntm), sum(ocop_products), sum(fund_allocated_mil_vnd) "
        "from marts.mart_commune_briefing where period_month = ?",
        [MARCH_2026],
    ) == query(
        warehouse,
        "select ?, communes_total, communes_ntm, ocop_products, fund_allocated_mil_vnd "
        "from marts.mart_province_briefing where province_code = '19'",
        [mixed_inbox["units"]],
    )


def test_files_of_the_wrong_era_and_a_corrupt_file_are_rejected_whole_naming_why(run):
    _, warehouse, _ = run
    reasons = dict(
        query(warehouse, "select file_name, status_reason from audit.received_files where status = 'rejected'")
    )
    assert set(reasons) == {"BC NTM T3 2026 - bản nháp.xlsx", "BC NTM T3 2026 - huyện.xlsx",
                            "BC NTM T3 2026 - Bắc Kạn.xlsx"}  # fmt: skip
    assert reasons["BC NTM T3 2026 - bản nháp.xlsx"] == (  # "PK\x03\x04" and text: a zip cut short
        "the file is a damaged workbook (a cut or broken zip); ask the unit to save it again in Excel (.xlsx) and "
        "send it"
    )
    assert "names no district valid in 03/2026" in reasons["BC NTM T3 2026 - huyện.xlsx"]
    assert "–30/06/2025" in reasons["BC NTM T3 2026 - huyện.xlsx"]
    assert reasons["BC NTM T3 2026 - Bắc Kạn.xlsx"] == (
        "cover: Mã tỉnh '06' names no province valid in 03/2026 (the code was: Tỉnh Bắc Kạn, 01/01/2010–30/06/2025)"
    )


def test_a_resubmission_replaces_the_communes_month(run, mixed_inbox):
    _, warehouse, _ = run
    statuses = dict(
        query(
            warehouse,
            "select file_name, status from audit.received_files where file_name in (?, ?)",
            [mixed_inbox["resubmitted"], mixed_inbox["resubmitted"].replace(".xlsx", " (gửi lại).xlsx")],
        )
    )
    assert sorted(statuses.values()) == ["loaded", "superseded"]
    assert statuses[mixed_inbox["resubmitted"]] == "superseded"
    code = mixed_inbox["resubmitted"].split(" - ")[1].split()[0]
    [(allocated, disbursed)] = query(
        warehouse,
        "select allocated_mil_vnd, disbursed_mil_vnd from marts.fct_fund_position "
        "where reporting_unit_code = ? and fund_source_code = 'central_investment'",
        [code],
    )
    assert disbursed == allocated  # the resubmission's figure, once


def test_a_commune_whose_tonghop_is_off_is_named_in_the_warnings(run, mixed_inbox):
    _, warehouse, _ = run
    code = mixed_inbox["off"].split(" - ")[1].split()[0]
    failures = query(
        warehouse,
        "select check_name, reporting_unit_code, details from audit.validation_results "
        "where not success and suite = 'commune_totals'",
    )
    # its 3-star count disagrees with C04, and its own stars no longer add up to its total
    assert sorted((name, unit) for name, unit, _ in failures) == [
        ("3_star_match_commune_total", code),
        ("ocop_reported_stars_sum_to_commune_total", code),
    ]
    assert all(code in details for *_, details in failures)  # named: code and name of the commune
    [(status,)] = query(
        warehouse, "select validation_status from marts.mart_commune_briefing where commune_code = ?", [code]
    )
    assert status == "warning"


def test_history_is_restated_to_todays_map_beside_the_figures_as_reported(run):
    _, warehouse, _ = run
    rows = query(
        warehouse,
        "select period_month, figure_basis, source_province_code, communes_reported, communes_ntm, label_vi "
        "from marts.mart_province_history where province_code = '19' order by 1, 2",
    )
    assert [r[:5] for r in rows] == [
        (DECEMBER_2023, "restated", "06", 95, 32),  # the 95 legacy xã of Bắc Kạn, 32 NTM then
        (MARCH_2026, "as_reported", "19", 77, rows[1][4]),
    ]
    assert rows[0][5] == (
        "Số liệu quy đổi theo địa giới hiện nay: 95 xã cũ của Tỉnh Bắc Kạn nay thuộc Tỉnh Thái Nguyên; "
        "32 xã đạt chuẩn NTM tháng 12/2023"
    )
    # Bắc Kạn's own row of 12/2023 is not rewritten
    assert query(warehouse, "select communes_ntm from marts.mart_province_briefing where province_code = '06'") == [
        (32,)
    ]


def test_a_communes_first_month_after_the_reform_is_compared_with_its_predecessors_restated(run):
    """mart_commune_progress: a 2026 commune has no previous month of its own unit set; its restated columns name its
    legacy predecessors (through bridge_commune_2025) and their last month, 12/2023. The sample makes a commune NTM
    when every Bắc Kạn predecessor it has was NTM: the restated count says the same."""
    _, warehouse, _ = run
    rows = query(
        warehouse,
        "select level_code, previous_period_month, restated_previous_period_month, restated_predecessors_count, "
        "restated_predecessors_reported, restated_predecessors_ntm, restated_predecessors "
        "from marts.mart_commune_progress where province_code = '19' and period_month = ?",
        [MARCH_2026],
    )
    restated = [r for r in rows if r[4]]  # with a Bắc Kạn predecessor loaded
    assert restated and all(r[1] is None and r[2] == DECEMBER_2023 for r in restated)
    assert all(0 <= r[5] <= r[4] <= r[3] and r[6].count(" (") == r[3] for r in restated)  # legacy names, coded
    assert any(r[5] < r[4] for r in restated)
    whole = [r for r in restated if r[5] == r[3]]  # every predecessor NTM: the commune is NTM
    assert whole and all(r[0] != "not_yet" for r in whole)
    # none of Bắc Kạn's own 12/2023 rows carries restated columns: they are of the legacy unit set
    assert query(
        warehouse,
        "select count(*) from marts.mart_commune_progress where province_code = '06' "
        "and restated_previous_period_month is not null",
    ) == [(0,)]


def test_the_national_rollup_sums_every_province_in_the_geography_of_its_month(run):
    _, warehouse, _ = run
    rows = query(
        warehouse,
        "select n.period_month, n.reporting_unit_level, n.provinces_reported, n.communes_total = p.communes_total, "
        "n.ocop_products = p.ocop_products, n.fund_budget_disbursement_pct = p.fund_budget_disbursement_pct "
        "from marts.mart_national_briefing n join marts.mart_province_briefing p using (period_month) order by 1",
    )
    assert rows == [(DECEMBER_2023, "district", 1, True, True, True), (MARCH_2026, "commune", 1, True, True, True)]


def test_the_2026_pack_says_it_is_sample_data_on_every_page_and_sheet(run):
    _, _, tmp = run
    directory = tmp / "reports" / "briefing" / "19" / "2026-03"
    html = (directory / "bao-cao-giao-ban-19-2026-03.html").read_text(encoding="utf-8")
    assert html.count("Dữ liệu mẫu — không phải số liệu chính thức") == 2  # top and foot of the page
    assert "Kết quả theo xã" in html and "Lịch sử theo địa giới hiện nay" in html
    assert "95 xã cũ của Tỉnh Bắc Kạn nay thuộc Tỉnh Thái Nguyên" in html
    book = openpyxl.load_workbook(directory / "bao-cao-giao-ban-19-2026-03.xlsx")
    assert "LichSu" in book.sheetnames and "Xa" in book.sheetnames
    assert all(str(sheet["A1"].value).startswith("Dữ liệu mẫu — không phải số liệu chính thức") for sheet in book)


def test_a_column_the_months_criteria_set_does_not_have_is_null_not_zero(run):
    """2023 (2021-2025 set): no "hiện đại" level; 2026 (2026-2030 set): no 19-criteria bands, no "nâng cao" or
    "kiểu mẫu"; the province, its units and the nation alike."""
    _, _, tmp = run
    not_2026 = ["communes_19_criteria", "communes_15_18_criteria", "communes_10_14_criteria", "communes_5_9_criteria",
                "communes_under_5_criteria", "communes_ntm_advanced", "communes_ntm_advanced_new_in_year",
                "communes_ntm_model", "communes_ntm_model_new_in_year", "plan_communes_ntm_advanced",
                "plan_communes_ntm_model"]  # fmt: skip
    not_2023 = ["communes_ntm_modern", "communes_ntm_modern_new_in_year", "plan_communes_ntm_modern"]
    for mart, published in (("mart_province_briefing", "validation_status <> 'failed'"),
                             ("mart_commune_briefing", "validation_status <> 'failed'"),
                             ("mart_district_briefing", "validation_status <> 'failed'"),
                             ("mart_national_briefing", "true")):  # fmt: skip
        for month, nulls, present in ((MARCH_2026, not_2026, not_2023[:2]), (DECEMBER_2023, not_2023, not_2026[:7])):
            rows = query(
                tmp / "serving.duckdb",
                f"select {', '.join(f'count({c})' for c in nulls + present)}, count(*) from marts.{mart} "
                f"where period_month = ? and {published}",
                [month],
            )
            counts, total = rows[0][:-1], rows[0][-1]
            if total:
                assert list(counts) == [0] * len(nulls) + [total] * len(present), (mart, month)


@pytest.mark.parametrize(("province", "month"), [("06", DECEMBER_2023), ("19", MARCH_2026)])
def test_every_number_of_the_report_and_the_page_is_a_number_of_the_marts(run, province, month):
    """Both eras: the district month of Bắc Kạn and the commune month of Thái Nguyên, with its warnings."""
    _, _, tmp = run
    directory = tmp / "reports" / "briefing" / province / f"{month:%Y-%m}"
    assert check_report(directory, tmp / "serving.duckdb", province, month) > 100


def test_a_district_workbook_of_2026_is_told_why_in_its_own_feedback(run, mixed_inbox, units):
    """Rejected at its cover (no districts after 06/2025), the file still names whom and when: the district gets
    a feedback workbook saying, in one line, that the unit it names is not one of the month."""
    _, _, tmp = run
    district = next(d for d in units.at(DECEMBER_2023).provinces["19"].districts if d.xa)
    path = tmp / "reports" / "feedback" / "19" / "2026-03" / f"phan-hoi-{district.code}-2026-03.xlsx"
    sheet = openpyxl.load_workbook(path)["PhanHoi"]
    header = [c.value for c in sheet[4]]
    (row,) = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=5)]
    assert row["Tệp đã gửi"] == "BC NTM T3 2026 - huyện.xlsx"
    problem = row["Vấn đề"]  # whose code it was, and until when: the unit writes its code after the reform
    assert problem.startswith("Mã đơn vị ở trang ThongTinChung không thuộc đơn vị nào còn hiệu lực trong tháng "
                              f"03/2026 (mã này là của {district.name}, ")  # fmt: skip
    assert "–30/06/2025" in problem and "today" not in problem
    assert row["Hậu quả"] == "cả biểu bị từ chối, số liệu chưa được tiếp nhận"


def test_the_superset_dashboard_opens_on_each_provinces_latest_month_with_rows_in_every_chart(run):
    """`make bi`'s datasets (tests/bi/superset_dashboard.py) on this serving file, read with DuckDB as Superset
    reads it, in the dashboard's default view (each province's latest month): Bắc Kạn 12/2023 (districts) and
    Thái Nguyên 03/2026 (communes) side by side, each row naming its province and month; the district-era charts
    show Bắc Kạn's 8 districts, the commune-era charts Thái Nguyên's commune groups; every chart's columns are
    there, filled. (Before, the dashboard took the latest month of all and opened on three empty charts.)"""
    from tests.bi import superset_dashboard as bi

    with duckdb.connect(str(run[2] / "serving.duckdb"), read_only=True) as con:

        def rows(key: str) -> list[dict]:
            cursor = con.execute(bi.default_view_sql(key))
            columns = [d[0] for d in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

        found = {key: rows(key) for key in bi.DATASETS}
    assert sorted((r["tinh"], r["thang"], r["don_vi_bao_cao"]) for r in found["province"]) == [
        ("Tỉnh Bắc Kạn", "12/2023", "các huyện báo cáo"),
        ("Tỉnh Thái Nguyên", "03/2026", "các xã báo cáo"),
    ]
    assert {(r["tinh"], r["thang"]) for r in found["district"]} == {("Tỉnh Bắc Kạn", "12/2023")}
    assert len(found["district"]) == 8
    assert {(r["tinh"], r["thang"]) for r in found["commune_group"]} == {("Tỉnh Thái Nguyên", "03/2026")}
    assert sum(r["communes_total"] for r in found["commune_group"]) == mixed_communes(run)
    for dataset, chart, form, _ in bi.CHARTS:
        used = form.get("all_columns") or [m["column"]["column_name"] for m in form["metrics"]]
        if "x_axis" in form:
            used = [*used, form["x_axis"]]
        for column in used:
            values = [row[column] for row in found[dataset]]
            assert values and None not in values, (chart, column)
    assert bi.month_label("2023-12") == "12/2023"


def mixed_communes(run) -> int:
    """The communes Thái Nguyên's published 03/2026 row counts (the commune-group chart must add up to it)."""
    rows = query(
        run[2] / "serving.duckdb",
        "select communes_total from marts.mart_province_briefing where province_code = '19' and period_month = ?",
        [MARCH_2026],
    )
    return rows[0][0]
