"""The Dagster definitions load, with the expected assets, checks, groups and job."""

from __future__ import annotations

import dagster as dg
import pytest


@pytest.fixture(scope="module")
def defs(dbt_manifest):
    from orchestration.definitions import defs as load

    return load()


def test_asset_keys(defs):
    keys = sorted(k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys())
    expected_materialised = [
        "intermediate/int_commune_status__derived",
        "intermediate/int_district_month__measures",
        "intermediate/int_district_months__loaded",
        "intermediate/int_district_totals__pivoted",
        "intermediate/int_ocop_certificates__as_of_month",
        "intermediate/int_ocop_district_counts__reconciled",
        "intermediate/int_ocop_products__as_of_month",
        "intermediate/int_validation__district_status",
        "landing/district_workbooks",
        "marts/dim_commune",
        "marts/dim_criterion",
        "marts/dim_district",
        "marts/dim_period",
        "marts/dim_province",
        "marts/fct_commune_criteria",
        "marts/fct_commune_status",
        "marts/fct_ocop_certification",
        "marts/mart_district_briefing",
        "marts/mart_province_briefing",
        "raw/admin_units",
        "raw/commune_criteria",
        "raw/commune_indicators",
        "raw/district_totals",
        "raw/fund_positions",
        "raw/ocop_products",
        "raw/plan_targets",
        "raw/villages",
        "raw/workbook_covers",
        "staging/ntm_criteria",
        "staging/stg_admin_units__units",
        "staging/stg_audit__validation_results",
        "staging/stg_district_workbook__commune_criteria",
        "staging/stg_district_workbook__commune_indicators",
        "staging/stg_district_workbook__covers",
        "staging/stg_district_workbook__district_totals",
        "staging/stg_district_workbook__fund_positions",
        "staging/stg_district_workbook__ocop_certificates",
        "staging/stg_district_workbook__plan_targets",
        "staging/stg_district_workbook__villages",
    ]
    # audit/validation_results is written by the checks: an external key the dbt source names.
    assert keys == sorted([*expected_materialised, "audit/validation_results"])


def test_ingestion_keys_are_the_dbt_source_keys(defs):
    graph = defs.resolve_asset_graph()
    staging = graph.get(dg.AssetKey(["staging", "stg_district_workbook__commune_criteria"]))
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
    }


def test_checks(defs):
    checks = {(c.asset_key.to_user_string(), c.name) for c in defs.resolve_asset_graph().asset_check_keys}
    assert ("intermediate/int_ocop_district_counts__reconciled", "ocop_star_counts_match_district_totals") in checks
    # dbt tests arrive as asset checks: the marts' grain and relationships among them.
    assert any(a == "marts/mart_province_briefing" and n.startswith("unique_") for a, n in checks)
    assert any(a == "marts/fct_commune_status" and n.startswith("relationships_") for a, n in checks)


def test_marts_wait_for_the_validation_checks(defs):
    """A model built in the marts step depends on each validated model, so blocking checks run first."""
    graph = defs.resolve_asset_graph()
    status = graph.get(dg.AssetKey(["intermediate", "int_validation__district_status"]))
    assert dg.AssetKey(["intermediate", "int_ocop_district_counts__reconciled"]) in status.parent_keys
    check_keys = [c for c in graph.asset_check_keys if c.name == "ocop_star_counts_match_district_totals"]
    assert all(graph.get_check_spec(c).blocking for c in check_keys)


def test_one_job_materialises_everything(defs):
    job = defs.resolve_job_def("refresh_warehouse")
    graph = defs.resolve_asset_graph()
    assert job.asset_layer.executable_asset_keys == {
        k for k in graph.get_all_asset_keys() if graph.get(k).is_executable
    }


def test_docs_describe_every_column_of_every_public_model():
    """docs/marts.md is the BI contract: each marts model and column of the dbt YAML is in it."""
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "marts.md").read_text()
    sections = dict(re.findall(r"^#{2,3} `(\w+)`\n(.*?)(?=^#{2,3} |\Z)", doc, flags=re.S | re.M))
    for path in sorted((root / "dbt_project" / "models" / "marts").glob("*.yml")):
        [model] = yaml.safe_load(path.read_text())["models"]
        assert model["name"] in sections, f"docs/marts.md has no section for {model['name']}"
        documented = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", sections[model["name"]], flags=re.M)
        assert documented == [(c["name"], c["data_type"]) for c in model["columns"]], model["name"]
