"""The pack's words: Vietnamese labels, the headline sentences offices read out, number formats.

Labels of measures come from their declaration (orchestration/measures.py), labels of checks from their
suites (expectations/).
"""

from __future__ import annotations

from expectations import SUITES
from ingestion.values import SAMPLE_MARK
from orchestration.briefing import vn_number
from orchestration.measures import measures
from orchestration.pack.data import PackData

SEVERITY_VI = {"warning": "cảnh báo", "critical": "nghiêm trọng"}
STATUS_VI = {
    "passed": "đạt",
    "warning": "có cảnh báo (số liệu vẫn được công bố)",
    "failed": "có đơn vị bị giữ lại (số liệu mâu thuẫn)",
}
# Printed at the top of every page and sheet of a pack made from sample workbooks (PackData.is_sample).
SAMPLE_NOTICE = f"{SAMPLE_MARK}: số liệu do bộ sinh dữ liệu mẫu tạo ra để minh họa, không do địa phương báo cáo."
UNIT_VI = {"district": "Huyện", "commune": "Xã"}
BANDS = [
    ("communes_19_criteria", "19 tiêu chí"),
    ("communes_15_18_criteria", "15-18 tiêu chí"),
    ("communes_10_14_criteria", "10-14 tiêu chí"),
    ("communes_5_9_criteria", "5-9 tiêu chí"),
    ("communes_under_5_criteria", "Dưới 5 tiêu chí"),
]
FORMULA_STARTS = ("=", "+", "-", "@")

# What each validation check means, for the office: each check's label_vi, beside it in its suite module.
CHECK_LABELS_VI = {check.name: check.label_vi for suite in SUITES for check in suite.CHECKS}


def excel_text(value: str) -> str:
    """Text as an Excel cell may hold it: a leading =, +, - or @ is escaped with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def pct(value: float | None, decimals: int = 1) -> str:
    return "-" if value is None else f"{vn_number(value, decimals)} %"


def _of_plan(done: int | None, planned: int | None, unit: str) -> str:
    if not planned:
        return "chưa giao kế hoạch"
    return f"đạt {pct(100.0 * (done or 0) / planned)} kế hoạch ({vn_number(planned)} {unit})"


def headline(data: PackData) -> list[str]:
    """The sentences provinces use in their reports, with the month's figures."""
    if data.unit_level == "commune":
        return _headline_communes(data)
    f, year = data.figures, data.period_month.year
    share_ntm = 100.0 * f["communes_ntm"] / f["communes_total"] if f["communes_total"] else None
    sentences = [
        f"Lũy kế đến nay toàn tỉnh có {vn_number(f['communes_ntm'])} xã đạt chuẩn NTM "
        f"({pct(share_ntm)} tổng số {vn_number(f['communes_total'])} xã), "
        f"{vn_number(f['communes_ntm_advanced'])} xã đạt chuẩn NTM nâng cao, "
        f"{vn_number(f['communes_ntm_model'])} xã đạt chuẩn NTM kiểu mẫu; "
        f"bình quân {vn_number(f['avg_criteria_met'], 2)} tiêu chí/xã.",
        f"Năm {year}: {vn_number(f['communes_ntm_new_in_year'])} xã được công nhận đạt chuẩn NTM, "
        f"{_of_plan(f['communes_ntm_new_in_year'], f['plan_communes_ntm'], 'xã')}; "
        f"{vn_number(f['communes_ntm_advanced_new_in_year'])} xã đạt chuẩn NTM nâng cao, "
        f"{_of_plan(f['communes_ntm_advanced_new_in_year'], f['plan_communes_ntm_advanced'], 'xã')}; "
        f"{vn_number(f['communes_ntm_model_new_in_year'])} xã đạt chuẩn NTM kiểu mẫu, "
        f"{_of_plan(f['communes_ntm_model_new_in_year'], f['plan_communes_ntm_model'], 'xã')}.",
        "Số xã theo số tiêu chí đạt: "
        + "; ".join(f"{label}: {vn_number(f[column])} xã" for column, label in BANDS)
        + f". {vn_number(f['communes_not_maintaining'])} xã đã đạt chuẩn nhưng chưa duy trì đủ "
        f"{vn_number(f['criteria_in_set'])} tiêu chí.",
        f"Chương trình OCOP: toàn tỉnh có {vn_number(f['ocop_products'])} sản phẩm OCOP còn hiệu lực "
        f"({vn_number(f['ocop_3_star'])} sản phẩm 3 sao, {vn_number(f['ocop_4_star'])} sản phẩm 4 sao, "
        f"{vn_number(f['ocop_5_star'])} sản phẩm 5 sao); năm {year} có {vn_number(f['ocop_new_in_year'])} "
        f"sản phẩm mới, {_of_plan(f['ocop_new_in_year'], f['plan_ocop'], 'sản phẩm')}.",
        f"Vốn ngân sách nhà nước kế hoạch năm {year}: giao {vn_number(f['fund_budget_allocated_mil_vnd'], 1)} triệu "
        f"đồng, giải ngân {vn_number(f['fund_budget_disbursed_mil_vnd'], 1)} triệu đồng, "
        f"đạt {pct(f['fund_budget_disbursement_pct'], 2)}; tính cả vốn lồng ghép, tín dụng, doanh nghiệp và cộng đồng: "
        f"giao {vn_number(f['fund_allocated_mil_vnd'], 1)} triệu đồng, "
        f"giải ngân {vn_number(f['fund_disbursed_mil_vnd'], 1)} triệu đồng, đạt {pct(f['fund_disbursement_pct'], 2)}.",
        f"Số huyện đã báo cáo: {vn_number(f['districts_reported'])}/{vn_number(f['districts_expected'])}"
        + (f" (chưa báo cáo: {', '.join(data.missing_districts)})." if data.missing_districts else "."),
    ]
    return sentences


