"""A district's month against its previous loaded month (warnings: a typing error, or news).

- a commune whose level went down (NTM → not yet, advanced → NTM, …);
- more than 10 % fewer valid OCOP products;
- a fund line (source × plan year) whose cumulative disbursement went down.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "plausibility"
CHECK = "district_month_is_plausible"  # the Dagster asset check that runs it
TABLE = "intermediate.int_unit_months__changes"

CHECKS = [
    PairCheck("no_commune_loses_a_level", "communes_losing_level", "allowed", "warning",
              "communes whose level went down since the previous month", named="communes_losing_level_named",
              label_vi="Có xã bị giảm mức đạt chuẩn so với tháng trước"),
    PairCheck("ocop_products_within_10_pct", "ocop_products_fell_over_10_pct", "allowed", "warning",
              "the district has more than 10 % fewer valid OCOP products than the previous month",
              named="ocop_products_change",
              label_vi="Số sản phẩm OCOP giảm hơn 10 % so với tháng trước"),
    PairCheck("disbursement_does_not_go_down", "fund_lines_disbursement_down", "allowed", "warning",
              "fund lines (source, plan year) whose cumulative disbursement went down since the previous month",
              named="fund_lines_disbursement_down_named",
              label_vi="Giải ngân lũy kế giảm so với tháng trước"),
]  # fmt: skip
