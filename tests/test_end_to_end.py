"""Sample workbooks -> `ntm-ocop run` -> marts, asserting Bắc Kạn's published 2023 figures.

../shared/reference/published-figures.md, the rows a December 2023 report can show. The inbox
holds November and December 2023, so month-over-month figures are checked too.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import openpyxl
import pytest

import samples as sample
from expectations import SUITES
from orchestration import cli
from publishing.measures import published as published_measures
from samples import generate

PERIOD = dt.date(2023, 12, 1)
PREVIOUS = dt.date(2023, 11, 1)


def run_pipeline(tmp: Path, inbox: Path) -> tuple[int, Path]:
    warehouse = tmp / "warehouse.duckdb"
    code = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    return code, warehouse


@pytest.fixture(scope="module")
def paths_isolated():
    with pytest.MonkeyPatch.context() as mp:
        for name in ("NTM_INBOX", "NTM_WAREHOUSE", "NTM_DATA_DIR", "DAGSTER_HOME"):
            mp.delenv(name, raising=False)
            mp.setenv(name, "/nonexistent-set-by-the-cli")
        yield


@pytest.fixture(scope="module")
def sample_inbox(tmp_path_factory, units) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    generate("06", PREVIOUS, inbox, units=units)
    generate("06", PERIOD, inbox, units=units)
    return inbox


@pytest.fixture(scope="module")
def published(tmp_path_factory, sample_inbox, dbt_manifest, paths_isolated):
    tmp = tmp_path_factory.mktemp("run")
    code, warehouse = run_pipeline(tmp, sample_inbox)
    return code, warehouse


def province_row(warehouse: Path, period: dt.date = PERIOD) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.mart_province_briefing where province_code = '06' and period_month = ?", [period]
        )
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row, strict=True))


def test_run_publishes_and_exits_zero(published, capsys):
    code, warehouse = published
    assert code == 0
    assert warehouse.exists()


def test_the_dbt_unit_tests_pass_on_the_built_warehouse(published, tmp_path):
    """dbt's unit tests (the models' SQL on fixed inputs) are left out of production builds; they run here, on a
    warehouse whose relations the pipeline built, and every one the project defines must run and pass."""
    import json

    from orchestration.defs.transform.project import DBT_EXECUTABLE, dbt_project

    _, warehouse = published
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    defined = {uid for uid in manifest.get("unit_tests", {})}
    assert len(defined) >= 8
    result = subprocess.run(
        [DBT_EXECUTABLE, "test", "--select", "test_type:unit", "--vars", json.dumps({"warehouse": str(warehouse)}),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path)],
        cwd=dbt_project.project_dir, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    assert {r["unique_id"] for r in results} == defined
    assert {r["status"] for r in results} == {"pass"}


def test_bac_kan_published_figures(published):
    _, warehouse = published
    row = province_row(warehouse)
    figures = {
        "districts_expected": 8,
        "districts_reported": 8,
        "communes_total": 95,
        "communes_19_criteria": 29,
        "communes_15_18_criteria": 5,
        "communes_10_14_criteria": 33,
        "communes_5_9_criteria": 28,
        "communes_under_5_criteria": 0,
        "avg_criteria_met": 12.81,
        "communes_ntm_new_in_year": 5,
        "plan_communes_ntm": 17,
        "communes_ntm_advanced_new_in_year": 2,
        "plan_communes_ntm_advanced": 6,
        "ocop_products": 218,
        "ocop_3_star": 199,
        "ocop_4_star": 18,
        "ocop_5_star": 1,
        "validation_status": "passed",
    }
    assert {k: row[k] for k in figures} == figures
    assert row["pct_plan_communes_ntm"] == pytest.approx(29.4)  # 5 / 17
    assert row["pct_plan_communes_ntm_advanced"] == pytest.approx(33.3)  # 2 / 6


def test_bac_kan_published_figures_of_template_2024_2(published):
    """The sample's 2024.2 sheets give the rest of the Bắc Kạn briefing: 71 OCOP products evaluated, 12 re-certified
    3★, 48 rated (4 at 4★, 44 at 3★); the advanced set 4 / 1 / 9 / 9 communes, average 7.6."""
    _, warehouse = published
    row = province_row(warehouse)
    assert (row["ocop_evaluated"], row["ocop_dossiers"], row["ocop_dossiers_failed"]) == (71, 71, 11)
    assert (row["communes_in_advanced_set"], row["communes_advanced_all_criteria"]) == (23, 4)
    assert row["avg_advanced_criteria_met"] == pytest.approx(7.6)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        passed = con.execute(
            "select dossier_type, stars_proposed, count(*) from marts.fct_ocop_dossier where province_code = '06' "
            "and period_month = ? and is_evaluated and not is_failed group by all order by all",
            [PERIOD],
        ).fetchall()
        bands = con.execute(
            "with marks as (select commune_code, criteria_set_code, count_if(is_met) as met "
            "from marts.fct_commune_advanced_criteria where province_code = '06' and period_month = ? group by all) "
            "select band_code, count(*) from marts.dim_criteria_band b join marks on marks.criteria_set_code = "
            "b.criteria_set_code and marks.met between b.min_criteria and b.max_criteria group by all",
            [PERIOD],
        ).fetchall()
    assert passed == [("new", 3, 44), ("new", 4, 4), ("reevaluation", 3, 12)]
    assert dict(bands) == {"19": 4, "10-14": 1, "5-9": 9, "under 5": 9}


def test_no_ntm_commune_in_pac_nam_and_ngan_son(published):
    _, warehouse = published
    with duckdb.connect(str(warehouse), read_only=True) as con:
        none = con.execute(
            """
            select d.district_short_name from marts.mart_district_briefing b
            join marts.dim_district d using (district_code)
            where b.period_month = ? and b.communes_ntm = 0 order by 1
            """,
            [PERIOD],
        ).fetchall()
    assert none == [("Ngân Sơn",), ("Pác Nặm",)]


def test_every_mart_column_of_the_contract_is_computed(published):
    _, warehouse = published
    row = province_row(warehouse)
    # null in a district month: what template 2024.1 does not collect (who certified, commune groups, a plan for the
    # modern level of the 2026-2030 set); everything else is computed
    not_collected = {"communes_group_1", "communes_group_2", "communes_group_3", "ocop_district_level",
                     "ocop_province_level", "ocop_central_level", "plan_communes_ntm_modern"}  # fmt: skip
    # and a ratio without its plan: the sample plans no model commune (XA_NTM_KIEU_MAU 0)
    no_plan = {"pct_plan_communes_ntm_model"}
    assert sorted(k for k, value in row.items() if value is None) == sorted(not_collected | no_plan)
    columns = list(row)
    assert columns[:2] == ["province_code", "period_month"]
    # the columns added with template 2026.1 follow validation_status, those of 2024.2 follow is_sample_data: the
    # earlier ones keep their places
    added_2024_2 = [m.name for m in published_measures() if m.added == "2024.2"]
    assert columns[columns.index("is_sample_data") + 1 :] == added_2024_2
    assert columns[columns.index("validation_status") + 1 : columns.index("is_sample_data") + 1][-4:] == [
        "reporting_unit_level", "units_expected", "units_reported", "is_sample_data"]  # fmt: skip
    assert (row["reporting_unit_level"], row["units_expected"], row["units_reported"]) == ("district", 8, 8)
    assert row["is_sample_data"] is True  # the sample's covers carry the mark
    # Villages: recognised in earlier years, none reached in 2023 (published: "0, none planned were reached").
    assert row["villages_ntm"] > row["villages_model"] > 0


def test_districts_sum_to_the_province(published):
    _, warehouse = published
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mismatches = con.execute(
            """
            select count(*) from marts.mart_province_briefing p
            join (select province_code, period_month, sum(communes_ntm) ntm, sum(ocop_products) ocop,
                         sum(communes_19_criteria) c19, sum(fund_allocated_mil_vnd) alloc
                  from marts.mart_district_briefing group by all) d using (province_code, period_month)
            where p.communes_ntm <> d.ntm or p.ocop_products <> d.ocop or p.communes_19_criteria <> d.c19
               or p.fund_allocated_mil_vnd <> d.alloc
            """
        ).fetchone()[0]
    assert mismatches == 0


def test_validation_results_are_recorded_per_district(published):
    _, warehouse = published
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select count(distinct district_code), bool_and(success) from audit.validation_results "
            "where suite = 'ocop_star_counts'"
        ).fetchone()
    assert rows == (8, True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        months = con.execute("select count(distinct (district_code, period_month)) from audit.validation_results")
        assert months.fetchone()[0] == 16 + 2  # and the province's coverage, each month


def test_rerun_on_the_same_inbox_changes_nothing(published, sample_inbox):
    _, warehouse = published
    before = province_row(warehouse)
    code = cli.main(["run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse)])
    assert code == 0
    assert province_row(warehouse) == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*), count(distinct file_sha256) from audit.received_files").fetchone() == (
            16,
            16,
        )
        assert con.execute("select count(*) from raw.commune_criteria").fetchone()[0] == 2 * 95


def test_a_district_total_one_off_is_a_named_warning_and_the_detail_publishes(
    tmp_path, sample_inbox, dbt_manifest, paths_isolated, capsys
):
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)
    path = next(inbox.glob("*T12 2023 - Ba Bể*"))
    book = openpyxl.load_workbook(path)
    for row in book["TongHop"].iter_rows():
        if row[0].value == "Số sản phẩm OCOP 3 sao":
            row[1].value += 1
    book.save(path)

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


def test_month_over_month(published):
    """November is December with the month's events undone: the marts show exactly those events."""
    _, warehouse = published
    november, december = province_row(warehouse, PREVIOUS), province_row(warehouse, PERIOD)
    assert december["communes_ntm"] - november["communes_ntm"] == sample.BK_DECEMBER_NTM
    assert december["communes_ntm_new_in_year"] - november["communes_ntm_new_in_year"] == sample.BK_DECEMBER_NTM
    assert december["communes_ntm_advanced"] - november["communes_ntm_advanced"] == sample.BK_DECEMBER_ADVANCED
    assert november["avg_criteria_met"] < december["avg_criteria_met"] == 12.81
    assert november["ocop_products"] < december["ocop_products"] == 218
    with duckdb.connect(str(warehouse), read_only=True) as con:
        progress = con.execute(
            """
            select count(*) filter (where criteria_gained is not null),
                   count(*) filter (where criteria_lost is not null),
                   count(*) filter (where is_level_changed),
                   sum(criteria_met_change),
                   count(*) filter (where previous_period_month = ?)
            from marts.mart_commune_progress where period_month = ?
            """,
            [PREVIOUS, PERIOD],
        ).fetchone()
        criteria_sum = con.execute(
            "select sum(criteria_met) filter (where period_month = ?)"
            " - sum(criteria_met) filter (where period_month = ?) from marts.fct_commune_status",
            [PERIOD, PREVIOUS],
        ).fetchone()[0]
    gained = sample.BK_DECEMBER_NTM + sample.BK_DECEMBER_CRITERIA_GAINED
    assert progress == (gained, 0, sample.BK_DECEMBER_NTM + sample.BK_DECEMBER_ADVANCED, criteria_sum, 95)