def _headline_communes(data: PackData) -> list[str]:
    """From 07/2025: the province's xã report to it directly, against the set in force (10 criteria from 02/2026)."""
    f, year = data.figures, data.period_month.year
    share_ntm = 100.0 * f["communes_ntm"] / f["communes_total"] if f["communes_total"] else None
    restated = [h for h in data.history if h["figure_basis"] == "restated"]
    sentences = [
        f"Lũy kế đến nay toàn tỉnh có {vn_number(f['communes_ntm'])} xã đạt chuẩn NTM "
        f"({pct(share_ntm)} tổng số {vn_number(f['communes_total'])} xã đã báo cáo), trong đó "
        f"{vn_number(f['communes_ntm_modern'])} xã đạt chuẩn NTM hiện đại; bình quân "
        f"{vn_number(f['avg_criteria_met'], 2)}/{vn_number(f['criteria_in_set'])} tiêu chí/xã "
        f"(bộ tiêu chí {f['criteria_set_code']}).",
        f"Năm {year}: {vn_number(f['communes_ntm_new_in_year'])} xã được công nhận đạt chuẩn NTM, "
        f"{_of_plan(f['communes_ntm_new_in_year'], f['plan_communes_ntm'], 'xã')}; "
        f"{vn_number(f['communes_ntm_modern_new_in_year'])} xã đạt chuẩn NTM hiện đại, "
        f"{_of_plan(f['communes_ntm_modern_new_in_year'], f['plan_communes_ntm_modern'], 'xã')}.",
        "Số xã theo số tiêu chí đạt: "
        + "; ".join(f"{b['band_name_vi']}: {vn_number(b['communes'])} xã" for b in data.bands)
        + f". {vn_number(f['communes_not_maintaining'])} xã đã đạt chuẩn nhưng chưa đạt đủ "
        f"{vn_number(f['criteria_in_set'])} tiêu chí của bộ tiêu chí mới.",
        "Số xã theo nhóm xã: "
        + "; ".join(f"nhóm {g}: {vn_number(f[f'communes_group_{g}'])} xã" for g in (1, 2, 3))
        + ".",
        f"Chương trình OCOP: toàn tỉnh có {vn_number(f['ocop_products'])} sản phẩm OCOP còn hiệu lực "
        f"({vn_number(f['ocop_3_star'])} sản phẩm 3 sao, {vn_number(f['ocop_4_star'])} sản phẩm 4 sao, "
        f"{vn_number(f['ocop_5_star'])} sản phẩm 5 sao), trong đó {vn_number(f['ocop_province_level'])} sản phẩm "
        f"do tỉnh công nhận, {vn_number(f['ocop_central_level'])} do Trung ương công nhận, "
        f"{vn_number(f['ocop_district_level'])} do cấp huyện công nhận trước 01/07/2025 còn hiệu lực; "
        f"năm {year} có {vn_number(f['ocop_new_in_year'])} sản phẩm mới, "
        f"{_of_plan(f['ocop_new_in_year'], f['plan_ocop'], 'sản phẩm')}.",
        f"Vốn ngân sách nhà nước kế hoạch năm {year}: giao {vn_number(f['fund_budget_allocated_mil_vnd'], 1)} triệu "
        f"đồng, giải ngân {vn_number(f['fund_budget_disbursed_mil_vnd'], 1)} triệu đồng, "
        f"đạt {pct(f['fund_budget_disbursement_pct'], 2)}; tính cả vốn lồng ghép, tín dụng, doanh nghiệp và cộng đồng: "
        f"giao {vn_number(f['fund_allocated_mil_vnd'], 1)} triệu đồng, "
        f"giải ngân {vn_number(f['fund_disbursed_mil_vnd'], 1)} triệu đồng, đạt {pct(f['fund_disbursement_pct'], 2)}.",
        f"Số xã đã báo cáo: {vn_number(f['units_reported'])}/{vn_number(f['units_expected'])}"
        + (f" (chưa báo cáo: {', '.join(data.missing_districts)})." if data.missing_districts else "."),
    ]
    if restated:
        latest = max(h["period_month"] for h in restated)
        sentences.append(
            "Quy đổi theo địa giới hiện nay (không phải số liệu của xã mới): "
            + "; ".join(h["label_vi"].split(": ", 1)[-1] for h in restated if h["period_month"] == latest)
            + "."
        )
    return sentences


