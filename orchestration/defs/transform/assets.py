"""The dbt project as assets, in two steps around the validation checks.

`dbt_models` builds staging and intermediate models (and seeds); the Great Expectations checks
run on intermediate models (blocking); then `dbt_marts` builds the public marts and the models
tagged `after_validation`, which read the check results. Such a model refs every validated
model, so Dagster runs the checks before this step. `dbt build` runs each model's tests, which
Dagster shows as asset checks.
"""

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.defs.transform.project import dbt_project
from orchestration.freshness import BRIEFING_FRESHNESS, BRIEFING_MARTS
from orchestration.resources import WarehouseResource

# The public layer, and the models that read validation results: built after the checks.
MARTS = "config.schema:marts tag:after_validation"


class WarehouseTranslator(DagsterDbtTranslator):
    """Folder = schema = Dagster group (staging, intermediate, marts); the briefing marts' freshness policy."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.key.path[-1] in BRIEFING_MARTS:
            return spec.replace_attributes(freshness_policy=BRIEFING_FRESHNESS)
        return spec

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["config"].get("schema") or "staging"


translator = WarehouseTranslator()


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource, what: str):
    """`dbt build` of the run's warehouse, its events streamed to Dagster, with a progress line every 10 models."""
    models = tests = 0
    arguments = ["build", "--vars", json.dumps({"warehouse": warehouse.database_path})]
    for event in dbt.cli(arguments, context=context).stream():
        if isinstance(event, dg.Output | dg.AssetMaterialization):
            models += 1
            if models % 10 == 0:
                context.log.info(f"PROGRESS {what}: {models} models built")
        elif isinstance(event, dg.AssetCheckResult | dg.AssetCheckEvaluation):
            tests += 1
        yield event
    context.log.info(f"PROGRESS {what}: {models} models built, {tests} dbt tests run")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    exclude=MARTS,
    name="dbt_models",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    from expectations.runner import preload

    preload()  # the checks that follow need Great Expectations: import it while dbt builds
    yield from _build(context, dbt, warehouse, "staging and intermediate")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    select=MARTS,
    name="dbt_marts",
)
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    yield from _build(context, dbt, warehouse, "marts")