def test_the_current_ocop_list(published):
    _, warehouse = published
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = dict(con.execute("select status, count(*) from marts.mart_ocop_products group by 1").fetchall())
        months = con.execute("select distinct as_of_month from marts.mart_ocop_products").fetchall()
    assert statuses["valid"] + statuses["re-certified"] == 218
    assert statuses["re-certified"] == 12  # published: 12 products re-certified at 3★ in 2023
    assert months == [(PERIOD,)]


def test_hardest_criteria_are_ranked(published):
    _, warehouse = published
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ranked = con.execute(
            """
            select criterion_number, communes_not_meeting, share_not_meeting_pct from marts.mart_criteria_gaps
            where geo_level = 'province' and period_month = ? order by hardest_rank, criterion_number
            """,
            [PERIOD],
        ).fetchall()
    assert len(ranked) == 19
    assert [n for n, *_ in ranked[:2]] == [13, 17]  # production organisation and environment, as provinces report
    assert [c for _, c, _ in ranked] == sorted((c for _, c, _ in ranked), reverse=True)


# --- write, audit, publish: BI tools read the serving database -------------------------------------


def test_the_month_reads_against_its_criteria_set_and_budget_money_apart(published):
    """12/2023 is a month of the 2021-2025 set: 'all criteria' is 19, and its bands are rows of mart_criteria_bands."""
    _, warehouse = published
    row = province_row(warehouse)
    assert (row["criteria_set_code"], row["criteria_in_set"]) == ("ntm-xa-2021-2025", 19)
    assert row["communes_all_criteria"] == row["communes_19_criteria"] == 29
    with duckdb.connect(str(warehouse), read_only=True) as con:
        bands = dict(
            con.execute(
                "select band_code, communes from marts.mart_criteria_bands "
                "where province_code = '06' and district_code is null and period_month = ?",
                [PERIOD],
            ).fetchall()
        )
        sources = con.execute(
            "select sum(allocated_mil_vnd) filter (where sources.is_state_budget), sum(allocated_mil_vnd) "
            "from marts.fct_fund_position join marts.dim_fund_source as sources using (fund_source_code) "
            "where province_code = '06' and period_month = ? and plan_year = 2023",
            [PERIOD],
        ).fetchall()[0]
    assert bands == {"19": 29, "15-18": 5, "10-14": 33, "5-9": 28, "under 5": 0}
    # The briefing's disbursement rate is over the state budget; the all-sources figures stay beside it.
    assert row["fund_budget_allocated_mil_vnd"] == sources[0] < row["fund_allocated_mil_vnd"] == sources[1]
    budget_rate = 100 * float(row["fund_budget_disbursed_mil_vnd"]) / float(row["fund_budget_allocated_mil_vnd"])
    assert row["fund_budget_disbursement_pct"] == pytest.approx(budget_rate, abs=0.005)


