"""A district's rows must agree with themselves (warnings; the figures from the detail publish).

- "Số tiêu chí đạt" of each commune equals the count of its achieved criterion marks;
- no fund row has more disbursed than allocated;
- a stated "Tỷ lệ giải ngân" agrees with disbursed / allocated within 0.1 point;
- template 2024.2: a dossier B08 says is recognised (Công nhận) has its certificate in B04; a district B07 says
  maintains the district set (Duy trì: Có) meets every criterion of it.
"""

from __future__ import annotations

from expectations.runner import PairCheck

SUITE = "internal_consistency"
CHECK = "district_month_agrees_with_itself"  # the Dagster asset check that runs it
TABLE = "intermediate.int_unit_months__consistency"

CHECKS = [
    PairCheck("criteria_count_matches_marks", "communes_count_not_matching_marks", "allowed", "warning",
              "communes whose 'Số tiêu chí đạt' differs from their criterion marks",
              label_vi="Số tiêu chí đạt ghi ở B01 khác số tiêu chí được đánh dấu đạt"),
    PairCheck("disbursed_within_allocation", "fund_rows_over_disbursed", "allowed", "warning",
              "B05 rows with more disbursed than allocated",
              label_vi="Giải ngân lớn hơn kế hoạch vốn giao"),
    PairCheck("stated_rate_matches_amounts", "fund_rows_rate_not_matching", "allowed", "warning",
              "B05 rows whose 'Tỷ lệ giải ngân' is more than 0.1 point from disbursed / allocated",
              label_vi="Tỷ lệ giải ngân ghi ở B05 không khớp với số tiền"),
    PairCheck("recognised_dossier_has_certificate", "dossiers_recognised_without_certificate", "allowed", "warning",
              "B08 dossiers at 'Công nhận' whose product has no certificate in B04",
              label_vi="Sản phẩm đã công nhận ở B08 nhưng không có trong danh sách OCOP (B04)"),
    PairCheck("maintaining_district_meets_its_criteria", "district_maintaining_but_missing_criteria", "allowed",
              "warning", "a district B07 says maintains the district set while a criterion of it is not met",
              label_vi="Huyện ghi 'Duy trì' nhưng có tiêu chí huyện chưa đạt (B07)"),
]  # fmt: skip
