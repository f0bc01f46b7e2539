"""Sample district workbooks, written to the template (../shared/spec/district-workbook.md).

Real districts, communes and GSO codes come from the reference list; everything a district
would type is synthetic but seeded, so the same arguments always give the same files.

Bắc Kạn (06) for December 2023 is *calibrated*: run through the pipeline, it reproduces the
province's published 2023 figures (95 communes; 29 / 5 / 33 / 28 communes in the 19 / 15-18 /
10-14 / 5-9 criteria bands; 12.81 criteria on average; 5 new NTM communes against a plan of
17; 2 new advanced against 6; no NTM commune in Pác Nặm or Ngân Sơn; 218 OCOP products =
199 × 3★ + 18 × 4★ + 1 × 5★). The figures are never written into the files: the files hold
commune rows and product rows whose counts give them. November 2023 is December with the
month's events undone (a few recognitions, criteria met, certificates decided), so that two
consecutive months can be loaded. Any other province or month gets generic synthetic data with
the same shape (used by the benchmark).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import xlsxwriter

from ingestion.reference import Commune, District, Reference
from ingestion.template import TEMPLATE_2024_1, Template
from ingestion.values import DISTRICT_TOTALS, add_months, month_end

CRITERIA = list(range(1, 20))
# How often each criterion is met relative to the others: 17 (environment, clean water) and
# 13 (production organisation, traceability) are the hardest, as provinces report.
CRITERION_WEIGHTS = {
    1: 3.0, 2: 0.8, 3: 1.6, 4: 3.0, 5: 0.9, 6: 0.6, 7: 1.2, 8: 2.6, 9: 1.6, 10: 0.6,
    11: 0.7, 12: 2.0, 13: 0.35, 14: 2.0, 15: 2.2, 16: 1.5, 17: 0.25, 18: 2.5, 19: 3.0,
}  # fmt: skip
LEVEL_LABELS = {0: "Chưa đạt", 1: "NTM", 2: "NTM nâng cao", 3: "NTM kiểu mẫu"}
MARKER_STYLES = ("x", "Đạt", "1")  # how offices mark a met criterion; districts differ
GROUPS_148_FROM = dt.date(2023, 2, 24)

# (product, group under 148/QĐ-TTg, group under 1048/QĐ-TTg)
PRODUCTS = [
    ("Miến dong", "Thực phẩm", "Thực phẩm"),
    ("Gạo nếp Tài", "Thực phẩm", "Thực phẩm"),
    ("Gạo Bao thai", "Thực phẩm", "Thực phẩm"),
    ("Mật ong", "Thực phẩm", "Thực phẩm"),
    ("Bánh gio", "Thực phẩm", "Thực phẩm"),
    ("Bánh khảo", "Thực phẩm", "Thực phẩm"),
    ("Thịt lợn gác bếp", "Thực phẩm", "Thực phẩm"),
    ("Lạp sườn", "Thực phẩm", "Thực phẩm"),
    ("Măng khô", "Thực phẩm", "Thực phẩm"),
    ("Cam sành", "Thực phẩm", "Thực phẩm"),
    ("Quýt", "Thực phẩm", "Thực phẩm"),
    ("Hồng không hạt", "Thực phẩm", "Thực phẩm"),
    ("Tương nếp", "Thực phẩm", "Thực phẩm"),
    ("Chè Shan tuyết", "Đồ uống", "Đồ uống"),
    ("Trà hoa vàng", "Đồ uống", "Đồ uống"),
    ("Rượu men lá", "Đồ uống", "Đồ uống"),
    ("Tinh dầu quế", "Dược liệu và sản phẩm từ dược liệu", "Thảo dược"),
    ("Trà giảo cổ lam", "Dược liệu và sản phẩm từ dược liệu", "Thảo dược"),
    ("Cao khôi", "Dược liệu và sản phẩm từ dược liệu", "Thảo dược"),
    ("Giỏ mây tre đan", "Thủ công mỹ nghệ", "Lưu niệm - nội thất - trang trí"),
    ("Thổ cẩm Tày", "Thủ công mỹ nghệ", "Vải và may mặc"),
    ("Lan Kim tuyến", "Sinh vật cảnh", "Lưu niệm - nội thất - trang trí"),
    (
        "Homestay",
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Dịch vụ du lịch nông thôn và bán hàng",
    ),
]
PRODUCER_TYPES = ["HTX", "Doanh nghiệp", "Hộ kinh doanh", "Tổ hợp tác"]
FUND_SOURCES = [
    ("NSTW - Đầu tư phát triển", 9000.0),
    ("NSTW - Sự nghiệp", 3500.0),
    ("Ngân sách tỉnh", 2500.0),
    ("Ngân sách huyện", 1200.0),
    ("Ngân sách xã", 300.0),
    ("Vốn lồng ghép", 6000.0),
    ("Vốn tín dụng", 4000.0),
    ("Doanh nghiệp", 800.0),
    ("Cộng đồng dân cư", 1500.0),
]
SURNAMES = ["Hoàng", "Nông", "Triệu", "Lường", "Ma", "Hà", "Lục", "Đàm", "Bàn", "Lý", "Mã", "Dương"]
GIVEN = ["Văn Tùng", "Thị Hoa", "Văn Đức", "Thị Lan", "Văn Hùng", "Thị Mai", "Văn Sơn", "Thị Thu"]


@dataclass
class CommuneRow:
    commune: Commune
    criteria: set[int]
    level: int = 0
    year_ntm: int | None = None
    year_advanced: int | None = None
    year_model: int | None = None


@dataclass
class Certificate:
    product: str
    producer: str
    producer_type: str
    commune: Commune
    stars: int
    score: float | None
    decision_number: str
    decision_date: dt.date
    expiry_written: bool
    status: str  # Mới | Công nhận lại | Hết hạn
    export_market: str | None = None

    @property
    def expiry(self) -> dt.date:
        return add_months(self.decision_date, 36)

    def group(self) -> str:
        _, new_group, old_group = next(p for p in PRODUCTS if self.product.startswith(p[0]))
        return new_group if self.decision_date >= GROUPS_148_FROM else old_group


@dataclass
class Village:
    commune: Commune
    name: str
    level: str  # NTM | NTM kiểu mẫu
    year: int


@dataclass
class DistrictReport:
    province_name: str
    district: District
    period: dt.date
    report_date: dt.date
    communes: list[CommuneRow]
    certificates: list[Certificate]
    funds: list[tuple[str, int, float, float]]  # source, plan year, allocated, disbursed
    plan: dict[str, int]
    marker_style: str = "x"  # one of MARKER_STYLES
    villages: list[Village] = field(default_factory=list)

    def indicators(self) -> list[tuple[Commune, str, object, str, bool]]:
        """B02 rows: 17.1 (clean water, %) and 13.3 (traceability), consistent with criteria 17 and 13."""
        rows = []
        for row in self.communes:
            rng = random.Random(f"indicators-{row.commune.code}-{self.period:%Y-%m}")
            water = rng.uniform(60, 98) if 17 in row.criteria else rng.uniform(15, 59)
            rows.append((row.commune, "17.1", round(water, 1), "%", 17 in row.criteria))
            rows.append((row.commune, "13.3", "Có" if 13 in row.criteria else "Không", "", 13 in row.criteria))
        return rows

    def valid_certificates(self) -> list[Certificate]:
        end = month_end(self.period)
        return [c for c in self.certificates if c.status != "Hết hạn" and c.decision_date <= end <= c.expiry]


# --- choosing which criteria a commune meets ------------------------------------------------


def excel_round(value: float, digits: int) -> float:
    """Round as Excel's ROUND does (half away from zero), not as Python's round (half to even)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _pick_criteria(rng: random.Random, count: int) -> set[int]:
    """`count` criteria, drawn without replacement, harder ones less often."""
    keyed = sorted(CRITERIA, key=lambda n: rng.random() ** (1.0 / CRITERION_WEIGHTS[n]), reverse=True)
    return set(keyed[:count])