def test_the_serving_database_holds_what_the_run_published(published):
    _, warehouse = published
    serving = warehouse.parent / "serving.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:
        published_rows = con.execute("select * from marts.mart_province_briefing order by all").fetchall()
        tables = con.execute("select tables from publication").fetchone()[0]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        built_rows = con.execute("select * from marts.mart_province_briefing order by all").fetchall()
        public = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts' and table_type = 'BASE TABLE'"
        ).fetchone()[0]
    assert published_rows == built_rows and len(published_rows) == 2
    assert tables == public == 38


def test_the_oldest_duckdb_of_a_bi_client_reads_every_published_table(published):
    """The reader canary: a separate process with the DuckDB that Evidence embeds (1.4) opens the serving file
    read-only, fetches every row of every table, and finds what the warehouse (DuckDB 2.0) built."""
    from tests.readers import OLDEST_BI_DUCKDB, duckdb_python, read_every_table

    _, warehouse = published
    seen = read_every_table(duckdb_python(OLDEST_BI_DUCKDB), warehouse.parent / "serving.duckdb")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute(
            "select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'marts'"
        ).fetchall()
        built = {f"marts.{n}": con.execute(f"select count(*) from marts.{n}").fetchone()[0] for (n,) in names}
        built["main.validation_results"] = con.execute(
            "select count(*) from intermediate.int_validation__latest_results"
        ).fetchone()[0]
    built["main.publication"] = 1
    assert seen["duckdb"] == OLDEST_BI_DUCKDB
    assert seen["tables"] == built
    assert built["marts.mart_province_briefing"] == 2 and built["main.validation_results"] > 0


