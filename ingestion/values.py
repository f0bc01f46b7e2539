"""Normalisers for the values district offices type into workbooks.

Each parser takes a raw cell value (what python-calamine returns: str, int, float, bool,
date, datetime, or "" for an empty cell) and returns a normalised value, or raises
:class:`ValueError` with a message a clerk can act on. Callers attach the file, sheet, row
and column to that message.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

from ingestion.text import fold, nfc

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 in Excel's 1900 date system


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str | None:
    """NFC text, or None for an empty cell. Integral floats lose their ".0"."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


# A name or a note (a commune, product, producer, decision, market, note) holds at most this many characters: the
# longest commune or product names run to some tens; 100,000 characters in a cell is a paste gone wrong, and would be
# published and printed whole (docs/office-loop.md).
MAX_TEXT = 500


def bounded_text(value: object) -> str | None:
    """text(value), refused (ValueError) beyond MAX_TEXT characters."""
    result = text(value)
    if result is not None and len(result) > MAX_TEXT:
        raise ValueError(f"{len(result):,} characters, more than the {MAX_TEXT} a name or note may hold")
    return result


def preview(value: object, limit: int = 120) -> str | None:
    """text(value) cut to `limit` characters with an ellipsis: what a rejection records of an overlong cell."""
    result = text(value)
    return result if result is None or len(result) <= limit else result[:limit] + "…"


# --- criterion markers -------------------------------------------------------------

_ACHIEVED = {fold(v) for v in ("Đạt", "x", "1", "✓", "✔")}
_NOT_ACHIEVED = {fold(v) for v in ("Chưa đạt", "Không đạt", "0", "-")}


