from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
# Under `dagster dev`, re-parse the project on load so model edits show at once.
dbt_project.prepare_if_dev()

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
    if force or not manifest.exists() or manifest.stat().st_mtime < _newest_project_file():
        dbt_project.preparer.prepare(dbt_project)
