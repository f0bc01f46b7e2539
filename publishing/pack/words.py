"""The pack's words: Vietnamese labels, the headline sentences offices read out, number formats.

Labels of measures come from their declaration (publishing/measures.py), labels of checks from their
suites (expectations/).
"""

from __future__ import annotations

from expectations import SUITES
from ingestion.values import SAMPLE_MARK
from publishing.briefing import vn_number
from publishing.measures import measures
from publishing.pack.data import PackData

SEVERITY_VI = {"warning": "cảnh báo", "critical": "nghiêm trọng"}
STATUS_VI = {
    "passed": "đạt",
    "warning": "có cảnh báo (số liệu vẫn được công bố)",
    "failed": "có đơn vị bị giữ lại (số liệu mâu thuẫn)",
}
# Printed at the top of every page and sheet of a pack made from sample workbooks (PackData.is_sample).
SAMPLE_NOTICE = f"{SAMPLE_MARK}: số liệu do bộ sinh dữ liệu mẫu tạo ra để minh họa, không do địa phương báo cáo."
UNIT_VI = {"district": "Huyện", "commune": "Xã"}
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


def _bands(data: PackData) -> str:
    """The communes in each band of the month's set, labelled as the bands seed names them (any set)."""
    return "; ".join(f"{b['band_name_vi']}: {vn_number(b['communes'])} xã" for b in data.bands)


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
        f"Số xã theo số tiêu chí đạt: {_bands(data)}. "
        f"{vn_number(f['communes_not_maintaining'])} xã đã đạt chuẩn nhưng chưa duy trì đủ "
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
    sentences[3:3] = _template_2024_2(data)  # after the communes' sentences, before OCOP: the order briefings use
    return sentences


NOT_REPORTED = "chưa đủ số liệu: biểu {sheet} (mẫu 2024.2) chưa được tất cả các huyện báo cáo"


def _template_2024_2(data: PackData) -> list[str]:
    """The sentences of template 2024.2's figures (district recognition, the advanced set, OCOP rounds, villages,
    the hardest criteria and indicators), worded as the provinces' briefings word them. A figure a workbook did not
    report (null) is said to be missing, never read out as zero."""
    f, year = data.figures, data.period_month.year
    out = []
    if f.get("districts_ntm") is None:
        out.append(f"Đơn vị cấp huyện đạt chuẩn NTM: {NOT_REPORTED.format(sheet='B07_Huyen')}.")
    else:
        text = (
            f"Lũy kế đến nay toàn tỉnh có {vn_number(f['districts_ntm'])}/{vn_number(f['districts_expected'])} "
            "đơn vị cấp huyện đạt chuẩn và hoàn thành nhiệm vụ xây dựng NTM"
        )
        if f["districts_ntm"]:
            text += (
                f"; {vn_number(f['districts_not_maintaining'])}/{vn_number(f['districts_ntm'])} huyện không duy trì "
                "được tiêu chí huyện NTM"
            )
        if f["districts_under_appraisal"]:
            text += f"; {vn_number(f['districts_under_appraisal'])} đơn vị đang được thẩm định hồ sơ"
        if f.get("plan_districts_ntm") is not None:
            text += f"; kế hoạch năm {year}: {vn_number(f['plan_districts_ntm'])} huyện đạt chuẩn NTM"
        out.append(text + ".")
    if f.get("communes_in_advanced_set") is None:
        out.append(f"Tiêu chí NTM nâng cao: {NOT_REPORTED.format(sheet='B01N_TieuChiNangCao')}.")
    else:
        bands = "; ".join(
            f"{vn_number(b['communes'])} xã đạt "
            + (
                f"{b['min_criteria']} tiêu chí"
                if b["min_criteria"] == b["max_criteria"]
                else f"dưới {b['max_criteria'] + 1} tiêu chí"
                if b["min_criteria"] == 0
                else f"{b['min_criteria']} - {b['max_criteria']} tiêu chí"
            )
            for b in data.advanced_bands
        )
        out.append(
            f"Đối với tiêu chí NTM nâng cao, có {bands or '0 xã được đánh giá'}; bình quân đạt "
            f"{vn_number(f['avg_advanced_criteria_met'], 1)} tiêu chí/xã; "
            f"{vn_number(f['communes_advanced_not_maintaining'])}/{vn_number(f['communes_ntm_advanced'])} xã "
            "không duy trì được tiêu chí NTM nâng cao."
        )
    villages = []
    if f.get("villages_mountain_ntm") is not None:
        villages.append(f"{vn_number(f['villages_mountain_ntm'])} thôn/bản miền núi đạt chuẩn NTM")
    if f.get("model_residential_areas") is not None:
        planned = f.get("plan_model_residential_areas")
        villages.append(
            f"{vn_number(f['model_residential_areas'])} khu dân cư kiểu mẫu đạt chuẩn"
            + (f" (kế hoạch năm {year}: {vn_number(planned)})" if planned is not None else "")
        )
    if villages:
        out.append("Toàn tỉnh có " + "; ".join(villages) + ".")
    if f.get("ocop_dossiers") is None:
        out.append(f"Hồ sơ, đánh giá sản phẩm OCOP: {NOT_REPORTED.format(sheet='B08_OCOP_DanhGia')}.")
    else:
        out.append(
            f"Năm {year}, toàn tỉnh có {vn_number(f['ocop_dossiers'])} sản phẩm của "
            f"{vn_number(f['ocop_producers_in_dossiers'])} chủ thể làm hồ sơ OCOP; trong đó có "
            f"{vn_number(f['ocop_dossiers_new'])} sản phẩm mới và {vn_number(f['ocop_dossiers_reevaluated'])} sản "
            f"phẩm tham gia đánh giá và xếp hạng lại; {vn_number(f['ocop_evaluated'])} sản phẩm tham gia đánh giá "
            f"sản phẩm OCOP, {vn_number(f['ocop_dossiers_failed'])} sản phẩm không đạt." + _dossier_results(data)
        )
    stars = [(f.get("plan_ocop_4_star"), "4 sao"), (f.get("plan_ocop_5_star"), "5 sao")]
    if any(n is not None for n, _ in stars):
        out.append(
            f"Kế hoạch năm {year}: "
            + ", ".join(f"{vn_number(n)} sản phẩm OCOP {label}" for n, label in stars if n is not None)
            + "."
        )
    out += _hardest(data)
    return out


