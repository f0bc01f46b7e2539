"""The Dagster definitions load, with the expected assets, checks, groups and job."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from expectations import SUITES
from orchestration.defs.ingest.assets import RAW_TABLES
from orchestration.defs.transform.project import dbt_project
from orchestration.partitions import MONTHS


@pytest.fixture(scope="module")
def defs(dbt_manifest):
    from orchestration.definitions import defs as load

    return load()


def test_asset_keys(defs):
    keys = sorted(k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys())
    expected_materialised = [
        *(f"intermediate/{m}" for m in [
            "int_commune_criteria__checked", "int_commune_status__derived", "int_unit_months__measures",
            "int_unit_months__changes", "int_unit_months__consistency", "int_unit_months__loaded",
            "int_unit_months__reference", "int_province_months__coverage", "int_commune_totals__reconciled",
            "int_unit_totals__pivoted", "int_unit_totals__reconciled", "int_ocop_certificates__as_of_month",
            "int_ocop_products__as_of_month", "int_validation__unit_status", "int_validation__latest_results",
            "int_periods__criteria_sets", "int_commune_criteria__counted", "int_ocop_certificates__identified",
            "int_ocop_dossiers__identified",
        ]),
        "landing/workbooks",
        "reports/briefing_packs",
        "reports/validation_docs",
        "serving/database",
        "serving/postgresql",
        *(f"marts/{m}" for m in [
            "bridge_commune_2025", "dim_admin_unit", "dim_commune", "dim_criteria_band", "dim_criteria_set",
            "dim_criterion", "dim_district", "dim_set_criterion",
            "dim_fund_source", "dim_indicator", "dim_level",
            "dim_ocop_group", "dim_ocop_product", "dim_period", "dim_producer", "dim_province",
            "fct_commune_criteria", "fct_commune_indicator", "fct_commune_status", "fct_fund_position",
            "fct_ocop_certification", "fct_plan_target", "fct_village_status",
            "mart_commune_progress", "mart_criteria_gaps", "mart_district_briefing", "mart_fund_disbursement",
            "mart_criteria_bands", "mart_ocop_products", "mart_ocop_products_by_month", "mart_province_briefing",
            "mart_commune_briefing", "mart_province_history", "mart_national_briefing", "mart_unit_feedback",
            # template 2024.2
            "fct_district_status", "fct_district_recognition", "fct_ocop_dossier", "fct_commune_advanced_criteria",
            "mart_indicator_gaps",
        ]),
        "raw/workbooks",  # the month ledger, read with the tables below, partitioned by month
        *(f"raw/{t}" for t in [
            "admin_units", "commune_criteria", "commune_criterion_marks", "commune_crosswalk_2025",
            "commune_indicators", "unit_totals",
            "fund_positions",
            "ocop_products", "plan_targets", "villages", "workbook_covers",
            # template 2024.2
            "district_status", "district_criterion_marks", "ocop_dossiers", "advanced_criterion_marks",
        ]),
        *(f"staging/{m}" for m in [
            "criteria_bands", "criteria_sets", "fund_sources", "ntm_indicators", "ntm_levels", "ocop_groups",
            "set_criteria", "set_levels", "unit_list_sources",
            "stg_admin_units__crosswalk_2025", "stg_admin_units__units", "stg_admin_units__versions",
            "stg_audit__validation_results",
            "stg_workbook__commune_criteria", "stg_workbook__commune_indicators",
            "stg_workbook__criterion_marks",
            "stg_workbook__covers", "stg_workbook__unit_totals",
            "stg_workbook__fund_positions", "stg_workbook__ocop_certificates",
            "stg_workbook__plan_targets", "stg_workbook__villages",
            "stg_workbook__district_status", "stg_workbook__district_criterion_marks",
            "stg_workbook__ocop_dossiers", "stg_workbook__advanced_criterion_marks",
        ]),
    ]  # fmt: skip
    # audit/validation_results is written by the checks: an external key the dbt source names.
    assert keys == sorted([*expected_materialised, "audit/unit_feedback", "audit/validation_results"])


def test_ingestion_keys_are_the_dbt_source_keys(defs):
    graph = defs.resolve_asset_graph()
    staging = graph.get(dg.AssetKey(["staging", "stg_workbook__commune_criteria"]))
    assert dg.AssetKey(["raw", "commune_criteria"]) in staging.parent_keys
    assert graph.get(dg.AssetKey(["raw", "commune_criteria"])).is_materializable


def test_groups_follow_folders(defs):
    graph = defs.resolve_asset_graph()
    groups = {
        key.path[0]: graph.get(key).group_name for key in graph.get_all_asset_keys() if graph.get(key).is_materializable
    }
    assert groups == {
        "landing": "ingest",
        "raw": "ingest",
        "staging": "staging",
        "intermediate": "intermediate",
        "marts": "marts",
        "serving": "publish",
        "reports": "publish",
    }


def test_checks(defs):
    graph = defs.resolve_asset_graph()
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert ("intermediate/int_unit_totals__reconciled", "ocop_star_counts_match_unit_totals") in checks
    assert ("intermediate/int_unit_totals__reconciled", "unit_totals_match_detail") in checks

    # dbt tests arrive as one asset check per model, `dbt_tests`, naming its tests: the model's `checks` (its grain,
    # never-null columns, accepted values and references in one dbt test) among them.
    def tests_of(model: str) -> list[str]:
        return graph.get_check_spec(dg.AssetCheckKey(dg.AssetKey(model.split("/")), "dbt_tests")).metadata["dbt_tests"]

    assert "checks_mart_province_briefing" in tests_of("marts/mart_province_briefing")
    assert "checks_fct_commune_status" in tests_of("marts/fct_commune_status")
    # The published-figure invariants (singular tests over both briefing marts) belong to the province mart.
    invariants = {n for n in tests_of("marts/mart_province_briefing") if n.startswith("assert_")}
    assert invariants == {
        "assert_criteria_bands_cover_every_commune",
        "assert_districts_sum_to_province",
        "assert_levels_nest",
        "assert_ocop_stars_sum_to_products",
    }
    assert not any(n.startswith("assert_") for n in tests_of("marts/mart_district_briefing"))
    # Every dbt test of the project is in exactly one model's check (unit tests run apart: test_end_to_end.py).
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    data_tests = sorted(n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test")
    owned = sorted(
        t for c in graph.asset_check_keys if c.name == "dbt_tests" for t in tests_of(c.asset_key.to_user_string())
    )
    assert owned == data_tests
    # A dbt test's check blocks what is built on the model, as the test failing stops `dbt build`.
    assert graph.get_check_spec(
        dg.AssetCheckKey(dg.AssetKey(["marts", "mart_province_briefing"]), "dbt_tests")
    ).blocking


def test_the_publication_waits_for_the_validation_checks(defs):
    """The serving database depends on each validated model directly, so their blocking checks run before it; the
    marts that read the results are views (the publication reads this run's), and every model is one dbt build."""
    graph = defs.resolve_asset_graph()
    serving = graph.get(dg.AssetKey(["serving", "database"]))
    status = graph.get(dg.AssetKey(["intermediate", "int_validation__unit_status"]))
    suites = [c for c in graph.asset_check_keys if c.name != "dbt_tests"]
    assert sorted(c.name for c in suites) == sorted(suite.CHECK for suite in SUITES)
    for check in suites:
        assert check.asset_key in serving.parent_keys and check.asset_key in status.parent_keys
        assert graph.get_check_spec(check).blocking
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    reading = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and "model.ntm_ocop.int_validation__unit_status" in node["depends_on"]["nodes"]
    }
    assert reading == {"mart_province_briefing", "mart_district_briefing", "mart_commune_briefing",
                       "mart_criteria_bands", "mart_province_history", "mart_national_briefing"}  # fmt: skip
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and (node["name"] in reading or "validated_at_publish" in node["tags"]):
            assert node["config"]["materialized"] == "view" and "validated_at_publish" in node["tags"], node["name"]
    dbt_steps = {graph.get(k).assets_def.node_def.name for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    assert dbt_steps == {"dbt_warehouse"}


def test_each_suite_checks_the_model_its_table_names(defs):
    graph = defs.resolve_asset_graph()
    checked = {c.name: c.asset_key.path[-1] for c in graph.asset_check_keys}
    assert {suite.CHECK: checked[suite.CHECK] for suite in SUITES} == {
        suite.CHECK: suite.TABLE.split(".")[1] for suite in SUITES
    }


def test_the_jobs_and_what_they_materialise(defs):
    graph = defs.resolve_asset_graph()
    everything = {k for k in graph.get_all_asset_keys() if graph.get(k).is_executable}
    ledger = dg.AssetKey(["raw", "workbooks"])
    refresh = defs.resolve_job_def("refresh_warehouse")  # new workbooks, whatever their months: unpartitioned
    assert refresh.asset_layer.executable_asset_keys == everything - {ledger}
    assert refresh.partitions_def is None
    reread = defs.resolve_job_def("reread_months")  # a month or a range of months read again
    assert reread.asset_layer.executable_asset_keys == everything
    assert reread.partitions_def == MONTHS
    receive = defs.resolve_job_def("receive_files")
    assert receive.asset_layer.executable_asset_keys == {dg.AssetKey(["landing", "workbooks"])}
    briefing = defs.resolve_job_def("monthly_briefing").asset_layer.executable_asset_keys
    reference_tables = {"admin_units", "commune_crosswalk_2025"}
    district_tables = {k for k in everything if k.path[0] == "raw" and k.path[1] not in reference_tables}
    assert len(district_tables) == 1 + len(RAW_TABLES)
    assert briefing == everything - district_tables - {dg.AssetKey(["landing", "workbooks"])}


def test_only_the_month_ledger_is_partitioned_by_month(defs):
    """About 200 month keys since 01/2010 (a key per unit-month made 690,781): Dagster's partitions fit."""
    graph = defs.resolve_asset_graph()
    partitioned = {k.to_user_string() for k in graph.get_all_asset_keys() if graph.get(k).partitions_def}
    assert partitioned == {"raw/workbooks"}
    assert graph.get(dg.AssetKey(["raw", "workbooks"])).partitions_def == MONTHS
    assert 200 <= len(MONTHS.get_partition_keys()) <= 1000
    # The tables themselves (the dbt sources) are unpartitioned, read by the same op as the ledger.
    loader = graph.get(dg.AssetKey(["raw", "workbooks"])).assets_def
    for table in RAW_TABLES:
        node = graph.get(dg.AssetKey(["raw", table]))
        assert node.parent_keys == {dg.AssetKey(["landing", "workbooks"])} and node.assets_def is loader


def test_sensors_and_schedule_run_by_default(defs):
    schedule = defs.resolve_schedule_def("monthly_briefing_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 6 25 * *", "Asia/Ho_Chi_Minh")
    assert schedule.job_name == "monthly_briefing"
    for name in ("inbox_sensor", "alert_on_run_failure"):
        assert defs.resolve_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING


def test_docs_describe_every_column_of_every_public_model():
    """docs/marts.md is the BI contract: each marts model and column of the dbt YAML is in it."""
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "marts.md").read_text()
    sections = dict(re.findall(r"^#{2,3} `(\w+)`\n(.*?)(?=^#{2,3} |\Z)", doc, flags=re.S | re.M))
    models = [m for p in sorted((root / "dbt_project" / "models" / "marts").glob("*.yml"))
              for m in yaml.safe_load(p.read_text()).get("models", [])]  # fmt: skip
    assert len(models) == 40
    for model in models:
        assert model["name"] in sections, f"docs/marts.md has no section for {model['name']}"
        documented = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", sections[model["name"]], flags=re.M)
        assert documented == [(c["name"], c["data_type"]) for c in model["columns"]], model["name"]