def _fit_counts(rng: random.Random, bands: list[tuple[int, int]], total: int) -> list[int]:
    """One count per band (low, high), each inside its band, adding up to `total` exactly."""
    counts = [rng.randint(low, high) for low, high in bands]
    lowest, highest = sum(b[0] for b in bands), sum(b[1] for b in bands)
    if not lowest <= total <= highest:
        raise ValueError(f"no counts within the bands add up to {total}")
    while (gap := total - sum(counts)) != 0:
        step = 1 if gap > 0 else -1
        movable = [i for i, (low, high) in enumerate(bands) if low <= counts[i] + step <= high]
        counts[rng.choice(movable)] += step
    return counts


# --- Bắc Kạn, December 2023 (calibrated) ------------------------------------------------------

BAC_KAN = "06"
BAC_KAN_PERIOD = dt.date(2023, 12, 1)
# Per district: NTM communes recognised up to 2021, in 2022 and in 2023; of the earliest,
# how many no longer meet all 19 criteria; advanced communes recognised up to 2021 and in 2023.
_BK_NTM = {
    "058": dict(upto2021=2, in2022=0, in2023=0, not_maintaining=0, adv_upto2021=1, adv2023=1),
    "061": dict(upto2021=3, in2022=1, in2023=0, not_maintaining=1, adv_upto2021=0, adv2023=0),
    "063": dict(upto2021=4, in2022=2, in2023=1, not_maintaining=0, adv_upto2021=0, adv2023=1),
    "064": dict(upto2021=4, in2022=1, in2023=1, not_maintaining=1, adv_upto2021=0, adv2023=0),
    "065": dict(upto2021=5, in2022=1, in2023=2, not_maintaining=0, adv_upto2021=1, adv2023=0),
    "066": dict(upto2021=3, in2022=1, in2023=1, not_maintaining=1, adv_upto2021=0, adv2023=0),
}
# Communes outside the NTM ones: Pác Nặm and Ngân Sơn are low; the rest are shared out.
_BK_LOW_DISTRICTS = {"060": {"5-9": 8, "10-14": 2}, "062": {"5-9": 5, "10-14": 3}}
_BK_OTHER_BANDS = {"15-18": 2, "10-14": 28, "5-9": 15}
_BK_CRITERIA_TOTAL = 1217  # 95 communes x 12.81 on average (1217 / 95 = 12.8105)
_BK_PLAN = {
    "058": dict(XA_NTM=0, XA_NTM_NANG_CAO=1, THON_NTM=2, THON_KIEU_MAU=1, SP_OCOP=6),
    "060": dict(XA_NTM=1, XA_NTM_NANG_CAO=0, THON_NTM=5, THON_KIEU_MAU=0, SP_OCOP=5),
    "061": dict(XA_NTM=3, XA_NTM_NANG_CAO=1, THON_NTM=6, THON_KIEU_MAU=1, SP_OCOP=9),
    "062": dict(XA_NTM=1, XA_NTM_NANG_CAO=0, THON_NTM=4, THON_KIEU_MAU=0, SP_OCOP=5),
    "063": dict(XA_NTM=3, XA_NTM_NANG_CAO=1, THON_NTM=5, THON_KIEU_MAU=1, SP_OCOP=7),
    "064": dict(XA_NTM=3, XA_NTM_NANG_CAO=1, THON_NTM=6, THON_KIEU_MAU=1, SP_OCOP=9),
    "065": dict(XA_NTM=3, XA_NTM_NANG_CAO=1, THON_NTM=5, THON_KIEU_MAU=1, SP_OCOP=8),
    "066": dict(XA_NTM=3, XA_NTM_NANG_CAO=1, THON_NTM=6, THON_KIEU_MAU=1, SP_OCOP=9),
}
# OCOP products holding a valid certificate at the end of 2023, by district, and the 4★/5★ among them.
_BK_OCOP = {
    "058": dict(valid=30, four=4, five=0),
    "060": dict(valid=15, four=1, five=0),
    "061": dict(valid=35, four=3, five=1),
    "062": dict(valid=15, four=0, five=0),
    "063": dict(valid=25, four=2, five=0),
    "064": dict(valid=38, four=3, five=0),
    "065": dict(valid=30, four=3, five=0),
    "066": dict(valid=30, four=2, five=0),
}
# Of the valid ones, by year of decision: new in 2021, 2022, 2023, and 3★ re-certified in 2023.
_BK_OCOP_YEARS = {
    "058": (9, 12, 7, 2), "060": (5, 6, 3, 1), "061": (11, 14, 8, 2), "062": (5, 6, 4, 0),
    "063": (8, 10, 5, 2), "064": (12, 15, 9, 2), "065": (10, 12, 6, 2), "066": (10, 15, 4, 1),
}  # fmt: skip
_BK_OCOP_EXPIRED = {"061": 2, "064": 2, "066": 1, "060": 1}  # expired and not re-certified


