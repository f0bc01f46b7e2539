"""Inbox -> landing -> raw tables. Asset keys equal the dbt source keys (["raw", table]).

Landing is one unpartitioned asset (every file of the inbox is kept, whatever its reporting unit);
the raw tables are partitioned by reporting month and reporting unit (orchestration/partitions.py).
"""

import datetime as dt

import dagster as dg

from ingestion import pipeline, warehouse
from ingestion.schema import changes_since
from orchestration.partitions import UNIT_MONTHS, add_reporting_units, partition_key, unit_month
from orchestration.planner import READ_NEW, READ_TAG
from orchestration.resources import WarehouseResource

RAW_TABLES = tuple(table.removeprefix("raw.") for table in warehouse.WORKBOOK_TABLES)
# A run of up to this many unit-months lists the files it read in each partition's materialisation.
FILES_PER_PARTITION_UP_TO = 25


@dg.asset(
    key=["landing", "workbooks"],
    group_name="ingest",
    description="Every file in the inbox, copied unchanged to data/landing/<sha256>.<ext> and recorded in "
    "audit.received_files with the reporting unit and month its cover names (its raw partition); a file whose cover "
    "cannot be read is rejected here. A file already received (same content) is not received again.",
)
def landed_workbooks(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    started_at = dt.datetime.now()
    with warehouse.connect() as con:
        schema_changes = changes_since(con, started_at)
        summary = pipeline.receive_inbox(con, warehouse.inbox, warehouse.landing_dir)
        classified = pipeline.classify_received(con, warehouse.reader_limits)
        pending = pipeline.pending_partitions(con)
        by_status = dict(con.execute("select status, count(*) from audit.received_files group by 1").fetchall())
    new_units = add_reporting_units(context.instance, {unit for unit, _ in pending})
    for change in schema_changes:
        context.log.warning(f"Warehouse {change}")
    for name, reason in classified.rejected.items():
        context.log.warning(f"Rejected workbook {name!r}: {reason}")
    context.log.info(f"PROGRESS received {summary.received} new file(s), {len(pending)} unit-month(s) to load")
    return dg.MaterializeResult(
        metadata={
            "inbox": dg.MetadataValue.path(str(warehouse.inbox)),
            "files_received": summary.received,
            "files_already_received": summary.already_seen,
            "lock_files_skipped": ", ".join(summary.lock_files_skipped) or "none",
            "entries_refused": dg.MetadataValue.json(summary.refused),
            "files_rejected": dg.MetadataValue.json(classified.rejected),
            "partitions_to_load": ", ".join(sorted(str(partition_key(d, m)) for d, m in pending)) or "none",
            "reporting_units_added": ", ".join(new_units) or "none",
            "files_by_status": dg.MetadataValue.json(by_status),
            "schema_changes": "; ".join(schema_changes) or "none",
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "admin_units"],
            group_name="ingest",
            description="Every version of every administrative unit since 2010 (a code within a validity period), "
            "from dated snapshots of the official list; committed in ingestion/data/ (make admin-units).",
        ),
        dg.AssetSpec(
            ["raw", "commune_crosswalk_2025"],
            group_name="ingest",
            description="Legacy commune -> 2025 commune, by code (ingestion/data/commune_crosswalk_2025.csv).",
        ),
    ],
)
def admin_units(warehouse: WarehouseResource):
    with warehouse.connect() as con:
        rows = pipeline.load_reference_units(con)
        crosswalk = con.execute("select count(*) from raw.commune_crosswalk_2025").fetchall()[0][0]
    yield dg.MaterializeResult(asset_key=["raw", "admin_units"], metadata={"dagster/row_count": rows})
    yield dg.MaterializeResult(asset_key=["raw", "commune_crosswalk_2025"], metadata={"dagster/row_count": crosswalk})


