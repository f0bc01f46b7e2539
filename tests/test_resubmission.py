"""Corrections and problems of one district in the sample inbox: what is read again, held back, named and published."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from expectations import SUITES
from orchestration import cli
from tests.runs import PERIOD, province_row, run_pipeline

pytestmark = [pytest.mark.usefixtures("paths_isolated"), pytest.mark.pipeline]


def _edit(inbox: Path, district: str, sheet: str, change) -> None:
    path = next(inbox.glob(f"*T12 2023 - {district}*"))
    book = openpyxl.load_workbook(path)
    change(book[sheet])
    book.save(path)


def test_a_district_total_one_off_is_a_named_warning_and_the_detail_publishes(
    tmp_path, sample_inbox, dbt_manifest, paths_isolated, capsys
):
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)

    def one_more_3_star(sheet):
        for row in sheet.iter_rows():
            if row[0].value == "Số sản phẩm OCOP 3 sao":
                row[1].value += 1

    _edit(inbox, "Ba Bể", "TongHop", one_more_3_star)

    code, warehouse = run_pipeline(tmp_path, inbox)
    out = capsys.readouterr().out
    assert code == 0
    assert "WARNING  ocop_star_counts.ocop_3_star_match_district_total: district 061, 12/2023: " in out
    assert "detail_3_star = 31, reported_3_star = 32" in out
    row = province_row(warehouse)
    assert (row["ocop_products"], row["ocop_3_star"], row["validation_status"]) == (218, 199, "warning")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = dict(
            con.execute(
                "select district_code, validation_status from marts.mart_district_briefing where period_month = ?",
                [PERIOD],
            ).fetchall()
        )
    assert statuses.pop("061") == "warning"
    assert set(statuses.values()) == {"passed"}


def test_a_district_contradicting_itself_is_held_back_and_the_rest_publishes(
    tmp_path, sample_inbox, dbt_manifest, paths_isolated, capsys
):
    """Critical for a district's month: the same commune twice in B01 with different values."""
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)

    def first_commune_twice_disagreeing(sheet):
        sheet.insert_rows(7)
        for column in range(1, sheet.max_column + 1):
            sheet.cell(row=7, column=column).value = sheet.cell(row=6, column=column).value
        sheet.cell(row=7, column=4).value = "Chưa đạt" if sheet.cell(row=6, column=4).value in ("x", "Đạt", 1) else "x"

    _edit(inbox, "Chợ Đồn", "B01_TieuChiXa", first_commune_twice_disagreeing)

    code, _ = run_pipeline(tmp_path, inbox)
    out = capsys.readouterr().out
    assert code == 0  # the rest publishes
    assert "CRITICAL unit_consistency.each_commune_once_per_month: district 064, 12/2023" in out
    with duckdb.connect(str(tmp_path / "serving.duckdb"), read_only=True) as con:
        districts = {
            d: (status, total)
            for d, status, total in con.execute(
                "select district_code, validation_status, communes_total from marts.mart_district_briefing "
                "where period_month = ?",
                [PERIOD],
            ).fetchall()
        }
        province = con.execute(
            "select validation_status, districts_reported, communes_total, ocop_products "
            "from marts.mart_province_briefing where period_month = ?",
            [PERIOD],
        ).fetchone()
    assert districts.pop("064") == ("failed", None)
    assert {status for status, _ in districts.values()} == {"passed"}
    assert province == ("failed", 8, 95 - 19, 218 - 38)  # Chợ Đồn's 19 communes and 38 products are held back


def _rows(sheet, column: int, first: int):
    return [row for row in sheet.iter_rows(min_row=first) if row[column].value not in (None, "")]


