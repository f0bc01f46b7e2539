"""What the operator sees when something is wrong: a clear line and exit 2, never a traceback or a live escape code."""

from __future__ import annotations

from orchestration import cli
from publishing.briefing import printable


def test_a_sample_the_warehouse_cannot_write_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["sample", "--province", "99", "--period", "2023-12", "--out", str(tmp_path)]) == 2
    assert "ntm-ocop sample: province code '99'" in capsys.readouterr().err
    assert cli.main(["sample", "--province", "06", "--period", "2026-03", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "names no province valid in 03/2026" in err and "Traceback" not in err


def test_a_run_without_its_inbox_says_so_and_exits_2(tmp_path, capsys):
    code = cli.main(["run", "--inbox", str(tmp_path / "no-such-inbox"), "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 2 and "no inbox folder at" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()  # nothing was started


def test_control_characters_from_workbooks_are_shown_not_run():
    assert printable("Xã\x1b[2J Bằng\x07 Thành\n") == "Xã\\x1b[2J Bằng\\x07 Thành\n"


def test_a_run_left_started_by_a_dead_process_is_marked_failed_and_a_live_ones_is_not():
    import socket
    import subprocess

    import dagster as dg
    from dagster._core.storage.dagster_run import DagsterRun

    from orchestration import runs

    gone = subprocess.Popen(["true"])
    gone.wait()
    alive = subprocess.Popen(["sleep", "30"])
    try:
        with dg.DagsterInstance.ephemeral() as instance:
            for run_id, pid in (("dead", gone.pid), ("live", alive.pid)):
                tags = {runs.PID_TAG: str(pid), runs.HOST_TAG: socket.gethostname()}
                started = dg.DagsterRunStatus.STARTED
                instance.add_run(DagsterRun(job_name="refresh_warehouse", run_id=run_id, status=started, tags=tags))
            messages = runs.fail_stale_runs(instance)
            statuses = {run_id: instance.get_run_by_id(run_id).status for run_id in ("dead", "live")}
    finally:
        alive.kill()
    assert statuses == {"dead": dg.DagsterRunStatus.FAILURE, "live": dg.DagsterRunStatus.STARTED}
    assert len(messages) == 1 and "dead" in messages[0] and "marked failed" in messages[0]


def test_dbt_is_asked_for_no_version_over_the_network(monkeypatch):
    """dagster-dbt runs `dbt --version` (which queries pypi.org) once per resource; ours reads the installed one."""
    import importlib.metadata

    import dagster_dbt.core.resource

    from orchestration.defs.transform.project import DBT_EXECUTABLE, OfflineDbtCliResource, dbt_project

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"a subprocess was started: {args}")

    monkeypatch.setattr(dagster_dbt.core.resource, "check_output", no_subprocess)
    resource = OfflineDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
    assert str(resource._cli_version) == importlib.metadata.version("dbt-core")
