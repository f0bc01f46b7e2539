"""Run pair-equality checks over a DataFrame with Great Expectations (pandas datasource).

GX's SQL datasource over DuckDB is broken in 1.x (../shared/notes/stack.md), so tables are
read from DuckDB into a DataFrame and validated in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

# A row of a validated model is a reporting unit's month (a district up to 06/2025, a commune from 07/2025), or a
# province's (reporting_unit_code null).
KEY_COLUMNS = ["province_code", "reporting_unit_code", "period_month"]


@dataclass(frozen=True)
class PairCheck:
    """`left` must equal `right` on every row (both missing counts as equal).

    `named` is a column naming what failed (communes, districts, fund lines), added to the details;
    `optional=True` passes a row whose `right` is missing (a totals row the district did not write).
    """

    name: str
    left: str
    right: str
    severity: str  # warning | critical
    description: str
    named: str | None = None
    optional: bool = False
    label_vi: str = ""  # what a failure means, in the words of the briefing pack (tests/test_pack.py: never empty)


@dataclass
class CheckOutcome:
    suite: str
    check_name: str
    severity: str
    success: bool
    province_code: str | None
    district_code: str | None
    period_month: dt.date | None
    observed: str | None
    expected: str | None
    details: str
    reporting_unit_code: str | None = None


@dataclass
class SuiteOutcome:
    suite: str
    outcomes: list[CheckOutcome] = field(default_factory=list)
    report: dict | None = None  # Great Expectations' validation result (JSON), for its Data Docs

    @property
    def failures(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def success(self) -> bool:
        return not self.failures


_CONTEXT: list[Any] = []


def preload() -> threading.Thread:
    """Import Great Expectations in a background thread, while the run waits on something else (the dbt build of
    the models the suites validate, a subprocess): its 3-4 s import then overlaps that wait instead of following it.
    The suites' own import waits for this one if it has not finished."""
    thread = threading.Thread(target=_gx, name="preload-great-expectations", daemon=True)
    thread.start()
    return thread


def _gx():
    """Great Expectations, imported where validation runs (its import takes seconds). Release 1.24 sends no usage
    events (it ships no analytics module); the Makefile's GX_ANALYTICS_ENABLED=false covers any other. Nothing here
    writes the environment."""
    import great_expectations as gx

    return gx


def _context():
    """One ephemeral Great Expectations context per process (no files, no network)."""
    gx = _gx()
    if not _CONTEXT:
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = {"globally": False}
        _CONTEXT.append(context)
    return gx, _CONTEXT[0]


def _as_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def run_pair_checks(suite_name: str, frame: pd.DataFrame, checks: list[PairCheck]) -> SuiteOutcome:
    """Validate `frame` (one row per district and month) and return one outcome per check per row."""
    outcome = SuiteOutcome(suite_name)
    if frame.empty:
        return outcome
    gx, context = _context()
    for previous in (context.validation_definitions, context.suites):  # the same suite validated again
        if suite_name in {item.name for item in previous.all()}:
            previous.delete(suite_name)
    if f"{suite_name}_frames" in context.data_sources.all():
        context.data_sources.delete(f"{suite_name}_frames")
    batch = context.data_sources.add_pandas(f"{suite_name}_frames").add_dataframe_asset(suite_name)
    suite = context.suites.add(gx.ExpectationSuite(name=suite_name))
    for check in checks:
        suite.add_expectation(
            gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A=check.left,
                column_B=check.right,
                ignore_row_if="either_value_is_missing" if check.optional else "both_values_are_missing",
                meta={"check_name": check.name},
            )
        )
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite_name, data=batch.add_batch_definition_whole_dataframe("all"), suite=suite)
    )
    keyed = frame.assign(period_month=frame["period_month"].astype(str))
    result = validation.run(
        batch_parameters={"dataframe": keyed},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": KEY_COLUMNS},
    )
    outcome.report = result.to_json_dict()
    by_name = {check.name: check for check in checks}
    for expectation_result in result.results:
        check = by_name[expectation_result.expectation_config.meta["check_name"]]
        failing = {
            tuple(str(item[c]) for c in KEY_COLUMNS)
            for item in expectation_result.result.get("unexpected_index_list") or []
        }
        for row in keyed.itertuples(index=False):
            key = tuple(str(getattr(row, c)) for c in KEY_COLUMNS)
            observed, expected = _as_text(getattr(row, check.left)), _as_text(getattr(row, check.right))
            ok = key not in failing
            named = _as_text(getattr(row, check.named)) if check.named and not ok else None
            outcome.outcomes.append(
                CheckOutcome(
                    suite=suite_name,
                    check_name=check.name,
                    severity=check.severity,
                    success=ok,
                    province_code=row.province_code,
                    district_code=getattr(row, "district_code", None),
                    reporting_unit_code=row.reporting_unit_code,
                    period_month=pd.Timestamp(row.period_month).date(),
                    observed=observed,
                    expected=expected,
                    details=check.description
                    if ok
                    else f"{check.description}: {check.left} = {observed}, {check.right} = {expected}"
                    + (f" ({named})" if named else ""),
                )
            )
    return outcome


