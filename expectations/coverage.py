"""Every reporting unit of a province has reported for the month; the ones that have not are named.

Checked for each province and month with at least one workbook loaded, against the units of the official list of
that month: up to 06/2025 the districts that have rural communes, from 07/2025 the province's xã. A warning on the
province's row: the province's figures are those of the units that reported. A month before the province's list of
units is known (seed unit_list_sources) is never complete: a second warning says the list is not established.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "coverage"
CHECK = "every_district_reported"  # the Dagster asset check that runs it
TABLE = "intermediate.int_province_months__coverage"

CHECKS = [
    PairCheck("every_district_reported", "units_reported", "units_expected", "warning",
              "reporting units (districts to 06/2025, xã from 07/2025) of the province that sent their workbook for "
              "the month", named="units_missing", label_vi="Còn đơn vị (huyện, xã) chưa gửi báo cáo"),
    PairCheck("unit_list_known", "is_unit_list_known", "unit_list_known_required", "warning",
              "the official list of the province's units is known for the month (seed unit_list_sources): before it "
              "the units expected are an assumed list", named="unit_list_note",
              label_vi="Danh sách đơn vị chưa xác định"),
]  # fmt: skip
