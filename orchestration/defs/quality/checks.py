"""Great Expectations suites (expectations/) as Dagster asset checks.

Each check validates an intermediate model, writes one result per district and month to
audit.validation_results (the marts' validation_status reads it), and reports the failing
districts in its metadata. Checks are blocking: the marts wait for them.
"""

from types import ModuleType

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from expectations import district_consistency, district_totals, internal_consistency, ocop_star_counts
from expectations.runner import SuiteOutcome, record
from orchestration.defs.transform.assets import dbt_models
from orchestration.resources import WarehouseResource

# Written by the checks below, read by the marts (dbt source audit.validation_results).
validation_results = dg.AssetSpec(
    ["audit", "validation_results"],
    group_name="intermediate",
    description="One row per check per district and month, every run: written by the Great Expectations asset "
    "checks, read by the marts' validation_status.",
)


def _run(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, suite: ModuleType):
    """Validate the suite's table, keep every result in audit.validation_results, report to Dagster."""
    with warehouse.connect(read_only=True) as con:
        frame = con.sql(f"select * from {suite.TABLE}").df()
    return _result(context, warehouse, suite.validate(frame))


def _result(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, outcome: SuiteOutcome):
    with warehouse.connect() as con:
        record(con, context.run.run_id, outcome)
    failures = [
        {
            "district": f.district_code,
            "month": f"{f.period_month:%Y-%m}" if f.period_month else None,
            "check": f.check_name,
            "severity": f.severity,
            "observed": f.observed,
            "expected": f.expected,
        }
        for f in outcome.failures
    ]
    districts = sorted({f["district"] for f in failures if f["district"]})
    # A failing check never stops the run: a 'warning' publishes with the district flagged, a 'critical'
    # holds back that district's month in the marts (audit.validation_results tells them which) and the
    # rest publishes. What stops everything is a failing dbt test: a defect of our own transformations.
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "results": len(outcome.outcomes),
            "failures": len(failures),
            "failing_districts": ", ".join(districts) or "none",
            "failing": dg.MetadataValue.json(failures[:200]),
        },
    )


@dg.asset_check(
    asset=get_asset_key_for_model([dbt_models], "int_ocop_district_counts__reconciled"),
    blocking=True,
    description="Per district and month, the 3★, 4★ and 5★ counts of the B04 detail equal the district's TongHop "
    "counts, and TongHop's 3★ + 4★ + 5★ equals its total (Great Expectations suite ocop_star_counts).",
)
def ocop_star_counts_match_district_totals(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return _run(context, warehouse, ocop_star_counts)


@dg.asset_check(
    asset=get_asset_key_for_model([dbt_models], "int_district_totals__reconciled"),
    blocking=True,
    description="Per district and month, communes in total and at each level, the average criteria met and the fund "
    "totals computed from the detail equal the district's TongHop totals (Great Expectations suite district_totals).",
)
def district_totals_match_detail(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return _run(context, warehouse, district_totals)


@dg.asset_check(
    asset=get_asset_key_for_model([dbt_models], "int_district_months__consistency"),
    blocking=True,
    description="Critical for the district's month: no commune written twice in B01 with different values "
    "(Great Expectations suite district_consistency). A failing district-month is held back from the briefing marts.",
)
def district_month_is_consistent(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return _run(context, warehouse, district_consistency)


@dg.asset_check(
    asset=get_asset_key_for_model([dbt_models], "int_district_months__internal_consistency"),
    blocking=True,
    description="Per district and month: each commune's 'Số tiêu chí đạt' equals its criterion marks, no fund row "
    "disbursed above its allocation, stated disbursement rates agree within 0.1 point (suite internal_consistency).",
)
def district_month_agrees_with_itself(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return _run(context, warehouse, internal_consistency)
