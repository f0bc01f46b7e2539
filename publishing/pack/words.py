"""The pack's words: Vietnamese labels, the headline sentences offices read out, number formats.

Labels of measures come from their declaration (publishing/measures.py), labels of checks from their
suites (expectations/).
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Section:
    """A part of the report: its heading (as the briefings head it) and its sentences, in the order read out."""

    title: str
    sentences: list[str]


def _xa(n: int | None, what: str, noun: str = "xã") -> str:
    """Communes counted: "5 xã đạt chuẩn NTM kiểu mẫu"; a zero said in words: "chưa có xã đạt chuẩn NTM kiểu mẫu"."""
    return f"chưa có {noun} {what}" if not n else f"{vn_number(n)} {noun} {what}"


def _of_plan(f: dict, what: str, unit: str = "xã") -> str:
    """The year's `{what}_new_in_year` against its plan `plan_{what}`, the share as the mart holds it
    (`pct_plan_{what}`; none printed where the mart has none)."""
    done, planned, share = f.get(f"{what}_new_in_year"), f.get(f"plan_{what}"), f.get(f"pct_plan_{what}")
    if not planned:
        return "chưa giao kế hoạch"
    if not done or share is None:
        return f"kế hoạch {vn_number(planned)} {unit}"
    return f"đạt {pct(share)} kế hoạch ({vn_number(planned)} {unit})"


def _bands(data: PackData) -> str:
    """The communes in each band of the month's set, labelled as the bands seed names them (any set); an empty
    band said in words."""
    return "; ".join(
        f"{b['band_name_vi']}: {vn_number(b['communes']) + ' xã' if b['communes'] else 'không có xã nào'}"
        for b in data.bands
    )


def _share(f: dict, of: str = "") -> str:
    """The share, "(33,7 % tổng số 95 xã)": the share of NTM communes as the mart holds it (pct_communes_ntm)."""
    share = f.get("pct_communes_ntm")
    total = f"tổng số {vn_number(f['communes_total'])} xã{of}"
    return f" ({pct(share)} {total})" if share is not None else f" ({total})"


def _maintaining(f: dict, what: str) -> str:
    n = f["communes_not_maintaining"]
    if not n:
        return f"Các xã đã đạt chuẩn đều duy trì đủ {vn_number(f['criteria_in_set'])} tiêu chí{what}."
    return f"{vn_number(n)} xã đã đạt chuẩn nhưng chưa duy trì đủ {vn_number(f['criteria_in_set'])} tiêu chí{what}."


def _set_name(data: PackData) -> str:
    return data.criteria_set_name or "Bộ tiêu chí quốc gia về xã nông thôn mới"


def sections(data: PackData) -> list[Section]:
    """The report's part I (Kết quả thực hiện), in the order and words the provinces' briefings use: the
    communes, the district units (district era), villages, OCOP, funds, who reported. The page, the workbook and the
    Word report read these sentences; no second copy of them exists."""
    if data.unit_level == "commune":
        return _sections_communes(data)
    f, year = data.figures, data.period_month.year
    communes = [
        f"Lũy kế đến nay toàn tỉnh có {vn_number(f['communes_ntm'])} xã đạt chuẩn NTM{_share(f)}"
        + "".join(f", {_xa(f[column], words)}" for column, words in _levels(f))
        + f"; bình quân cả tỉnh đạt {vn_number(f['avg_criteria_met'], 2)} tiêu chí/xã.",
        _year(data),
        f"Kết quả thực hiện {_set_name(data)}: {_bands(data)}. " + _maintaining(f, ""),
        *comparison(data),
        *_advanced(data),
        *_hardest(data),
    ]  # fmt: skip
    out = [Section("Xây dựng xã nông thôn mới", communes)]
    districts = _districts(data)
    if districts:
        out.append(Section("Xây dựng huyện nông thôn mới", districts))
    villages = _villages(data)
    if villages:
        out.append(Section("Thôn, bản, khu dân cư", villages))
    ocop = [
        f"Toàn tỉnh có {vn_number(f['ocop_products'])} sản phẩm OCOP còn hiệu lực ({_stars(f)}); năm {year} "
        f"{_products(f['ocop_new_in_year'], 'mới')}, {_of_plan(f, 'ocop', 'sản phẩm')}.",
        *_dossiers(data),
    ]
    out += [
        Section("Chương trình OCOP", ocop),
        Section("Nguồn vốn và giải ngân", [_funds(data)]),
        Section("Tình hình báo cáo số liệu", [_reported(data, "huyện", f["districts_reported"],
                                                        f["districts_expected"])]),
    ]  # fmt: skip
    return out


COMPARED = [("communes_ntm", "xã đạt chuẩn NTM", 0), ("avg_criteria_met", "tiêu chí bình quân/xã", 2),
            ("ocop_products", "sản phẩm OCOP", 0)]  # fmt: skip


def comparison(data: PackData) -> list[str]:
    """Against the month before and the same month a year before, where the warehouse holds them in the same
    geography and criteria set ("tăng 3 xã đạt chuẩn NTM so với cùng kỳ"); nothing is said of months it lacks."""
    f, month = data.figures, data.period_month
    parts = []
    for name, when in (("previous", "tháng trước"), ("year_ago", f"cùng kỳ năm {month.year - 1}")):
        earlier = data.earlier.get(name)
        if not earlier:
            continue
        changes = []
        for column, words, decimals in COMPARED:
            now, then = f.get(column), earlier.get(column)
            if now is None or then is None:
                continue
            change = round(float(now) - float(then), decimals)
            changes.append(
                f"{'tăng' if change > 0 else 'giảm'} {vn_number(abs(change), decimals)} {words}" if change
                else f"số {words} không đổi"
            )  # fmt: skip
        if changes:
            parts.append(f"so với {when}: " + ", ".join(changes))
    return [_capital("; ".join(parts)) + "."] if parts else []


LEVELS = [("communes_ntm_advanced", "đạt chuẩn NTM nâng cao"), ("communes_ntm_model", "đạt chuẩn NTM kiểu mẫu"),
          ("communes_ntm_modern", "đạt chuẩn NTM hiện đại")]  # fmt: skip


def _levels(f: dict) -> list[tuple[str, str]]:
    """The levels above NTM that the month's criteria set has (its columns are null where it has not: 2010-2015
    had none, 2016-2025 nâng cao and kiểu mẫu, 2026-2030 hiện đại): a level a set lacks is not read out."""
    return [(column, words) for column, words in LEVELS if f.get(column) is not None]


def _year(data: PackData) -> str:
    """The year's recognitions, each level against its plan."""
    f = data.figures
    parts = [f"{_xa(f['communes_ntm_new_in_year'], 'được công nhận đạt chuẩn NTM')}, {_of_plan(f, 'communes_ntm')}"]
    parts += [
        f"{_xa(f[f'{column}_new_in_year'], words)}, {_of_plan(f, column)}"
        for column, words in _levels(f)
        if f.get(f"{column}_new_in_year") is not None
    ]
    return f"Năm {data.period_month.year}: " + "; ".join(parts) + "."


