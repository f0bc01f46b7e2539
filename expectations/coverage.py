"""Every district of a province has reported for the month; the ones that have not are named.

Checked for each province and month with at least one district workbook loaded, against the
districts of the official list that have rural communes. A warning on the province's row: the
province's figures are those of the districts that reported.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "coverage"
CHECK = "every_district_reported"  # the Dagster asset check that runs it
TABLE = "intermediate.int_province_months__coverage"

CHECKS = [
    PairCheck("every_district_reported", "districts_reported", "districts_expected", "warning",
              "districts of the province that sent their workbook for the month", named="districts_missing",
              label_vi="Còn huyện chưa gửi báo cáo"),
]  # fmt: skip
