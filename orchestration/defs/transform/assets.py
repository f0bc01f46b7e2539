"""The dbt project as assets: one `dbt build` a run (write-audit-publish, docs/run-flow.md).

`dbt_warehouse` builds every seed and model of the warehouse file and runs their tests, which Dagster
shows as one asset check per model, `dbt_tests` (dbt_tests.py). The Great Expectations checks then
validate intermediate models (orchestration/defs/quality/checks.py), and the publish step copies the
marts to the serving database after them. The marts whose rows depend on the validation results
(tag `validated_at_publish`) are views over the results, so what is published reads this run's.
"""

import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from orchestration.defs.transform import dbt_tests, reference_models
from orchestration.defs.transform.project import dbt_project, warehouse_vars
from orchestration.resources import WarehouseResource

# dbt's unit tests check the models' SQL on fixed inputs, not the data: they run in `make test`
# (tests/test_end_to_end.py, on the warehouse a run built), not in every production build (as dbt advises).
PRODUCTION_BUILD = ["--exclude-resource-type", "unit_test"]


class WarehouseTranslator(DagsterDbtTranslator):
    """Folder = schema = Dagster group (staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["config"].get("schema") or "staging"

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        """A model's tests are one check, `dbt_tests` (orchestration/defs/transform/dbt_tests.py)."""
        return dbt_tests.check_spec(self, asset_spec, manifest, unique_id, project)


