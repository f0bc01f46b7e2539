"""The sample's provinces: Bắc Kạn calibrated to its published 2023 figures, any other generic."""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import replace

from ingestion.criteria import set_in_force
from ingestion.reference import Commune, District, Reference
from ingestion.values import month_end
from samples.model import (
    CRITERIA,
    CRITERION_WEIGHTS,
    FUND_SOURCES,
    GIVEN,
    MARKER_STYLES,
    PRODUCER_TYPES,
    PRODUCTS,
    SURNAMES,
    Certificate,
    CommuneRow,
    DistrictReport,
    DistrictStatus,
    Dossier,
    Village,
)

# --- choosing which criteria a commune meets ------------------------------------------------


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
    "061": dict(valid=35, four=3, five=0),
    "062": dict(valid=15, four=0, five=0),
    "063": dict(valid=25, four=2, five=0),
    "064": dict(valid=38, four=3, five=0),
    "065": dict(valid=30, four=3, five=0),
    "066": dict(valid=30, four=2, five=1),
}
# The province's only 5★ product, as published: Miến dong Tài Hoan of HTX Tài Hoan (xã Côn Minh, Na Rì), 5★ since
# 2021 (https://langngheviet.com.vn/ocop-bac-kan-mot-chang-duong-khong-chi-co-vinh-quang-33084.html; Na Rì:
# http://tapchinongnghiep.vn/nong-thon-moi/den-nam-2025-tinh-bac-kan-se-co-tren-200-san-pham-ocop-140582).
_BK_FIVE_STAR = ("066", "Miến dong Tài Hoan", "Hợp tác xã Tài Hoan", "Côn Minh", 2021)
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
    five_district, five_product, five_producer, five_commune, five_year = _BK_FIVE_STAR
    if 5 in stars:  # in a year of its real certificate (a swap: the random stream stays as calibrated)
        slot, at = stars.index(5), 0 if five_year == 2021 else new21
        stars[slot], stars[at] = stars[at], stars[slot]
    decision_years = [2021] * new21 + [2022] * new22 + [2023] * new23
    for year, star in zip(decision_years, stars, strict=True):
        cert = maker.make(star, _decision_date(rng, year, end), "Mới")
        if star == 5 and district.code == five_district:  # named as published, after the draws
            commune = next(c for c in district.communes if c.short_name == five_commune)
            maker.made[-1] = replace(cert, product=five_product, producer=five_producer, producer_type="HTX",
                                     commune=commune)  # fmt: skip
    for _ in range(recert23):  # 3★ first certified in 2020, re-certified in 2023
        first = maker.make(3, _decision_date(rng, 2020, end), "Hết hạn")
        renewal = max(_decision_date(rng, 2023, end), first.expiry - dt.timedelta(days=20))
        maker.make(
            3, min(renewal, end), "Công nhận lại", product=first.product, producer=first.producer, commune=first.commune
        )
    for _ in range(_BK_OCOP_EXPIRED.get(district.code, 0)):
        maker.make(3, _decision_date(rng, rng.choice([2019, 2020]), end), "Hết hạn")
    return maker.made