def test_python_vocabularies_match_the_dbt_seeds():
    """The codes ingestion writes are the codes the dimensions describe: one list, never two that drift."""
    import csv
    from pathlib import Path

    from ingestion import values

    seeds = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"

    def codes(seed: str, column: str) -> set[str]:
        with (seeds / f"{seed}.csv").open(encoding="utf-8") as handle:
            return {row[column] for row in csv.DictReader(handle)}

    assert values.LEVELS.codes == codes("ntm_levels", "level_code")
    assert values.OCOP_GROUPS.codes == codes("ocop_groups", "group_code")
    assert values.FUND_SOURCES.codes == codes("fund_sources", "fund_source_code")


def test_dbt_docs_generate_offline(dbt_manifest, tmp_path):
    """dbt's documentation site builds with no network (nothing fetched from the hub or a CDN)."""
    import re

    from tests.runs import dbt

    done = dbt(tmp_path / "warehouse.duckdb", ["docs", "generate", "--empty-catalog", "--static"], tmp_path)
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "index.html").stat().st_size > 100_000
    assert "mart_province_briefing" in (tmp_path / "manifest.json").read_text()
    # `make docs` opens static_index.html from disk: the manifest inside, no script, style or font from the network
    page = (tmp_path / "static_index.html").read_text()
    assert "mart_province_briefing" in page
    assert re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="https?://(?!\[::1\])[^"]*"', page) == []