def test_the_office_sees_each_warning_by_district_and_the_figures_publish(
    tmp_path, sample_inbox, dbt_manifest, paths_isolated, capsys
):
    """Coverage, totals rows, the reference list and the previous month, as the office reads them."""
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)
    next(inbox.glob("*T12 2023 - Na Rì*")).unlink()  # Na Rì has not sent December

    def criteria_total_one_off(sheet):
        total = next(row for row in sheet.iter_rows() if row[2].value == "Tổng cộng")
        total[22].value = sum(row[22].value for row in _rows(sheet, 1, 6)) + 1

    def ntm_commune_unrecognised(sheet):
        row = next(row for row in _rows(sheet, 1, 6) if row[23].value == "NTM")
        row[23].value = "Chưa đạt"
        for cell in row[24:28]:
            cell.value = None
        return row

    def unlisted_code(sheet):
        _rows(sheet, 1, 6)[-1][1].value = "99999"

    def first_line_undisbursed(sheet):
        sheet["E4"].value, sheet["F4"].value = 0, None

    def half_the_products_gone(sheet):
        products = len(_rows(sheet, 2, 4))
        sheet.delete_rows(4, products // 2)

    _edit(inbox, "Chợ Mới", "B01_TieuChiXa", criteria_total_one_off)
    _edit(inbox, "Ba Bể", "B01_TieuChiXa", ntm_commune_unrecognised)
    _edit(inbox, "Chợ Đồn", "B01_TieuChiXa", unlisted_code)
    _edit(inbox, "Bạch Thông", "B05_NguonVon", first_line_undisbursed)
    _edit(inbox, "Chợ Đồn", "B04_OCOP", half_the_products_gone)

    code, _ = run_pipeline(tmp_path, inbox)
    out = capsys.readouterr().out
    assert code == 0  # warnings publish
    expected_lines = [
        "WARNING  coverage.every_district_reported: province 06, 12/2023: ",
        "units_reported = 7, units_expected = 8 (Huyện Na Rì (066))",
        "WARNING  unit_totals.b01_criteria_met_sum_match_totals_row: district 065, 12/2023: ",
        "WARNING  plausibility.no_commune_loses_a_level: district 061, 12/2023: ",
        ": ntm → not_yet)",
        "WARNING  reference_integrity.commune_in_reference_list: district 064, 12/2023: ",
        "communes_not_in_reference_list = 1, allowed = 0 (99999 ",
        "WARNING  plausibility.disbursement_does_not_go_down: district 063, 12/2023: ",
        "WARNING  plausibility.ocop_products_within_10_pct: district 064, 12/2023: ",
    ]
    for line in expected_lines:
        assert line in out
    assert "CRITICAL" not in out
    docs = tmp_path / "reports" / "validation"
    assert f"Great Expectations Data Docs: {docs / 'index.html'}" in out
    pages = {page.parts[-4] for page in docs.glob("validations/*/*/*/*.html")}
    # a page per suite that had rows to validate: this inbox has no commune month (commune_totals: tests/test_present)
    assert pages == {suite.SUITE for suite in SUITES} - {"commune_totals"}

    with duckdb.connect(str(tmp_path / "serving.duckdb"), read_only=True) as con:
        statuses = dict(
            con.execute(
                "select district_code, validation_status from marts.mart_district_briefing where period_month = ?",
                [PERIOD],
            ).fetchall()
        )
        province = con.execute(
            "select validation_status, districts_reported, communes_total from marts.mart_province_briefing "
            "where period_month = ?",
            [PERIOD],
        ).fetchone()
    flagged = {d: s for d, s in statuses.items() if s != "passed"}
    assert flagged == dict.fromkeys(["061", "063", "064", "065"], "warning")
    assert "066" not in statuses
    assert province[:2] == ("warning", 7)


DECEMBER_FILES = "select district_code, file_sha256 from raw.workbook_covers where period_month = '2023-12-01'"


def test_a_resubmission_reloads_only_its_district_month(tmp_path, sample_inbox, dbt_manifest, paths_isolated):
    """Ba Bể resends December: `ntm-ocop run` reads that workbook alone, and only month 2023-12 of raw/workbooks is
    materialised again, its metadata naming the file and the eight districts loaded. A backfill of both months is
    one run over their two month partitions, each read again whole."""
    import dagster as dg

    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)
    code, warehouse = run_pipeline(tmp_path, inbox)
    assert code == 0
    key = dg.AssetKey(["raw", "workbooks"])

    def latest_by_partition(instance) -> dict[str, dg.EventLogRecord]:
        records = instance.fetch_materializations(key, limit=1000, ascending=True).records
        return {r.partition_key: r for r in records}

    with dg.DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        first = latest_by_partition(instance)
        assert instance.get_materialized_partitions(key) == {"2023-11", "2023-12"}  # the months read, no others
    metadata = first["2023-12"].asset_materialization.metadata
    assert (metadata["files_read_count"].value, metadata["units_loaded_count"].value) == (8, 8)
    assert (metadata["units_missing_count"].value, metadata["units_missing"].value) == (0, "none")
    assert metadata["units_by_province"].value == {"06": {"loaded": 8, "missing": 0}}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = dict(con.execute(DECEMBER_FILES).fetchall())

    path = next(inbox.glob("*T12 2023 - Ba Bể*"))
    book = openpyxl.load_workbook(path)
    book["ThongTinChung"]["B9"].value = "Văn phòng Điều phối NTM Ba Bể (gửi lại)"
    book.save(path)
    code, _ = run_pipeline(tmp_path, inbox)  # the planner's run, as the inbox sensor's would be
    assert code == 0
    with dg.DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        latest = latest_by_partition(instance)
    changed = {p for p in latest if latest[p].run_id != first[p].run_id}
    assert changed == {"2023-12"}
    metadata = latest["2023-12"].asset_materialization.metadata
    # that workbook alone: not the file it replaces, not the other districts; the month still has all eight
    assert (metadata["files_read"].value, metadata["files_read_count"].value) == (path.name, 1)
    assert metadata["units_loaded_count"].value == 8
    with duckdb.connect(str(warehouse), read_only=True) as con:
        after = dict(con.execute(DECEMBER_FILES).fetchall())
        superseded = con.execute("select count(*) from audit.received_files where status = 'superseded'").fetchone()
    assert {d for d in after if after[d] != before[d]} == {"061"}
    assert superseded == (1,)

    # A backfill of both months, from the CLI: one run re-reads every district's current workbook.
    before_backfill = province_row(warehouse)
    assert cli.main(["backfill", "--from", "2023-11", "--to", "2023-12", "--warehouse", str(warehouse)]) == 0
    with dg.DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        backfilled = latest_by_partition(instance)
    assert set(backfilled) == {"2023-11", "2023-12"} and len({r.run_id for r in backfilled.values()}) == 1
    assert all(r.asset_materialization.metadata["files_read_count"].value == 8 for r in backfilled.values())
    assert province_row(warehouse) == before_backfill
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert dict(con.execute(DECEMBER_FILES).fetchall()) == after
        assert con.execute("select count(*) from raw.commune_criteria").fetchone()[0] == 2 * 95
