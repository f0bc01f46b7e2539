"""Where things live. Every path comes from one environment variable with a default under
the repository's ``data/`` folder; the CLI sets them from its options, and dbt's profile
reads NTM_WAREHOUSE too, so Python and dbt always open the same DuckDB file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = ROOT / "dbt_project"

DEFAULTS = {
    "NTM_DATA_DIR": ROOT / "data",
    "NTM_INBOX": ROOT / "data" / "inbox",
    "NTM_WAREHOUSE": ROOT / "data" / "warehouse.duckdb",
    "NTM_SERVING": ROOT / "data" / "serving.duckdb",
    "DAGSTER_HOME": ROOT / "data" / "dagster_home",
    # The serving file's DuckDB storage version: what the BI clients' DuckDB can open (docs/bi.md).
    "NTM_SERVING_STORAGE_VERSION": "v1.4.0",
    # A PostgreSQL database to publish into as well (postgresql://user:password@host/db), and the read-only
    # role granted the published schemas there. Empty: the DuckDB serving file only.
    "NTM_SERVING_POSTGRES": "",
    "NTM_SERVING_READER_ROLE": "ntm_ocop_reader",
}
# No network here: nothing may wait on a usage-statistics connection that cannot open.
OFFLINE = {"DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "GX_ANALYTICS_ENABLED": "false"}


def apply_defaults() -> None:
    for name, value in {**DEFAULTS, **OFFLINE}.items():
        os.environ.setdefault(name, str(value))
    ensure_dagster_home(Path(os.environ["DAGSTER_HOME"]))
    # dagster-dbt starts `dbt` from PATH: use this environment's, activated or not.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


# The instance configuration this project manages: no telemetry, one run at a time (one writer on the
# DuckDB file, 2 cores): runs launched by the sensor or the schedule wait in the queue; freshness policies
# evaluated, so the UI shows a briefing whose publication is late (orchestration/freshness.py).
DAGSTER_YAML = """\
# Written by orchestration/settings.py.
telemetry:
  enabled: false
freshness:
  enabled: true
concurrency:
  runs:
    max_concurrent_runs: 1
"""


def ensure_dagster_home(home: Path) -> None:
    """A Dagster instance folder whose dagster.yaml turns telemetry off and runs one run at a time."""
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() != DAGSTER_YAML:
        home.mkdir(parents=True, exist_ok=True)
        config.write_text(DAGSTER_YAML)


def configure(
    *,
    inbox: Path | None = None,
    warehouse: Path | None = None,
    data_dir: Path | None = None,
    serving: Path | None = None,
    serving_postgres: str | None = None,
    serving_storage_version: str | None = None,
) -> None:
    """Point this process (and the dbt subprocesses it starts) at other paths.

    A warehouse given without a data folder keeps its landing/, dagster_home/ and serving
    database beside it.
    """
    if warehouse is not None and data_dir is None:
        data_dir = Path(warehouse).resolve().parent
    if warehouse is not None and serving is None:
        serving = Path(warehouse).resolve().parent / "serving.duckdb"
    paths = (("NTM_INBOX", inbox), ("NTM_WAREHOUSE", warehouse), ("NTM_DATA_DIR", data_dir), ("NTM_SERVING", serving))
    for name, value in paths:
        if value is not None:
            os.environ[name] = str(Path(value).resolve())
    if serving_postgres is not None:
        os.environ["NTM_SERVING_POSTGRES"] = serving_postgres
    if serving_storage_version is not None:
        os.environ["NTM_SERVING_STORAGE_VERSION"] = serving_storage_version
    if data_dir is not None:
        os.environ["DAGSTER_HOME"] = str(Path(data_dir).resolve() / "dagster_home")
        ensure_dagster_home(Path(os.environ["DAGSTER_HOME"]))