def parse_marker(value: object) -> bool:
    """A criterion cell: True for Đạt/x/1/✓, False for Chưa đạt/Không đạt/0/-/empty."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)
        raise ValueError(f"criterion mark {value!r} is neither 1 (met) nor 0 (not met)")
    key = fold(value)
    if key in _ACHIEVED:
        return True
    if key in _NOT_ACHIEVED:
        return False
    raise ValueError(
        f"criterion mark {text(value)!r} is not one of Đạt, x, 1, ✓ (met) or Chưa đạt, Không đạt, 0, - (not met)"
    )


# --- numbers -----------------------------------------------------------------------

_VN_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_EN_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_PLAIN = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")


# No figure of a workbook comes near this (the whole 2026-2030 programme is about 1.04e9 million đồng); beyond it
# a value is a typing or a file error, and a cast downstream could fail on it.
MAX_MAGNITUDE = 1e12


def parse_number(value: object) -> float | None:
    """A number typed as a number or as text in Vietnamese or English notation.

    "1.234,5" and "1,234.5" are 1234.5; "95,2%" is 95.2; "1.234" is 1234 (Vietnamese
    thousands, the template's convention) and "1,5" is 1.5. Empty is None. NaN, infinities and
    magnitudes above MAX_MAGNITUDE are errors, never None.
    """
    return _bounded(value, _parse_number(value))


def _bounded(value: object, number: float | None) -> float | None:
    if number is None:
        return None
    if not math.isfinite(number):
        raise ValueError(f"{text(value)!r} is not a finite number")
    if abs(number) > MAX_MAGNITUDE:
        raise ValueError(f"{number:g} is beyond any plausible figure ({MAX_MAGNITUDE:g})")
    return number


def _parse_number(value: object) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    raw = nfc(str(value))
    s = raw.replace("\u00a0", "").replace(" ", "")
    if s.endswith("%"):
        s = s[:-1]
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-")
    if _PLAIN.match(s):
        return sign * float(s)
    if "." in s and "," in s:
        if s.rfind(",") > s.rfind("."):  # Vietnamese: 1.234,5
            whole, frac = s.rsplit(",", 1)
            if _VN_THOUSANDS.match(whole) or _PLAIN.match(whole):
                return sign * float(whole.replace(".", "") + "." + frac)
        else:  # English: 1,234.5
            whole, frac = s.rsplit(".", 1)
            if _EN_THOUSANDS.match(whole) or _PLAIN.match(whole):
                return sign * float(whole.replace(",", "") + "." + frac)
        raise ValueError(f"{raw!r} mixes separators in a way that is not a number")
    if _VN_THOUSANDS.match(s):  # 1.234 or 1.234.567
        return sign * float(s.replace(".", ""))
    if s.count(",") > 1 and _EN_THOUSANDS.match(s):  # 1,234,567
        return sign * float(s.replace(",", ""))
    if _DECIMAL.match(s):  # 3.5 or 3,5
        return sign * float(s.replace(",", "."))
    raise ValueError(f"{raw!r} is not a number")


INT32 = 2**31 - 1


def parse_int(value: object) -> int | None:
    """A whole number that fits the warehouse's INTEGER columns."""
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise ValueError(f"{text(value)!r} is not a whole number")
    if abs(number) > INT32:
        raise ValueError(f"{number:g} is not a count any workbook holds")
    return int(number)


# No count in a workbook comes near this: Vietnam has about 10,000 communes and 17,000 OCOP products.
MAX_COUNT = 1_000_000


def parse_count(value: object, maximum: int = MAX_COUNT) -> int | None:
    """A count (communes, products, criteria): a whole number from 0 to `maximum`; sums of counts fit INTEGER."""
    number = parse_int(value)
    if number is not None and not 0 <= number <= maximum:
        raise ValueError(f"{number} is not a plausible count (0 to {maximum:,})")
    return number


# --- OCOP stars --------------------------------------------------------------------

_STAR_TEXT = re.compile(r"^(\d+(?:[.,]0+)?)\s*(?:sao|\*|★)?$")


def parse_stars(value: object) -> int:
    """OCOP stars: 3, 3.0, "3 sao", "★★★" (and 4 and 5). 1★ and 2★ are not OCOP products."""
    if is_blank(value):
        raise ValueError("the star rating is empty")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValueError(f"{value!r} is not a whole number of stars")
        stars = int(value)
    else:
        s = nfc(str(value)).casefold()
        if s and set(s) <= {"★", "☆", " "}:
            stars = s.count("★")
        else:
            m = _STAR_TEXT.match(s)
            if not m:
                raise ValueError(f"{text(value)!r} is not a star rating (3, 4 or 5)")
            stars = int(float(m.group(1).replace(",", ".")))
    if stars in (1, 2):
        raise ValueError(f"{stars}★ is not an OCOP product: OCOP products have 3, 4 or 5 stars")
    if stars not in (3, 4, 5):
        raise ValueError(f"{text(value)!r} is not a star rating (3, 4 or 5)")
    return stars


STAR_SCORE_BANDS: Mapping[int, tuple[int, int]] = {3: (50, 69), 4: (70, 89), 5: (90, 100)}


def check_score(stars: int, score: float | None) -> None:
    """A score, when given, must lie in its star rating's band (3★ 50-69, 4★ 70-89, 5★ 90-100)."""
    if score is None:
        return
    low, high = STAR_SCORE_BANDS[stars]
    if not low <= score <= high:
        raise ValueError(f"score {score:g} does not match {stars}★ (a {stars}★ score is {low}-{high})")


# --- dates, periods, years -----------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def _from_serial(number: float) -> dt.date:
    if not 1 <= number < 2958466:  # 1900-01-01 .. 9999-12-31
        raise ValueError(f"{number:g} is not an Excel date serial number")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def parse_date(value: object) -> dt.date | None:
    """An Excel date, an Excel serial number, or text dd/mm/yyyy (or yyyy-mm-dd), within 2000-2100."""
    day = _parse_date(value)
    if day is not None and not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"{day:%d/%m/%Y} is outside {FIRST_DATE.year}-{LAST_DATE.year}: a typing error?")
    return day


