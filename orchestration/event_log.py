"""Dagster's SQLite event log, with its connections kept open (dagster.yaml's ``event_log_storage``).

Dagster's ``SqliteEventLogStorage`` opens a new SQLAlchemy engine and SQLite connection for every
write and closes it after: closing the last connection of a WAL database checkpoints it, which
syncs the file to disk. A run stores an event per model, dbt test, check and output (about 1,500
for the 8-workbook sample), each costing 3-11 ms that way: 16 s of a 55 s run (cProfile of
``ntm-ocop run``). This subclass keeps one connection per database (the index and the runs being
written, at most ``OPEN_DATABASES``), with ``synchronous=NORMAL``, SQLite's setting for WAL: a
transaction is durable once the WAL is synced at a checkpoint, and the database is never corrupt,
whatever kills the process.

Dagster's live view of a running run (``dagster dev``) watches the run's ``<run_id>.db`` file for
changes, not its WAL, so a run database written to is checkpointed (its WAL copied into it)
``CHECKPOINT_AFTER_S`` after a write, at once when the run ends, and when the storage is disposed.
Nothing else changes: the same files, tables and schema as Dagster's own class.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.events import EVENT_TYPE_TO_PIPELINE_RUN_STATUS
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

OPEN_DATABASES = 4  # the index and the run(s) being written; a reader (the UI) touching many runs closes the oldest
CHECKPOINT_AFTER_S = 0.25


def _pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def _close_at_exit(storage: weakref.ref) -> None:
    if (alive := storage()) is not None:
        alive._close_all()


class OpenSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` with one open connection per database (see the module's docstring)."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._unsynced: set[str] = set()  # run databases written since their last checkpoint
        self._timer: threading.Timer | None = None
        super().__init__(base_dir, inst_data)
        atexit.register(_close_at_exit, weakref.ref(self))

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> OpenSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(
            self.conn_string_for_shard(shard),
            poolclass=StaticPool,  # one connection, reused; every use holds self._db_lock
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        event.listen(engine, "connect", _pragmas)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_DATABASES:
            oldest, old_engine = self._engines.popitem(last=False)
            self._unsynced.discard(oldest)
            old_engine.dispose()  # closing its connection checkpoints it
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            with self._engine(shard).connect() as conn:
                with conn.begin():
                    yield conn
            if shard != INDEX_SHARD_NAME:
                self._unsynced.add(shard)
                self._schedule_checkpoint()

    def store_event(self, event) -> None:
        super().store_event(event)
        if event.is_dagster_event and event.dagster_event_type in EVENT_TYPE_TO_PIPELINE_RUN_STATUS:
            self.checkpoint()  # a run started or ended: the UI learns it now

    def _schedule_checkpoint(self) -> None:
        if self._timer is None:
            self._timer = threading.Timer(CHECKPOINT_AFTER_S, self.checkpoint)
            self._timer.daemon = True
            self._timer.start()

    def checkpoint(self) -> None:
        """Copy the WAL of every run database written since the last checkpoint into the database file."""
        with self._db_lock:
            self._timer = None
            for shard in sorted(self._unsynced):
                engine = self._engines.get(shard)
                if engine is not None:
                    with engine.connect() as conn:
                        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
            self._unsynced.clear()

    def _close_all(self) -> None:
        with self._db_lock:
            timer, self._timer = self._timer, None
            if timer is not None:
                timer.cancel()
            self._unsynced.clear()
            while self._engines:
                _, engine = self._engines.popitem()
                engine.dispose()

    def dispose(self) -> None:
        self._close_all()
        super().dispose()