translator = WarehouseTranslator()


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` of the run's warehouse: models and seeds reported as dagster-dbt does, each model's tests as one
    check result (dbt_tests.py), a progress line every 10 models."""
    build_vars = warehouse_vars(warehouse.database_path)
    arguments = ["build", *PRODUCTION_BUILD, "--vars", build_vars]
    # the nodes that read reference data alone, left out of a whole build when made as they would be made now (a
    # subset, from the UI, builds what it selects, as dagster-dbt selects it)
    manifest, _, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])  # loaded with the definitions
    unchanged = _reference_unchanged(manifest, warehouse, build_vars, whole=not context.is_subset)
    if unchanged.since_run is not None:
        arguments += reference_models.exclusion(unchanged.manifest, unchanged.nodes)
        context.log.info(f"PROGRESS dbt build: {len(unchanged.nodes)} reference nodes (seeds, administrative units) "
                         f"left out, unchanged since run {unchanged.since_run}")  # fmt: skip
    # dbt's artefacts (manifest, run results, compiled SQL, dbt.log) of this warehouse's latest build, beside it,
    # replaced each build (dagster-dbt's default is a new folder per invocation in the checkout, ~10 MB each,
    # never removed). Its partial_parse.msgpack (at first the checkout's) spares the build a full parse (~3.5 s).
    target = Path(warehouse.data_dir) / "dbt-target"
    invocation = dbt.in_folder_of(warehouse.database_path).cli(arguments, context=context, target_path=target)
    tests = dbt_tests.TestResults(invocation.manifest, invocation.dagster_dbt_translator, invocation.project)
    versioned: set[str] = set()  # the reference models this build makes: their outputs carry the fingerprint
    if unchanged.since_run is not None:
        yield from _left_out(context, invocation, unchanged)
    elif unchanged.fingerprint:  # "": no warehouse to hash before the build, no version to give
        versioned = {name for _, name in _reference_outputs(context, invocation, unchanged)}
    models, failure = 0, None
    try:
        for raw in invocation.stream_raw_events():
            if tests.take(raw.raw_event):
                continue
            for event in raw.to_default_asset_events(
                manifest=invocation.manifest,
                dagster_dbt_translator=invocation.dagster_dbt_translator,
                context=context,
                target_path=invocation.target_path,
                project=invocation.project,
            ):
                if isinstance(event, dg.Output) and event.output_name in versioned:
                    event = _versioned(event, unchanged.fingerprint)
                if isinstance(event, dg.Output | dg.AssetMaterialization):
                    models += 1
                    if models % 10 == 0:
                        context.log.info(f"PROGRESS dbt build: {models} models built")
                yield event
    except DagsterDbtCliRuntimeError as error:  # a test or model failed: report the tests that ran, then fail
        failure = error
    made = unchanged.since_run is None and unchanged.fingerprint  # "": no warehouse to hash before the build
    made = made and reference_models.all_built(_run_results(invocation), unchanged.nodes)
    if failure is None and made:  # every reference node made again: the next build may leave them out
        with warehouse.connect() as con:  # a writable connection brings the audit schema up to date first
            con.execute(
                "insert into audit.reference_builds values (?, ?, ?, current_localtimestamp())",
                [unchanged.fingerprint, len(unchanged.nodes), context.run_id],
            )
    if failure is not None:
        tests.explain(_run_results(invocation), lambda sql: _query(warehouse, sql))
    yield from tests.check_results(set(context.selected_asset_check_keys))
    if failure is not None:
        for test in tests.failed():
            context.log.error(f"dbt test failed: {test}")
        errors = _node_errors(invocation)  # a model that did not build (a contract's not_null constraint, bad SQL)
        for error in errors:
            context.log.error(f"dbt model failed: {error}")
        if errors:
            raise dg.Failure(description=f"dbt model failed: {'; '.join(errors)}") from None
        raise failure
    ran = sum(len(results) for results in tests.by_asset.values())
    context.log.info(f"PROGRESS dbt build: {models} models built, {ran} dbt tests run")


@dataclass(frozen=True)
class _Reference:
    manifest: Mapping[str, Any]
    nodes: list[str]
    fingerprint: str
    since_run: str | None  # the run whose build made them as they would be made now, if they are all there


def _reference_unchanged(manifest, warehouse: WarehouseResource, build_vars: str, whole: bool) -> _Reference:
    nodes = reference_models.reference_nodes(manifest)
    if not Path(warehouse.database_path).exists():
        return _Reference(manifest, nodes, "", None)
    with warehouse.connect(read_only=True) as con:
        fingerprint = reference_models.fingerprint(manifest, nodes, build_vars, con, dbt_project.project_dir)
        last = reference_models.last_built(con)
        kept = whole and last is not None and last[0] == fingerprint
        kept = kept and not reference_models.missing_relations(manifest, nodes, con)
    return _Reference(manifest, nodes, fingerprint, last[1] if kept else None)


def _reference_outputs(context: dg.AssetExecutionContext, invocation, unchanged: _Reference):
    """(unique id, output name) of each reference model and seed this step materialises, parents first."""
    for unique_id in reference_models.in_build_order(unchanged.manifest, unchanged.nodes):
        if unique_id.split(".")[0] not in ("model", "seed"):
            continue
        spec = invocation.dagster_dbt_translator.get_asset_spec(invocation.manifest, unique_id, invocation.project)
        if spec.key in context.selected_asset_keys:
            yield unique_id, context.assets_def.get_output_name_for_asset_key(spec.key)


def _versioned(output: dg.Output, fingerprint: str, **metadata) -> dg.Output:
    """The output with the reference fingerprint as its data version: one version as long as nothing it is made
    from changes, whether the build made the table or left it as it was."""
    with warnings.catch_warnings():  # data_version is beta in Dagster 1.x
        warnings.simplefilter("ignore", dg.BetaWarning)
        return dg.Output(
            output.value,
            output_name=output.output_name,
            metadata={**output.metadata, **metadata},
            data_version=dg.DataVersion(fingerprint[:16]),
        )


def _left_out(context: dg.AssetExecutionContext, invocation, unchanged: _Reference) -> Iterator[dg.Output]:
    """An output for each reference model and seed left out of the build (the steps after dbt wait on every model's
    output, and would be skipped for want of one): its table is the one the build of `since_run` made, the same data
    version says so, and its metadata names that run."""
    for _, name in _reference_outputs(context, invocation, unchanged):
        yield _versioned(
            dg.Output(None, output_name=name),
            unchanged.fingerprint,
            left_out_of_dbt_build=f"unchanged since run {unchanged.since_run}: what it is made from has the same "
            "fingerprint (orchestration/defs/transform/reference_models.py)",
            unchanged_since_run=unchanged.since_run,
        )


def _run_results(invocation) -> dict | None:
    try:
        return invocation.get_artifact("run_results.json")
    except (OSError, ValueError):  # dbt died before writing it
        return None


def _query(warehouse: WarehouseResource, sql: str) -> list[tuple]:
    with warehouse.connect(read_only=True) as con:  # waits for the dbt that just ended to let the file go
        return con.execute(sql).fetchall()


def _node_errors(invocation) -> list[str]:
    """'<model>: <dbt's message on one line>' for each node of the invocation that ended in error."""
    results = (_run_results(invocation) or {}).get("results", [])
    return [
        f"{result['unique_id'].split('.')[-1]}: {' '.join((result.get('message') or '').split())}"
        for result in results
        if result.get("status") == "error" and result["unique_id"].startswith(("model.", "seed.", "snapshot."))
    ]


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, name="dbt_warehouse")
def dbt_warehouse(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    from expectations.runner import preload

    preload()  # the checks that follow need Great Expectations: import it while dbt builds
    yield from _build(context, dbt, warehouse)