def _parse_date(value: object) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(float(value))
    s = nfc(str(value))
    try:
        if m := _DMY.match(s):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _ISO.match(s):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError(f"{s!r} is not a real date ({exc})") from None
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return _from_serial(float(s))
    raise ValueError(f"{s!r} is not a date (expected dd/mm/yyyy)")


_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_THANG_NAM = re.compile(r"^thang\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})$")


def parse_period(value: object) -> dt.date:
    """The reporting month, as the first day of that month.

    Accepts "MM/YYYY", "M/YYYY", "tháng MM năm YYYY", or a date anywhere in the month.
    """
    if is_blank(value):
        raise ValueError("the reporting period is empty")
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        day = parse_date(value)
        assert day is not None
        return day.replace(day=1)
    s = nfc(str(value))
    folded = " ".join(fold(part) for part in s.split())
    m = _MONTH_YEAR.match(s) or _THANG_NAM.match(folded)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"{s!r}: month {month} does not exist")
        return dt.date(year, month, 1)
    day = None
    if _DMY.match(s) or _ISO.match(s):  # a date written as text; a bare number is not a month
        day = parse_date(s)
    if day is None:
        raise ValueError(f"{s!r} is not a reporting month (expected MM/YYYY or 'tháng MM năm YYYY')")
    return day.replace(day=1)


def parse_year(value: object) -> int | None:
    """A 4-digit year (1990-2100), or None for an empty cell."""
    if is_blank(value):
        return None
    try:
        year = parse_int(value)
    except ValueError:
        year = None
    if year is None or not 1990 <= year <= 2100:
        raise ValueError(f"{text(value)!r} is not a 4-digit year")
    return year


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def month_end(period: dt.date) -> dt.date:
    return add_months(period.replace(day=1), 1) - dt.timedelta(days=1)


# --- coded vocabularies ----------------------------------------------------------------


class Vocabulary:
    """A closed list of codes, each with the ways offices write it (compared with `fold`)."""

    def __init__(self, what: str, spellings: Mapping[str, tuple[str, ...]]):
        self.what = what
        self._by_key: dict[str, str] = {}
        for code, words in spellings.items():
            for word in words:
                self._by_key[fold(word)] = code
        self._examples = ", ".join(words[0] for words in spellings.values())
        self.codes = set(spellings)
        self.labels = {code: words[0] for code, words in spellings.items()}  # as a template writes each
        self.spellings = dict(spellings)

    def parse(self, value: object, *, default: str | None = None) -> str | None:
        if is_blank(value):
            return default
        code = self._by_key.get(fold(value))
        if code is None:
            raise ValueError(f"{text(value)!r} is not a known {self.what} ({self._examples})")
        return code


LEVELS = Vocabulary(
    "level",
    {
        "not_yet": ("Chưa đạt", "Chưa đạt chuẩn"),
        "ntm": ("NTM", "Đạt chuẩn NTM", "Đạt NTM"),
        "advanced": ("NTM nâng cao", "Nâng cao", "Đạt chuẩn NTM nâng cao"),
        "model": ("NTM kiểu mẫu", "Kiểu mẫu", "Đạt chuẩn NTM kiểu mẫu"),
        # the pilot level of the 2026-2030 set (Decision 51/2025/QĐ-TTg); template 2026.1 only
        "modern": ("NTM hiện đại", "Hiện đại", "Đạt chuẩn NTM hiện đại"),
    },
)
LEVEL_RANK: Mapping[str, int] = {"not_yet": 0, "ntm": 1, "advanced": 2, "model": 3}

YES_NO = Vocabulary("yes/no answer", {"yes": ("Có", "x", "1", "✓"), "no": ("Không", "0", "-")})

PRODUCER_TYPES = Vocabulary(
    "producer type",
    {
        "cooperative": ("HTX", "Hợp tác xã"),
        "enterprise": ("Doanh nghiệp", "DN", "Công ty"),
        "household_business": ("Hộ kinh doanh", "HKD", "Hộ sản xuất"),
        "cooperative_group": ("Tổ hợp tác", "THT"),
    },
)