def headline(data: PackData) -> list[str]:
    """The sentences provinces use in their reports, with the month's figures: every sentence of part I."""
    return [sentence for section in sections(data) for sentence in section.sentences]


def _stars(f: dict) -> str:
    return ", ".join(
        f"{vn_number(f[f'ocop_{n}_star'])} sản phẩm {n} sao" if f[f"ocop_{n}_star"] else f"chưa có sản phẩm {n} sao"
        for n in (3, 4, 5)
    )


def _products(n: int | None, what: str) -> str:
    """Products counted as a briefing says them: "có 46 sản phẩm mới", and for none "chưa có sản phẩm mới"."""
    return f"có {vn_number(n)} sản phẩm {what}" if n else f"chưa có sản phẩm {what}"


def _funds(data: PackData) -> str:
    f, year = data.figures, data.period_month.year
    return (
        f"Vốn ngân sách nhà nước kế hoạch năm {year}: giao {vn_number(f['fund_budget_allocated_mil_vnd'], 1)} triệu "
        f"đồng, giải ngân {vn_number(f['fund_budget_disbursed_mil_vnd'], 1)} triệu đồng, "
        f"đạt {pct(f['fund_budget_disbursement_pct'], 2)}; tính cả vốn lồng ghép, tín dụng, doanh nghiệp và cộng đồng: "
        f"giao {vn_number(f['fund_allocated_mil_vnd'], 1)} triệu đồng, "
        f"giải ngân {vn_number(f['fund_disbursed_mil_vnd'], 1)} triệu đồng, đạt {pct(f['fund_disbursement_pct'], 2)}."
    )


