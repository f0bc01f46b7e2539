"""Untrusted files are read in worker processes: a file that crashes the parser is a rejection, not the end of the run.

One extra cell at XFD1048576 makes calamine allocate 549 GB and abort (SIGABRT) in the process that reads it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

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
    assert isinstance(outcomes[2], WorkbookRejected) and "a damaged workbook" in outcomes[2].reason


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


def test_a_file_in_the_readers_hands_when_a_load_died_is_rejected_not_read_again(con, tmp_path, files):
    good, _, _, other = files
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    for path in (good, other):
        (inbox / path.name).write_bytes(path.read_bytes())
    pipeline.receive_inbox(con, inbox, landing)
    landed = dict(con.execute("select file_name, landed_path from audit.received_files").fetchall())
    # What a load that died while reading good.xlsx leaves behind:
    (landing / ".reading.json").write_text(json.dumps([landed["good.xlsx"]]))
    summary = pipeline.load_received(con)
    assert summary.read == ["other.xlsx"] and summary.loaded == ["other.xlsx"]
    assert summary.rejected["good.xlsx"] == pipeline.POISON_REASON
    assert not (landing / ".reading.json").exists()  # the load that ended normally leaves nothing in flight


def test_links_and_pipes_in_the_inbox_are_refused_not_followed_and_odd_names_are_kept(con, tmp_path, files):
    good, *_ = files
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the warehouse")
    (inbox / "link.xlsx").symlink_to(secret)
    (inbox / "folder").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(inbox / "pipe.xlsx")
    odd = os.fsdecode(b"BC T12 \xff\xfe.xlsx")  # not UTF-8
    (inbox / odd).write_bytes(good.read_bytes())
    summary = pipeline.receive_inbox(con, inbox, landing)
    rows = con.execute(
        "select file_name, file_name_bytes, status, status_reason from audit.received_files order by file_name"
    ).fetchall()
    by_name = {name: (raw, status, reason) for name, raw, status, reason in rows}
    assert set(summary.refused) == {"link.xlsx", "folder", "pipe.xlsx"}
    assert "symbolic link" in by_name["link.xlsx"][2] and by_name["link.xlsx"][1] == "rejected"
    assert "not a regular file" in by_name["pipe.xlsx"][2]
    assert by_name["BC T12 \\xff\\xfe.xlsx"] == (b"BC T12 \xff\xfe.xlsx", "received", None)
    landed = [p.read_bytes() for p in landing.iterdir()]
    assert secret.read_bytes() not in landed  # the link was not followed
    assert good.read_bytes() in landed
    assert con.execute("select count(*) from audit.rejected_files").fetchall() == [(3,)]


def test_a_folder_nested_1500_deep_is_received(con, tmp_path, files):
    """The inbox is walked without recursion: a workbook at the bottom of 1,500 nested folders is received beside
    the others (it stopped every run with a RecursionError, the other files not received either)."""
    good, other, *_ = files
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    deep = inbox
    for _ in range(1500):  # one by one: os.makedirs and shutil.rmtree recurse too
        deep = deep / "d"
        deep.mkdir()
    (deep / "deep.xlsx").write_bytes(good.read_bytes())
    (inbox / "top.xlsx").write_bytes(other.read_bytes())
    pipeline.receive_inbox(con, inbox, landing)
    rows = dict(con.execute("select file_name, status from audit.received_files").fetchall())
    assert rows == {"deep.xlsx": "received", "top.xlsx": "received"}
    (deep / "deep.xlsx").unlink()
    while deep != inbox:  # for pytest's clean-up, which would recurse
        deep.rmdir()
        deep = deep.parent


def test_a_folder_that_cannot_be_listed_is_refused_with_its_reason(con, tmp_path, files, monkeypatch):
    """A folder the run may not list (permissions; root lists any, so the refusal is simulated) is recorded as
    refused with the reason, and the rest of the inbox is received."""
    from ingestion import landing as landing_module

    good, *_ = files
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    (inbox / "locked").mkdir(parents=True)
    (inbox / "locked" / "hidden.xlsx").write_bytes(b"unseen")
    (inbox / "good.xlsx").write_bytes(good.read_bytes())
    scandir = os.scandir

    def refusing(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(landing_module.os, "scandir", refusing)
    summary = pipeline.receive_inbox(con, inbox, landing)
    rows = dict(con.execute("select file_name, status from audit.received_files").fetchall())
    assert rows == {"good.xlsx": "received", "locked": "rejected"}
    assert summary.refused["locked"] == "a folder that cannot be read (Permission denied): not received"


def test_a_reader_worker_reads_a_workbook_without_importing_pandas(make_workbook):
    """A run starts four reader workers (covers, then workbooks); pandas's import (~0.27 s, `python -X importtime`)
    was part of each one's start, for a look-up of the units that needs none (ingestion/reference.py `load_units`)."""
    import subprocess
    import sys

    path = make_workbook()
    script = (
        "import sys\nfrom pathlib import Path\nfrom ingestion import _read_worker\n"
        f"result = _read_worker.read('workbook', Path({str(path)!r}))\n"
        "print(type(result).__name__, 'pandas' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])  # fmt: skip
    assert done.stdout.split() == ["WorkbookResult", "False"], done.stderr[-2000:]
