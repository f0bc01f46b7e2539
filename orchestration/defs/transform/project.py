"""The dbt project: in the checkout (dbt_project/), or inside the installed distribution (package ntm_ocop_dbt)."""

import fcntl
import importlib.metadata
import os
import shlex
import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration import dbt_warm
from orchestration.settings import WAREHOUSE_FILE
from publishing.dbt_location import dbt_project_dir, dbt_target_path, warehouse_vars

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
        dbt, here = shlex.quote(self.dbt_executable), shlex.quote(str(folder))
        # a warm dbt started by `ntm-ocop run` (orchestration/dbt_warm.py) serves the command if it listens
        client_script = Path(dbt_warm.__file__).with_name("dbt_warm_client.py")
        client = f"{shlex.quote(sys.executable)} -I -S {shlex.quote(str(client_script))}"
        script = (
            f"#!/bin/sh\ncd {here} || exit 2\n"
            f'if [ -S {dbt_warm.SOCKET} ]; then exec {client} {dbt_warm.SOCKET} {dbt} "$@"; fi\n'
            f'exec {dbt} "$@"\n'
        )
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


PROJECT_DIR = dbt_project_dir()
dbt_project = DbtProject(project_dir=PROJECT_DIR, target_path=dbt_target_path(PROJECT_DIR))

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
