"""A district's month must not contradict itself: each commune once (or twice with the same values).

Critical for the district's month: when it fails, that district-month is held back from the
briefing marts (validation_status 'failed', no figures, left out of the province row) and the
rest publishes.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "unit_consistency"
CHECK = "district_month_is_consistent"  # the Dagster asset check that runs it
TABLE = "intermediate.int_unit_months__consistency"

CHECKS = [
    PairCheck("each_commune_once_per_month", "communes_with_conflicting_versions", "allowed",
              "critical", "no commune is written twice in B01 with different values",
              label_vi="Một xã được ghi hai lần với số liệu khác nhau (số liệu của huyện bị giữ lại)"),
]  # fmt: skip
