"""The state a publication was made from (orchestration/state.py): what makes a run with nothing new do nothing."""

from __future__ import annotations

import datetime as dt

import duckdb

from ingestion import warehouse
from orchestration import state

NOW = dt.datetime(2026, 12, 7, 8, 0)


def _targets(tmp_path, postgres: str = "") -> str:
    return state.serving_targets(tmp_path / "serving.duckdb", "v1.4.0", postgres, warehouse=tmp_path / "w.duckdb")


def _receive(con, sha: str, status: str = "loaded") -> None:
    con.execute(
        "insert into audit.received_files (file_sha256, file_name, received_at, landed_path, status, "
        "reporting_unit_code, period_month) values (?, 'f.xlsx', ?, 'landing/x', ?, '061', '2023-12-01')",
        [sha, NOW, status],
    )


def _publish(tmp_path, run_id: str) -> None:
    with duckdb.connect(str(tmp_path / "serving.duckdb")) as serving:
        serving.execute("create or replace table publication as select ? as run_id", [run_id])


def test_the_state_changes_with_a_file_its_status_and_the_targets(tmp_path):
    with warehouse.connect(str(tmp_path / "w.duckdb")) as con:
        _receive(con, "a")
        first = state.warehouse_state(con, _targets(tmp_path))
        assert state.warehouse_state(con, _targets(tmp_path)) == first  # same warehouse, same state
        _receive(con, "b")
        second = state.warehouse_state(con, _targets(tmp_path))
        con.execute("update audit.received_files set status = 'rejected' where file_sha256 = 'b'")  # by hand
        third = state.warehouse_state(con, _targets(tmp_path))
        into_postgres = state.warehouse_state(con, _targets(tmp_path, "postgresql://u:secret@db/ntm"))
    assert len({first, second, third, into_postgres}) == 4
    assert "secret" not in _targets(tmp_path, "postgresql://u:secret@db/ntm")


def test_unchanged_only_while_the_serving_file_is_that_publications(tmp_path):
    serving = tmp_path / "serving.duckdb"
    with warehouse.connect(str(tmp_path / "w.duckdb")) as con:
        _receive(con, "a")
        now = state.warehouse_state(con, _targets(tmp_path))
        assert state.unchanged_since(con, now, serving) is None  # never published
        state.record_publication(con, "run-1", NOW, now)
        assert state.unchanged_since(con, now, serving) is None  # recorded, but no serving file
        _publish(tmp_path, "run-1")
        assert state.unchanged_since(con, now, serving) == ("run-1", NOW)
        _publish(tmp_path, "run-0")  # the file replaced by another warehouse's publication
        assert state.unchanged_since(con, now, serving) is None
        _publish(tmp_path, "run-1")
        _receive(con, "b", status="received")
        later = state.warehouse_state(con, _targets(tmp_path))
        assert state.unchanged_since(con, later, serving) is None  # a file came in since


def test_a_data_folder_moved_whole_holds_the_same_publication_and_one_served_elsewhere_does_not(tmp_path):
    """The serving file beside the warehouse is named by its place in the folder: moving the folder (a restored
    backup, another disk) is no reason to rebuild; a serving file outside the folder is named by its path."""
    here, there = tmp_path / "a", tmp_path / "b"
    beside = [state.serving_targets(d / "serving.duckdb", "v1.4.0", "", warehouse=d / "w.duckdb")
              for d in (here, there)]  # fmt: skip
    assert beside[0] == beside[1]
    outside = [state.serving_targets(tmp_path / "bi" / "s.duckdb", "v1.4.0", "", warehouse=d / "w.duckdb")
               for d in (here, there)]  # fmt: skip
    assert outside[0] == outside[1] != beside[0]
    assert state.serving_targets(tmp_path / "bi" / "t.duckdb", "v1.4.0", "", warehouse=here / "w.duckdb") != outside[0]