def _dossier_results(data: PackData) -> str:
    """Bắc Kạn's way: "12 sản phẩm đủ điều kiện cấp lại Giấy chứng nhận 3 sao; 48 sản phẩm đủ điều kiện cấp sao,
    gồm 4 sản phẩm 4 sao và 44 sản phẩm 3 sao"."""
    parts = []
    for kind, words in (("reevaluation", "đủ điều kiện cấp lại Giấy chứng nhận"), ("new", "đủ điều kiện cấp sao")):
        rows = [r for r in data.dossier_results if r["dossier_type"] == kind]
        if rows:
            total = sum(r["products"] for r in rows)
            stars = " và ".join(f"{vn_number(r['products'])} sản phẩm {r['stars_proposed']} sao" for r in rows)
            parts.append(f"{vn_number(total)} sản phẩm {words} ({stars})")
    return (" Kết quả: " + "; ".join(parts) + ".") if parts else ""


def _hardest(data: PackData) -> list[str]:
    """The criteria and indicators the communes not yet NTM find hardest (Thanh Hóa: 17.1 clean water, 13.3)."""
    building = sorted(
        (h for h in data.hardest if h.get("hardest_rank_not_ntm") and h["communes_not_ntm_not_meeting"]),
        key=lambda h: (h["hardest_rank_not_ntm"], h["criterion_number"]),
    )[:3]
    if not building:
        return []
    text = "Các xã đang xây dựng NTM gặp khó khăn nhất ở tiêu chí " + "; ".join(
        f"số {h['criterion_number']} ({h['criterion_name_vi'] or 'chưa có tên'}: "
        f"{vn_number(h['communes_not_ntm_not_meeting'])}/{vn_number(h['communes_not_ntm'])} xã chưa đạt)"
        for h in building
    )
    indicators = [i for i in data.hardest_indicators if i["communes_not_ntm_not_meeting"]][:3]
    if indicators:
        text += "; chỉ tiêu " + "; ".join(
            f"{i['indicator_code']}"
            + (f" ({i['indicator_name_vi']})" if i["indicator_name_vi"] else "")
            + f": {vn_number(i['communes_not_ntm_not_meeting'])}/{vn_number(i['communes_not_ntm'])} xã chưa đạt"
            for i in indicators
        )
    return [text + "."]


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
        f"Số xã theo số tiêu chí đạt: {_bands(data)}. "
        f"{vn_number(f['communes_not_maintaining'])} xã đã đạt chuẩn nhưng chưa đạt đủ "
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
    sentences[4:4] = _hardest(data)  # after the groups, before OCOP
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

# The district table's measures; headings and decimals come from their declaration (publishing/measures.py).
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