def _bac_kan_communes(reference: Reference, rng: random.Random) -> dict[str, list[CommuneRow]]:
    province = reference.provinces[BAC_KAN]
    rows: dict[str, list[CommuneRow]] = {}
    others: list[CommuneRow] = []
    recognised: list[tuple[CommuneRow, str]] = []  # (row, band) of NTM communes
    bands: dict[int, tuple[int, int]] = {}
    band_range = {"19": (19, 19), "15-18": (15, 18), "10-14": (10, 14), "5-9": (5, 9)}
    for district in province.districts:
        communes = [CommuneRow(c, set()) for c in sorted(district.xa, key=lambda c: c.code)]
        rows[district.code] = communes
        if district.code in _BK_LOW_DISTRICTS:
            spec = _BK_LOW_DISTRICTS[district.code]
            labels = ["5-9"] * spec["5-9"] + ["10-14"] * spec["10-14"]
            rng.shuffle(labels)
            for row, label in zip(communes, labels, strict=True):
                bands[id(row)] = band_range[label]
            continue
        plan = _BK_NTM.get(district.code, {})
        order = communes[:]
        rng.shuffle(order)
        n_old, n_2022, n_2023 = plan.get("upto2021", 0), plan.get("in2022", 0), plan.get("in2023", 0)
        old, mid, new = order[:n_old], order[n_old : n_old + n_2022], order[n_old + n_2022 : n_old + n_2022 + n_2023]
        others.extend(order[n_old + n_2022 + n_2023 :])
        for row in old:
            row.level, row.year_ntm = 1, rng.randint(2014, 2021)
        for row in mid:
            row.level, row.year_ntm = 1, 2022
        for row in new:
            row.level, row.year_ntm = 1, 2023
        # Earliest cohort: some not maintaining, some advanced (advanced ones maintain).
        not_maintaining = old[: plan.get("not_maintaining", 0)]
        advanced = old[
            len(not_maintaining) : len(not_maintaining) + plan.get("adv_upto2021", 0) + plan.get("adv2023", 0)
        ]
        for i, row in enumerate(advanced):
            row.level = 2
            row.year_advanced = rng.randint(row.year_ntm, 2021) if i < plan.get("adv_upto2021", 0) else 2023
        for row in old + mid + new:
            recognised.append((row, "15-18" if row in not_maintaining else "19"))
    labels = [label for label, n in _BK_OTHER_BANDS.items() for _ in range(n)]
    if len(labels) != len(others):
        raise AssertionError(f"calibration: {len(others)} other communes for {len(labels)} band slots")
    rng.shuffle(labels)
    for row, label in zip(others, labels, strict=True):
        bands[id(row)] = band_range[label]
    for row, label in recognised:
        bands[id(row)] = band_range[label]
    everyone = [row for district_rows in rows.values() for row in district_rows]
    counts = _fit_counts(rng, [bands[id(r)] for r in everyone], _BK_CRITERIA_TOTAL)
    for row, count in zip(everyone, counts, strict=True):
        row.criteria = _pick_criteria(rng, count)
    return rows


