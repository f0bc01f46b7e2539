"""Great Expectations suites (expectations/) as Dagster asset checks.

Each check validates an intermediate model, writes one result per reporting unit and month to
audit.validation_results (the marts' validation_status reads it), and reports the failing
units in its metadata. Checks are blocking: the publication waits for them. A month whose rows are
as they were when last validated (audit.validated_months) keeps its results: a run validates
what changed, not every month loaded before it.
"""

from pathlib import Path
from types import ModuleType

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from expectations import SUITES
from expectations.runner import (
    CheckOutcome,
    SuiteOutcome,
    build_data_docs,
    latest_failures,
    months_to_validate,
    read_months,
    record,
    record_months,
    save_report,
    validate,
)
from orchestration.defs.transform import assets as transform  # the module: its assets are defined once, there
from orchestration.resources import WarehouseResource

# Written by the checks below, read by the marts (dbt source audit.validation_results).
validation_results = dg.AssetSpec(
    ["audit", "validation_results"],
    group_name="intermediate",
    description="One row per check per district and month, every run: written by the Great Expectations asset "
    "checks, read by the marts' validation_status.",
)


def _run(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, suite: ModuleType):
    """Validate the months of the suite's table that changed since their last validation, keep every result in
    audit.validation_results, and report the suite's results as they stand (every month's latest) to Dagster."""
    with warehouse.connect(read_only=True) as con:
        months, fingerprints, code = months_to_validate(con, suite)
        frame = read_months(con, suite, months) if months else None
    outcome = validate(suite, frame) if frame is not None else SuiteOutcome(suite.SUITE)
    if outcome.outcomes:
        save_report(outcome, _docs_dir(warehouse), context.run.run_id)
    with warehouse.connect() as con:
        con.execute("begin transaction")  # the results and the months they stand for, together
        record(con, context.run.run_id, outcome)
        record_months(con, suite, context.run.run_id, months, fingerprints, code)
        con.execute("commit")
        failures = latest_failures(con, suite)
    return _result(outcome, failures, validated=len(months), unchanged=len(fingerprints) - len(months))


def _docs_dir(warehouse: WarehouseResource) -> Path:
    return Path(warehouse.data_dir) / "reports" / "validation"


def _result(outcome: SuiteOutcome, failures: list[CheckOutcome], *, validated: int, unchanged: int):
    failing = [
        {
            "province": f.province_code,
            "unit": f.reporting_unit_code,  # the district (to 06/2025) or commune (from 07/2025)
            "month": f"{f.period_month:%Y-%m}" if f.period_month else None,
            "check": f.check_name,
            "severity": f.severity,
            "observed": f.observed,
            "expected": f.expected,
            "details": f.details,
        }
        for f in failures
    ]
    districts = sorted({f["unit"] or f"province {f['province']}" for f in failing})
    # A failing check never stops the run: a 'warning' publishes with the district flagged, a 'critical'
    # holds back that district's month in the marts (audit.validation_results tells them which) and the
    # rest publishes. What stops everything is a failing dbt test: a defect of our own transformations.
    return dg.AssetCheckResult(
        passed=not failing,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "months_validated": validated,  # rows (or the suite) changed since their last validation
            "months_unchanged": unchanged,  # their latest results stand
            "results": len(outcome.outcomes),
            "failures": len(failing),
            "failing_districts": ", ".join(districts) or "none",
            "failing": dg.MetadataValue.json(failing[:200]),
        },
    )


def suite_check(suite: ModuleType) -> dg.AssetChecksDefinition:
    """A blocking asset check that runs a suite module on the model its TABLE names."""
    schema, model = suite.TABLE.split(".")
    summary = " ".join(suite.__doc__.split("\n\n")[0].split())

    @dg.asset_check(
        asset=get_asset_key_for_model([transform.dbt_warehouse], model),
        name=suite.CHECK,
        blocking=True,
        description=f"{summary} (Great Expectations suite {suite.SUITE}, on {schema}.{model}).",
    )
    def check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        return _run(context, warehouse, suite)

    return check


# One check per suite module (expectations/__init__.py lists them); Dagster loads the list.
suite_checks = [suite_check(suite) for suite in SUITES]
# The models the suites validate: what is published depends on them directly, so it waits for their blocking checks.
VALIDATED_MODELS = sorted({key.asset_key for check in suite_checks for key in check.check_keys}, key=str)


@dg.asset(
    key=["reports", "validation_docs"],
    group_name="publish",
    deps=VALIDATED_MODELS,
    description="data/reports/validation/index.html: Great Expectations' Data Docs of this run's validations, "
    "built once after every suite has run (the suites' checks are blocking, so this waits for them).",
)
def validation_docs(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    index = build_data_docs(_docs_dir(warehouse), context.run.run_id)
    return dg.MaterializeResult(metadata={"index": dg.MetadataValue.path(str(index)) if index else "no validations"})
