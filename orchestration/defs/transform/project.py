from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
# Under `dagster dev`, re-parse the project on load so model edits show at once.
dbt_project.prepare_if_dev()


def prepare_manifest() -> None:
    """`dbt parse`: the dbt assets are defined from its manifest, so the CLI and the tests
    call this before loading the definitions (a fresh clone has no manifest)."""
    dbt_project.preparer.prepare(dbt_project)