def _people(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def _producer(rng: random.Random, commune: Commune, index: int) -> tuple[str, str]:
    kind = rng.choices(PRODUCER_TYPES, weights=[5, 2, 3, 1])[0]
    place = commune.short_name
    name = {
        "HTX": f"HTX Nông nghiệp {place}" + (f" {index}" if index % 3 == 2 else ""),
        "Doanh nghiệp": f"Công ty TNHH {place} Xanh" + (f" {index}" if index % 2 else ""),
        "Hộ kinh doanh": f"Hộ kinh doanh {_people(rng)}",
        "Tổ hợp tác": f"Tổ hợp tác {place}",
    }[kind]
    return name, kind


def _decision_date(rng: random.Random, year: int, not_after: dt.date) -> dt.date:
    start = dt.date(year, 1, 5)
    end = min(dt.date(year, 12, 20), not_after)
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _score(rng: random.Random, stars: int) -> float | None:
    if rng.random() < 0.1:
        return None
    low, high = {3: (50, 69), 4: (70, 89), 5: (90, 100)}[stars]
    return float(rng.randint(low, high))


class _CertificateMaker:
    """Makes certificates with distinct (product, producer) identities within a district."""

    def __init__(self, rng: random.Random, district: District):
        self.rng, self.district = rng, district
        self.communes = sorted(district.communes, key=lambda c: c.code)
        self.used: set[tuple[str, str]] = set()
        self.made: list[Certificate] = []
        self.serial = 0

    def make(self, stars: int, decision: dt.date, status: str, *, product=None, producer=None, commune=None):
        rng = self.rng
        if product is None:
            while True:
                commune = rng.choice(self.communes)
                self.serial += 1
                producer, kind = _producer(rng, commune, self.serial)
                base = rng.choice(PRODUCTS)[0]
                product = f"{base} {commune.short_name}"
                if (product, producer) not in self.used:
                    break
        else:
            kind = next(c.producer_type for c in self.made if c.product == product and c.producer == producer)
        self.used.add((product, producer))
        cert = Certificate(
            product=product,
            producer=producer,
            producer_type=kind,
            commune=commune,
            stars=stars,
            score=_score(rng, stars),
            decision_number=f"{rng.randint(100, 2999)}/QĐ-UBND",
            decision_date=decision,
            expiry_written=rng.random() < 0.7,
            status=status,
            export_market=rng.choice(["Trung Quốc", "Nhật Bản", "Hàn Quốc"])
            if stars >= 4 and rng.random() < 0.4
            else None,
        )
        self.made.append(cert)
        return cert


def _bac_kan_certificates(rng: random.Random, district: District, period: dt.date) -> list[Certificate]:
    spec, years = _BK_OCOP[district.code], _BK_OCOP_YEARS[district.code]
    new21, new22, new23, recert23 = years
    if new21 + new22 + new23 + recert23 != spec["valid"]:
        raise AssertionError(f"calibration: OCOP years of {district.code} do not add up")
    end = month_end(period)
    maker = _CertificateMaker(rng, district)
    stars = [5] * spec["five"] + [4] * spec["four"]
    stars += [3] * (new21 + new22 + new23 - len(stars))
    rng.shuffle(stars)
    decision_years = [2021] * new21 + [2022] * new22 + [2023] * new23
    for year, star in zip(decision_years, stars, strict=True):
        maker.make(star, _decision_date(rng, year, end), "Mới")
    for _ in range(recert23):  # 3★ first certified in 2020, re-certified in 2023
        first = maker.make(3, _decision_date(rng, 2020, end), "Hết hạn")
        renewal = max(_decision_date(rng, 2023, end), first.expiry - dt.timedelta(days=20))
        maker.make(
            3, min(renewal, end), "Công nhận lại", product=first.product, producer=first.producer, commune=first.commune
        )
    for _ in range(_BK_OCOP_EXPIRED.get(district.code, 0)):
        maker.make(3, _decision_date(rng, rng.choice([2019, 2020]), end), "Hết hạn")
    return maker.made


# --- generic synthetic data (any province, any month) ------------------------------------------


def _generic_communes(rng: random.Random, district: District, period: dt.date) -> list[CommuneRow]:
    rows = []
    for commune in sorted(district.xa, key=lambda c: c.code):
        count = max(3, min(19, int(rng.gauss(15, 4))))
        row = CommuneRow(commune, _pick_criteria(rng, count))
        if count == 19 or (count >= 15 and rng.random() < 0.3):
            row.level, row.year_ntm = 1, rng.randint(2012, period.year)
            if count == 19 and rng.random() < 0.35:
                row.level, row.year_advanced = 2, rng.randint(max(row.year_ntm, 2018), period.year)
                if rng.random() < 0.25:
                    row.level, row.year_model = 3, rng.randint(max(row.year_advanced, 2020), period.year)
        rows.append(row)
    return rows


def _generic_certificates(rng: random.Random, district: District, period: dt.date) -> list[Certificate]:
    maker = _CertificateMaker(rng, district)
    end = month_end(period)
    for _ in range(rng.randint(3, 40)):
        stars = rng.choices([3, 4, 5], weights=[75, 23, 2])[0]
        year = rng.randint(period.year - 2, period.year)
        maker.make(stars, _decision_date(rng, year, end), "Mới")
    return maker.made


# --- the whole province -------------------------------------------------------------------------


def _funds(rng: random.Random, district: District, period: dt.date) -> list[tuple[str, int, float, float]]:
    scale = max(len(district.xa), 1) / 12
    funds = []
    for plan_year in (period.year - 1, period.year):
        share = (
            rng.uniform(0.96, 1.0) if plan_year < period.year else min(0.95, period.month / 12 * rng.uniform(0.6, 1.0))
        )
        for source, base in FUND_SOURCES:
            allocated = round(base * scale * rng.uniform(0.6, 1.4), 1)
            funds.append((source, plan_year, allocated, round(allocated * share, 1)))
    return funds


def _generic_plan(rng: random.Random) -> dict[str, int]:
    return {
        "XA_NTM": rng.randint(0, 3),
        "XA_NTM_NANG_CAO": rng.randint(0, 2),
        "XA_NTM_KIEU_MAU": rng.randint(0, 1),
        "THON_NTM": rng.randint(0, 8),
        "THON_KIEU_MAU": rng.randint(0, 3),
        "SP_OCOP": rng.randint(2, 12),
    }


def generic_district_report(
    reference: Reference, district_code: str, period: dt.date, seed: int = 2023, marker_style: str = "x"
) -> DistrictReport:
    """One district's month of generic synthetic data (consistent: TongHop agrees with the detail)."""
    district = reference.districts[district_code]
    rng = random.Random(f"{seed}-{district_code}-{period:%Y-%m}")
    return _report(reference, district, period, rng, _generic_communes(rng, district, period),
                   _generic_certificates(rng, district, period), _generic_plan(rng), marker_style, seed)  # fmt: skip


_VILLAGE_WORDS = ["Nà", "Khuổi", "Pác", "Cốc", "Bó", "Nặm", "Phja", "Slam", "Tẩn", "Lủng", "Pù", "Phiêng"]
_VILLAGE_ENDS = ["Mu", "Đăm", "Cáp", "Vài", "Làng", "Sliến", "Pài", "Mòn", "Luông", "Quang", "Khét", "Mạ"]


def _villages(district: District, period: dt.date, seed: int) -> list[Village]:
    """Villages recognised NTM (a few model) before the month's year: none reached in the year itself."""
    rng = random.Random(f"{seed}-villages-{district.code}-{period:%Y-%m}")
    villages = []
    for commune in sorted(district.xa, key=lambda c: c.code):
        names = rng.sample([f"{a} {b}" for a in _VILLAGE_WORDS for b in _VILLAGE_ENDS], rng.randint(0, 3))
        for name in names:
            level = "NTM kiểu mẫu" if rng.random() < 0.15 else "NTM"
            kind = rng.choice(["Thôn", "Bản"])
            villages.append(Village(commune, f"{kind} {name}", level, rng.randint(2016, period.year - 1)))
    return villages


def _report(reference, district, period, rng, communes, certificates, plan, marker_style, seed) -> DistrictReport:
    return DistrictReport(
        province_name=reference.provinces[district.province_code].short_name,
        district=district,
        period=period,
        report_date=month_end(period) - dt.timedelta(days=rng.randint(1, 12)),
        communes=communes,
        certificates=certificates,
        funds=_funds(rng, district, period),
        plan=plan,
        marker_style=marker_style,
        villages=_villages(district, period, seed),
    )


# What happened in Bắc Kạn in December 2023, undone to give November's workbooks (so that two
# consecutive months can be loaded): NTM and advanced recognitions, criteria newly met, and the
# certificates decided in December. December itself stays exactly as calibrated.
BK_DECEMBER_NTM = 2  # of the 5 communes recognised NTM in 2023
BK_DECEMBER_ADVANCED = 1  # of the 2 recognised advanced in 2023
BK_DECEMBER_CRITERIA_GAINED = 4  # other communes that met one more criterion in December
BAC_KAN_PREVIOUS_PERIOD = dt.date(2023, 11, 1)


def _bac_kan_november(reports: list[DistrictReport], seed: int) -> list[DistrictReport]:
    rng = random.Random(f"{seed}-{BAC_KAN}-december-events")
    period = BAC_KAN_PREVIOUS_PERIOD
    rows = {id(r): copy.copy(r) for report in reports for r in report.communes}
    for row in rows.values():
        row.criteria = set(row.criteria)
    everyone = sorted(rows.values(), key=lambda r: r.commune.code)
    new_ntm = [r for r in everyone if r.level == 1 and r.year_ntm == 2023]
    new_advanced = [r for r in everyone if r.level == 2 and r.year_advanced == 2023]
    others = [r for r in everyone if r.level == 0 and 6 <= len(r.criteria) < 19]
    for row in rng.sample(new_ntm, BK_DECEMBER_NTM):  # not yet recognised, two criteria short
        row.level, row.year_ntm = 0, None
        row.criteria -= set(rng.sample(sorted(row.criteria), 2))
    for row in rng.sample(new_advanced, BK_DECEMBER_ADVANCED):
        row.level, row.year_advanced = 1, None
    for row in rng.sample(others, BK_DECEMBER_CRITERIA_GAINED):
        row.criteria.discard(rng.choice(sorted(row.criteria)))
    november = []
    for report in reports:
        certificates = [c for c in report.certificates if c.decision_date < BAC_KAN_PERIOD]
        funds = [(s, y, a, round(d * (0.9 if y == period.year else 1.0), 1)) for s, y, a, d in report.funds]
        november.append(
            replace(
                report,
                period=period,
                report_date=report.report_date - dt.timedelta(days=30),
                communes=[rows[id(r)] for r in report.communes],
                certificates=certificates,
                funds=funds,
            )
        )
    return november


def plan_province(reference: Reference, province_code: str, period: dt.date, seed: int = 2023) -> list[DistrictReport]:
    """What each district of the province reports for the month (districts with xã only)."""
    if province_code == BAC_KAN and period == BAC_KAN_PREVIOUS_PERIOD:
        return _bac_kan_november(plan_province(reference, province_code, BAC_KAN_PERIOD, seed), seed)
    province = reference.provinces[province_code]
    calibrated = province_code == BAC_KAN and period == BAC_KAN_PERIOD
    rng = random.Random(f"{seed}-{province_code}-{period:%Y-%m}")
    communes = _bac_kan_communes(reference, rng) if calibrated else {}
    reports = []
    districts = [d for d in sorted(province.districts, key=lambda d: d.code) if d.xa]
    for i, district in enumerate(districts):
        style = MARKER_STYLES[i % len(MARKER_STYLES)]
        if calibrated:
            certificates = _bac_kan_certificates(rng, district, period)
            plan = dict(_BK_PLAN[district.code], XA_NTM_KIEU_MAU=0)
            reports.append(
                _report(reference, district, period, rng, communes[district.code], certificates, plan, style, seed)
            )
        else:
            reports.append(generic_district_report(reference, district.code, period, seed, style))
    return reports


# --- writing the workbook -----------------------------------------------------------------------


def _file_name(report: DistrictReport) -> str:
    return f"BC NTM T{report.period.month} {report.period.year} - {report.district.short_name}.xlsx"


def write_workbook(report: DistrictReport, path: Path, template: Template = TEMPLATE_2024_1) -> Path:
    """Write one district's workbook to the template (sheet names and labels from its declaration), as an office
    would fill it."""
    sheet, label = template.sheet, lambda key, column: template.sheet(key).column(column).label
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    bold = book.add_format({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1})
    title = book.add_format({"bold": True, "align": "center"})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    district, period = report.district, report.period
    end = month_end(period)

    cover = book.add_worksheet(sheet("cover").name)
    cover.write(0, 0, "THÔNG TIN CHUNG", title)
    cover_rows = [
        ("province_code", district.province_code),
        ("province_name", report.province_name),
        ("district_code", district.code),
        ("district_name", district.short_name),
        ("period", f"{period:%m/%Y}"),
        ("report_date", report.report_date),
        ("prepared_by", f"Văn phòng Điều phối NTM {district.short_name}"),
        ("template_version", template.version),
    ]
    for r, (key, value) in enumerate(cover_rows, start=2):
        cover.write_string(r, 0, label("cover", key))
        if isinstance(value, dt.date):
            cover.write_datetime(r, 1, dt.datetime.combine(value, dt.time()), date_format)
        else:
            cover.write_string(r, 1, str(value))

    # B01: title rows, a two-row header with "Tiêu chí" merged over 19 columns, a totals row.
    b01 = book.add_worksheet(sheet("b01").name)
    last_col = 3 + 19 + 6
    b01.merge_range(
        0, 0, 0, last_col, f"BIỂU 01: KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ XÃ NTM - {district.name.upper()}", title
    )
    b01.merge_range(1, 0, 1, last_col, f"(Kèm theo báo cáo tháng {period:%m/%Y})", title)
    b01_labels = [column.label for column in sheet("b01").columns]  # STT, Mã xã, Tên xã, Tiêu chí, then the tail
    for col, text in enumerate(b01_labels[:3]):
        b01.merge_range(3, col, 4, col, text, bold)
    b01.merge_range(3, 3, 3, 21, label("b01", "criteria"), bold)
    for n in CRITERIA:
        b01.write_number(4, 2 + n, n, bold)
    for offset, text in enumerate(b01_labels[4:]):
        if offset == 0:  # offices wrap the long header: "Số tiêu chí\nđạt"
            text = "\n".join(text.rsplit(" ", 1))
        b01.merge_range(3, 22 + offset, 4, 22 + offset, text, bold)
    met, not_met = {"x": ("x", ""), "Đạt": ("Đạt", "Chưa đạt"), "1": (1, 0)}[report.marker_style]
    first = 5
    for i, row in enumerate(report.communes):
        r = first + i
        b01.write_number(r, 0, i + 1)
        b01.write_string(r, 1, row.commune.code)
        b01.write_string(r, 2, row.commune.name)
        for n in CRITERIA:
            mark = met if n in row.criteria else not_met
            if isinstance(mark, int):
                b01.write_number(r, 2 + n, mark)
            elif mark:
                b01.write_string(r, 2 + n, mark)
        b01.write_number(r, 22, len(row.criteria))
        b01.write_string(r, 23, LEVEL_LABELS[row.level])
        for col, year in ((24, row.year_ntm), (25, row.year_advanced), (26, row.year_model)):
            if year:
                b01.write_number(r, col, year)
        if row.level:
            b01.write_string(r, 27, "Có" if len(row.criteria) == 19 else "Không")
    total_row = first + len(report.communes)
    b01.write_string(total_row, 2, "Tổng cộng")
    total_met = sum(len(row.criteria) for row in report.communes)
    b01.write_formula(total_row, 22, f"=SUM(W{first + 1}:W{total_row})", None, total_met)

    # B02: indicators, long format; values typed the way offices do (text with a comma, a percent sign).
    b02 = book.add_worksheet(sheet("b02").name)
    b02.write_string(0, 0, f"BIỂU 02: CHỈ TIÊU - {district.name.upper()}", title)
    for col, column in enumerate(sheet("b02").columns):  # Mã xã, Tên xã, Mã chỉ tiêu, Giá trị, Đơn vị, Đạt
        b02.write_string(2, col, column.label, bold)
    for i, (commune, code, value, unit, met_indicator) in enumerate(report.indicators()):
        r = 3 + i
        b02.write_string(r, 0, commune.code)
        b02.write_string(r, 1, commune.name)
        b02.write_string(r, 2, code)
        if isinstance(value, float) and i % 4 == 0:
            b02.write_string(r, 3, f"{value:.1f}%".replace(".", ","))
        elif isinstance(value, float):
            b02.write_number(r, 3, value)
        else:
            b02.write_string(r, 3, value)
        b02.write_string(r, 4, unit)
        b02.write_string(r, 5, "Đạt" if met_indicator else "Chưa đạt")

    # B03: villages recognised NTM or model.
    b03 = book.add_worksheet(sheet("b03").name)
    b03.write_string(0, 0, f"BIỂU 03: THÔN, BẢN ĐẠT CHUẨN - {district.name.upper()}", title)
    for col, column in enumerate(sheet("b03").columns):  # STT, Mã xã, Tên xã, Tên thôn/bản, Mức, Năm công nhận
        b03.write_string(2, col, column.label, bold)
    for i, village in enumerate(report.villages):
        r = 3 + i
        b03.write_number(r, 0, i + 1)
        b03.write_string(r, 1, village.commune.code)
        b03.write_string(r, 2, village.commune.name)
        b03.write_string(r, 3, village.name)
        b03.write_string(r, 4, village.level)
        b03.write_number(r, 5, village.year)

    # B04: one row per certificate.
    b04 = book.add_worksheet(sheet("b04").name)
    b04_cols = [column.label for column in sheet("b04").columns]  # STT, Mã sản phẩm, Tên sản phẩm, ... Trạng thái
    b04.merge_range(0, 0, 0, len(b04_cols) - 1, f"BIỂU 04: SẢN PHẨM OCOP - {district.name.upper()}", title)
    for col, text in enumerate(b04_cols):
        b04.write_string(2, col, text, bold)
    for i, cert in enumerate(report.certificates):
        r = 3 + i
        b04.write_number(r, 0, i + 1)
        b04.write_string(r, 2, cert.product)
        b04.write_string(r, 3, cert.producer)
        b04.write_string(r, 4, cert.producer_type)
        b04.write_string(r, 5, cert.commune.code)
        b04.write_string(r, 6, cert.commune.name)
        b04.write_string(r, 7, cert.group())
        b04.write_string(r, 8, f"{cert.stars} sao" if i % 4 == 0 else str(cert.stars))
        if cert.score is not None:
            b04.write_number(r, 9, cert.score)
        b04.write_string(r, 10, cert.decision_number)
        if i % 5 == 0:  # some offices type dates as text
            b04.write_string(r, 11, f"{cert.decision_date:%d/%m/%Y}")
        else:
            b04.write_datetime(r, 11, dt.datetime.combine(cert.decision_date, dt.time()), date_format)
        if cert.expiry_written:
            b04.write_datetime(r, 12, dt.datetime.combine(cert.expiry, dt.time()), date_format)
        if cert.export_market:
            b04.write_string(r, 13, cert.export_market)
        b04.write_string(r, 14, cert.status)

    # B05: funds by source and plan year, with a totals row.
    b05 = book.add_worksheet(sheet("b05").name)
    b05.write_string(0, 0, "BIỂU 05: NGUỒN VỐN (triệu đồng)", title)
    for col, column in enumerate(sheet("b05").columns):  # STT, Nguồn vốn, Năm kế hoạch, Kế hoạch vốn giao, ...
        b05.write_string(2, col, column.label, bold)
    for i, (source, plan_year, allocated, disbursed) in enumerate(report.funds):
        r = 3 + i
        b05.write_number(r, 0, i + 1)
        b05.write_string(r, 1, source)
        b05.write_number(r, 2, plan_year)
        b05.write_number(r, 3, allocated)
        if i % 6 == 5:  # numbers typed as text, Vietnamese style
            b05.write_string(r, 4, f"{disbursed:,.1f}".replace(",", " ").replace(".", ",").replace(" ", "."))
        else:
            b05.write_number(r, 4, disbursed)
        if allocated:
            b05.write_string(r, 5, f"{disbursed / allocated * 100:.1f}%".replace(".", ","))
    funds_total_row = 3 + len(report.funds)
    b05.write_string(funds_total_row, 1, "Tổng cộng")
    b05.write_number(funds_total_row, 3, round(sum(f[2] for f in report.funds), 1))
    b05.write_number(funds_total_row, 4, round(sum(f[3] for f in report.funds), 1))

    # B06: plan targets of the year.
    b06 = book.add_worksheet(sheet("b06").name)
    b06.write_string(0, 0, label("b06", "target"), bold)
    b06.write_string(0, 1, label("b06", "planned"), bold)
    for i, (code, value) in enumerate(report.plan.items()):
        b06.write_string(1 + i, 0, code)
        b06.write_number(1 + i, 1, value)

    # TongHop: what the district believes, computed from its own detail.
    valid = report.valid_certificates()
    communes = report.communes
    this_year = [f for f in report.funds if f[1] == period.year]
    totals = [
        ("communes_total", len(communes)),
        ("communes_ntm", sum(r.level >= 1 for r in communes)),
        ("communes_ntm_advanced", sum(r.level >= 2 for r in communes)),
        ("communes_ntm_model", sum(r.level >= 3 for r in communes)),
        ("avg_criteria_met", excel_round(sum(len(r.criteria) for r in communes) / len(communes), 2)),
        ("ocop_products", len(valid)),
        ("ocop_3_star", sum(c.stars == 3 for c in valid)),
        ("ocop_4_star", sum(c.stars == 4 for c in valid)),
        ("ocop_5_star", sum(c.stars == 5 for c in valid)),
        ("fund_allocated_mil_vnd", excel_round(sum(f[2] for f in this_year), 1)),
        ("fund_disbursed_mil_vnd", excel_round(sum(f[3] for f in this_year), 1)),
    ]
    summary = book.add_worksheet(sheet("totals").name)
    summary.write_string(0, 0, f"TỔNG HỢP - {district.name.upper()} - THÁNG {period:%m/%Y}", title)
    for i, (code, value) in enumerate(totals):
        summary.write_string(2 + i, 0, DISTRICT_TOTALS.labels[code])
        summary.write_number(2 + i, 1, value)
    summary.write_string(2 + len(totals) + 1, 0, f"Số liệu tính đến ngày {end:%d/%m/%Y}")
    book.close()
    return path


def generate(
    province_code: str, period: dt.date, out_dir: Path, *, seed: int = 2023, reference: Reference | None = None
) -> list[Path]:
    """Write one workbook per district of the province for the month; returns the paths."""
    from ingestion.reference import load_reference

    reference = reference or load_reference()
    if province_code not in reference.provinces:
        raise ValueError(f"province code {province_code!r} is not in the official list")
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_workbook(r, out_dir / _file_name(r)) for r in plan_province(reference, province_code, period, seed)]