def _reported(data: PackData, noun: str, reported: int | None, expected: int | None) -> str:
    text = f"Số {noun} đã báo cáo: {vn_number(reported)}/{vn_number(expected)}" + (
        f" (chưa báo cáo: {', '.join(data.missing_districts)})." if data.missing_districts else "."
    )
    if data.figures.get("is_unit_list_known") is False:  # a month before the province's list is held: never complete
        text += (
            f" Danh sách đơn vị của tháng chưa xác định ({data.figures['unit_list_note']}): số {noun} phải báo cáo "
            "tính theo danh mục sớm nhất hiện có."
        )
    return text


NOT_REPORTED = "chưa đủ số liệu: biểu {sheet} (mẫu 2024.2) chưa được tất cả các huyện báo cáo"


def _partly_reported(data: PackData, column: str) -> bool:
    """Some of the month's units reported the optional sheet behind `column` and some did not: the province's
    figure is missing, and says so. When none did (every workbook of template 2024.1, or a year before the sheet
    existed), the figure is not the province's concept that month and is left out."""
    return any(d.get(column) is not None for d in data.districts)


def _districts(data: PackData) -> list[str]:
    """The district units' own recognition (template 2024.2's B07), as Thanh Hóa and Hà Tĩnh word it."""
    f, year = data.figures, data.period_month.year
    in_use = "district" in data.sets_in_force and _partly_reported(data, "districts_ntm")
    if f.get("districts_ntm") is None and not in_use:
        return []  # no district set in force that month, or no unit uses the sheet: nothing to miss
    if f.get("districts_ntm") is None:
        return [f"Đơn vị cấp huyện đạt chuẩn NTM: {NOT_REPORTED.format(sheet='B07_Huyen')}."]
    if f["districts_ntm"]:
        text = (
            f"Lũy kế đến nay toàn tỉnh có {vn_number(f['districts_ntm'])}/{vn_number(f['districts_expected'])} "
            "đơn vị cấp huyện đạt chuẩn và hoàn thành nhiệm vụ xây dựng NTM"
        )
        text += (
            f"; {vn_number(f['districts_not_maintaining'])}/{vn_number(f['districts_ntm'])} huyện không duy trì "
            "được tiêu chí huyện NTM"
            if f["districts_not_maintaining"]
            else "; các huyện đã đạt chuẩn đều duy trì được tiêu chí huyện NTM"
        )
    else:
        text = (
            f"Toàn tỉnh chưa có đơn vị cấp huyện đạt chuẩn, hoàn thành nhiệm vụ xây dựng NTM (tổng số "
            f"{vn_number(f['districts_expected'])} đơn vị cấp huyện)"
        )
    if f["districts_under_appraisal"]:
        text += f"; {vn_number(f['districts_under_appraisal'])} đơn vị đang được thẩm định hồ sơ"
    if f.get("plan_districts_ntm"):
        text += f"; kế hoạch năm {year}: {vn_number(f['plan_districts_ntm'])} huyện đạt chuẩn NTM"
    return [text + "."]


def _advanced(data: PackData) -> list[str]:
    """The advanced set (template 2024.2's B01N), as Bắc Kạn words it."""
    f = data.figures
    in_use = "commune_advanced" in data.sets_in_force and _partly_reported(data, "communes_in_advanced_set")
    if f.get("communes_in_advanced_set") is None and not in_use:
        return []  # the advanced set was not in force that month, or no unit uses the sheet
    if f.get("communes_in_advanced_set") is None:
        return [f"Tiêu chí NTM nâng cao: {NOT_REPORTED.format(sheet='B01N_TieuChiNangCao')}."]
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
    if not bands:
        return ["Chưa có xã được đánh giá theo tiêu chí NTM nâng cao."]
    not_maintaining = (
        f"{vn_number(f['communes_advanced_not_maintaining'])}/{vn_number(f['communes_ntm_advanced'])} xã "
        "không duy trì được tiêu chí NTM nâng cao"
        if f["communes_advanced_not_maintaining"]
        else "các xã đã đạt chuẩn NTM nâng cao đều duy trì được tiêu chí"
    )
    return [
        f"Đối với tiêu chí NTM nâng cao, có {bands}; bình quân đạt "
        f"{vn_number(f['avg_advanced_criteria_met'], 1)} tiêu chí/xã; {not_maintaining}."
    ]


