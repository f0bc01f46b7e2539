"""OCOP star counts: the B04 detail against the district's own TongHop totals.

Per district and month, the valid 3★, 4★ and 5★ products counted from the detail must equal
the counts the district reported, and the reported 3★ + 4★ + 5★ must equal its reported
total. A disagreement is a warning: the figures from the detail still publish, and the
office knows which district to call.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "ocop_star_counts"
CHECK = "ocop_star_counts_match_unit_totals"  # the Dagster asset check that runs it
TABLE = "intermediate.int_unit_totals__reconciled"

CHECKS = [
    PairCheck("ocop_3_star_match_district_total", "detail_3_star", "reported_3_star", "warning",
              "3★ products in B04 equal TongHop 'Số sản phẩm OCOP 3 sao'",
              label_vi="Số sản phẩm OCOP 3 sao ở biểu B04 khác số tổng hợp của huyện"),
    PairCheck("ocop_4_star_match_district_total", "detail_4_star", "reported_4_star", "warning",
              "4★ products in B04 equal TongHop 'Số sản phẩm OCOP 4 sao'",
              label_vi="Số sản phẩm OCOP 4 sao ở biểu B04 khác số tổng hợp của huyện"),
    PairCheck("ocop_5_star_match_district_total", "detail_5_star", "reported_5_star", "warning",
              "5★ products in B04 equal TongHop 'Số sản phẩm OCOP 5 sao'",
              label_vi="Số sản phẩm OCOP 5 sao ở biểu B04 khác số tổng hợp của huyện"),
    PairCheck("ocop_products_match_district_total", "detail_ocop_products", "reported_ocop_products", "warning",
              "OCOP products in B04 equal TongHop 'Số sản phẩm OCOP'",
              label_vi="Tổng số sản phẩm OCOP ở biểu B04 khác số tổng hợp của huyện"),
    PairCheck("ocop_reported_stars_sum_to_total", "reported_star_sum", "reported_ocop_products", "warning",
              "TongHop 3★ + 4★ + 5★ equals TongHop 'Số sản phẩm OCOP'",
              label_vi="Biểu tổng hợp: số sản phẩm 3, 4, 5 sao không cộng bằng tổng số"),
]  # fmt: skip
