"""A commune's own totals (TongHop, template 2026.1) against its detail sheets.

Per commune and month: the criteria of the set met (counted from C01's marks), the indicators met (C01), the NTM
villages (C03), the OCOP products by stars (C04) and the funds of the plan year (C05) must equal what the commune
wrote in TongHop; the reported 3★ + 4★ + 5★ must equal its reported total. A disagreement is a warning, named by
commune: the figures from the detail publish, and the office knows which commune to call.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "commune_totals"
CHECK = "commune_totals_match_detail"  # the Dagster asset check that runs it
TABLE = "intermediate.int_commune_totals__reconciled"

# measure: (its TongHop label, what a disagreement means for the office)
_LABELS = {
    "criteria_met": ("Số tiêu chí đạt", "Số tiêu chí đạt ở biểu C01 khác số tổng hợp của xã"),
    "indicators_met": ("Số chỉ tiêu đạt", "Số chỉ tiêu đạt ở biểu C01 khác số tổng hợp của xã"),
    "villages_ntm": ("Số thôn đạt chuẩn NTM", "Số thôn đạt chuẩn NTM ở biểu C03 khác số tổng hợp của xã"),
    "ocop_products": ("Số sản phẩm OCOP", "Số sản phẩm OCOP ở biểu C04 khác số tổng hợp của xã"),
    "3_star": ("Số sản phẩm OCOP 3 sao", "Số sản phẩm OCOP 3 sao ở biểu C04 khác số tổng hợp của xã"),
    "4_star": ("Số sản phẩm OCOP 4 sao", "Số sản phẩm OCOP 4 sao ở biểu C04 khác số tổng hợp của xã"),
    "5_star": ("Số sản phẩm OCOP 5 sao", "Số sản phẩm OCOP 5 sao ở biểu C04 khác số tổng hợp của xã"),
    "fund_allocated_mil_vnd": ("Tổng vốn kế hoạch", "Tổng vốn kế hoạch ở biểu C05 khác số tổng hợp của xã"),
    "fund_disbursed_mil_vnd": ("Tổng giải ngân", "Tổng giải ngân ở biểu C05 khác số tổng hợp của xã"),
}
CHECKS = [
    PairCheck(f"{measure}_match_commune_total", f"detail_{measure}", f"reported_{measure}", "warning",
              f"{measure} computed from the detail equals TongHop '{label}'", named="commune_label",
              optional=True, label_vi=label_vi)
    for measure, (label, label_vi) in _LABELS.items()
]  # fmt: skip
CHECKS.append(
    PairCheck("ocop_reported_stars_sum_to_commune_total", "reported_star_sum", "reported_ocop_products", "warning",
              "TongHop 3★ + 4★ + 5★ equals TongHop 'Số sản phẩm OCOP'", named="commune_label", optional=True,
              label_vi="Biểu tổng hợp của xã: số sản phẩm 3, 4, 5 sao không cộng bằng tổng số")
)  # fmt: skip