def test_the_run_publishes_into_postgresql_beside_the_serving_file(published, sample_inbox, postgres_url):
    """`ntm-ocop run --serving postgresql://...`: the same marts and validation results, swapped in whole."""
    import psycopg

    _, warehouse = published
    code = cli.main(["run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse), "--serving", postgres_url])
    assert code == 0

    def by_month(cursor) -> dict:
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        as_number = lambda v: float(v) if isinstance(v, decimal.Decimal) else v  # noqa: E731
        return {row["period_month"]: {k: as_number(v) for k, v in row.items()} for row in rows}

    with duckdb.connect(str(warehouse.parent / "serving.duckdb"), read_only=True) as con:
        in_file = by_month(con.execute("select * from marts.mart_province_briefing"))
        run_id, tables = con.execute("select run_id, tables from publication").fetchone()
        results = con.execute("select count(*) from validation_results").fetchone()[0]
    with psycopg.connect(postgres_url) as pg:
        in_postgres = by_month(pg.execute("select * from marts.mart_province_briefing"))
        assert pg.execute("select run_id, tables from marts_meta.publication").fetchone() == (run_id, tables)
        assert pg.execute("select count(*) from marts_meta.validation_results").fetchone()[0] == results
        assert (
            pg.execute("select count(*) from information_schema.tables where table_schema = 'marts'").fetchone()[0]
            == tables
        )
    assert in_postgres == in_file and len(in_file) == 2


# Defects of the warehouse itself, as a reader defect would make them in a raw table: what the run must name.
DEFECTS = {
    # a failing dbt test, recorded by the model's `dbt_tests` check: a 6★ certificate
    "a failing dbt test": (
        ["insert into raw.ocop_products select * replace (6 as stars, row_number + 1000 as row_number) "
         "from raw.ocop_products limit 1"],
        "FAILED CHECK marts/fct_ocop_certification: accepted_values_fct_ocop_certification_stars",
    ),
    # a null where a mart's contract says not_null (a constraint, not a test): the model does not build
    "a null against a mart's contract": (
        ["alter table raw.ocop_products alter column decision_date drop not null",
         "update raw.ocop_products set decision_date = null "
         "where row_number = (select min(row_number) from raw.ocop_products)"],
        "FAILED STEP dbt_warehouse: dbt model failed: fct_ocop_certification: Runtime Error in model "
        "fct_ocop_certification (models/marts/fct_ocop_certification.sql) Constraint Error: NOT NULL constraint "
        "failed: fct_ocop_certification__dbt_tmp.certificate_id",
    ),
}  # fmt: skip


@pytest.mark.parametrize("defect", DEFECTS)
def test_a_defect_in_the_warehouse_publishes_nothing(defect, published, tmp_path, sample_inbox, capsys):
    """A defect of our own transformations stops the run before the publish step: the serving database is
    byte-identical, the CLI names the failing test or model, and the run's alert is written."""
    statements, named = DEFECTS[defect]
    _, warehouse = published
    run_dir = tmp_path / "run"
    shutil.copytree(warehouse.parent, run_dir)
    serving = run_dir / "serving.duckdb"
    before = serving.read_bytes()
    with duckdb.connect(str(run_dir / warehouse.name)) as con:
        for statement in statements:
            con.execute(statement)
    code = cli.main(["run", "--inbox", str(sample_inbox), "--warehouse", str(run_dir / warehouse.name)])
    out = capsys.readouterr().out
    assert code == 1
    assert named in out
    assert serving.read_bytes() == before
    alert = (run_dir / "reports" / "alerts.log").read_text(encoding="utf-8")  # a CLI run alerts as the sensor does
    assert "RUN FAILED" in alert and "what failed: dbt_warehouse" in alert and "what to do:" in alert


def test_a_reader_keeps_a_consistent_view_while_a_publish_replaces_the_file(published, tmp_path):
    from publishing.serving import publish

    _, warehouse = published
    work = tmp_path / "w.duckdb"
    shutil.copy(warehouse, work)
    serving = tmp_path / "serving.duckdb"
    publish(work, serving, "first")
    reader = duckdb.connect(str(serving), read_only=True)
    try:
        with duckdb.connect(str(work)) as con:  # the next month's figures change the marts
            con.execute("update marts.mart_province_briefing set communes_total = communes_total + 1")
        publish(work, serving, "second")
        # The open reader still sees the file it opened: the first publication, whole.
        assert reader.execute("select run_id from publication").fetchone()[0] == "first"
        totals = reader.execute("select communes_total from marts.mart_province_briefing order by all").fetchall()
        assert totals == [(95,), (95,)]
    finally:
        reader.close()
    with duckdb.connect(str(serving), read_only=True) as fresh:
        assert fresh.execute("select run_id from publication").fetchone()[0] == "second"
        assert fresh.execute("select min(communes_total) from marts.mart_province_briefing").fetchone()[0] == 96
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "w.duckdb"]  # no staging file left


def test_killing_a_run_during_the_dbt_build_leaves_serving_unchanged_and_the_next_run_completes(
    published, tmp_path, sample_inbox
):
    _, warehouse = published
    run_dir = tmp_path / "run"
    shutil.copytree(warehouse.parent, run_dir, ignore=shutil.ignore_patterns("logs"))
    serving = run_dir / "serving.duckdb"
    before = serving.read_bytes()
    args = ["run", "--inbox", str(sample_inbox), "--warehouse", str(run_dir / warehouse.name)]
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", *args],
        cwd=Path(__file__).resolve().parents[1],
        start_new_session=True,  # its own process group: the kill takes dbt with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not any("START sql" in log.read_text(errors="ignore") for log in run_dir.glob("logs/run-*.log")):
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before dbt started"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert serving.read_bytes() == before  # nothing half-published

    assert cli.main(args) == 0  # the next run completes on the same files
    assert province_row(run_dir / warehouse.name) == province_row(warehouse)
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("select count(*) from marts.mart_province_briefing").fetchone()[0] == 2


def test_a_district_contradicting_itself_is_held_back_and_the_rest_publishes(
    tmp_path, sample_inbox, dbt_manifest, paths_isolated, capsys
):
    """Critical for a district's month: the same commune twice in B01 with different values."""
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)
    path = next(inbox.glob("*T12 2023 - Chợ Đồn*"))
    book = openpyxl.load_workbook(path)
    sheet = book["B01_TieuChiXa"]
    sheet.insert_rows(7)
    for column in range(1, sheet.max_column + 1):
        sheet.cell(row=7, column=column).value = sheet.cell(row=6, column=column).value
    sheet.cell(row=7, column=4).value = "Chưa đạt" if sheet.cell(row=6, column=4).value in ("x", "Đạt", 1) else "x"
    book.save(path)

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