CHART_TITLES = {
    "criteria_bands": "Số xã theo số tiêu chí đạt",
    "hardest_criteria": "Tiêu chí khó đạt nhất",
    "ocop_by_district": "Sản phẩm OCOP theo số sao và huyện",
    "ocop_by_level": "Sản phẩm OCOP theo số sao và cấp công nhận",
    "disbursement": "Giải ngân theo nguồn vốn và năm kế hoạch",
    "history": "Xã đạt chuẩn NTM theo tháng: số liệu báo cáo và số liệu quy đổi theo địa giới hiện nay",
}

# The district table's measures; headings and decimals come from their declaration (orchestration/measures.py).
DISTRICT_MEASURES = [
    "communes_total",
    "communes_ntm",
    "communes_ntm_advanced",
    "communes_ntm_model",
    "avg_criteria_met",
    "ocop_products",
    "ocop_3_star",
    "ocop_4_star",
    "ocop_5_star",
    "fund_allocated_mil_vnd",
    "fund_disbursed_mil_vnd",
    "fund_disbursement_pct",
    "fund_budget_disbursement_pct",
]


# The commune table's (from 07/2025): the 2026-2030 set's levels instead of advanced and model.
COMMUNE_MEASURES = [
    "communes_ntm",  # 1 when the commune is recognised
    "communes_ntm_modern",
    *(m for m in DISTRICT_MEASURES if m not in ("communes_total", "communes_ntm", "communes_ntm_advanced",
                                                 "communes_ntm_model")),
]  # fmt: skip


def district_columns(level: str = "district") -> list[tuple[str, str, int]]:
    """(column, Vietnamese heading, decimals) of the reporting units' table (districts, or communes from 07/2025)."""
    declared = measures()
    names = COMMUNE_MEASURES if level == "commune" else DISTRICT_MEASURES
    return [(name, declared[name].vi, declared[name].display_decimals) for name in names]