# Months validated again only when they changed: each suite's table has one row per unit and month, and a
# check's outcome for a row depends only on that row (one outcome per check per row), so a month whose rows and
# suite are as they were when last validated keeps its results. (A month whose rows all left the table would
# keep its last results too; the loader never removes a month: a resubmission replaces a unit's month.)


def suite_fingerprint(suite: ModuleType) -> str:
    """The suite's code, this runner's and Great Expectations' version: a change validates every month again."""
    from importlib.metadata import version

    code = "\0".join([inspect.getsource(suite), Path(__file__).read_text(), version("great_expectations")])
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def month_fingerprints(con, table: str) -> dict[dt.date, str]:
    """Each month's rows of `table`, as a count and an order-independent sum of row hashes."""
    rows = con.execute(f"select period_month, count(*), sum(hash(t)) from {table} t group by 1").fetchall()
    return {month: f"{count}:{hashed}" for month, count, hashed in rows}


def months_to_validate(con, suite: ModuleType) -> tuple[list[dt.date], dict[dt.date, str], str]:
    """(months whose rows or suite changed since their last validation, every month's fingerprint, the suite's)."""
    current, code = month_fingerprints(con, suite.TABLE), suite_fingerprint(suite)
    last = {
        month: (rows, suite_code)
        for month, rows, suite_code in con.execute(
            "select period_month, arg_max(rows_fingerprint, validated_at), arg_max(suite_fingerprint, validated_at) "
            "from audit.validated_months where suite = ? group by 1",
            [suite.SUITE],
        ).fetchall()
    }
    return sorted(m for m, rows in current.items() if last.get(m) != (rows, code)), current, code


def read_months(con, suite: ModuleType, months: list[dt.date]) -> pd.DataFrame:
    """The suite's table, those months only."""
    return con.execute(f"select * from {suite.TABLE} where list_contains(?, period_month)", [months]).df()


def record_months(
    con, suite: ModuleType, run_id: str, months: list[dt.date], fingerprints: dict, code: str,
    validated_at: dt.datetime | None = None,
) -> int:  # fmt: skip
    """Remember what the months validated held (audit.validated_months)."""
    from ingestion import warehouse

    validated_at = validated_at or dt.datetime.now()
    keys = {"suite": suite.SUITE, "suite_fingerprint": code, "run_id": run_id, "validated_at": validated_at}
    rows = [{**keys, "period_month": m, "rows_fingerprint": fingerprints[m]} for m in months]
    return warehouse.insert_rows(con, "audit.validated_months", rows)


