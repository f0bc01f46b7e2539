import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.defs.transform.project import dbt_project
from orchestration.progress import progress_logger
from orchestration.resources import WarehouseResource

defs = dg.Definitions(
    resources={
        "warehouse": WarehouseResource(
            database_path=dg.EnvVar("NTM_WAREHOUSE"),
            inbox_dir=dg.EnvVar("NTM_INBOX"),
            data_dir=dg.EnvVar("NTM_DATA_DIR"),
            serving_path=dg.EnvVar("NTM_SERVING"),
            serving_storage_version=dg.EnvVar("NTM_SERVING_STORAGE_VERSION"),
            serving_postgres_url=dg.EnvVar("NTM_SERVING_POSTGRES"),
            serving_reader_role=dg.EnvVar("NTM_SERVING_READER_ROLE"),
        ),
        "dbt": DbtCliResource(project_dir=dbt_project),
    },
    # The default console logger, and the progress lines the CLI turns on in its run config.
    loggers={"console": dg.colored_console_logger, "progress": progress_logger},
)
