"""The warm dbt (orchestration/dbt_warm.py): started by `ntm-ocop run` before Dagster is imported, it serves the
run's `dbt build` through the warehouse folder's launcher; without it the launcher runs dbt itself."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration import dbt_warm
from publishing.dbt_location import checkout_partial_parse, dbt_project_dir, warehouse_vars

pytestmark = pytest.mark.usefixtures("paths_isolated")


def test_the_runs_build_was_served_by_the_warm_dbt_from_its_parse(published):
    """The sample run's build ran in the warm process (its events in dbt.log carry that process's id), on the
    manifest it parsed before the build was asked for, and the process ended, leaving no socket behind."""
    code, warehouse = published
    assert code == 0
    target = warehouse.parent / "dbt-target"
    record = json.loads((target / dbt_warm.RECORD).read_text())
    assert record["command"] == ["build"] and record["exit_code"] == 0
    assert record["took_the_parse"] is True
    assert record["started"] <= record["ready"] <= record["answered"]
    events = [json.loads(line) for line in (target / "dbt.log").read_text().splitlines() if line.startswith("{")]
    build = [e for e in events if e["info"]["name"] == "LogModelResult"]
    assert build and {e["info"]["pid"] for e in build} == {record["pid"]}
    assert not dbt_warm.socket_path(warehouse.parent).exists()
    assert subprocess.run(["ps", "-p", str(record["pid"])], capture_output=True).returncode != 0  # it ended


def _launcher(folder: Path) -> Path:
    from orchestration.defs.transform.project import DBT_EXECUTABLE, OfflineDbtCliResource, dbt_project

    resource = OfflineDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
    return Path(resource.in_folder_of(folder / "warehouse.duckdb").dbt_executable)


def test_a_socket_nobody_listens_on_makes_the_launcher_start_dbt_itself(tmp_path):
    """A warm dbt killed before it served (its socket left behind): the launcher's client finds no one and runs
    dbt with the same arguments, exit code and output dbt's own."""
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(dbt_warm.socket_path(tmp_path)))
    stale.close()  # the file stays, nobody listens
    launcher = _launcher(tmp_path)
    result = subprocess.run([str(launcher), "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Usage: dbt" in result.stdout


def test_the_warm_dbt_relays_dbts_output_and_exit_code_and_serves_once(tmp_path):
    """A command dbt refuses (an option it does not know) comes back with dbt's message and exit code 2, as from
    dbt itself; the socket is gone once the command was taken, so the next command starts its own dbt."""
    target = tmp_path / "dbt-target"
    server = subprocess.Popen(
        [sys.executable, "-m", "orchestration.dbt_warm", str(tmp_path), str(dbt_project_dir()), str(target),
         str(checkout_partial_parse()), warehouse_vars(tmp_path / "warehouse.duckdb")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not dbt_warm.socket_path(tmp_path).exists():
            assert time.monotonic() < deadline and server.poll() is None, "the warm dbt did not listen"
            time.sleep(0.05)
        result = subprocess.run(
            [str(_launcher(tmp_path)), "build", "--no-such-option"], capture_output=True, text=True, timeout=120
        )
        assert server.wait(timeout=60) == 2
    finally:
        if server.poll() is None:
            server.kill()
    assert result.returncode == 2
    assert "--no-such-option" in result.stdout
    assert not dbt_warm.socket_path(tmp_path).exists()
    record = json.loads((target / dbt_warm.RECORD).read_text())
    assert record["exit_code"] == 2 and record["took_the_parse"] is False