OCOP_STATUSES = Vocabulary(
    "certificate status",
    {"new": ("Mới",), "recertified": ("Công nhận lại",), "expired": ("Hết hạn",)},
)

# Product groups: the six of 148/QĐ-TTg (from 24 Feb 2023) and the six of 1048/QĐ-TTg (2019).
OCOP_GROUPS = Vocabulary(
    "OCOP product group",
    {
        "food": ("Thực phẩm",),
        "beverage": ("Đồ uống",),
        "herbal_148": ("Dược liệu và sản phẩm từ dược liệu", "Dược liệu"),
        "handicraft": ("Thủ công mỹ nghệ",),
        "ornamental": ("Sinh vật cảnh",),
        "tourism_148": (
            "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
            "Dịch vụ du lịch cộng đồng",
        ),
        "herbal_1048": ("Thảo dược",),
        "textile_1048": ("Vải và may mặc",),
        "souvenir_1048": ("Lưu niệm - nội thất - trang trí", "Lưu niệm, nội thất, trang trí"),
        "tourism_1048": ("Dịch vụ du lịch nông thôn và bán hàng",),
    },
)

FUND_SOURCES = Vocabulary(
    "fund source",
    {
        "central_investment": ("NSTW - Đầu tư phát triển", "NSTW ĐTPT", "Vốn đầu tư phát triển"),
        "central_recurrent": ("NSTW - Sự nghiệp", "NSTW sự nghiệp", "Vốn sự nghiệp"),
        "provincial": ("Ngân sách tỉnh", "NS tỉnh"),
        "district": ("Ngân sách huyện", "NS huyện"),
        "commune": ("Ngân sách xã", "NS xã"),
        "integrated": ("Vốn lồng ghép", "Lồng ghép"),
        "credit": ("Vốn tín dụng", "Tín dụng"),
        "enterprise": ("Doanh nghiệp",),
        "community": ("Cộng đồng dân cư", "Cộng đồng", "Nhân dân đóng góp"),
    },
)

PLAN_TARGETS = Vocabulary(
    "plan target code",
    {
        code: (code,)
        for code in ("XA_NTM", "XA_NTM_NANG_CAO", "XA_NTM_KIEU_MAU", "THON_NTM", "THON_KIEU_MAU", "SP_OCOP")
    },
)
# Template 2024.2's B06 adds new products planned at 4★ and 5★, model residential areas, and the district's own
# recognition this year (0 or 1).
PLAN_TARGETS_2024_2 = Vocabulary(
    "plan target code",
    {
        **PLAN_TARGETS.spellings,
        **{code: (code,) for code in ("SP_OCOP_4SAO", "SP_OCOP_5SAO", "KDC_KIEU_MAU", "HUYEN_NTM")},
    },
)
# Template 2024.2's B07_Huyen: the district's own level (towns and provincial cities "complete the task").
DISTRICT_LEVELS = Vocabulary(
    "district level",
    {
        "not_yet": ("Chưa đạt", "Chưa đạt chuẩn"),
        "ntm": ("NTM", "Đạt chuẩn NTM", "Huyện NTM"),
        "advanced": ("NTM nâng cao", "Nâng cao", "Đạt chuẩn NTM nâng cao"),
        "model": ("NTM kiểu mẫu", "Kiểu mẫu", "Đạt chuẩn NTM kiểu mẫu"),
        "completed": ("Hoàn thành nhiệm vụ", "Hoàn thành nhiệm vụ xây dựng NTM"),
    },
)
DOSSIER_STATUSES = Vocabulary(
    "dossier status", {"under_appraisal": ("Đang thẩm định",), "none": ("Không", "Chưa có", "Chưa", "-")}
)
# Template 2024.2's B08_OCOP_DanhGia: a product dossier's kind and stage within the year's evaluation rounds.
DOSSIER_TYPES = Vocabulary(
    "dossier type", {"new": ("Mới", "Sản phẩm mới"), "reevaluation": ("Đánh giá lại", "Đánh giá và xếp hạng lại")}
)
DOSSIER_STAGES = Vocabulary(
    "dossier stage",
    {
        "registered": ("Đăng ký",),
        "preparing": ("Hoàn thiện hồ sơ",),
        "district_evaluation": ("Đánh giá cấp huyện",),
        "province_evaluation": ("Đánh giá cấp tỉnh",),
        "recognised": ("Công nhận", "Đã công nhận"),
        "failed": ("Không đạt",),
    },
)
# The stages at which a dossier has been evaluated (by a council: district or province), passed or not.
DOSSIER_EVALUATED_STAGES = frozenset({"district_evaluation", "province_evaluation", "recognised", "failed"})

