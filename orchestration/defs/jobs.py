import dagster as dg

from orchestration.partitions import UNIT_MONTHS

# One writer at a time on the DuckDB file: every step runs in one process, one after another
# (and the instance's run queue runs one run at a time: orchestration/settings.py).
refresh_warehouse = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    partitions_def=UNIT_MONTHS,
    executor_def=dg.in_process_executor,
    description="Inbox to published marts for one district-month (or a range of months): land the inbox, load "
    "the partition's workbooks, build the dbt models, validate, build the marts, publish, write the briefing packs.",
)

receive_files = dg.define_asset_job(
    "receive_files",
    selection=dg.AssetSelection.assets(["landing", "workbooks"]),
    executor_def=dg.in_process_executor,
    description="Land the inbox: keep every file, note each workbook's district and month, reject unreadable files.",
)

monthly_briefing = dg.define_asset_job(
    "monthly_briefing",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest")
    | dg.AssetSelection.assets(["raw", "admin_units"], ["raw", "commune_crosswalk_2025"]),
    executor_def=dg.in_process_executor,
    description="Rebuild, re-validate and re-publish everything loaded, and write the briefing packs (no loading).",
)
