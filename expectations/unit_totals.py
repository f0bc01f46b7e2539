"""The district's own totals (TongHop, totals rows of B01 and B05) against its detail rows.

Per district and month: communes in total and at each level (cumulative, levels nest), the
average criteria met per commune (2 decimals) and the fund totals of the plan year (1 decimal,
million đồng) computed from B01 and B05 must equal what the district wrote in TongHop. A
disagreement is a warning: the figures from the detail publish, and the office knows whom to call.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "unit_totals"
CHECK = "unit_totals_match_detail"  # the Dagster asset check that runs it
TABLE = "intermediate.int_unit_totals__reconciled"

# measure: (its TongHop label, what a disagreement means for the office)
_LABELS = {
    "communes_total": ("Tổng số xã", "Tổng số xã ở biểu B01 khác số tổng hợp của huyện"),
    "communes_ntm": ("Số xã đạt chuẩn NTM", "Số xã đạt chuẩn NTM ở biểu B01 khác số tổng hợp của huyện"),
    "communes_ntm_advanced": (
        "Số xã đạt chuẩn NTM nâng cao",
        "Số xã NTM nâng cao ở biểu B01 khác số tổng hợp của huyện",
    ),
    "communes_ntm_model": (
        "Số xã đạt chuẩn NTM kiểu mẫu",
        "Số xã NTM kiểu mẫu ở biểu B01 khác số tổng hợp của huyện",
    ),
    "avg_criteria_met": ("Bình quân tiêu chí/xã", "Bình quân tiêu chí/xã tính từ B01 khác số tổng hợp của huyện"),
    "fund_allocated_mil_vnd": ("Tổng vốn kế hoạch", "Tổng vốn kế hoạch ở biểu B05 khác số tổng hợp của huyện"),
    "fund_disbursed_mil_vnd": ("Tổng giải ngân", "Tổng giải ngân ở biểu B05 khác số tổng hợp của huyện"),
}
CHECKS = [
    PairCheck(f"{measure}_match_district_total", f"detail_{measure}", f"reported_{measure}", "warning",
              f"{measure} computed from the detail equals TongHop '{label}'", label_vi=label_vi)
    for measure, (label, label_vi) in _LABELS.items()
]  # fmt: skip

# The totals row at the foot of a detail sheet adds up its own column (every row as written, every
# source and plan year in B05). A sheet without a totals row has nothing to reconcile.
_TOTALS_ROWS = {
    "b01_criteria_met_sum": ("B01 totals row 'Số tiêu chí đạt'", "Dòng tổng cộng của biểu B01 khác tổng các dòng"),
    "b05_fund_allocated_mil_vnd": (
        "B05 totals row 'Kế hoạch vốn giao'",
        "Dòng tổng cộng vốn giao của biểu B05 khác tổng các dòng",
    ),
    "b05_fund_disbursed_mil_vnd": (
        "B05 totals row 'Giải ngân lũy kế'",
        "Dòng tổng cộng giải ngân của biểu B05 khác tổng các dòng",
    ),
}
CHECKS += [
    PairCheck(f"{measure}_match_totals_row", f"detail_{measure}", f"reported_{measure}", "warning",
              f"the column's rows add up to the {label}", optional=True, label_vi=label_vi)
    for measure, (label, label_vi) in _TOTALS_ROWS.items()
]  # fmt: skip
