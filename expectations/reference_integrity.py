"""Every B01 commune is in the official list, under the district that reported it, once a month.

- a commune code the list lacks is kept as written (it may be a commune merged before the list's
  2025 snapshot, or a typing error): a warning naming it;
- the same commune written more than once with the same values counts once: a warning;
- a commune the list places in another district, or that another district also reported for the
  month, would be counted twice in the province: critical, the district's month is held back.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "reference_integrity"
CHECK = "communes_match_the_reference_list"  # the Dagster asset check that runs it
TABLE = "intermediate.int_unit_months__reference"

CHECKS = [
    PairCheck("commune_in_reference_list", "communes_not_in_reference_list", "allowed", "warning",
              "B01 communes whose code is not in the official list", named="communes_not_in_reference_list_named",
              label_vi="Mã xã không có trong danh mục đơn vị hành chính"),
    PairCheck("commune_written_once", "communes_written_more_than_once", "allowed", "warning",
              "communes written more than once in B01 (same values, counted once)",
              named="communes_written_more_than_once_named",
              label_vi="Một xã được ghi nhiều lần (tính một lần)"),
    PairCheck("commune_in_its_district", "communes_of_another_district", "allowed", "critical",
              "B01 communes the official list places in another district",
              named="communes_of_another_district_named",
              label_vi="Xã thuộc huyện khác theo danh mục (số liệu của huyện bị giữ lại)"),
    PairCheck("commune_reported_by_one_district", "communes_also_reported_by_another_district", "allowed",
              "critical", "communes another district also reported for the month",
              named="communes_also_reported_by_another_district_named",
              label_vi="Xã cũng được huyện khác báo cáo (số liệu của huyện bị giữ lại)"),
]  # fmt: skip
