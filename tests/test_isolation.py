"""Untrusted files are read in worker processes: a file that crashes the parser is a rejection, not the end of the run.

One extra cell at XFD1048576 makes calamine allocate 549 GB and abort (SIGABRT) in the process that reads it.
"""

from __future__ import annotations

import openpyxl
import pytest

from ingestion import pipeline, warehouse
from ingestion.isolation import Limits, ReadFailed, read_files
from ingestion.reader import WorkbookRejected, WorkbookResult


@pytest.fixture
def con(tmp_path):
    connection = warehouse.connect(str(tmp_path / "w.duckdb"))
    yield connection
    connection.close()


@pytest.fixture
def files(tmp_path, make_workbook):
    good = make_workbook(name="good.xlsx")
    far = tmp_path / "far.xlsx"
    book = openpyxl.load_workbook(good)
    book["TongHop"]["XFD1048576"] = 1
    book.save(far)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:5000])
    other = make_workbook(name="other.xlsx", district_code="061")
    return good, far, truncated, other


def test_a_crashing_file_is_a_rejection_and_the_others_are_read_in_order(files):
    good, far, truncated, other = files
    results = list(read_files("workbook", [good, far, truncated, other], Limits(memory_mb=2048, seconds=60, workers=2)))
    assert [path for path, _ in results] == [good, far, truncated, other]
    outcomes = [outcome for _, outcome in results]
    assert isinstance(outcomes[0], WorkbookResult) and isinstance(outcomes[3], WorkbookResult)
    assert outcomes[3].cover.district_code == "061"
    assert isinstance(outcomes[1], ReadFailed)
    assert outcomes[1].reason.startswith("the file crashed the reader (SIGABRT)")
    assert isinstance(outcomes[2], WorkbookRejected) and "not a readable workbook" in outcomes[2].reason


def test_a_file_read_too_long_is_stopped_and_rejected(files):
    good, *_ = files
    [(_, outcome)] = read_files("cover", [good], Limits(memory_mb=2048, seconds=0.001, workers=1))
    assert isinstance(outcome, ReadFailed) and "took longer than 0.001 s" in outcome.reason


def test_the_load_rejects_the_crashing_file_loads_the_others_and_keeps_every_file(con, tmp_path, files):
    good, far, _, other = files
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    for path in (good, far, other):
        (inbox / path.name).write_bytes(path.read_bytes())
    pipeline.receive_inbox(con, inbox, landing)
    classified = pipeline.classify_received(con)
    summary = pipeline.load_received(con)
    statuses = dict(con.execute("select file_name, status from audit.received_files").fetchall())
    assert statuses == {"good.xlsx": "loaded", "far.xlsx": "rejected", "other.xlsx": "loaded"}
    reason = {**classified.rejected, **summary.rejected}["far.xlsx"]
    assert "crashed the reader" in reason and "ask the district to send it again" in reason
    assert len(list(landing.iterdir())) == 3  # every received file kept
    again = pipeline.load_received(con)  # the rejected file is not read again
    assert again.read == []