def _villages(data: PackData) -> list[str]:
    """Villages and residential areas: only what the province's data has (a concept it does not report is left out,
    not read out as 0)."""
    f, year = data.figures, data.period_month.year
    parts = []
    if f.get("villages_ntm"):
        parts.append(f"{vn_number(f['villages_ntm'])} thôn, bản đạt chuẩn NTM")
    if f.get("villages_model"):
        parts.append(f"{vn_number(f['villages_model'])} thôn, bản đạt chuẩn NTM kiểu mẫu")
    if f.get("villages_mountain_ntm"):
        parts.append(f"{vn_number(f['villages_mountain_ntm'])} thôn/bản miền núi đạt chuẩn NTM")
    planned = f.get("plan_model_residential_areas")
    if f.get("model_residential_areas") or planned:
        parts.append(
            f"{vn_number(f.get('model_residential_areas') or 0)} khu dân cư kiểu mẫu đạt chuẩn"
            if f.get("model_residential_areas")
            else "chưa có khu dân cư kiểu mẫu đạt chuẩn"
        )
        if planned:
            parts[-1] += f" (kế hoạch năm {year}: {vn_number(planned)})"
    return ["Toàn tỉnh có " + "; ".join(parts) + "."] if parts else []


def _dossiers(data: PackData) -> list[str]:
    """The year's OCOP dossiers and rounds (template 2024.2's B08) and the plan by stars."""
    f, year = data.figures, data.period_month.year
    if f.get("ocop_dossiers") is None and not _partly_reported(data, "ocop_dossiers"):
        out = []
    elif f.get("ocop_dossiers") is None:
        out = [f"Hồ sơ, đánh giá sản phẩm OCOP: {NOT_REPORTED.format(sheet='B08_OCOP_DanhGia')}."]
    else:
        failed = (
            f"{vn_number(f['ocop_dossiers_failed'])} sản phẩm không đạt"
            if f["ocop_dossiers_failed"]
            else "không có sản phẩm không đạt"
        )
        out = [
            f"Năm {year}, toàn tỉnh có {vn_number(f['ocop_dossiers'])} sản phẩm của "
            f"{vn_number(f['ocop_producers_in_dossiers'])} chủ thể làm hồ sơ OCOP; trong đó có "
            f"{vn_number(f['ocop_dossiers_new'])} sản phẩm mới và {vn_number(f['ocop_dossiers_reevaluated'])} sản "
            f"phẩm tham gia đánh giá và xếp hạng lại; {vn_number(f['ocop_evaluated'])} sản phẩm tham gia đánh giá "
            f"sản phẩm OCOP, {failed}." + _dossier_results(data)
        ]
    stars = [(f.get("plan_ocop_4_star"), "4 sao"), (f.get("plan_ocop_5_star"), "5 sao")]
    if any(stars_planned for stars_planned, _ in stars):
        out.append(
            f"Kế hoạch năm {year}: "
            + ", ".join(f"{vn_number(n)} sản phẩm OCOP {label}" for n, label in stars if n)
            + "."
        )
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


def _criterion(h: dict) -> str:
    name = h.get("criterion_name_vi")
    return f"số {h['criterion_number']} ({name})" if name else f"số {h['criterion_number']}"


def _hardest_not_ntm(data: PackData, limit: int = 3) -> list[dict]:
    """The criteria the communes not yet NTM miss most, hardest first (mart_criteria_gaps' rank among them)."""
    return sorted(
        (h for h in data.hardest if h.get("hardest_rank_not_ntm") and h["communes_not_ntm_not_meeting"]),
        key=lambda h: (h["hardest_rank_not_ntm"], h["criterion_number"]),
    )[:limit]


def _hardest(data: PackData) -> list[str]:
    """The criteria and indicators the communes not yet NTM find hardest (Thanh Hóa: 17.1 clean water, 13.3), each
    said against one base: the communes not yet NTM."""
    building = _hardest_not_ntm(data)
    if not building:
        return []
    base = building[0]["communes_not_ntm"]
    text = f"Trong {vn_number(base)} xã chưa đạt chuẩn NTM, các tiêu chí khó đạt nhất là tiêu chí " + "; ".join(
        f"{_criterion(h)}: {vn_number(h['communes_not_ntm_not_meeting'])} xã chưa đạt" for h in building
    )
    indicators = [i for i in data.hardest_indicators if i["communes_not_ntm_not_meeting"]][:3]
    if indicators:
        text += "; chỉ tiêu " + "; ".join(
            f"{i['indicator_code']}"
            + (f" ({i['indicator_name_vi']})" if i["indicator_name_vi"] else "")
            + f": {vn_number(i['communes_not_ntm_not_meeting'])} xã chưa đạt"
            for i in indicators
        )
    return [text + "."]


