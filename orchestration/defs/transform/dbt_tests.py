"""dbt tests reported per model: one asset check, ``dbt_tests``, on each model (or seed) with tests.

dagster-dbt makes every dbt test an asset check of its own. This project had 346 of them, so each
run stored ~1,050 events for them alone (a check planned, evaluated, and its output), a third of
a run's events, before a single figure changed. Here the tests of a model are one check: it
passes when every test passed, fails (severity ERROR) when one failed, and its metadata lists
each test with its status and failing rows, so the UI still names the test that failed, and the
CLI prints it (``FAILED CHECK <model>: <test> (<what failed>)``). A model's generic tests are one
dbt test already, ``checks_<model>`` (dbt_project/tests/generic/checks.sql), whose failing rows
name the check, the column and the value: the first of them are read back after the build and
shown with the test. Nothing about running them changes: ``dbt build``
runs every test after its model, a failing one skips what is built on that model and fails the
step, so nothing downstream (checks, marts, publication) runs.

A test belongs to the model it is attached to (dagster-dbt's rule: the generic test's model,
a singular test's only parent, or the ``meta: dagster: ref`` it names), else to the first model
or seed it reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt.asset_utils import DAGSTER_DBT_UNIQUE_ID_METADATA_KEY

CHECK_NAME = "dbt_tests"
DESCRIPTION = (
    "Every dbt test on this model (its `checks`: keys, never-null columns, accepted values, references; and the "
    "singular tests attached to it), run by `dbt build` after the model: passes when all passed; the metadata "
    "lists each, and for a failed one what failed."
)

_ASSETS_OF_TESTS: dict[str, dict[str, str]] = {}


def _assets_of_tests(manifest: Mapping[str, Any]) -> dict[str, str]:
    """test unique id -> unique id of the model or seed it belongs to (computed once per parsed manifest)."""
    cache_key = manifest["metadata"].get("invocation_id") or str(id(manifest))
    found = _ASSETS_OF_TESTS.get(cache_key)
    if found is not None:
        return found
    by_name = {(n["package_name"], n["name"]): uid for uid, n in manifest["nodes"].items()}
    found = {}
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] != "test":
            continue
        ref = ((node.get("config") or {}).get("meta") or node.get("meta") or {}).get("dagster", {}).get("ref")
        parents = [p for p in node["depends_on"]["nodes"] if p.split(".")[0] in ("model", "seed", "snapshot")]
        if ref:
            found[uid] = by_name[(ref.get("package") or node["package_name"], ref["name"])]
        elif node.get("attached_node"):
            found[uid] = node["attached_node"]
        elif parents:
            found[uid] = parents[0]
    _ASSETS_OF_TESTS[cache_key] = found
    return found


def tests_of(manifest: Mapping[str, Any], asset_unique_id: str) -> list[str]:
    """The unique ids of the tests that belong to a model or seed."""
    return sorted(t for t, owner in _assets_of_tests(manifest).items() if owner == asset_unique_id)


def check_spec(translator, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], test_id: str, project):
    """The ``dbt_tests`` check of the model `test_id` belongs to, when `asset_spec` is that model; else None."""
    owner = _assets_of_tests(manifest).get(test_id)
    if owner is None or translator.get_asset_spec(manifest, owner, project).key != asset_spec.key:
        return None
    tests = tests_of(manifest, owner)
    parents = {p for t in tests for p in manifest["parent_map"].get(t, [])} - {owner}
    return dg.AssetCheckSpec(
        name=CHECK_NAME,
        asset=asset_spec.key,
        description=DESCRIPTION,
        additional_deps=sorted({translator.get_asset_spec(manifest, p, project).key for p in parents}, key=str),
        blocking=any((manifest["nodes"][t]["config"].get("severity") or "error").lower() == "error" for t in tests),
        # dagster-dbt selects by this unique id when a run deselects the check: the model alone, no tests.
        metadata={
            DAGSTER_DBT_UNIQUE_ID_METADATA_KEY: owner,
            "dbt_tests": [manifest["nodes"][t]["name"] for t in tests],
        },
    )


@dataclass
class TestResults:
    """The test results of one `dbt build`, gathered by model, reported as one check result each."""

    manifest: Mapping[str, Any]
    translator: Any
    project: Any
    by_asset: dict[dg.AssetKey, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def take(self, raw_event: Mapping[str, Any]) -> bool:
        """Record the event if it is a test's result (True); anything else is for dagster-dbt (False)."""
        if raw_event["info"]["name"] != "LogTestResult":
            return False
        data = raw_event["data"]
        test_id = data.get("node_info", {}).get("unique_id", "")
        owner = _assets_of_tests(self.manifest).get(test_id)
        if owner is None:
            return False
        key = self.translator.get_asset_spec(self.manifest, owner, self.project).key
        self.by_asset[key].append(
            {
                "test": self.manifest["nodes"][test_id]["name"],
                "status": data.get("status"),
                "failing_rows": data.get("num_failures"),
                "seconds": round(float(data.get("execution_time") or 0), 3),
            }
        )
        return True

    def explain(self, run_results: Mapping[str, Any] | None, query) -> None:
        """Add to each failed test what failed: the first of its failing rows, read by running its compiled SQL
        with `query` (SQL -> rows) after the build. A `checks` row reads 'accepted_values stars: 6'."""
        compiled = {r["unique_id"]: r.get("compiled_code") for r in (run_results or {}).get("results", [])}
        names = {n["name"]: uid for uid, n in self.manifest["nodes"].items() if n["resource_type"] == "test"}
        for results in self.by_asset.values():
            for result in results:
                sql = compiled.get(names.get(result["test"], ""))
                if result["status"] != "fail" or not sql:
                    continue
                try:
                    rows = query(f"select * from ({sql}) limit {SHOWN_ROWS + 1}")
                except (duckdb.Error, OSError) as error:  # a courtesy: the test's result stands
                    result["detail"] = f"its failing rows could not be read: {type(error).__name__}"
                    continue
                checks = self.manifest["nodes"][names[result["test"]]].get("test_metadata", {}).get("name") == "checks"
                shown = [_row(row, checks) for row in rows[:SHOWN_ROWS]]
                result["detail"] = "; ".join(shown) + ("; …" if len(rows) > SHOWN_ROWS else "")

    def failed(self) -> list[str]:
        return [f"{key.to_user_string()}: {_named(r)}" for key, rs in self.by_asset.items() for r in rs if _bad(r)]

    def check_results(self, selected: set[dg.AssetCheckKey]) -> Iterator[dg.AssetCheckResult]:
        for key, results in sorted(self.by_asset.items(), key=lambda item: item[0].to_user_string()):
            if dg.AssetCheckKey(key, CHECK_NAME) not in selected:
                continue
            failed = [r for r in results if _bad(r)]
            warned = [r for r in results if r["status"] == "warn"]
            yield dg.AssetCheckResult(
                asset_key=key,
                check_name=CHECK_NAME,
                passed=not failed and not warned,
                severity=dg.AssetCheckSeverity.ERROR if failed else dg.AssetCheckSeverity.WARN,
                metadata={
                    "tests": len(results),
                    "passed": sum(r["status"] == "pass" for r in results),
                    "failed": dg.MetadataValue.json([_named(r) for r in failed]),
                    "warned": dg.MetadataValue.json([r["test"] for r in warned]),
                    "results": dg.MetadataValue.md(_table(results)),
                },
            )


SHOWN_ROWS = 3


def _row(row: tuple, checks: bool) -> str:
    """A failing row as a person reads it: a `checks` row (check, column(s), value) as 'check column: value', any
    other test's row its values."""
    if checks:
        check, column, value = row
        return f"{check} {column}" + ("" if value is None else f": {value}")
    return " | ".join("null" if v is None else str(v) for v in row)


def _named(result: Mapping[str, Any]) -> str:
    return f"{result['test']} ({result['detail']})" if result.get("detail") else result["test"]


def _bad(result: Mapping[str, Any]) -> bool:
    return result["status"] in ("fail", "error")


def _table(results: list[dict]) -> str:
    lines = ["| test | status | failing rows | s |", "| --- | --- | --- | --- |"]
    for r in sorted(results, key=lambda r: (not _bad(r), r["test"])):
        lines.append(f"| {_named(r)} | {r['status']} | {r['failing_rows'] or 0} | {r['seconds']} |")
    return "\n".join(lines)
