"""Sample commune workbooks (template 2026.1, ../shared/spec/commune-workbook.md): one per xã of a 2025 province.

Where a 2025 commune covers legacy communes of the calibrated Bắc Kạn sample (Thái Nguyên, 19, took in the whole
of Bắc Kạn), its report follows from what those legacy communes reported in 12/2023: it is NTM when every one of
its Bắc Kạn predecessors was (its year the latest of theirs), it meets more criteria of the new set the more its
predecessors met of the old, and it lists the OCOP products of its predecessors' producers whose certificates are
still valid (issued by the former district: "Cấp công nhận" Huyện), beside products the province rated since
07/2025. NTM status is not carried over mechanically by the warehouse: the sample writes it, as a commune would.
Elsewhere the data are generic. Everything is seeded: same arguments, same files. All of it is sample data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from ingestion.criteria import set_in_force
from ingestion.reference import AdminUnits, Commune, crosswalk_frame, load_units
from ingestion.template import C01_STATUS, TEMPLATE_2026_1
from ingestion.values import COMMUNE_TOTALS, ISSUING_LEVELS, SAMPLE_MARK, month_end
from samples.model import GIVEN, PRODUCER_TYPES, PRODUCTS, SURNAMES, Certificate, excel_round
from samples.provinces import BAC_KAN, BAC_KAN_PERIOD, plan_province

# Sources of the merged programme 2026-2035 (no district budget after 06/2025), typical amounts for a commune.
COMMUNE_FUNDS = [
    ("NSTW - Đầu tư phát triển", 1800.0),
    ("NSTW - Sự nghiệp", 600.0),
    ("Ngân sách tỉnh", 700.0),
    ("Ngân sách xã", 120.0),
    ("Vốn lồng ghép", 900.0),
    ("Vốn tín dụng", 500.0),
    ("Doanh nghiệp", 150.0),
    ("Cộng đồng dân cư", 250.0),
]
LEVELS = {"not_yet": "Chưa đạt", "ntm": "NTM", "modern": "NTM hiện đại"}


@dataclass
class Listing:
    """One certificate as a commune lists it in C04."""

    certificate: Certificate
    issuing_level: str  # district | province | central


@dataclass
class CommuneReport:
    province_code: str
    province_name: str
    commune: Commune
    period: dt.date
    report_date: dt.date
    group: int | None  # Nhóm xã (xã only)
    criteria: dict[int, tuple[bool, int, int]]  # criterion -> (met, indicators met, indicators in the criterion)
    level: str
    year_ntm: int | None
    year_modern: int | None
    decision_number: str | None
    listings: list[Listing] = field(default_factory=list)
    funds: list[tuple[str, int, float, float]] = field(default_factory=list)
    plan: dict[str, int] = field(default_factory=dict)
    villages: list[tuple[str, str, int]] = field(default_factory=list)  # name, level, year

    def valid_listings(self) -> list[Listing]:
        end = month_end(self.period)
        return [x for x in self.listings if x.certificate.decision_date <= end <= x.certificate.expiry]


# --- what the legacy communes of the calibrated sample said -----------------------------------------------


@dataclass
class _Legacy:
    level: int
    year_ntm: int | None
    criteria_met: int


def _bac_kan_2023(units: AdminUnits, seed: int) -> tuple[dict[str, _Legacy], list[Certificate]]:
    reports = plan_province(units.at(BAC_KAN_PERIOD), BAC_KAN, BAC_KAN_PERIOD, seed)
    communes = {
        row.commune.code: _Legacy(row.level, row.year_ntm, len(row.criteria)) for r in reports for row in r.communes
    }
    end = month_end(BAC_KAN_PERIOD)
    certificates = [c for r in reports for c in r.certificates if c.status != "Hết hạn" and c.decision_date <= end]
    return communes, certificates


def _successors() -> dict[str, str]:
    frame = crosswalk_frame()
    frame = frame[frame["is_default"]]
    return dict(zip(frame["legacy_commune_code"], frame["commune_code_2025"], strict=True))


# --- a province's communes for a month --------------------------------------------------------------------


def plan_communes(units: AdminUnits, province_code: str, period: dt.date, seed: int = 2023) -> list[CommuneReport]:
    reference = units.at(period)
    province = reference.provinces[province_code]
    in_force = set_in_force(period)
    numbers = list(in_force.criteria) if in_force else list(range(1, 11))
    successors = _successors()
    legacy, certificates = _bac_kan_2023(units, seed) if province_code == "19" else ({}, [])
    predecessors: dict[str, list[_Legacy]] = {}
    for code, row in legacy.items():
        if code in successors:
            predecessors.setdefault(successors[code], []).append(row)
    listed: dict[str, list[Certificate]] = {}
    for cert in certificates:
        successor = successors.get(cert.commune.code)
        if successor:
            listed.setdefault(successor, []).append(cert)
    reports = []
    for commune in province.communes:
        rng = random.Random(f"{seed}-{commune.code}-{period:%Y-%m}")
        if commune.unit_type != "Xã":  # a ward or special zone: its OCOP products and funds, no NTM criteria
            reports.append(
                CommuneReport(
                    province_code=province_code,
                    province_name=province.name,
                    commune=commune,
                    period=period,
                    report_date=month_end(period) + dt.timedelta(days=rng.randint(2, 6)),
                    group=None,
                    criteria={},
                    level="not_yet",
                    year_ntm=None,
                    year_modern=None,
                    decision_number=None,
                    listings=_new_products(rng, commune, period, rng.randint(0, 2)),
                    funds=_funds(rng, period)[2:4],  # provincial and commune budget only
                    plan={"SP_OCOP": rng.randint(0, 1)},
                )
            )
            continue
        before = predecessors.get(commune.code, [])
        share = (sum(p.criteria_met for p in before) / (19 * len(before))) if before else rng.uniform(0.4, 0.95)
        met_count = max(0, min(len(numbers), round(share * len(numbers) + rng.uniform(-1.0, 0.6))))
        met = set(rng.sample(numbers, met_count))
        criteria = {}
        for n in numbers:
            total = rng.randint(3, 7)
            criteria[n] = (n in met, total if n in met else rng.randint(0, total - 1), total)
        all_ntm = bool(before) and all(p.level >= 1 for p in before)
        if not before:
            all_ntm = rng.random() < 0.35
        level, year_ntm, year_modern, decision = "not_yet", None, None, None
        if all_ntm:
            level = "ntm"
            years = [p.year_ntm for p in before if p.year_ntm]
            year_ntm = max(years) if years else rng.randint(2016, 2024)
            decision = f"{rng.randint(100, 2999)}/QĐ-UBND"
            if met_count == len(numbers) and rng.random() < 0.5:
                level, year_modern = "modern", period.year
        # certificates of the former district stay valid until they expire: the commune lists those still valid
        listings = [Listing(c, "district") for c in listed.get(commune.code, []) if c.expiry >= month_end(period)]
        listings += _new_products(rng, commune, period, 0 if before else rng.randint(0, 3))
        reports.append(
            CommuneReport(
                province_code=province_code,
                province_name=province.name,
                commune=commune,
                period=period,
                report_date=month_end(period) + dt.timedelta(days=rng.randint(2, 6)),
                group=3 if before else rng.choice((1, 2, 2, 3)),
                criteria=criteria,
                level=level,
                year_ntm=year_ntm,
                year_modern=year_modern,
                decision_number=decision,
                listings=listings,
                funds=_funds(rng, period),
                plan={
                    "XA_NTM": int(level == "not_yet" and met_count >= len(numbers) - 1),
                    "XA_NTM_HIEN_DAI": 0,
                    "THON_NTM": rng.randint(0, 3),
                    "SP_OCOP": rng.randint(0, 2),
                },
                villages=[
                    (f"Thôn {rng.choice(['Nà', 'Bản', 'Khuổi', 'Pác', 'Nặm'])} {i + 1}", "NTM", rng.randint(2019, 2025))
                    for i in range(rng.randint(0, 4))
                ],
            )
        )
    return reports


def _new_products(rng: random.Random, commune: Commune, period: dt.date, count: int) -> list[Listing]:
    """Products the province rated (3★, 4★) or the central level (5★) since 07/2025."""
    listings = []
    for i in range(count):
        product, *_ = rng.choice(PRODUCTS)
        stars = rng.choice((3, 3, 3, 4))
        decided = dt.date(2025, 8, 1) + dt.timedelta(
            days=rng.randint(0, max(0, (month_end(period) - dt.date(2025, 8, 1)).days))
        )
        cert = Certificate(
            product=f"{product} {commune.short_name}",
            producer=f"HTX {rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
            producer_type=rng.choice(PRODUCER_TYPES),
            commune=commune,
            stars=stars,
            score=float(rng.randint(50, 69) if stars == 3 else rng.randint(70, 89)),
            decision_number=f"{rng.randint(100, 3999)}/QĐ-UBND",
            decision_date=decided,
            expiry_written=bool(i % 2),
            status="Mới",
        )
        listings.append(Listing(cert, "province"))
    return listings


def _funds(rng: random.Random, period: dt.date) -> list[tuple[str, int, float, float]]:
    months = period.month
    funds = []
    for source, base in COMMUNE_FUNDS:
        allocated = excel_round(base * rng.uniform(0.6, 1.4), 1)
        disbursed = excel_round(allocated * min(1.0, months / 12 * rng.uniform(0.5, 1.3)), 1)
        funds.append((source, period.year, allocated, disbursed))
    return funds


# --- writing -------------------------------------------------------------------------------------------------


def write_commune_workbook(report: CommuneReport, path: Path) -> Path:
    """The commune's workbook, template 2026.1, with the template's sheet names and labels."""
    t = TEMPLATE_2026_1
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 12})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})

    def label(sheet: str, key: str) -> str:
        return t.sheet(sheet).column(key).label

    cover = book.add_worksheet(t.sheet("cover").name)
    cover.write(0, 0, "THÔNG TIN CHUNG", title)
    cover.write(1, 0, SAMPLE_MARK)  # above the labels: the reader takes no value from it
    rows = [
        ("province_code", report.province_code),
        ("province_name", report.province_name),
        ("commune_code", report.commune.code),
        ("commune_name", report.commune.name),
        *([("commune_group", str(report.group))] if report.group else []),
        ("period", f"{report.period:%m/%Y}"),
        ("report_date", report.report_date),
        ("prepared_by", f"UBND {report.commune.name} (dữ liệu mẫu)"),
        ("template_version", t.version),
    ]
    for r, (key, value) in enumerate(rows, start=3):
        cover.write_string(r, 0, label("cover", key))
        if isinstance(value, dt.date):
            cover.write_datetime(r, 1, dt.datetime.combine(value, dt.time()), date_format)
        else:
            cover.write_string(r, 1, str(value))

    c01 = book.add_worksheet(t.sheet("c01").name)
    c01.write_string(0, 0, f"BIỂU C01: KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ - {report.commune.name.upper()}", title)
    for col, column in enumerate(t.sheet("c01").columns):
        c01.write_string(2, col, column.label, bold)
    r = 3
    for n, (met, indicators_met, indicators_total) in sorted(report.criteria.items()):
        c01.write_number(r, 0, n)
        c01.write_string(r, 2, "Đạt" if met else "Chưa đạt")
        c01.write_number(r, 3, indicators_met)
        c01.write_number(r, 4, indicators_total)
        r += 1
    r += 1
    rural = report.commune.unit_type == "Xã"
    status = {
        "level": LEVELS[report.level],
        "year_ntm": report.year_ntm,
        "year_modern": report.year_modern,
        "decision_number": report.decision_number,
        "maintains": "Có" if report.level != "not_yet" and all(m for m, *_ in report.criteria.values()) else "Không",
    }
    for column in C01_STATUS:
        if column.key not in status or not rural:  # no NTM level for a ward
            continue
        c01.write_string(r, 0, column.label)
        value = status[column.key]
        if isinstance(value, int):
            c01.write_number(r, 1, value)
        elif value:
            c01.write_string(r, 1, value)
        r += 1

    c03 = book.add_worksheet(t.sheet("c03").name)
    for col, column in enumerate(t.sheet("c03").columns):
        c03.write_string(0, col, column.label, bold)
    for i, (name, level, year) in enumerate(report.villages, start=1):
        c03.write_number(i, 0, i)
        c03.write_string(i, 1, name)
        c03.write_string(i, 2, level)
        c03.write_number(i, 3, year)

    c04 = book.add_worksheet(t.sheet("c04").name)
    columns = [c.key for c in t.sheet("c04").columns]
    for col, column in enumerate(t.sheet("c04").columns):
        c04.write_string(0, col, column.label, bold)
    for i, listing in enumerate(report.listings, start=1):
        cert = listing.certificate
        values = {
            "stt": i,
            "product_name": cert.product,
            "producer_name": cert.producer,
            "producer_type": cert.producer_type,
            "commune_code": None,  # the commune's own producers (a former commune's producers are now its own)
            "group": cert.group(),
            "stars": cert.stars,
            "score": cert.score,
            "decision_number": cert.decision_number,
            "decision_date": cert.decision_date,
            "expiry_date": cert.expiry if cert.expiry_written else None,
            "export_market": cert.export_market,
            "status": cert.status,
            "issuing_level": ISSUING_LEVELS.labels[listing.issuing_level],
        }
        for key, value in values.items():
            col = columns.index(key)
            if value is None:
                continue
            if isinstance(value, dt.date):
                c04.write_datetime(i, col, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, (int, float)):
                c04.write_number(i, col, value)
            else:
                c04.write_string(i, col, str(value))

    c05 = book.add_worksheet(t.sheet("c05").name)
    for col, column in enumerate(t.sheet("c05").columns):
        c05.write_string(0, col, column.label, bold)
    for i, (source, year, allocated, disbursed) in enumerate(report.funds, start=1):
        c05.write_number(i, 0, i)
        c05.write_string(i, 1, source)
        c05.write_number(i, 2, year)
        c05.write_number(i, 3, allocated)
        c05.write_number(i, 4, disbursed)

    c06 = book.add_worksheet(t.sheet("c06").name)
    for col, column in enumerate(t.sheet("c06").columns):
        c06.write_string(0, col, column.label, bold)
    for i, (code, planned) in enumerate(report.plan.items(), start=1):
        c06.write_string(i, 0, code)
        c06.write_number(i, 1, planned)

    totals = book.add_worksheet(t.sheet("totals").name)
    totals.write(0, 0, "TỔNG HỢP CỦA XÃ", title)
    valid = report.valid_listings()
    figures = {
        "criteria_met": sum(1 for m, *_ in report.criteria.values() if m),
        "indicators_met": sum(i for _, i, _ in report.criteria.values()),
        "villages_ntm": len([v for v in report.villages if v[2] <= report.period.year]),
        "ocop_products": len(valid),
        "ocop_3_star": sum(1 for x in valid if x.certificate.stars == 3),
        "ocop_4_star": sum(1 for x in valid if x.certificate.stars == 4),
        "ocop_5_star": sum(1 for x in valid if x.certificate.stars == 5),
        "fund_allocated_mil_vnd": excel_round(sum(f[2] for f in report.funds), 1),
        "fund_disbursed_mil_vnd": excel_round(sum(f[3] for f in report.funds), 1),
    }
    for r, (key, value) in enumerate(figures.items(), start=2):
        totals.write_string(r, 0, COMMUNE_TOTALS.labels[key])
        totals.write_number(r, 1, value)
    book.close()
    return path


def generate_communes(
    province_code: str, period: dt.date, out_dir: Path, *, seed: int = 2023, units: AdminUnits | None = None
) -> list[Path]:
    """One workbook per commune-level unit of the 2025 province for the month (xã, and the wards and special zones
    with their OCOP products and funds); returns the paths."""
    units = units or load_units()
    reference = units.at(period)
    if province_code not in reference.provinces:
        raise ValueError(f"province code {province_code!r} {units.why_not('province', province_code, period)}")
    if reference.provinces[province_code].districts:
        raise ValueError(f"{period:%m/%Y} is reported by districts (template 2024.1): commune workbooks start 07/2025")
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_commune_workbook(report, out_dir / f"BC NTM T{period.month} {period.year} - {report.commune.code} "
                               f"{report.commune.short_name}.xlsx")
        for report in plan_communes(units, province_code, period, seed)
    ]  # fmt: skip