def _sections_communes(data: PackData) -> list[Section]:
    """From 07/2025: the province's xã report to it directly, against the set in force (10 criteria from 02/2026)."""
    f, year = data.figures, data.period_month.year
    restated = [h for h in data.history if h["figure_basis"] == "restated"]
    levels = ", ".join(_xa(f[column], words) for column, words in _levels(f))
    communes = [
        f"Lũy kế đến nay toàn tỉnh có {vn_number(f['communes_ntm'])} xã đạt chuẩn NTM{_share(f, ' đã báo cáo')}"
        + (f", trong đó {levels}" if levels else "")
        + f"; theo {_set_name(data)}, bình quân mỗi xã đạt {vn_number(f['avg_criteria_met'], 2)} trong "
        f"{vn_number(f['criteria_in_set'])} tiêu chí.",
        _year(data),
        f"Số xã theo số tiêu chí đạt: {_bands(data)}. " + _maintaining(f, " của bộ tiêu chí mới"),
        "Số xã theo nhóm xã: " + "; ".join(_groups(f)) + ".",
        *comparison(data),
        *_hardest(data),
    ]
    levels = [(f["ocop_province_level"], "do tỉnh công nhận"), (f["ocop_central_level"], "do Trung ương công nhận"),
              (f["ocop_district_level"], "do cấp huyện công nhận trước 01/07/2025 còn hiệu lực")]  # fmt: skip
    by_level = ", ".join(f"{vn_number(n)} sản phẩm {words}" for n, words in levels if n)
    ocop = [
        f"Toàn tỉnh có {vn_number(f['ocop_products'])} sản phẩm OCOP còn hiệu lực ({_stars(f)})"
        + (f", trong đó {by_level}" if by_level else "")
        + f"; năm {year} {_products(f['ocop_new_in_year'], 'mới')}, "
        f"{_of_plan(f, 'ocop', 'sản phẩm')}."
    ]
    out = [
        Section("Xây dựng xã nông thôn mới", communes),
        Section("Chương trình OCOP", ocop),
        Section("Nguồn vốn và giải ngân", [_funds(data)]),
        Section("Tình hình báo cáo số liệu", [_reported(data, "xã", f["units_reported"], f["units_expected"])]),
    ]
    if restated:
        latest = max(h["period_month"] for h in restated)
        missing = restated_missing(data)
        out[-1].sentences.append(
            "Quy đổi theo địa giới hiện nay (không phải số liệu của xã mới): "
            + "; ".join(h["label_vi"].split(": ", 1)[-1] for h in restated if h["period_month"] == latest)
            + (
                f"; kho chưa có số liệu tháng {latest:%m/%Y} của xã cũ thuộc tỉnh {', '.join(missing)} "
                "(trước 01/07/2025), nên số liệu quy đổi chưa phải của cả tỉnh hiện nay"
                if missing
                else ""
            )
            + "."
        )
    return out


def restated_missing(data: PackData) -> list[str]:
    """The former provinces (before 01/07/2025) of today's province whose communes have no restated figures in the
    latest restated month: the restated figure is then not the whole province's, and says so."""
    restated = [h for h in data.history if h["figure_basis"] == "restated"]
    if not restated or not data.legacy_provinces:
        return []
    latest = max(h["period_month"] for h in restated)
    present = {h["source_province_code"] for h in restated if h["period_month"] == latest}
    return [p["name"] for p in data.legacy_provinces if p["code"] not in present]


def _groups(f: dict) -> list[str]:
    return [f"nhóm {g}: {vn_number(f[f'communes_group_{g}'])} xã" for g in (1, 2, 3) if f[f"communes_group_{g}"]]


def _behind_plan(data: PackData) -> list[str]:
    """The year's plans not met yet, each against its own plan: "xã đạt chuẩn NTM: mới đạt 5/17 xã"."""
    f = data.figures
    plans = [
        ("communes_ntm", "xã đạt chuẩn NTM", "xã"),
        ("communes_ntm_advanced", "xã đạt chuẩn NTM nâng cao", "xã"),
        ("communes_ntm_model", "xã đạt chuẩn NTM kiểu mẫu", "xã"),
        ("communes_ntm_modern", "xã đạt chuẩn NTM hiện đại", "xã"),
        ("ocop", "sản phẩm OCOP mới", "sản phẩm"),
    ]
    out = []
    for what, words, unit in plans:
        done, planned = f.get(f"{what}_new_in_year"), f.get(f"plan_{what}")
        if planned and (done or 0) < planned:
            reached = f"mới đạt {vn_number(done)}/{vn_number(planned)} {unit}" if done else (
                f"chưa đạt {unit} nào (kế hoạch {vn_number(planned)} {unit})")  # fmt: skip
            out.append(f"{words}: {reached}")
    return out


