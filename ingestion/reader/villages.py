"""Villages and indicators: B03 / C03 (villages recognised), B02 / C02 (indicators, long format)."""

from __future__ import annotations

from typing import Any

from ingestion import values as v
from ingestion.criteria import CriteriaSet, set_in_force
from ingestion.reader.grid import (
    detail_rows,
    find_header,
    has_problem,
    is_totals_row,
    keep,
    required_text,
    resolve_commune,
)
from ingestion.reader.result import Cover, WorkbookResult
from ingestion.reference import Reference
from ingestion.template import TEMPLATE_2024_1, Sheet
from ingestion.text import fold

VILLAGE_LEVELS = v.Vocabulary("village level", {"ntm": ("NTM", "Đạt chuẩn NTM"), "model": ("NTM kiểu mẫu", "Kiểu mẫu")})


# Template 2024.2 adds model residential areas (Hà Tĩnh) and mountain NTM villages (Thanh Hóa): each counted on its
# own, they do not nest with ntm | model.
VILLAGE_LEVELS_2024_2 = v.Vocabulary(
    "village level",
    {
        **VILLAGE_LEVELS.spellings,
        "model_residential_area": ("Khu dân cư kiểu mẫu", "KDC kiểu mẫu", "Khu dân cư NTM kiểu mẫu"),
        "mountain_ntm": ("Thôn NTM miền núi", "Thôn, bản NTM miền núi", "Thôn/bản NTM miền núi"),
    },
)


def read_villages(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = find_header(rows, spec, sheet)
    levels = VILLAGE_LEVELS_2024_2 if out.template_read == "2024.2" else VILLAGE_LEVELS
    for r in detail_rows(rows, header, sheet):
        if is_totals_row(r, "commune_name", "village"):
            continue
        commune = resolve_commune(r, cover, reference, out.notes)
        record = {
            "commune_code": commune.code if commune else None,
            "village_name": required_text(r, "village", "the village name"),
            "village_key": fold(r.raw("village")),  # one village across months, however it is written
            "level_code": r.get("level", levels.parse),
            "year_recognised": r.get("year", v.parse_year),
        }
        if record["level_code"] is None and not has_problem(r, "level"):
            r.fail("level", None, "the village level is empty")
        keep(out, "villages", r, record)


def parse_indicator_code(value: Any, criteria: CriteriaSet | None = None) -> str:
    """An indicator numbered criterion.n (17.1, 13.3) of a criterion of the set in force (2021-2025 when not given).

    Whether the indicator is in the set's transcribed list is for the marts to say (the 47 indicators of 2026-2030
    are not transcribed yet): the code is accepted when its criterion is one of the set's.
    """
    numbers = criteria.criteria if criteria else tuple(TEMPLATE_2024_1.criteria)
    code = v.text(value)
    if code is None:
        raise ValueError("the indicator code is empty")
    parts = code.split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) not in numbers or int(parts[1]) < 1:
        which = f"set {criteria.code}" if criteria else "the 2021-2025 set"
        raise ValueError(
            f"{code!r} is not an indicator code of {which} (criterion.number, criterion 1–{max(numbers)}, like 1.1)"
        )
    return f"{int(parts[0])}.{int(parts[1])}"


def read_indicators(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = find_header(rows, spec, sheet)
    for r in detail_rows(rows, header, sheet):
        commune = resolve_commune(r, cover, reference, out.notes)
        raw_value = r.raw("value")
        try:
            number = v.parse_number(raw_value)
        except ValueError:
            number = None  # a text value ("Đạt", "Có") is kept as text
        record = {
            "commune_code": commune.code if commune else None,
            "indicator_code": r.get("indicator", lambda x: parse_indicator_code(x, set_in_force(cover.period_month))),
            "value_number": number,
            "value_text": v.text(raw_value),
            "unit": r.text("unit"),
            "is_met": None if v.is_blank(r.raw("met")) else r.get("met", v.parse_marker),
        }
        keep(out, "commune_indicators", r, record)
