"""Where the dbt project is: in the checkout (dbt_project/), or inside the installed distribution (package
ntm_ocop_dbt). Plain Python, so that the briefing measures (read from its dbt_project.yml) need no Dagster."""

from __future__ import annotations

import importlib.util
import json
import os
from functools import cache
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1] / "dbt_project"


@cache
def dbt_project_dir() -> Path:
    if (CHECKOUT / "dbt_project.yml").exists():
        return CHECKOUT
    spec = importlib.util.find_spec("ntm_ocop_dbt")
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / "dbt_project.yml").exists():
            return Path(location)
    raise FileNotFoundError(
        "the dbt project is neither in the checkout (dbt_project/) nor installed (package ntm_ocop_dbt): "
        "reinstall ntm-ocop-warehouse"
    )


def dbt_target_path(project_dir: Path) -> Path:
    """dbt's artefacts: target/ in a checkout; in a user cache folder when the installed project is read-only."""
    if os.access(project_dir, os.W_OK):
        return Path("target")
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ntm-ocop" / "dbt-target"


def checkout_partial_parse() -> Path:
    """The partial parse `dbt parse` of the project writes (orchestration/defs/transform/project.py
    prepare_manifest), from which each warehouse's builds start."""
    project_dir = dbt_project_dir()
    return project_dir / dbt_target_path(project_dir) / "partial_parse.msgpack"


def warehouse_vars(database_path: str | Path) -> str:
    """dbt's --vars for a build of this warehouse file: its name only, dbt running in its folder
    (orchestration/defs/transform/project.py `in_folder_of`).

    dbt parses the whole project again (3-4 s) whenever its vars or the profile's connection values change, and the
    warehouse path is both. Named by its file name alone, every warehouse called warehouse.duckdb (each run's, each
    test's) takes the partial parse of the checkout's `dbt parse` (prepare_manifest), which dagster-dbt (or the
    warm dbt, orchestration/dbt_warm.py) copies into a new target folder, and parses only what changed.
    """
    return json.dumps({"warehouse": Path(database_path).name})
