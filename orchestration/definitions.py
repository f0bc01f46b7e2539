"""The code location: everything under orchestration/defs/, loaded in one call, with the briefing's freshness
policy (orchestration/freshness.py) on the assets it reads. Settings are read when the location loads."""

from pathlib import Path

import dagster as dg

from orchestration.freshness import BRIEFING_ASSETS, briefing_policy
from orchestration.settings import Settings


@dg.definitions
def defs() -> dg.Definitions:
    policy = briefing_policy(Settings.load().deadline)
    briefing = {dg.AssetKey.from_user_string(key) for key in BRIEFING_ASSETS}
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent).map_asset_specs(
        func=lambda spec: spec.replace_attributes(freshness_policy=policy) if spec.key in briefing else spec
    )
