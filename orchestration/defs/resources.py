import os
from collections.abc import Mapping

import dagster as dg

from orchestration.defs.transform.project import DBT_EXECUTABLE, OfflineDbtCliResource, dbt_project
from orchestration.progress import progress_logger
from orchestration.resources import WarehouseResource
from orchestration.settings import Settings


def resources_of(settings: Settings, env: Mapping[str, str] | None = None) -> dict[str, object]:
    """The Dagster resources of these settings (the CLI passes the ones of its own options to each run). A
    PostgreSQL URL that came from the environment is given as `dg.EnvVar`: the UI shows the variable's name, never
    the URL and its password."""
    limits = settings.reader_limits
    env = os.environ if env is None else env
    postgres = settings.serving_postgres
    if postgres and env.get("NTM_SERVING_POSTGRES") == postgres:
        postgres = dg.EnvVar("NTM_SERVING_POSTGRES")
    return {
        "warehouse": WarehouseResource(
            database_path=str(settings.warehouse),
            inbox_dir=str(settings.inbox),
            data_dir=str(settings.data_dir),
            serving_path=str(settings.serving),
            serving_storage_version=settings.serving_storage_version,
            serving_postgres_url=postgres,
            serving_reader_role=settings.serving_reader_role,
            reader_memory_mb=limits.memory_mb,
            reader_seconds=limits.seconds,
            reader_workers=limits.workers,
            pack_workers=settings.pack_workers,
        ),
        # This environment's dbt, whatever PATH says. The warehouse path reaches dbt as --vars from the
        # warehouse resource (orchestration/defs/transform/assets.py), not through the environment.
        "dbt": OfflineDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    }


@dg.definitions
def resources() -> dg.Definitions:
    """The resources of the environment `dagster dev` (or a code server) runs in: NTM_* variables, else ./data
    (.env.example), read when the code location loads, not when this module is imported."""
    os.umask(0o027)  # what `dagster dev` writes (warehouse, serving file, landed workbooks) stays the owner's group's
    return dg.Definitions(
        resources=resources_of(Settings.load()),
        # The default console logger, and the progress lines the CLI turns on in its run config.
        loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    )
