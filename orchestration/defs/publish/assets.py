"""The serving database BI tools read: published only after every model and check succeeded."""

from pathlib import Path

import dagster as dg

from orchestration.defs.transform.assets import dbt_marts
from orchestration.publish import publish
from orchestration.resources import WarehouseResource

PUBLIC_MARTS = [key for key in dbt_marts.keys if key.path[0] == "marts"]


@dg.asset(
    key=["serving", "database"],
    group_name="publish",
    deps=PUBLIC_MARTS,
    description="data/serving.duckdb: a copy of the schema marts, replaced atomically (new file, then rename) "
    "once every model, dbt test and validation check of the run has passed. BI tools read this file, read-only.",
)
def serving_database(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    publication = publish(Path(warehouse.database_path), Path(warehouse.serving_path), context.run.run_id)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(publication.serving_path)),
            "published_at": publication.published_at.isoformat(),
            "tables": dg.MetadataValue.json(publication.tables),
        }
    )
