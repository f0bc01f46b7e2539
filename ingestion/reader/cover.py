"""The cover (ThongTinChung): who reports, where and when; checked against the units of its month."""

from __future__ import annotations

from typing import Any

from ingestion import template as declarations  # TEMPLATES looked up when called: a test adds one
from ingestion import values as v
from ingestion.reader.grid import label_values
from ingestion.reader.result import Cover, WorkbookRejected
from ingestion.reference import AdminUnits, Reference, normalise_code
from ingestion.template import Sheet
from ingestion.text import fold

UNIT_LABEL = {"district": "Mã huyện", "commune": "Mã xã"}


def _cover_spec(pairs: dict[str, tuple[Any, int]], sheet: str) -> tuple[str, Sheet]:
    """Which kind of workbook the cover is (its reporting unit's level), and that template's cover declaration."""
    by_level = {
        t.reporting_level: t.sheet("cover") for t in declarations.TEMPLATES
    }  # the latest template of each level
    named = [
        level
        for level, spec in by_level.items()
        if any(fold(a) in pairs and not v.is_blank(pairs[fold(a)][0]) for a in spec.labels()[f"{level}_code"])
    ]
    if len(named) > 1:
        raise WorkbookRejected(
            f"the cover sheet {sheet!r} gives both Mã huyện and Mã xã: a workbook is a district's (template 2024.1, "
            "up to 06/2025) or a commune's (template 2026.1, from 07/2025)"
        )
    if not named:
        raise WorkbookRejected(
            f"the cover sheet {sheet!r} lacks Mã huyện (a district's workbook, up to 06/2025) or Mã xã (a commune's "
            "workbook, from 07/2025)"
        )
    return named[0], by_level[named[0]]


def read_cover_sheet(rows: list[list[Any]], sheet: str, units: AdminUnits) -> tuple[Cover, Reference]:
    """The cover, and the units of its reporting month (the reference every other sheet is read against)."""
    pairs = label_values(rows)
    level, spec = _cover_spec(pairs, sheet)
    labels = spec.labels()

    def found(key: str) -> tuple[Any, int | None]:
        for alias in labels[key]:
            if fold(alias) in pairs:
                return pairs[fold(alias)]
        return "", None

    def value(key: str) -> Any:
        return found(key)[0]

    missing = [spec.column(k).label for k in spec.required_keys() if v.is_blank(value(k))]
    if missing:
        raise WorkbookRejected(f"the cover sheet {sheet!r} lacks {', '.join(missing)}")
    try:
        period = v.parse_period(value("period"))
    except ValueError as exc:
        raise WorkbookRejected(f"cover: Kỳ báo cáo {exc}") from None
    first = min(t.valid_from for t in declarations.TEMPLATES)
    if period < first:
        raise WorkbookRejected(f"cover: Kỳ báo cáo {period:%m/%Y} is before {first:%m/%Y}, the warehouse's first month")
    reference = units.at(period)
    province_code = normalise_code(value("province_code"), 2)
    province = reference.provinces.get(province_code or "")
    if province is None:
        raise WorkbookRejected(f"cover: Mã tỉnh {province_code!r} {units.why_not('province', province_code, period)}")
    province_written = v.text(value("province_name"))
    if province_written and not reference.name_matches(province_written, province.name, province.short_name):
        raise WorkbookRejected(
            f"cover: Tỉnh {province_written!r} contradicts Mã tỉnh {province_code} ({province.name} in {period:%m/%Y})"
            + _other_times(units, reference, "province", province_code, province_written)
        )
    unit = _district_of_cover if level == "district" else _commune_of_cover
    fields = unit(value, units, reference, period, province_code or "", province)
    try:
        report_date = v.parse_date(value("report_date"))
    except ValueError as exc:
        raise WorkbookRejected(f"cover: Ngày lập {exc}") from None
    return Cover(
        province_code=province_code or "",
        period_month=period,
        report_date=report_date,
        province_name_written=province_written,
        prepared_by=v.text(value("prepared_by")),
        template_version=v.text(value("template_version")),
        sheet=sheet,
        row_number=found("period")[1] or 0,
        reporting_level=level,
        is_sample=any(row and isinstance(row[0], str) and fold(row[0]) == fold(v.SAMPLE_MARK) for row in rows),
        **fields,
    ), reference


def _district_of_cover(value, units: AdminUnits, reference: Reference, period, province_code: str, province):
    district_code = normalise_code(value("district_code"), 3)
    district = reference.districts.get(district_code or "")
    if district is None:
        raise WorkbookRejected(f"cover: Mã huyện {district_code!r} {units.why_not('district', district_code, period)}")
    if district.province_code != province_code:
        raise WorkbookRejected(
            f"cover: district {district_code} ({district.name}) belongs to province "
            f"{district.province_code}, not to {province_code} ({province.name}), in {period:%m/%Y}"
        )
    district_written = v.text(value("district_name"))
    if district_written and not reference.name_matches(district_written, district.name, district.short_name):
        raise WorkbookRejected(
            f"cover: Huyện {district_written!r} contradicts Mã huyện {district_code} "
            f"({district.name} in {period:%m/%Y})"
            + _other_times(units, reference, "district", district_code, district_written)
        )
    return {"district_code": district_code, "district_name_written": district_written}


def _commune_of_cover(value, units: AdminUnits, reference: Reference, period, province_code: str, province):
    commune_code = normalise_code(value("commune_code"), 5)
    commune = reference.communes.get(commune_code or "")
    if commune is None:
        raise WorkbookRejected(f"cover: Mã xã {commune_code!r} {units.why_not('commune', commune_code, period)}")
    if commune.district_code is not None:
        raise WorkbookRejected(
            f"cover: Mã xã {commune_code} ({commune.name}) is a commune of district {commune.district_code} in "
            f"{period:%m/%Y}: up to 06/2025 the district reports its communes (template 2024.1), not the commune"
        )
    if commune.province_code != province_code:
        raise WorkbookRejected(
            f"cover: commune {commune_code} ({commune.name}) belongs to province {commune.province_code}, "
            f"not to {province_code} ({province.name}), in {period:%m/%Y}"
        )
    commune_written = v.text(value("commune_name"))
    if commune_written and not reference.name_matches(commune_written, commune.name, commune.short_name):
        raise WorkbookRejected(
            f"cover: Xã {commune_written!r} contradicts Mã xã {commune_code} ({commune.name} in {period:%m/%Y})"
            + _other_times(units, reference, "commune", commune_code, commune_written)
        )
    group = value("commune_group")
    try:
        commune_group = v.parse_int(group)
    except ValueError:
        commune_group = -1
    if commune_group is not None and commune_group not in (1, 2, 3):
        raise WorkbookRejected(f"cover: Nhóm xã {v.text(group)!r} is not a commune group (1, 2 or 3; Decision 51/2025)")
    return {
        "district_code": None,
        "district_name_written": None,
        "commune_code": commune_code,
        "commune_name_written": commune_written,
        "commune_group": commune_group,
        "commune_type": commune.unit_type,
    }


def _other_times(units: AdminUnits, reference: Reference, level: str, code: str, written: str) -> str:
    """When the written name is the code's name at another time: which, so the office can fix the month."""
    others = [u for u in units.versions(level, code) if reference.name_matches(written, u.name)]
    if not others:
        return ""
    return "; the code was " + ", ".join(f"{u.name} {u.validity}" for u in others) + ": check Kỳ báo cáo"
