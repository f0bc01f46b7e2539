"""Sample workbooks -> `ntm-ocop run` -> marts, asserting Bắc Kạn's published 2023 figures.

../shared/reference/published-figures.md, the rows a December 2023 report can show. The inbox
holds November and December 2023, so month-over-month figures are checked too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

import samples as sample
from orchestration import cli
from publishing.measures import published as published_measures
from tests.report_numbers import check_report
from tests.runs import PERIOD, PREVIOUS, province_row

pytestmark = pytest.mark.usefixtures("paths_isolated")


def test_run_publishes_and_exits_zero(published, capsys):
    code, warehouse = published
    assert code == 0
    assert warehouse.exists()


def test_the_dbt_unit_tests_pass_on_the_built_warehouse(published, tmp_path):
    """dbt's unit tests (the models' SQL on fixed inputs) are left out of production builds; they run here, on a
    warehouse whose relations the pipeline built, and every one the project defines must run and pass. dbt is
    started as a run starts it (in the warehouse's folder, by file name), so it takes the checkout's partial parse."""
    import json

    from orchestration.defs.transform.project import dbt_project
    from tests.runs import dbt

    _, warehouse = published
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    defined = {uid for uid in manifest.get("unit_tests", {})}
    assert len(defined) >= 8
    target = tmp_path / "target"
    result = dbt(warehouse, ["test", "--select", "test_type:unit"], target)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Unable to do partial parsing" not in result.stdout
    results = json.loads((target / "run_results.json").read_text())["results"]
    assert {r["unique_id"] for r in results} == defined
    assert {r["status"] for r in results} == {"pass"}


def test_a_reference_to_no_key_fails_its_test_naming_column_and_value(published, tmp_path):
    """A model's `checks` test (its keys, accepted values and references in one dbt test) passes on the built
    warehouse and finds a code that references nothing, naming the check, the key, the column and the value."""
    import shutil

    _, warehouse = published
    compiled = next((warehouse.parent / "dbt-target" / "compiled").rglob("checks_fct_commune_status.sql"))
    sql = compiled.read_text()
    copy = tmp_path / warehouse.name  # the same file name: the compiled SQL names the catalogue "warehouse"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        assert con.execute(sql).fetchall() == []
        con.execute(
            "insert into marts.fct_commune_status select * replace "
            "('99999' as commune_code, 'unheard_of' as level_code) from marts.fct_commune_status limit 1"
        )
        code, month = con.execute("select commune_code, period_month from marts.fct_commune_status "
                                  "where commune_code <> '99999' order by all limit 1").fetchone()  # fmt: skip
        con.execute("insert into marts.fct_commune_status select * from marts.fct_commune_status "
                    "where commune_code = ? and period_month = ?", [code, month])  # fmt: skip
        found = sorted(con.execute(sql).fetchall())
    assert found == [
        ("references dim_commune.commune_code", "commune_code", "99999"),
        ("references dim_level.level_code", "level_code", "unheard_of"),
        ("unique_key", "commune_code, period_month", f"{code} | {month:%Y-%m-%d}"),
    ]


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
    # null in a district month: what template 2024.1 does not collect (who certified, commune groups) and what the
    # 2021-2025 set does not have (the modern level of 2026-2030: not applicable); everything else is computed
    not_collected = {"communes_group_1", "communes_group_2", "communes_group_3", "ocop_district_level",
                     "ocop_province_level", "ocop_central_level", "plan_communes_ntm_modern", "communes_ntm_modern",
                     "communes_ntm_modern_new_in_year"}  # fmt: skip
    # and a ratio without its plan: the sample plans no model commune (XA_NTM_KIEU_MAU 0)
    no_plan = {"pct_plan_communes_ntm_model"}
    # and the reason a month's list of units is not known: Bắc Kạn's list of 12/2023 is (is_unit_list_known)
    list_known = {"unit_list_note"}
    assert sorted(k for k, value in row.items() if value is None) == sorted(not_collected | no_plan | list_known)
    assert row["is_unit_list_known"] is True
    columns = list(row)
    assert columns[:2] == ["province_code", "period_month"]
    # the columns added with template 2026.1 follow validation_status, those of 2024.2 follow is_sample_data: the
    # earlier ones keep their places
    # and those of the contract of 12/2026 (pct_communes_ntm) last
    added_2024_2 = [m.name for m in published_measures() if m.added == "2024.2"]
    added_2026_12 = [m.name for m in published_measures() if m.added == "2026.12"]
    assert columns[columns.index("is_sample_data") + 1 :] == [*added_2024_2, *added_2026_12, "is_unit_list_known",
                                                              "unit_list_note"]  # fmt: skip
    assert row["pct_communes_ntm"] == 33.7  # 32 of 95
    assert columns[columns.index("validation_status") + 1 : columns.index("is_sample_data") + 1][-4:] == [
        "reporting_unit_level", "units_expected", "units_reported", "is_sample_data"]  # fmt: skip
    assert (row["reporting_unit_level"], row["units_expected"], row["units_reported"]) == ("district", 8, 8)
    assert row["is_sample_data"] is True  # the sample's covers carry the mark
    # Villages: recognised in earlier years, none reached in 2023 (published: "0, none planned were reached").
    assert row["villages_ntm"] > row["villages_model"] > 0


def test_every_published_table_and_column_has_its_description(published):
    """The models' YAML descriptions, written by dbt (persist_docs) and carried into the serving file: what a BI
    client shows beside a column."""
    _, warehouse = published
    with duckdb.connect(str(warehouse.parent / "serving.duckdb"), read_only=True) as con:
        missing = con.execute(
            "select table_name || '.' || column_name from duckdb_columns() where schema_name = 'marts' "
            "and coalesce(comment, '') = '' union all select table_name from duckdb_tables() "
            "where coalesce(comment, '') = ''"
        ).fetchall()
        columns = con.execute("select count(*) from duckdb_columns() where schema_name = 'marts'").fetchone()[0]
    assert missing == [] and columns > 600


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


def test_rerun_on_the_same_inbox_changes_nothing(published, sample_inbox, capsys):
    """Nothing new since the last publication: nothing is read, rebuilt or republished, and the run says so."""
    _, warehouse = published
    before = province_row(warehouse)
    serving = warehouse.with_name("serving.duckdb")
    published_bytes = serving.read_bytes()
    capsys.readouterr()
    code = cli.main(["run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Nothing has changed since run " in out and "nothing rebuilt or republished" in out
    assert "Bắc Kạn (06), 12/2023 - validation: passed" in out  # the latest published month is still printed
    assert serving.read_bytes() == published_bytes
    assert province_row(warehouse) == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*), count(distinct file_sha256) from audit.received_files").fetchone() == (
            16,
            16,
        )
        assert con.execute("select count(*) from raw.commune_criteria").fetchone()[0] == 2 * 95


def test_a_run_with_nothing_new_imports_no_dagster_and_anything_new_goes_the_whole_way(
    published, sample_inbox, tmp_path
):
    """The check for a run with nothing new comes before Dagster, dbt and the definitions are imported; a file
    whose content the warehouse has not received, a link in the inbox, or a file left unread sends the run the
    whole way (where the landing step records them)."""
    import shutil
    import subprocess
    import sys

    from orchestration.cli import _unchanged_before_starting
    from orchestration.settings import Settings

    _, warehouse = published
    script = (
        "import sys\nfrom orchestration import cli\n"
        f"code = cli.main(['run', '--inbox', {str(sample_inbox)!r}, '--warehouse', {str(warehouse)!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dagster', 'dagster_dbt', 'dbt', "
        "'great_expectations'))\n"
        "print('IMPORTED', loaded)\nsys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Nothing has changed since run " in done.stdout
    assert "IMPORTED []" in done.stdout

    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)
    settings = Settings.load(inbox=inbox, warehouse=warehouse).prepare()
    assert _unchanged_before_starting(settings) is not None
    first = sorted(inbox.rglob("*.xlsx"))[0]
    shutil.copy(first, inbox / "the same content under another name.xlsx")
    assert _unchanged_before_starting(settings) is not None  # received before: nothing new
    (inbox / "link.xlsx").symlink_to(first)
    assert _unchanged_before_starting(settings) is None
    (inbox / "link.xlsx").unlink()
    (inbox / "new.xlsx").write_bytes(first.read_bytes() + b"\0")
    assert _unchanged_before_starting(settings) is None


def test_a_second_run_on_the_same_warehouse_is_refused_at_once_naming_the_first(published, sample_inbox, capsys):
    """While a run holds the warehouse, another `ntm-ocop run` on it stops at once with its own exit code and
    says which process holds it (they met at DuckDB's lock minutes in, with tracebacks); then the lock is free."""
    import fcntl

    _, warehouse = published
    serving = warehouse.with_name("serving.duckdb")
    before = serving.read_bytes()
    lock = warehouse.with_name(warehouse.name + ".run-lock")
    args = ["run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse), "--rebuild"]
    with lock.open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("process 4242 on office-pc, started 07/12/2026 08:00:00")
        held.flush()
        capsys.readouterr()
        code = cli.main(args)
        err = capsys.readouterr().err
    assert code == cli.BUSY
    assert f"another run is working on {warehouse} (process 4242 on office-pc, started 07/12/2026 08:00:00)" in err
    assert serving.read_bytes() == before
    lock.write_text("")
    code = cli.main(["run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse)])  # free again
    assert code == 0 and lock.read_text() == ""


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


def test_the_ocop_list_of_each_month_is_the_list_of_that_month(published):
    """mart_ocop_products_by_month: every month's own list, under the units and names of that month; its valid rows
    are the month's OCOP figures (218 in 12/2023, the 11/2023 count in 11/2023), whatever today's list holds."""
    _, warehouse = published
    with duckdb.connect(str(warehouse), read_only=True) as con:
        by_month = dict(
            con.execute(
                "select period_month, count(*) filter (where is_valid) from marts.mart_ocop_products_by_month "
                "where province_code = '06' group by 1"
            ).fetchall()
        )
        figures = dict(
            con.execute(
                "select period_month, ocop_products from marts.mart_province_briefing where province_code = '06'"
            ).fetchall()
        )
        unnamed = con.execute(
            "select count(*) from marts.mart_ocop_products_by_month where district_name is null"
        ).fetchone()[0]
        by_district = con.execute(
            "select district_code, count(*) from marts.mart_ocop_products_by_month "
            "where period_month = ? and is_valid group by 1",
            [PERIOD],
        ).fetchall()
        district_figures = con.execute(
            "select district_code, ocop_products from marts.mart_district_briefing where period_month = ? "
            "and ocop_products > 0",
            [PERIOD],
        ).fetchall()
    assert by_month == figures and by_month[PERIOD] == 218 and set(by_month) == {PREVIOUS, PERIOD}
    assert unnamed == 0  # every row names its district as it was that month
    assert sorted(by_district) == sorted(district_figures)  # the counts by district are the list's


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
            "select count(*) from information_schema.tables where table_schema = 'marts'"  # tables and views
        ).fetchone()[0]
    assert published_rows == built_rows and len(published_rows) == 2
    assert tables == public == 40


def test_the_oldest_duckdb_of_a_bi_client_reads_every_published_table(published):
    """The reader canary: a separate process with the DuckDB that Evidence embeds (1.4) opens the serving file
    read-only, fetches every row of every table, and finds what the warehouse (DuckDB 2.0) built."""
    from tests.readers import OLDEST_BI_DUCKDB, duckdb_python, read_every_table

    _, warehouse = published
    seen = read_every_table(duckdb_python(OLDEST_BI_DUCKDB), warehouse.parent / "serving.duckdb")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute(
            "select table_name from information_schema.tables where table_catalog = current_database() "
            "and table_schema = 'marts'"  # tables, and the views published as tables
        ).fetchall()
        built = {f"marts.{n}": con.execute(f"select count(*) from marts.{n}").fetchone()[0] for (n,) in names}
        built["main.validation_results"] = con.execute(
            "select count(*) from intermediate.int_validation__latest_results"
        ).fetchone()[0]
    built["main.publication"] = 1
    assert seen["duckdb"] == OLDEST_BI_DUCKDB
    assert seen["tables"] == built
    assert built["marts.mart_province_briefing"] == 2 and built["main.validation_results"] > 0


def test_the_briefing_pack_states_the_headline_figures_in_vietnamese(published, capsys):
    _, warehouse = published
    pack = warehouse.parent / "reports" / "briefing" / "06" / "2023-12"
    page = (pack / "bao-cao-giao-ban-06-2023-12.html").read_text(encoding="utf-8")
    for sentence in [
        "Lũy kế đến nay toàn tỉnh có 32 xã đạt chuẩn NTM (33,7 % tổng số 95 xã), 4 xã đạt chuẩn NTM nâng cao, "
        "chưa có xã đạt chuẩn NTM kiểu mẫu; bình quân cả tỉnh đạt 12,81 tiêu chí/xã.",
        "Năm 2023: 5 xã được công nhận đạt chuẩn NTM, đạt 29,4 % kế hoạch (17 xã); "
        "2 xã đạt chuẩn NTM nâng cao, đạt 33,3 % kế hoạch (6 xã)",
        "Đạt 19 tiêu chí: 29 xã; Đạt 15-18 tiêu chí: 5 xã; Đạt 10-14 tiêu chí: 33 xã; Đạt 5-9 tiêu chí: 28 xã; "
        "Dưới 5 tiêu chí: không có xã nào",
        "Toàn tỉnh có 218 sản phẩm OCOP còn hiệu lực (199 sản phẩm 3 sao, 18 sản phẩm 4 sao, 1 sản phẩm 5 sao)",
        "năm 2023 có 46 sản phẩm mới, đạt 79,3 % kế hoạch (58 sản phẩm)",
        "giao 232.476,7 triệu đồng, giải ngân 174.616,8 triệu đồng, đạt 75,11 %",
        "Số huyện đã báo cáo: 8/8.",
    ]:
        assert sentence in page
    assert page.count('src="data:image/png;base64,') == 4
    # November is loaded too: December is compared with it, and every number is the marts'
    assert "So với tháng trước: tăng" in page or "So với tháng trước: số" in page
    assert check_report(pack, warehouse.parent / "serving.duckdb", "06", dt.date(2023, 12, 1)) > 100
    assert "Tất cả các huyện đã báo cáo." in page and "Không có cảnh báo." in page

    book = openpyxl.load_workbook(pack / "bao-cao-giao-ban-06-2023-12.xlsx")
    assert book.sheetnames == ["TomTat", "Huyen", "TieuChi", "NguonVon", "CanhBao", "BieuDo"]
    # made from the sample: every sheet's first row says so, the tables start below it
    assert all(sheet["A1"].value.startswith("Dữ liệu mẫu — không phải số liệu chính thức") for sheet in book)
    assert book["TomTat"]["A5"].value.startswith("Lũy kế đến nay toàn tỉnh có 32 xã đạt chuẩn NTM")
    districts = {row[0]: row[1:] for row in book["Huyen"].iter_rows(min_row=3, values_only=True)}
    total = districts.pop("Toàn tỉnh")  # the province's row, under its units
    assert len(districts) == 8 and sum(r[0] for r in districts.values()) == 95 == total[0]  # numbers stay numbers
    assert "Huyện Ba Bể" in districts and "Thành phố Bắc Kạn" in districts  # each unit with its type
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
    assert "refresh_warehouse 2023-11, 2023-12 SUCCESS" in out  # the months whose new workbooks it read
    assert "Publication for the briefing: on time: last published" in out  # published by this test session


def test_a_models_checks_find_a_duplicate_key_and_a_null_where_one_must_not_be(published, tmp_path):
    """`checks` (dbt_project/tests/generic/checks.sql) on dim_admin_unit: a unit version written twice breaks its
    `unique` key and its compound key; a district with no parent version breaks the not_null that holds only where
    the unit has a parent (a province's null parent passes)."""
    import shutil

    _, warehouse = published
    compiled = next((warehouse.parent / "dbt-target" / "compiled").rglob("checks_dim_admin_unit.sql"))
    sql = compiled.read_text()
    copy = tmp_path / warehouse.name
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        assert con.execute(sql).fetchall() == []
        key, level, code, valid_from = con.execute(
            "select unit_key, unit_level, unit_code, valid_from from marts.dim_admin_unit "
            "where unit_level = 'district' order by unit_key limit 1"
        ).fetchone()
        con.execute(
            "insert into marts.dim_admin_unit select * replace (null as parent_unit_key) "
            "from marts.dim_admin_unit where unit_key = ?",
            [key],
        )
        found = sorted(con.execute(sql).fetchall(), key=str)
    assert found == [
        ("not_null", "parent_unit_key", None),
        ("unique", "unit_key", key),
        ("unique_key", "unit_level, unit_code, valid_from", f"{level} | {code} | {valid_from:%Y-%m-%d}"),
    ]
