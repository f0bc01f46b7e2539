"""Inbox -> landing -> raw tables. Asset keys equal the dbt source keys (["raw", table]).

Landing is one unpartitioned asset (every file of the inbox is kept, whatever its reporting unit). One op,
`raw_workbooks`, reads the workbooks into the raw tables (unpartitioned: the dbt sources) and keeps the month ledger
`raw/workbooks`, partitioned by reporting month (orchestration/partitions.py): a month is materialised when files
of it were read, with its units loaded and missing as metadata (docs/run-flow.md).
"""

import datetime as dt

import dagster as dg

from ingestion import pipeline, warehouse
from ingestion.schema import changes_since
from orchestration.partitions import MONTHS, month_key, month_of
from orchestration.resources import WarehouseResource

RAW_TABLES = tuple(table.removeprefix("raw.") for table in warehouse.WORKBOOK_TABLES)
LEDGER = dg.AssetKey(["raw", "workbooks"])
# A month's metadata names at most this many files and missing units (a national commune month has 3,321).
NAMES_UP_TO = 100


@dg.asset(
    key=["landing", "workbooks"],
    group_name="ingest",
    description="Every file in the inbox, copied unchanged to data/landing/<sha256>.<ext> and recorded in "
    "audit.received_files with the reporting unit and month its cover names; a file whose cover cannot be read is "
    "rejected here. A file already received (same content) is not received again.",
)
def landed_workbooks(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    started_at = dt.datetime.now()
    with warehouse.connect() as con:
        schema_changes = changes_since(con, started_at)
        summary = pipeline.receive_inbox(con, warehouse.inbox, warehouse.landing_dir)
        classified = pipeline.classify_received(con, warehouse.reader_limits)
        pending = pipeline.pending_unit_months(con)
        by_status = dict(con.execute("select status, count(*) from audit.received_files group by 1").fetchall())
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
            # the same bytes sent again (copied in anew): answered in the unit's feedback, "no change"
            "files_sent_again_unchanged": ", ".join(summary.resent[:25]) or "none",
            "lock_files_skipped": ", ".join(summary.lock_files_skipped) or "none",
            "entries_refused": dg.MetadataValue.json(summary.refused),
            "files_rejected": dg.MetadataValue.json(classified.rejected),
            "months_to_load": ", ".join(sorted({month_key(m) for _, m in pending})) or "none",
            "unit_months_to_load": len(pending),
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


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_UP_TO])
    return shown + (f" and {len(names) - NAMES_UP_TO} more" if len(names) > NAMES_UP_TO else "") if names else "none"


def _ledger_metadata(ledger: pipeline.MonthLedger) -> dict:
    loaded = sum(len(units) for units in ledger.units_loaded.values())
    missing = [unit for units in ledger.units_missing.values() for unit in units]
    return {
        "reporting_level": ledger.reporting_level,
        "files_read_count": len(ledger.files_read),
        "files_read": _names(ledger.files_read),
        "units_loaded_count": loaded,
        "units_missing_count": len(missing),
        "units_missing": _names(missing),
        "units_by_province": dg.MetadataValue.json(
            {
                province: {"loaded": len(ledger.units_loaded.get(province, [])), "missing": len(units)}
                for province in sorted({*ledger.units_loaded, *ledger.units_missing})
                for units in [ledger.units_missing.get(province, [])]
            }
        ),
    }


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            LEDGER,
            deps=[landed_workbooks],
            group_name="ingest",
            partitions_def=MONTHS,
            skippable=True,
            description="The reporting months as read into the raw tables, one partition a month (01/2010 on). A "
            "month is materialised when a run read workbooks of it, new or corrected ones (any run), or all of its "
            "workbooks again (a run or backfill of its partition); its metadata lists the files read and the "
            "reporting units loaded and missing (districts to 06/2025, communes from 07/2025).",
        ),
        *(
            dg.AssetSpec(
                ["raw", table],
                deps=[landed_workbooks],
                group_name="ingest",
                skippable=True,
                description=f"raw.{table}: what each reporting unit's current workbook of the month said, "
                "normalised, with lineage (file_sha256, sheet, row_number); every month loaded. Its "
                "materialisation records the row count after each run's loads.",
            )
            for table in RAW_TABLES
        ),
    ],
    can_subset=True,
    # A run or backfill over a range of months re-reads them all at once.
    backfill_policy=dg.BackfillPolicy.single_run(),
    name="raw_workbooks",
)
def raw_workbooks(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Read every received workbook (and, with the month ledger selected, every workbook of its months again)."""
    reread = [month_of(key) for key in context.partition_keys] if LEDGER in context.selected_asset_keys else []
    with warehouse.connect() as con:
        summary = pipeline.load_received(con, reread, limits=warehouse.reader_limits)
        ledgers = pipeline.month_ledgers(con, summary, reread)
        counts = {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in RAW_TABLES}
    for name, reason in summary.rejected.items():
        context.log.warning(f"Rejected workbook {name!r}: {reason}")
    context.log.info(
        f"PROGRESS read {len(summary.loaded) + len(summary.rejected)} workbook(s): {len(summary.loaded)} loaded, "
        f"{len(summary.rejected)} rejected, {summary.rows_rejected} row(s) rejected"
    )
    for ledger in ledgers:
        metadata, key = _ledger_metadata(ledger), month_key(ledger.month)
        if ledger.month in reread:  # a partition of this run: its materialisation carries the month's metadata
            context.add_asset_metadata(metadata, asset_key=LEDGER, partition_key=key)
        else:  # a month with new files outside the run's partitions (every month, in an unpartitioned run)
            context.log_event(dg.AssetMaterialization(LEDGER, partition=key, metadata=metadata))
    if reread:
        yield dg.MaterializeResult(asset_key=LEDGER, metadata={"months_read_again": len(reread)})
    rows_inserted = {t: summary.rows_loaded.get(f"raw.{t}", 0) for t in RAW_TABLES}
    for table in RAW_TABLES:
        if dg.AssetKey(["raw", table]) in context.selected_asset_keys:
            yield dg.MaterializeResult(
                asset_key=["raw", table],
                metadata={"dagster/row_count": counts[table], "rows_inserted": rows_inserted[table]},
            )