def generate_with_problems(
    province_code: str, period: dt.date, out_dir: Path, *, seed: int = 2023, reference: Reference | None = None
) -> dict[str, str]:
    """The previous month complete, and this month as offices often send it, for demonstrations.

    This month: the last district has not reported; the second district's TongHop counts one
    3★ product too many; the first district with an NTM commune writes it as not yet recognised
    (lost since last month, and its TongHop no longer agrees); and a draft that is not a workbook.
    Returns what was done to which file.
    """
    import openpyxl

    previous = (period.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    generate(province_code, previous, out_dir, seed=seed, reference=reference)
    paths = sorted(generate(province_code, period, out_dir, seed=seed, reference=reference))
    done: dict[str, str] = {}

    def edit(path: Path, sheet: str, change) -> bool:
        book = openpyxl.load_workbook(path)
        changed = change(book[sheet])
        if changed:
            book.save(path)
        return changed

    def one_more_3_star(sheet) -> bool:
        for row in sheet.iter_rows():
            if row[0].value == "Số sản phẩm OCOP 3 sao":
                row[1].value += 1
                return True
        return False

    def lose_a_level(sheet) -> bool:
        for row in sheet.iter_rows(min_row=6):
            if row[23].value == LEVEL_LABELS[1]:
                row[23].value = LEVEL_LABELS[0]
                for cell in row[24:28]:
                    cell.value = None
                return True
        return False

    paths[-1].unlink()
    done[paths[-1].name] = "removed: the district has not reported"
    if edit(paths[1], "TongHop", one_more_3_star):
        done[paths[1].name] = "TongHop 'Số sản phẩm OCOP 3 sao' one too many"
    for path in paths[:-1]:
        if edit(path, "B01_TieuChiXa", lose_a_level):
            done[path.name] = "an NTM commune written 'Chưa đạt'"
            break
    draft = out_dir / f"BC T{period:%m} - ban nhap.xlsx"
    draft.write_bytes(b"PK\x03\x04 a draft saved half-way")
    done[draft.name] = "not a workbook"
    return done
