import dagster as dg

from orchestration.progress import progress_logger
from orchestration.settings import Settings

# The resources of the environment `dagster dev` (or a code server) runs in: NTM_* variables, else ./data
# (.env.example). `ntm-ocop run` passes resources of its own options to each run instead.
defs = dg.Definitions(
    resources=Settings.load().resources(),
    # The default console logger, and the progress lines the CLI turns on in its run config.
    loggers={"console": dg.colored_console_logger, "progress": progress_logger},
)
