"""Where the dbt project is: in the checkout (dbt_project/), or inside the installed distribution (package
ntm_ocop_dbt). Plain Python, so that the briefing measures (read from its dbt_project.yml) need no Dagster."""

from __future__ import annotations

import importlib.util
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
