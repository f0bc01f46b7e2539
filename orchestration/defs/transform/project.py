"""The dbt project: in the checkout (dbt_project/), or inside the installed distribution (package ntm_ocop_dbt)."""

import fcntl
import importlib.metadata
import json
import os
import shlex
import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.settings import WAREHOUSE_FILE
from publishing.dbt_location import dbt_project_dir

# This environment's dbt, whatever PATH says (the CLI and tests need not activate the virtual environment).
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


class OfflineDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, without `dbt --version` on every invocation: that command asks pypi.org for the
    latest release (no network at run time here). The installed dbt-core's version is what it would print."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        """No dbt adapter in the Dagster process. dagster-dbt builds one before each invocation (3-4 s: dbt-core's
        imports, the profile and project loaded again) only to fetch row counts or column metadata after a model
        is built, which these assets do not ask for; the subprocess that runs dbt has its own."""
        return None

    def in_folder_of(self, database_path: str | Path) -> "OfflineDbtCliResource":
        """This resource, with dbt started in the warehouse file's folder (see `warehouse_vars`)."""
        folder = Path(database_path).resolve().parent
        folder.mkdir(parents=True, exist_ok=True)
        launcher = folder / ".dbt-here"
        script = f'#!/bin/sh\ncd {shlex.quote(str(folder))} || exit 2\nexec {shlex.quote(self.dbt_executable)} "$@"\n'
        if not launcher.exists() or launcher.read_text() != script:
            launcher.write_text(script)
            launcher.chmod(0o755)
        return type(self)(
            project_dir=self.project_dir,
            dbt_executable=str(launcher),
            profiles_dir=self.profiles_dir or self.project_dir,  # dbt would look in the working folder first
            profile=self.profile,
            target=self.target,
            global_config_flags=self.global_config_flags,
            state_path=self.state_path,
        )


def warehouse_vars(database_path: str | Path) -> str:
    """dbt's --vars for a build of this warehouse file: its name only, dbt running in its folder (`in_folder_of`).

    dbt parses the whole project again (3-4 s) whenever its vars or the profile's connection values change, and the
    warehouse path is both. Named by its file name alone, every warehouse called warehouse.duckdb (each run's, each
    test's) takes the partial parse of the checkout's `dbt parse` (prepare_manifest), which dagster-dbt copies into a
    new target folder, and parses only what changed.
    """
    return json.dumps({"warehouse": Path(database_path).name})


def _target_path(project_dir: Path) -> Path:
    """dbt's artefacts: target/ in a checkout; in a user cache folder when the installed project is read-only."""
    if os.access(project_dir, os.W_OK):
        return Path("target")
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ntm-ocop" / "dbt-target"


PROJECT_DIR = dbt_project_dir()
dbt_project = DbtProject(project_dir=PROJECT_DIR, target_path=_target_path(PROJECT_DIR))

_PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")


def _newest_project_file() -> float:
    newest = 0.0
    for name in _PROJECT_FILES:
        path = Path(dbt_project.project_dir) / name
        files = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest


def prepare_manifest(*, force: bool = False) -> None:
    """`dbt parse`, unless the manifest is newer than every file of the dbt project.

    The dbt assets are defined from the manifest, so the CLI and the tests call this before
    loading the definitions (a fresh clone has none; an edited model makes it stale).
    """
    manifest = Path(dbt_project.manifest_path)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    # One parse at a time (the test workers, `dagster dev` and a CLI run start together): the others wait for it.
    with (manifest.parent / ".parse.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if force or not manifest.exists() or manifest.stat().st_mtime < _newest_project_file():
            # no dbt packages to install
            dbt = OfflineDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
            arguments = ["parse", "--quiet", "--vars", warehouse_vars(WAREHOUSE_FILE)]
            dbt.cli(arguments, target_path=dbt_project.target_path).wait()


# Under `dagster dev`, re-parse the project on load so model edits show at once. Not dagster-dbt's
# prepare_if_dev(): it runs a `dbt` found on PATH, which `make dev` (this environment's dagster, no activated
# virtual environment) does not have.
if os.getenv("DAGSTER_IS_DEV_CLI"):
    prepare_manifest()