def _behind_pace(data: PackData) -> str | None:
    """Disbursement of the state budget below the plan year's even pace to this month (month / 12 of the year)."""
    share = data.figures.get("fund_budget_disbursement_pct")
    month = data.period_month.month
    if share is None or share >= 100.0 * month / 12:
        return None
    return (
        f"giải ngân vốn ngân sách nhà nước kế hoạch năm {data.period_month.year} mới đạt {pct(share, 2)}, "
        f"chậm hơn tiến độ bình quân đến hết tháng {month}"
    )


def unit_text(unit: dict, capital: bool = False) -> str:
    """A unit as an office writes it: "huyện Ba Bể", "phường Phan Đình Phùng" in a sentence; capitalised to head a
    sentence or a table row ("Huyện Ba Bể"). Xã and phường, huyện and thành phố, are told apart wherever listed."""
    kind, name = unit.get("unit_type"), unit.get("unit_name") or unit["district_name"]
    text = f"{kind.lower()} {name}" if kind else str(name)
    return text[:1].upper() + text[1:] if capital else text


def _units(data: PackData, status: str) -> list[str]:
    return [unit_text(d) for d in data.districts if d.get("validation_status") == status]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def shortcomings(data: PackData) -> list[str]:
    """Part II (Tồn tại, hạn chế), pre-filled only with what the data says; the office writes the rest."""
    unit = UNIT_VI[data.unit_level].lower()
    out = []
    if data.missing_districts:
        out.append(f"Còn {vn_number(len(data.missing_districts))} {unit} chưa gửi báo cáo: "
                   f"{', '.join(data.missing_districts)}.")  # fmt: skip
    held = _units(data, "failed")
    if held:
        out.append(f"Số liệu của {', '.join(held)} mâu thuẫn, bị giữ lại, chưa được tổng hợp vào báo cáo.")
    warned = _units(data, "warning")
    if warned:
        out.append(f"Số liệu của {', '.join(warned)} có cảnh báo khi kiểm tra, cần rà soát.")
    if data.unit_level == "district":
        blank = [unit_text(d) for d in data.districts if d.get("communes_ntm") == 0 and d.get("communes_total")]
        if blank:
            out.append(_capital(f"{', '.join(blank)} chưa có xã đạt chuẩn NTM."))
    behind = _behind_plan(data)
    if behind:
        out.append(f"Chưa hoàn thành kế hoạch năm {data.period_month.year}: " + "; ".join(behind) + ".")
    pace = _behind_pace(data)
    if pace:
        out.append(_capital(pace) + ".")
    if data.figures.get("communes_not_maintaining"):
        out.append(_maintaining(data.figures, ""))
    return out


def next_tasks(data: PackData) -> list[str]:
    """Part III (Nhiệm vụ trọng tâm tháng tới), suggested from the data."""
    out = []
    if data.missing_districts:
        out.append(f"Đôn đốc {', '.join(data.missing_districts)} gửi báo cáo đúng hạn.")
    held = _units(data, "failed") + _units(data, "warning")
    if held:
        out.append(f"Hướng dẫn {', '.join(held)} rà soát, sửa số liệu theo phản hồi và gửi lại báo cáo.")
    building = _hardest_not_ntm(data)
    if building:
        out.append("Tập trung chỉ đạo các xã chưa đạt chuẩn hoàn thành tiêu chí "
                   + ", ".join(_criterion(h) for h in building) + ".")  # fmt: skip
    if _behind_plan(data):
        out.append("Rà soát, đẩy nhanh tiến độ các xã, sản phẩm trong kế hoạch năm chưa hoàn thành.")
    if _behind_pace(data):
        out.append("Đẩy nhanh tiến độ giải ngân vốn ngân sách nhà nước.")
    return out


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


def unit_columns(data: PackData) -> list[tuple[str, str, int]]:
    """The units' table's columns for the pack: those of district_columns without a column that neither the province
    nor any unit has a figure for (a level the month's criteria set lacks, null in the marts): left out, not printed
    as a column of dashes."""
    return [
        column
        for column in district_columns(data.unit_level)
        if data.figures.get(column[0]) is not None or any(d.get(column[0]) is not None for d in data.districts)
    ]
