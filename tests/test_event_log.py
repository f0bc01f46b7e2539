"""The project's Dagster event log (orchestration/event_log.py): Dagster's SQLite storage with open connections.

What it must keep from Dagster's own: another process reading the same folder (the `dagster dev` webserver) sees
every event, and is told of new ones while the run goes on (it watches the run's database file, not its WAL).
"""

from __future__ import annotations

import time

import dagster as dg
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.utils import make_new_run_id

from orchestration.event_log import OpenSqliteEventLogStorage
from orchestration.settings import Settings


def _entry(run_id: str, message: str) -> EventLogEntry:
    return EventLogEntry(error_info=None, level=20, user_message=message, run_id=run_id, timestamp=time.time())


def test_the_instance_the_project_writes_uses_it(tmp_path):
    settings = Settings.load({}, data_dir=tmp_path).prepare()
    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        assert isinstance(instance.event_log_storage, OpenSqliteEventLogStorage)

        @dg.asset
        def one() -> int:
            return 1

        result = dg.materialize([one], instance=instance)
        assert result.success
        # Read back through Dagster's own class, as a webserver of another version of this project would.
        reader = SqliteEventLogStorage(str(settings.dagster_home / "history" / "runs"))
        types = {r.event_log_entry.dagster_event_type for r in reader.get_records_for_run(result.run_id).records}
        assert {dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.ASSET_MATERIALIZATION} <= types
        assert instance.get_latest_materialization_event(dg.AssetKey("one")) is not None


def test_a_watcher_is_told_of_each_event_while_the_run_goes_on(tmp_path):
    writer = OpenSqliteEventLogStorage(str(tmp_path))
    reader = SqliteEventLogStorage(str(tmp_path))  # what the webserver holds, in another process
    run_id = make_new_run_id()
    writer.store_event(_entry(run_id, "first"))
    seen: list[str] = []

    def told(event, _cursor):
        seen.append(event.user_message)

    reader.watch(run_id, None, told)
    try:
        for message in ("second", "third"):
            writer.store_event(_entry(run_id, message))
            deadline = time.monotonic() + 20
            while message not in seen and time.monotonic() < deadline:
                time.sleep(0.05)
            assert message in seen, f"the watcher was not told of {message!r}: {seen}"
    finally:
        reader.end_watch(run_id, told)
        reader.dispose()
    writer.dispose()
    # Disposed, the writer's connections are closed: the WAL is folded into the run's database.
    assert not (tmp_path / f"{run_id}.db-wal").exists()
    assert [r.event_log_entry.user_message for r in reader.get_records_for_run(run_id).records] == [
        "first",
        "second",
        "third",
    ]