# Template 2026.1's C06: a commune plans its own recognition (0 or 1), its villages and products.
COMMUNE_PLAN_TARGETS = Vocabulary(
    "plan target code", {code: (code,) for code in ("XA_NTM", "XA_NTM_HIEN_DAI", "THON_NTM", "SP_OCOP")}
)
# Who issued an OCOP certificate (C04 "Cấp công nhận"): the district up to 06/2025; since Decision 1489/QĐ-TTg
# (6 July 2025) the province rates 3★ and 4★, the central level 5★.
ISSUING_LEVELS = Vocabulary(
    "issuing level",
    {"district": ("Huyện", "Cấp huyện"), "province": ("Tỉnh", "Cấp tỉnh"), "central": ("Trung ương", "TW", "Cấp TW")},
)

# TongHop labels -> indicator codes used in raw.unit_totals.
DISTRICT_TOTALS = Vocabulary(
    "district total",
    {
        "communes_total": ("Tổng số xã",),
        "communes_ntm": ("Số xã đạt chuẩn NTM",),
        "communes_ntm_advanced": ("Số xã đạt chuẩn NTM nâng cao",),
        "communes_ntm_model": ("Số xã đạt chuẩn NTM kiểu mẫu",),
        "avg_criteria_met": ("Bình quân tiêu chí/xã", "Bình quân tiêu chí trên xã"),
        "ocop_products": ("Số sản phẩm OCOP",),
        "ocop_3_star": ("Số sản phẩm OCOP 3 sao",),
        "ocop_4_star": ("Số sản phẩm OCOP 4 sao",),
        "ocop_5_star": ("Số sản phẩm OCOP 5 sao",),
        "fund_allocated_mil_vnd": ("Tổng vốn kế hoạch",),
        "fund_disbursed_mil_vnd": ("Tổng giải ngân",),
    },
)

# What the sample generator (samples/) writes at the top of every cover it makes: the reader records it
# (raw.workbook_covers.is_sample) and the briefing pack prints it on every page made from such a workbook.
SAMPLE_MARK = "Dữ liệu mẫu — không phải số liệu chính thức"

# The commune's own totals (template 2026.1's TongHop): what the commune itself counts.
COMMUNE_TOTALS = Vocabulary(
    "commune total",
    {
        "criteria_met": ("Số tiêu chí đạt",),
        "indicators_met": ("Số chỉ tiêu đạt",),
        "villages_ntm": ("Số thôn đạt chuẩn NTM",),
        "ocop_products": ("Số sản phẩm OCOP",),
        "ocop_3_star": ("Số sản phẩm OCOP 3 sao",),
        "ocop_4_star": ("Số sản phẩm OCOP 4 sao",),
        "ocop_5_star": ("Số sản phẩm OCOP 5 sao",),
        "fund_allocated_mil_vnd": ("Tổng vốn kế hoạch",),
        "fund_disbursed_mil_vnd": ("Tổng giải ngân",),
    },
)
TOTALS_ROW_WORDS = {fold(w) for w in ("Tổng", "Tổng cộng", "Cộng", "Tổng số")}
