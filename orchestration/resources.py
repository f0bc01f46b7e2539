"""The warehouse as a Dagster resource: paths resolved when a run starts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from ingestion import warehouse
from ingestion.isolation import Limits
from publishing.serving import DEFAULT_STORAGE_VERSION
from publishing.serving_postgres import DEFAULT_READER_ROLE

LOCK_ATTEMPTS = 5


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file, the inbox it reads, and the data folder beside them."""

    database_path: str
    inbox_dir: str
    data_dir: str
    serving_path: str
    serving_storage_version: str = DEFAULT_STORAGE_VERSION
    serving_postgres_url: str = ""  # publish into this PostgreSQL database too (publishing/serving_postgres.py)
    serving_reader_role: str = DEFAULT_READER_ROLE
    # how workbooks are read (ingestion/isolation.py) and packs drawn; orchestration/settings.py has the defaults
    reader_memory_mb: int = Limits.memory_mb
    reader_seconds: float = Limits.seconds
    reader_workers: int = Limits.workers
    pack_workers: int = 1  # as Settings.pack_workers; Settings.load() sets the machine's cores

    @property
    def reader_limits(self) -> Limits:
        return Limits(self.reader_memory_mb, self.reader_seconds, self.reader_workers)

    @property
    def inbox(self) -> Path:
        return Path(self.inbox_dir)

    @property
    def landing_dir(self) -> Path:
        return Path(self.data_dir) / "landing"

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection closed on exit: dbt runs in another process and needs the file free.

        The one transient error retried: another process holding the file's lock (a reader such
        as `ntm-ocop status`, a run finishing); 1, 2, 4 and 8 s apart, then the error stands.
        """
        Path(self.database_path).parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(LOCK_ATTEMPTS):
            try:
                con = warehouse.connect(self.database_path, read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "conflicting lock" not in str(exc).lower() or attempt == LOCK_ATTEMPTS - 1:
                    raise
                time.sleep(2**attempt)
        try:
            yield con
        finally:
            con.close()
