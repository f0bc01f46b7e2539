"""Settings: built once from options, then the environment, then defaults; importing the package writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from orchestration.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_options_win_over_the_environment_which_wins_over_the_defaults(tmp_path):
    env = {"NTM_DATA_DIR": str(tmp_path / "env-data"), "NTM_SERVING": str(tmp_path / "bi" / "s.duckdb"),
           "NTM_SERVING_POSTGRES": "postgresql://bi@db/ntm"}  # fmt: skip
    from_env = Settings.load(env)
    assert from_env.warehouse == tmp_path / "env-data" / "warehouse.duckdb"
    assert from_env.serving == tmp_path / "bi" / "s.duckdb"
    assert from_env.serving_postgres == "postgresql://bi@db/ntm" and from_env.serving_storage_version == "v1.4.0"
    chosen = Settings.load(env, inbox=tmp_path / "in", serving_storage_version="v1.5.0", serving_postgres="")
    assert chosen.inbox == tmp_path / "in" and chosen.serving_storage_version == "v1.5.0"
    assert chosen.serving_postgres == ""  # an option, even empty, wins
    # A warehouse given alone keeps its data folder (landing, Dagster, serving file) beside it.
    beside = Settings.load(env, warehouse=tmp_path / "w" / "warehouse.duckdb")
    assert (beside.data_dir, beside.serving, beside.dagster_home) == (
        tmp_path / "w",
        tmp_path / "w" / "serving.duckdb",
        tmp_path / "w" / "dagster_home",
    )
    assert Settings.load({}).data_dir == Path("data").resolve()


def test_prepare_writes_the_instance_configuration_once(tmp_path):
    settings = Settings.load({}, data_dir=tmp_path).prepare()
    config = settings.dagster_home / "dagster.yaml"
    written = config.stat().st_mtime_ns
    settings.prepare()
    assert config.stat().st_mtime_ns == written and "max_concurrent_runs: 1" in config.read_text()


def test_importing_the_definitions_writes_nothing_and_sets_no_variable(tmp_path, dbt_manifest):
    probe = (
        "import json, os; before = dict(os.environ); import orchestration.definitions as d; d.defs(); "
        "print(json.dumps(sorted(set(os.environ.items()) ^ set(before.items()))))"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DO_NOT_TRACK": "1"}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no data/, no dagster_home/