# The results as they stand: for each suite and month, the outcomes of the run that last validated that month
# (the rule the marts' int_validation__latest_results applies, from the results' checked_at).
LATEST_RESULTS = """
    select results.* from audit.validation_results results
    inner join (
        select suite, period_month, arg_max(run_id, validated_at) as run_id
        from audit.validated_months group by all
    ) using (suite, period_month, run_id)
"""


def latest_failures(con, suite: ModuleType) -> list[CheckOutcome]:
    """The suite's failing outcomes as they stand."""
    rows = con.execute(
        f"""
        select suite, check_name, severity, success, province_code, district_code, period_month, observed, expected,
            details, reporting_unit_code
        from ({LATEST_RESULTS}) where suite = ? and not success
        order by period_month, reporting_unit_code, check_name
        """,
        [suite.SUITE],
    ).fetchall()
    return [CheckOutcome(*row) for row in rows]


def validate(suite: ModuleType, frame: pd.DataFrame) -> SuiteOutcome:
    """Run a suite module (its SUITE name and CHECKS) over rows of its TABLE."""
    return run_pair_checks(suite.SUITE, frame, suite.CHECKS)


# Data Docs: each check keeps its suite's validation result under <docs>/.results/<run_id>/; the site is
# built once per run from them (a build takes about a second: once per suite was seven a run).
RESULTS = ".results"


def save_report(outcome: SuiteOutcome, docs_dir: Path, run_id: str) -> Path | None:
    """Keep the suite's Great Expectations result of this run, for the run's one Data Docs build."""
    if outcome.report is None:
        return None
    path = docs_dir / RESULTS / run_id / f"{outcome.suite}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(outcome.report))
    return path


def build_data_docs(docs_dir: Path, run_id: str) -> Path | None:
    """Great Expectations' Data Docs site of each suite's latest validation, in `docs_dir` (index.html); built once
    per run that validated something (a run validates only the months that changed: a suite with nothing to
    validate keeps its earlier result on the site). Every run's outcomes stay in audit.validation_results; the
    superseded reports are removed.
    """
    latest: dict[str, Path] = {}
    for path in sorted((docs_dir / RESULTS).glob("*/*.json"), key=lambda p: (p.stat().st_mtime, p.parent.name)):
        latest[path.stem] = path  # a suite's later report replaces its earlier one
    if not any(path.parent.name == run_id for path in latest.values()):
        return None  # nothing validated in this run: the site stands as it was
    results = sorted(latest.values())
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    gx = _gx()
    site = gx.get_context(mode="ephemeral")  # a context of its own: its store holds this run's results only
    shutil.rmtree(docs_dir / "validations", ignore_errors=True)
    site.add_data_docs_site(
        "validation",
        {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    for path in results:
        report = json.loads(path.read_text())
        result = ExpectationSuiteValidationResult(**report)
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=report["suite_name"]),
            run_id=gx.core.run_identifier.RunIdentifier(run_name=run_id, run_time=report["meta"]["validation_time"]),
            batch_identifier=f"{report['suite_name']}_frames",
        )
        site.validation_results_store.set(key, result)
    site.build_data_docs(site_names=["validation"])
    from expectations.offline_docs import localise

    localise(docs_dir)  # its scripts and styles from local copies, once `make docs` has vendored them
    for report in (docs_dir / RESULTS).glob("*/*.json"):
        if report not in results:
            report.unlink()
    for earlier in (docs_dir / RESULTS).iterdir():
        if earlier.is_dir() and not any(earlier.iterdir()):
            earlier.rmdir()
    return docs_dir / "index.html"


def record(con, run_id: str, outcome: SuiteOutcome, checked_at: dt.datetime | None = None) -> int:
    """Append the outcomes to audit.validation_results."""
    from ingestion import warehouse

    checked_at = checked_at or dt.datetime.now().replace(microsecond=0)
    rows = [{"run_id": run_id, "checked_at": checked_at, **vars(o)} for o in outcome.outcomes]
    return warehouse.insert_rows(con, "audit.validation_results", rows)
