"""Where things live, built once from command-line options, the environment and defaults, then passed down.

``Settings.load()`` reads (never writes) the environment: ``NTM_DATA_DIR``, ``NTM_INBOX``,
``NTM_WAREHOUSE``, ``NTM_SERVING``, ``NTM_SERVING_STORAGE_VERSION``, ``NTM_SERVING_POSTGRES``,
``NTM_SERVING_READER_ROLE``, ``NTM_READER_MEMORY_MB``, ``NTM_READER_SECONDS``, ``NTM_READER_WORKERS``,
``NTM_PACK_WORKERS``, ``NTM_BRIEFING_CRON``, ``NTM_BRIEFING_DEADLINE_CRON``, ``NTM_BRIEFING_TIMEZONE`` and
``DAGSTER_HOME`` (`.env.example` lists them); it is the only place that reads them. An option given to the
CLI wins over the environment, which wins over the defaults (``./data`` and files in it). The CLI
hands the result to Dagster as resources; ``dagster dev`` builds its resources from the
environment the same way. Importing this package writes nothing: ``Settings.prepare()`` creates
the folders and Dagster's instance configuration, when a command needs them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from ingestion.isolation import Limits
from publishing.serving import DEFAULT_STORAGE_VERSION  # the serving file's DuckDB storage version: docs/bi.md
from publishing.serving_postgres import DEFAULT_READER_ROLE

# the warehouse's file name in a data folder; dbt knows a warehouse by its file name alone, so that every one of
# this name shares one partial parse (orchestration/defs/transform/project.py)
WAREHOUSE_FILE = "warehouse.duckdb"

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
# Runs stuck starting or cancelling are failed after 3 minutes, so one run at a time never blocks the queue
# forever (the daemon of `dagster dev` watches them; `ntm-ocop run` fails the runs its dead processes left).
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  cancel_timeout_seconds: 180
  poll_interval_seconds: 60
# Dagster's SQLite event log with its connections kept open (orchestration/event_log.py): the same files.
event_log_storage:
  module: orchestration.event_log
  class: OpenSqliteEventLogStorage
  config:
    base_dir: {event_log_dir}
"""


@dataclass(frozen=True)
class Deadline:
    """When the briefing needs its figures: a cron in a time zone (orchestration/freshness.py turns it into Dagster's
    freshness policy and into words). Plain data, so that reading the settings imports no Dagster."""

    cron: str
    timezone: str


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    inbox: Path
    warehouse: Path
    serving: Path
    dagster_home: Path
    serving_storage_version: str = DEFAULT_STORAGE_VERSION
    serving_postgres: str = ""  # a PostgreSQL URL to publish into as well (docs/bi.md); empty: none
    serving_reader_role: str = DEFAULT_READER_ROLE
    reader_limits: Limits = field(default_factory=Limits)  # how workbooks are read (ingestion/isolation.py)
    pack_workers: int = 1  # processes drawing briefing packs at once
    briefing_cron: str = "0 6 25 * *"  # the monthly refresh before the briefing (monthly_briefing_schedule)
    briefing_deadline_cron: str = "0 8 25 * *"  # by then the marts must be fresh (orchestration/freshness.py)
    briefing_timezone: str = "Asia/Ho_Chi_Minh"

    @classmethod
    def load(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        data_dir: Path | str | None = None,
        inbox: Path | str | None = None,
        warehouse: Path | str | None = None,
        serving: Path | str | None = None,
        serving_postgres: str | None = None,
        serving_storage_version: str | None = None,
    ) -> Settings:
        """Options, then the environment, then defaults. A warehouse given without a data folder keeps its
        landing/, dagster_home/ and serving database beside it."""
        env = os.environ if env is None else env
        cores = os.cpu_count() or 1

        if warehouse is not None and data_dir is None:
            data_dir = Path(warehouse).resolve().parent
        # A data folder given as an option holds the other paths: the environment's then do not apply.
        from_env = env if data_dir is None else {}

        def path(option, name: str, default: Path) -> Path:
            chosen = option if option is not None else from_env.get(name) or default
            return Path(chosen).resolve()

        data = path(data_dir, "NTM_DATA_DIR", Path("data"))
        return cls(
            data_dir=data,
            inbox=path(inbox, "NTM_INBOX", data / "inbox"),
            warehouse=path(warehouse, "NTM_WAREHOUSE", data / WAREHOUSE_FILE),
            serving=path(serving, "NTM_SERVING", data / "serving.duckdb"),
            dagster_home=path(None, "DAGSTER_HOME", data / "dagster_home"),
            serving_storage_version=serving_storage_version
            or env.get("NTM_SERVING_STORAGE_VERSION")
            or DEFAULT_STORAGE_VERSION,
            serving_postgres=serving_postgres if serving_postgres is not None else env.get("NTM_SERVING_POSTGRES", ""),
            serving_reader_role=env.get("NTM_SERVING_READER_ROLE") or DEFAULT_READER_ROLE,
            reader_limits=Limits(
                memory_mb=int(env.get("NTM_READER_MEMORY_MB") or Limits.memory_mb),
                seconds=float(env.get("NTM_READER_SECONDS") or Limits.seconds),
                workers=max(0, int(env.get("NTM_READER_WORKERS") or cores)),
            ),
            pack_workers=max(1, int(env.get("NTM_PACK_WORKERS") or cores)),
            briefing_cron=env.get("NTM_BRIEFING_CRON") or cls.briefing_cron,
            briefing_deadline_cron=env.get("NTM_BRIEFING_DEADLINE_CRON") or cls.briefing_deadline_cron,
            briefing_timezone=env.get("NTM_BRIEFING_TIMEZONE") or cls.briefing_timezone,
        )

    @property
    def deadline(self) -> Deadline:
        return Deadline(self.briefing_deadline_cron, self.briefing_timezone)

    def describe(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self) if f.name != "serving_postgres"}

    def prepare(self) -> Settings:
        """Create what a run needs on disk: the data folder and Dagster's instance configuration."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _write_if_changed(self.dagster_home / "dagster.yaml", dagster_yaml(self.dagster_home))
        return self


def dagster_yaml(dagster_home: Path) -> str:
    """The instance configuration of this Dagster home (the event log's folder is Dagster's default one)."""
    return DAGSTER_YAML.format(event_log_dir=json.dumps(str(dagster_home / "history" / "runs")))


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