def test_a_failed_dbt_test_is_shown_with_its_first_failing_rows():
    """What a failed test is shown with (orchestration/defs/transform/dbt_tests.py): a `checks` test's rows read
    'check column: value'; a singular test's rows are its values; more than three rows end with '…'; a test that
    passed is shown by name alone, and rows that cannot be read say so without changing the result."""
    import duckdb

    from orchestration.defs.transform.dbt_tests import TestResults

    manifest = {
        "nodes": {
            "test.p.checks_m.1": {"name": "checks_m", "resource_type": "test", "test_metadata": {"name": "checks"}},
            "test.p.assert_x": {"name": "assert_x", "resource_type": "test"},
            "test.p.checks_n.2": {"name": "checks_n", "resource_type": "test", "test_metadata": {"name": "checks"}},
            "test.p.checks_o.3": {"name": "checks_o", "resource_type": "test", "test_metadata": {"name": "checks"}},
        }
    }
    key = dg.AssetKey(["marts", "m"])
    results = TestResults(manifest, translator=None, project=None)
    results.by_asset[key] = [
        {"test": "checks_m", "status": "fail", "failing_rows": 4, "seconds": 0.1},
        {"test": "assert_x", "status": "fail", "failing_rows": 1, "seconds": 0.1},
        {"test": "checks_n", "status": "pass", "failing_rows": 0, "seconds": 0.1},
        {"test": "checks_o", "status": "fail", "failing_rows": 1, "seconds": 0.1},
    ]
    run_results = {"results": [
        {"unique_id": "test.p.checks_m.1", "compiled_code":
            "select * from (values ('accepted_values', 'stars', '6'), ('not_null', 'decision_date', null), "
            "('unique', 'a', '1'), ('unique', 'a', '2')) as t(check_name, column_name, value)"},
        {"unique_id": "test.p.assert_x", "compiled_code": "select 'a' as x, 'b' as y, 'c' as z"},
        {"unique_id": "test.p.checks_n.2", "compiled_code": "select 1"},
        {"unique_id": "test.p.checks_o.3", "compiled_code": "select * from no_such_table"},
    ]}  # fmt: skip
    con = duckdb.connect()
    results.explain(run_results, lambda sql: con.execute(sql).fetchall())
    assert results.failed() == [
        "marts/m: checks_m (accepted_values stars: 6; not_null decision_date; unique a: 1; …)",
        "marts/m: assert_x (a | b | c)",
        "marts/m: checks_o (its failing rows could not be read: CatalogException)",
    ]