def _edit(inbox: Path, district: str, sheet: str, change) -> None:
    path = next(inbox.glob(f"*T12 2023 - {district}*"))
    book = openpyxl.load_workbook(path)
    change(book[sheet])
    book.save(path)


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


def test_the_briefing_pack_states_the_headline_figures_in_vietnamese(published, capsys):
    _, warehouse = published
    pack = warehouse.parent / "reports" / "briefing" / "06" / "2023-12"
    page = (pack / "bao-cao-giao-ban-06-2023-12.html").read_text(encoding="utf-8")
    for sentence in [
        "Lũy kế đến nay toàn tỉnh có 32 xã đạt chuẩn NTM (33,7 % tổng số 95 xã), 4 xã đạt chuẩn NTM nâng cao, "
        "0 xã đạt chuẩn NTM kiểu mẫu; bình quân 12,81 tiêu chí/xã.",
        "Năm 2023: 5 xã được công nhận đạt chuẩn NTM, đạt 29,4 % kế hoạch (17 xã); "
        "2 xã đạt chuẩn NTM nâng cao, đạt 33,3 % kế hoạch (6 xã)",
        "Đạt 19 tiêu chí: 29 xã; Đạt 15-18 tiêu chí: 5 xã; Đạt 10-14 tiêu chí: 33 xã; Đạt 5-9 tiêu chí: 28 xã; "
        "Dưới 5 tiêu chí: 0 xã",
        "toàn tỉnh có 218 sản phẩm OCOP còn hiệu lực (199 sản phẩm 3 sao, 18 sản phẩm 4 sao, 1 sản phẩm 5 sao)",
        "năm 2023 có 46 sản phẩm mới, đạt 79,3 % kế hoạch (58 sản phẩm)",
        "giao 210.423,4 triệu đồng, giải ngân 154.933,2 triệu đồng, đạt 73,63 %",
        "Số huyện đã báo cáo: 8/8.",
    ]:
        assert sentence in page
    assert page.count('src="data:image/png;base64,') == 4
    assert "Tất cả các huyện đã báo cáo." in page and "Không có cảnh báo." in page

    book = openpyxl.load_workbook(pack / "bao-cao-giao-ban-06-2023-12.xlsx")
    assert book.sheetnames == ["TomTat", "Huyen", "TieuChi", "NguonVon", "CanhBao", "BieuDo"]
    # made from the sample: every sheet's first row says so, the tables start below it
    assert all(sheet["A1"].value.startswith("Dữ liệu mẫu — không phải số liệu chính thức") for sheet in book)
    assert book["TomTat"]["A5"].value.startswith("Lũy kế đến nay toàn tỉnh có 32 xã đạt chuẩn NTM")
    districts = {row[0]: row[1:] for row in book["Huyen"].iter_rows(min_row=3, values_only=True)}
    assert len(districts) == 8 and sum(r[0] for r in districts.values()) == 95  # numbers stay numbers
    assert len(book["BieuDo"]._images) == 4

    # On demand, for any published month: November too.
    assert cli.main(["briefing", "--province", "06", "--period", "2023-11", "--data-dir", str(warehouse.parent),
                     "--serving", str(warehouse.parent / "serving.duckdb")]) == 0  # fmt: skip
    assert "bao-cao-giao-ban-06-2023-11.html" in capsys.readouterr().out


def test_status_lists_months_runs_and_rejections(published, capsys):
    _, warehouse = published
    assert cli.main(["status", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert (
        "06 Bắc Kạn 11/2023: 8/8 districts - complete" in out and "06 Bắc Kạn 12/2023: 8/8 districts - complete" in out
    )
    assert "Rejected files to chase: 0" in out
    assert "refresh_warehouse 2023-11|" in out and "SUCCESS" in out
    assert "Publication for the briefing: on time: last published" in out  # published by this test session


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
