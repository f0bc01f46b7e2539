"""The serving database BI tools read: published only after every model and check succeeded."""

from pathlib import Path

import dagster as dg

from orchestration.defs.quality.checks import VALIDATED_MODELS
from orchestration.defs.transform import assets as transform  # the module: its assets are defined once, there
from orchestration.resources import WarehouseResource
from orchestration.state import record_publication, serving_targets, warehouse_state
from publishing.serving import publish
from publishing.serving_postgres import publish_postgres

PUBLIC_MARTS = [key for key in transform.dbt_warehouse.keys if key.path[0] == "marts"]


@dg.asset(
    key=["serving", "database"],
    group_name="publish",
    # The validated models too: a blocking check holds back what depends on its asset directly.
    deps=[*PUBLIC_MARTS, *VALIDATED_MODELS],
    description="data/serving.duckdb: a copy of the schema marts, replaced atomically (new file, then rename) "
    "once every model, dbt test and validation check of the run has passed; the marts that depend on the "
    "validation results are views, so the copy reads this run's. BI tools read this file, read-only "
    "(written at the storage version NTM_SERVING_STORAGE_VERSION, which their DuckDB opens). PostgreSQL, if "
    "set, follows it (serving/postgresql): its outage never holds this file back.",
)
def serving_database(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    from publishing.feedback import record_feedback

    with warehouse.connect() as con:  # what each unit is told, read by the view marts.mart_unit_feedback
        metadata: dict = {"feedback_rows": record_feedback(con)}
    publication = publish(
        Path(warehouse.database_path),
        Path(warehouse.serving_path),
        context.run.run_id,
        storage_version=warehouse.serving_storage_version,
    )
    # recorded as the DuckDB file's publication alone: serving/postgresql records the whole once PostgreSQL has it,
    # so a run whose PostgreSQL publish failed is followed by one that publishes, even with nothing new
    _record(warehouse, context.run.run_id, publication.published_at, postgres_url="")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(publication.target),
            "storage_version": warehouse.serving_storage_version,
            **metadata,
            "published_at": publication.published_at.isoformat(),
            "tables": dg.MetadataValue.json(publication.tables),
        }
    )


def _record(warehouse: WarehouseResource, run_id: str, published_at, *, postgres_url: str) -> None:
    """What this publication was made from, into these targets: a run with nothing new then does nothing."""
    targets = serving_targets(
        warehouse.serving_path, warehouse.serving_storage_version, postgres_url, warehouse=warehouse.database_path
    )
    with warehouse.connect() as con:
        record_publication(con, run_id, published_at, warehouse_state(con, targets))


@dg.asset(
    key=["serving", "postgresql"],
    group_name="publish",
    deps=[serving_database],
    description="With NTM_SERVING_POSTGRES set: the same tables and validation results as the serving file, "
    "published into that PostgreSQL database (new schemas swapped in by one transaction, docs/bi.md), after the "
    "DuckDB file. If PostgreSQL cannot be reached this step fails saying so, the DuckDB file and the briefing packs "
    "keep this run's publication, and the next run publishes into PostgreSQL. Without it: nothing to do.",
)
def serving_postgresql(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    from publishing.serving_postgres import redacted

    if not warehouse.serving_postgres_url:
        return dg.MaterializeResult(metadata={"postgresql": "not set (NTM_SERVING_POSTGRES)"})
    try:
        into_postgres = publish_postgres(
            Path(warehouse.database_path),
            warehouse.serving_postgres_url,
            context.run.run_id,
            reader_role=warehouse.serving_reader_role,
        )
    except Exception as error:  # any error: named below, with the targets that do have the publication
        raise dg.Failure(
            description=(
                f"{warehouse.serving_path} has run {context.run.run_id}'s publication; PostgreSQL "
                f"{redacted(warehouse.serving_postgres_url)} does NOT and keeps its previous one: "
                f"{redacted(f'{type(error).__name__}: {error}'.strip())}. The next run publishes into PostgreSQL."
            )
        ) from None
    # the publication is now the DuckDB file's and PostgreSQL's
    _record(warehouse, context.run.run_id, into_postgres.published_at, postgres_url=warehouse.serving_postgres_url)
    return dg.MaterializeResult(
        metadata={
            "postgresql": into_postgres.target,
            "published_at": into_postgres.published_at.isoformat(),
            "tables": dg.MetadataValue.json(into_postgres.tables),
        }
    )


@dg.asset(
    key=["reports", "briefing_packs"],
    group_name="publish",
    deps=[serving_database],
    description="data/reports/briefing/<province>/<YYYY-MM>/: the briefing pack (HTML page, .xlsx workbook and the "
    "Word report an office edits and signs, in Vietnamese, with charts) of each province's latest published month, "
    "from the serving database. A pack whose figures, warnings and report settings have not changed is kept.",
)
def briefing_packs(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    import duckdb

    from publishing.pack import latest_months, write_packs

    reports = Path(warehouse.data_dir) / "reports"
    with duckdb.connect(warehouse.serving_path, read_only=True) as serving:
        packs = write_packs(serving, reports, latest_months(serving), workers=warehouse.pack_workers)
    for pack in packs:
        context.log.info(f"PROGRESS briefing pack {pack.directory.parent.name} {pack.directory.name}: {pack.html_path}")
    return dg.MaterializeResult(
        metadata={
            "packs": len(packs),
            "packs_rewritten": sum(p.written for p in packs),
            "paths": dg.MetadataValue.json([str(p.html_path) for p in packs[:100]]),
        }
    )