# --- template 2024.2's sheets for Bắc Kạn 2023 (B07, B08, B01N, new B06 codes) ------------------------------
# The OCOP evaluation of 2023 (Bắc Kạn's briefing of 12 March 2024): 71 products evaluated; 12 re-certified 3★ (the
# "Công nhận lại" certificates of B04); 48 rated for 2024 (decision 231/QĐ-UBND of 7 Feb 2024, so still at the
# province's evaluation in December: 4 at 4★, 44 at 3★); the other 11 did not pass. By district: new 3★, failed
# (of which re-evaluations); the four 4★ products are the ones the briefing names.
_BK_DOSSIERS = {
    "058": (5, 1, 0), "060": (4, 2, 1), "061": (7, 1, 0), "062": (3, 2, 1),
    "063": (6, 1, 0), "064": (7, 2, 1), "065": (6, 1, 0), "066": (6, 1, 1),
}  # fmt: skip
_BK_FOUR_STAR = {
    "058": [
        ("Thực phẩm bảo vệ sức khỏe Vicumax + Nano Curcumin", "Công ty Cổ phần Công nghệ dược liệu Bắc Hà", None),
        ("Thực phẩm bảo vệ sức khỏe Vicumax plus Nano Curcumin", "Công ty Cổ phần Công nghệ dược liệu Bắc Hà", None),
        (
            "Thực phẩm bảo vệ sức khỏe Vicumax plus tam thất tiêu đen Nano Curcumin",
            "Công ty Cổ phần Công nghệ dược liệu Bắc Hà",
            None,
        ),
    ],
    "061": [("Gạo Nếp Tài", "Hợp tác xã Yến Dương", "Yến Dương")],
}
# The advanced set (B01N) in 2023: 23 communes; 4 meet all 19, 1 meets 10-14, 9 meet 5-9, 9 under 5 (average 7.6:
# 175 criteria / 23). The first communes are the advanced ones.
_BK_ADVANCED_COUNTS = [19] * 4 + [12] + [5, 6, 6, 7, 7, 8, 8, 8, 8] + [1, 2, 2, 3, 3, 3, 3, 3, 4]
# B07: Thành phố Bắc Kạn was recognised as having completed the NTM task (of 2020) by 675/QĐ-TTg of 03/06/2022
# (https://backan.gov.vn/pages/thu-tuong-chinh-phu-cong-nhan-thanh-pho-bac-kan-ho-86cc.aspx); no huyện of the
# province was recognised by 2023. The district criteria met, the target year and the plan are sample data.
_BK_DISTRICT_CRITERIA = {"058": 8, "060": 2, "061": 5, "062": 2, "063": 5, "064": 4, "065": 6, "066": 4}
_BK_DISTRICT_TARGET = {"065": 2025}
_BK_CITY_RECOGNISED = (2022, "675/QĐ-TTg")  # the city (058)
_BK_PLAN_2024_2 = {
    "058": dict(SP_OCOP_4SAO=2, SP_OCOP_5SAO=0, KDC_KIEU_MAU=0, HUYEN_NTM=0),
    "061": dict(SP_OCOP_4SAO=1, SP_OCOP_5SAO=0, KDC_KIEU_MAU=0, HUYEN_NTM=0),
}


def _criteria_of(month: dt.date, unit_level: str) -> tuple[int, ...]:
    """The criterion numbers of the set in force for the month (dbt_project/seeds/criteria_sets.csv)."""
    in_force = set_in_force(month, unit_level)
    if in_force is None:
        raise ValueError(f"no {unit_level} criteria set covers {month:%m/%Y}")
    return in_force.criteria


def _bac_kan_2024_2(reports: list[DistrictReport], seed: int) -> list[DistrictReport]:
    """The calibrated month's reports with template 2024.2's sheets (their own random stream: the 2024.1 sheets,
    and the published figures they give, stay exactly as calibrated)."""
    rng = random.Random(f"{seed}-{BAC_KAN}-2024.2")
    ntm = sorted(
        (row for report in reports for row in report.communes if row.level >= 1),
        key=lambda r: (-r.level, r.commune.code),
    )
    advanced = dict(zip((r.commune.code for r in ntm), _BK_ADVANCED_COUNTS, strict=False))
    if len(advanced) != len(_BK_ADVANCED_COUNTS):
        raise AssertionError("calibration: fewer NTM communes than the advanced set's 23")
    out = []
    for report in reports:
        code = report.district.code
        criteria = set(rng.sample(_criteria_of(report.period, "district"), _BK_DISTRICT_CRITERIA[code]))
        if code == "058":
            year, decision = _BK_CITY_RECOGNISED
            # maintaining the district set is sample data (the record does not say): all 9 criteria, maintained
            criteria = set(_criteria_of(report.period, "district"))
            status = DistrictStatus(
                "Hoàn thành nhiệm vụ", criteria, year_recognised=year, decision_number=decision, maintains=True
            )
        else:
            status = DistrictStatus("Chưa đạt", criteria, target_year=_BK_DISTRICT_TARGET.get(code))
        marks = [
            (row.commune, set(rng.sample(_criteria_of(report.period, "commune_advanced"), advanced[row.commune.code])))
            for row in report.communes
            if row.commune.code in advanced
        ]
        out.append(
            replace(
                report,
                district_status=status,
                dossiers=_bac_kan_dossiers(rng, report),
                advanced_criteria=marks,
                plan={**report.plan, **_BK_PLAN_2024_2.get(code, dict(SP_OCOP_4SAO=0, SP_OCOP_5SAO=0))},
            )
        )
    return out


