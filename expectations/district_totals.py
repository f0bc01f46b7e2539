"""The district's own totals (TongHop, totals rows of B01 and B05) against its detail rows.

Per district and month: communes in total and at each level (cumulative, levels nest), the
average criteria met per commune (2 decimals) and the fund totals of the plan year (1 decimal,
million đồng) computed from B01 and B05 must equal what the district wrote in TongHop. A
disagreement is a warning: the figures from the detail publish, and the office knows whom to call.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "district_totals"
CHECK = "district_totals_match_detail"  # the Dagster asset check that runs it
TABLE = "intermediate.int_district_totals__reconciled"

_LABELS = {
    "communes_total": "Tổng số xã",
    "communes_ntm": "Số xã đạt chuẩn NTM",
    "communes_ntm_advanced": "Số xã đạt chuẩn NTM nâng cao",
    "communes_ntm_model": "Số xã đạt chuẩn NTM kiểu mẫu",
    "avg_criteria_met": "Bình quân tiêu chí/xã",
    "fund_allocated_mil_vnd": "Tổng vốn kế hoạch",
    "fund_disbursed_mil_vnd": "Tổng giải ngân",
}
CHECKS = [
    PairCheck(f"{measure}_match_district_total", f"detail_{measure}", f"reported_{measure}", "warning",
              f"{measure} computed from the detail equals TongHop '{label}'")
    for measure, label in _LABELS.items()
]  # fmt: skip

# The totals row at the foot of a detail sheet adds up its own column (every row as written, every
# source and plan year in B05). A sheet without a totals row has nothing to reconcile.
_TOTALS_ROWS = {
    "b01_criteria_met_sum": "B01 totals row 'Số tiêu chí đạt'",
    "b05_fund_allocated_mil_vnd": "B05 totals row 'Kế hoạch vốn giao'",
    "b05_fund_disbursed_mil_vnd": "B05 totals row 'Giải ngân lũy kế'",
}
CHECKS += [
    PairCheck(f"{measure}_match_totals_row", f"detail_{measure}", f"reported_{measure}", "warning",
              f"the column's rows add up to the {label}", optional=True)
    for measure, label in _TOTALS_ROWS.items()
]  # fmt: skip
