"""The criteria set in force in a reporting month, as the reader needs it: its criteria and its levels.

The sets are data, kept once, as dbt seeds (``dbt_project/seeds/criteria_sets.csv``, ``set_criteria.csv``,
``set_levels.csv``): the reader takes from them which criterion numbers and levels a month's workbook may
write, and dbt builds the dimensions and the counts from the same rows. A new set is new seed rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path


def seeds_dir() -> Path:
    """dbt_project/seeds in the checkout, or in the installed distribution (package ntm_ocop_dbt)."""
    checkout = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
    if checkout.is_dir():
        return checkout
    spec = importlib.util.find_spec("ntm_ocop_dbt")
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / "seeds").is_dir():
            return Path(location) / "seeds"
    raise FileNotFoundError("the dbt seeds (criteria sets) are neither in the checkout nor installed")


@dataclass(frozen=True)
class CriteriaSet:
    code: str
    valid_from: dt.date
    valid_to: dt.date | None
    criteria: tuple[int, ...]
    levels: frozenset[str]

    @property
    def period(self) -> str:
        return f"{self.valid_from:%m/%Y}–{self.valid_to:%m/%Y}" if self.valid_to else f"from {self.valid_from:%m/%Y}"


def _rows(name: str) -> list[dict[str, str]]:
    with (seeds_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.lru_cache(maxsize=4)
def criteria_sets(unit_level: str = "commune") -> tuple[CriteriaSet, ...]:
    """The sets of one kind (criteria_sets.csv unit_level): commune (the NTM set of a month), commune_advanced
    (the advanced set, template 2024.2's B01N) or district (the district set, B07)."""
    criteria: dict[str, list[int]] = {}
    for row in _rows("set_criteria.csv"):
        criteria.setdefault(row["set_code"], []).append(int(row["criterion_number"]))
    levels: dict[str, set[str]] = {}
    for row in _rows("set_levels.csv"):
        levels.setdefault(row["set_code"], set()).add(row["level_code"])
    return tuple(
        CriteriaSet(
            code=row["set_code"],
            valid_from=dt.date.fromisoformat(row["valid_from"]),
            valid_to=dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            criteria=tuple(sorted(criteria.get(row["set_code"], []))),
            levels=frozenset(levels.get(row["set_code"], ())),
        )
        for row in _rows("criteria_sets.csv")
        if row["unit_level"] == unit_level
    )


@functools.lru_cache(maxsize=16)
def criterion_names(set_code: str) -> dict[int, str]:
    """The Vietnamese name of each criterion of a set, where set_criteria.csv has one (the advanced set has none)."""
    return {
        int(row["criterion_number"]): row["criterion_name_vi"]
        for row in _rows("set_criteria.csv")
        if row["set_code"] == set_code and row["criterion_name_vi"].strip()
    }


def set_in_force(month: dt.date, unit_level: str = "commune") -> CriteriaSet | None:
    """The criteria set of a kind (by default the commune set) a reporting month reports against (None: no set
    covers it)."""
    for found in criteria_sets(unit_level):
        if found.valid_from <= month and (found.valid_to is None or month <= found.valid_to):
            return found
    return None
