import dagster as dg

# One writer at a time on the DuckDB file: every step runs in one process, one after another.
refresh_warehouse = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Inbox to published marts: land and load workbooks, build the dbt models, validate, build the marts.",
)