def _bac_kan_dossiers(rng: random.Random, report: DistrictReport) -> list[Dossier]:
    district = report.district
    new3, failed, failed_reevaluated = _BK_DOSSIERS[district.code]
    communes = sorted(district.communes, key=lambda c: c.code)
    dossiers = [  # the 3★ re-certified in 2023: the "Công nhận lại" rows of B04
        Dossier(c.product, c.producer, c.commune, 1, "Đánh giá lại", "Công nhận", c.score, 3)
        for c in report.certificates
        if c.status == "Công nhận lại"
    ]
    for product, producer, commune_name in _BK_FOUR_STAR.get(district.code, []):
        commune = next((c for c in communes if c.short_name == commune_name), communes[0])
        dossiers.append(Dossier(product, producer, commune, 2, "Mới", "Đánh giá cấp tỉnh", rng.randint(70, 80), 4))
    for i in range(new3 + failed):
        commune = rng.choice(communes)
        producer, _ = _producer(rng, commune, 100 + i)
        product = f"{rng.choice(PRODUCTS)[0]} {commune.short_name}"
        round_number = 1 + i % 2
        if i < new3:
            dossiers.append(
                Dossier(product, producer, commune, round_number, "Mới", "Đánh giá cấp tỉnh", rng.randint(50, 69), 3)
            )
        else:
            kind = "Đánh giá lại" if i - new3 < failed_reevaluated else "Mới"
            dossiers.append(Dossier(product, producer, commune, round_number, kind, "Không đạt", rng.randint(35, 49),
                                    None))  # fmt: skip
    return dossiers


# --- generic synthetic data (any province, any month) ------------------------------------------


def _generic_communes(rng: random.Random, district: District, period: dt.date) -> list[CommuneRow]:
    rows = []
    for commune in sorted(district.xa, key=lambda c: c.code):
        count = max(3, min(19, int(rng.gauss(15, 4))))
        row = CommuneRow(commune, _pick_criteria(rng, count))
        if count == 19 or (count >= 15 and rng.random() < 0.3):
            row.level, row.year_ntm = 1, rng.randint(min(2012, period.year), period.year)
            # The advanced level exists from 2018, the model level from 2020 (earlier months have neither).
            if count == 19 and rng.random() < 0.35 and period.year >= 2018:
                row.level, row.year_advanced = 2, rng.randint(max(row.year_ntm, 2018), period.year)
                if rng.random() < 0.25 and period.year >= 2020:
                    row.level, row.year_model = 3, rng.randint(max(row.year_advanced, 2020), period.year)
        rows.append(row)
    return rows


OCOP_FIRST_YEAR = 2019  # the first OCOP certificates (the programme: Decision 490/QĐ-TTg, 05/2018)


def _generic_certificates(rng: random.Random, district: District, period: dt.date) -> list[Certificate]:
    maker = _CertificateMaker(rng, district)
    end = month_end(period)
    if period.year < OCOP_FIRST_YEAR:
        return maker.made
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
            villages.append(
                Village(commune, f"{kind} {name}", level, rng.randint(min(2016, period.year - 1), period.year - 1))
            )
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
        listed = {(c.product, c.producer) for c in certificates}
        dossiers = [  # recognised in December: still at the province's evaluation in November
            replace(d, stage="Đánh giá cấp tỉnh")
            if d.stage == "Công nhận" and (d.product, d.producer) not in listed
            else d
            for d in report.dossiers or []
        ]
        november.append(
            replace(
                report,
                period=period,
                report_date=report.report_date - dt.timedelta(days=30),
                communes=[rows[id(r)] for r in report.communes],
                certificates=certificates,
                funds=funds,
                dossiers=dossiers if report.dossiers is not None else None,
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
    return _bac_kan_2024_2(reports, seed) if calibrated else reports
