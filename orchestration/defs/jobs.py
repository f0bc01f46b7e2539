import dagster as dg

from orchestration.partitions import MONTHS

# One writer at a time on the DuckDB file: every step runs in one process, one after another
# (and the instance's run queue runs one run at a time: orchestration/settings.py).
LEDGER = dg.AssetSelection.assets(["raw", "workbooks"])

refresh_warehouse = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all() - LEDGER,
    executor_def=dg.in_process_executor,
    description="Inbox to published marts: land the inbox, read the new and corrected workbooks (of any month: each "
    "month read is recorded in raw/workbooks), one dbt build, validate, publish, write the briefing packs.",
)

reread_months = dg.define_asset_job(
    "reread_months",
    selection=dg.AssetSelection.all(),
    partitions_def=MONTHS,
    executor_def=dg.in_process_executor,
    description="The same for a month or a range of months (`ntm-ocop backfill`, a backfill in the UI), reading "
    "every workbook of those months again with the new ones.",
)

receive_files = dg.define_asset_job(
    "receive_files",
    selection=dg.AssetSelection.assets(["landing", "workbooks"]),
    executor_def=dg.in_process_executor,
    description="Land the inbox: keep every file, note each workbook's reporting unit and month, reject unreadable "
    "files.",
)

monthly_briefing = dg.define_asset_job(
    "monthly_briefing",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest")
    | dg.AssetSelection.assets(["raw", "admin_units"], ["raw", "commune_crosswalk_2025"]),
    executor_def=dg.in_process_executor,
    description="Rebuild, re-validate and re-publish everything loaded, and write the briefing packs (no loading).",
)