@dg.asset(
    key=["raw", "workbooks"],
    deps=[landed_workbooks],
    group_name="ingest",
    partitions_def=UNIT_MONTHS,
    # A run may cover a range of months (the CLI, a backfill): one run reads them all at once.
    backfill_policy=dg.BackfillPolicy.single_run(),
    description="The raw tables of the workbooks (raw.workbook_covers, commune_criteria, "
    "commune_indicators, villages, ocop_products, fund_positions, plan_targets, unit_totals): what each "
    "reporting unit's current workbook of the month said, normalised, with lineage (file_sha256, sheet, row_number). "
    "One partition per reporting unit (a district to 06/2025, a commune from 07/2025) and month: materialising "
    "it (re-)reads that unit-month's workbooks; a run "
    "tagged ntm/read=new (the sensor's and `ntm-ocop run`'s) reads only the workbooks not loaded yet. A run of up "
    "to 25 unit-months names the files it read in each partition's materialisation; a larger run names them once, "
    "in an observation of this asset.",
)
def raw_workbooks(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Load the received workbooks of the run's unit-months, all their sheets; reject what cannot be read."""
    only = {unit_month(key) for key in context.partition_keys}
    reread = context.run.tags.get(READ_TAG) != READ_NEW
    with warehouse.connect() as con:
        summary = pipeline.load_received(con, only=only, reread=reread, limits=warehouse.reader_limits)
    for name, reason in summary.rejected.items():
        context.log.warning(f"Rejected workbook {name!r}: {reason}")
    context.log.info(
        f"PROGRESS read {len(summary.loaded) + len(summary.rejected)} workbook(s): {len(summary.loaded)} loaded, "
        f"{len(summary.rejected)} rejected, {summary.rows_rejected} row(s) rejected"
    )
    counts = {
        "workbooks_read_count": len(summary.read),
        "workbooks_rejected_count": len(summary.rejected),
        "workbooks_loaded": len(summary.loaded),
        "workbooks_superseded": len(summary.superseded),
        "rows_rejected": summary.rows_rejected,
        "rows_inserted": dg.MetadataValue.json({t: summary.rows_loaded.get(f"raw.{t}", 0) for t in RAW_TABLES}),
    }
    files = {
        "workbooks_read": dg.MetadataValue.json(summary.read),
        "workbooks_rejected": dg.MetadataValue.json(summary.rejected),
    }
    if len(context.partition_keys) <= FILES_PER_PARTITION_UP_TO:
        return dg.MaterializeResult(metadata={**files, **counts})
    # Dagster copies a result's metadata into every partition's materialisation: the names of a national
    # commune month's 3,321 files, 3,321 times, made a 355 MB event log. The names go once, in an observation.
    context.log_event(dg.AssetObservation(asset_key=context.asset_key, metadata={**files, **counts}))
    return dg.MaterializeResult(metadata={**counts, "file_names": "in this run's observation of the asset"})


# The tables as wholes, under the keys of the dbt sources. Unpartitioned on purpose: one event per table per
# run (a range run over a national month is 635 partitions; eight partitioned tables would log 5,080 events).
# Their dependency on the partitioned loads maps to no partition in particular: with Dagster's default (every
# partition) each run enumerated the months x units grid to look up the upstream data versions, which it then
# ignores above 100 partitions: 10.8 s of a national commune month's run (months since 2010 x 3,321 communes).
WHOLE_TABLES = dg.SpecificPartitionsPartitionMapping([])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", table],
            deps=[dg.AssetDep(raw_workbooks, partition_mapping=WHOLE_TABLES)],
            group_name="ingest",
            description=f"raw.{table}, every unit-month loaded by raw/workbooks; its materialisation "
            "records the row count after each run's loads.",
        )
        for table in RAW_TABLES
    ],
)
def workbook_tables(warehouse: WarehouseResource):
    with warehouse.connect(read_only=True) as con:
        counts = {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in RAW_TABLES}
    for table in RAW_TABLES:
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"dagster/row_count": counts[table]})
