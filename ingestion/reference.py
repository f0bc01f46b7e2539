"""The administrative units of any month, from the dated unit table.

``ingestion/data/admin_units.csv`` (built at set-up time by ``make admin-units``; how, and how validity is
bounded between the official lists' snapshots: ``ingestion/data/README.md``) holds one row per version of
a unit: a code within a validity period. :class:`AdminUnits` holds them all; :meth:`AdminUnits.at` gives
the :class:`Reference` of one reporting month: the provinces, districts and communes valid on its last
day, in the hierarchy of that month (province -> district -> commune up to 06/2025, province -> commune
from 07/2025).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections import namedtuple
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ingestion.text import fold, fold_keep_diacritics, name_keys
from ingestion.values import month_end  # the day a reporting month's units are taken on: its last

if TYPE_CHECKING:
    import pandas as pd

LEVELS = ("province", "district", "commune")
# The last day of district-level government (Law 72/2025/QH15): no district certifies, budgets or reports after it.
DISTRICTS_END = dt.date(2025, 6, 30)


def units_path() -> Path:
    return Path(str(resources.files("ingestion") / "data" / "admin_units.csv"))


def crosswalk_path() -> Path:
    return Path(str(resources.files("ingestion") / "data" / "commune_crosswalk_2025.csv"))


def admin_units_frame() -> pd.DataFrame:
    """The dated unit table as committed: every version of every unit, with its provenance (for the warehouse's
    raw.admin_units; the readers use :func:`load_units`, which needs no pandas: its import is ~0.27 s of a reader
    worker's start, `python -X importtime -c "import pandas"`)."""
    import pandas as pd

    frame = pd.read_csv(units_path(), dtype=str, keep_default_na=False)
    frame = frame.replace({"": None})
    for column in ("valid_from", "valid_to"):
        frame[column] = [None if text is None else dt.date.fromisoformat(text) for text in frame[column]]
    return frame


def crosswalk_frame() -> pd.DataFrame:
    import pandas as pd

    frame = pd.read_csv(crosswalk_path(), dtype=str, keep_default_na=False)
    for column in ("is_split", "is_default", "is_cross_province"):
        frame[column] = frame[column] == "true"
    return frame


@dataclass(frozen=True)
class UnitVersion:
    level: str
    code: str
    name: str
    parent_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None

    @property
    def validity(self) -> str:
        until = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "today"
        return f"{self.valid_from:%d/%m/%Y}–{until}"


# A row of admin_units.csv as the look-ups read it: "" as None, the validity as dates.
UnitRow = namedtuple(
    "UnitRow", "unit_level unit_code unit_name unit_short_name unit_type parent_code valid_from valid_to"
)


def _unit_rows(path: Path) -> list[UnitRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        at = [header.index(name) for name in UnitRow._fields]
        date = dt.date.fromisoformat
        return [
            UnitRow(*(row[i] or None for i in at[:6]), date(row[at[6]]), date(row[at[7]]) if row[at[7]] else None)
            for row in rows
        ]


class AdminUnits:
    """Every version of every administrative unit; the reference of any month."""

    def __init__(self, rows: list[UnitRow]):
        self.rows = rows
        self._versions: dict[tuple[str, str], list[UnitVersion]] = {}
        for row in rows:
            version = UnitVersion(
                row.unit_level, row.unit_code, row.unit_name, row.parent_code, row.valid_from, row.valid_to
            )
            self._versions.setdefault((row.unit_level, row.unit_code), []).append(version)

    def versions(self, level: str, code: str) -> list[UnitVersion]:
        return self._versions.get((level, code), [])

    def why_not(self, level: str, code: str, month: dt.date) -> str:
        """Why a code names no unit of this level in a month: the validity of the units it did name."""
        known = self.versions(level, code)
        if not known:
            return f"is not a {level} code of any official list since 2010"
        spans = "; ".join(f"{v.name}, {v.validity}" for v in known)
        return f"names no {level} valid in {month:%m/%Y} (the code was: {spans})"

    @functools.lru_cache(maxsize=64)  # noqa: B019 -- one AdminUnits per process, a few months per run
    def at(self, month: dt.date) -> Reference:
        """The units valid on the last day of a reporting month, as a look-up."""
        day = month_end(month)
        valid = [r for r in self.rows if r.valid_from <= day and (r.valid_to is None or r.valid_to >= day)]
        return Reference(valid, day)


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    short_name: str
    unit_type: str  # Xã | Phường | Thị trấn | Đặc khu
    district_code: str | None  # None from 07/2025: communes belong to the province
    in_reference_list: bool = True
    province_code: str | None = None


@dataclass
class District:
    code: str
    name: str
    short_name: str
    district_type: str
    province_code: str
    communes: list[Commune] = field(default_factory=list)

    @property
    def xa(self) -> list[Commune]:
        """Rural communes (xã), the units the NTM criteria apply to."""
        return [c for c in self.communes if c.unit_type == "Xã"]


@dataclass
class Province:
    code: str
    name: str
    short_name: str
    districts: list[District] = field(default_factory=list)
    communes: list[Commune] = field(default_factory=list)  # from 07/2025: the communes directly under it

    @property
    def xa(self) -> list[Commune]:
        return [c for c in self.communes if c.unit_type == "Xã"]


class UnknownCommune(ValueError):
    pass


class Reference:
    """Look-ups over the units of one day: codes, names, and communes by name within their parent."""

    def __init__(self, units: list[UnitRow], day: dt.date):
        self.day = day
        self.provinces: dict[str, Province] = {}
        self.districts: dict[str, District] = {}
        self.communes: dict[str, Commune] = {}
        by_level = {level: [row for row in units if row.unit_level == level] for level in LEVELS}
        for row in by_level["province"]:
            self.provinces[row.unit_code] = Province(row.unit_code, row.unit_name, row.unit_short_name)
        for row in by_level["district"]:
            district = District(row.unit_code, row.unit_name, row.unit_short_name, row.unit_type, row.parent_code)
            self.districts[row.unit_code] = district
            self.provinces[row.parent_code].districts.append(district)
        for row in by_level["commune"]:
            district = self.districts.get(row.parent_code)
            province = district.province_code if district else row.parent_code
            commune = Commune(
                row.unit_code,
                row.unit_name,
                row.unit_short_name,
                row.unit_type,
                district.code if district else None,
                province_code=province,
            )
            self.communes[commune.code] = commune
            if district:
                district.communes.append(commune)
            elif province in self.provinces:
                self.provinces[province].communes.append(commune)
        for province in self.provinces.values():
            province.districts.sort(key=lambda d: d.code)
            province.communes.sort(key=lambda c: c.code)
        for district in self.districts.values():
            district.communes.sort(key=lambda c: c.code)
        # communes by name within their parent (the district up to 06/2025, the province from 07/2025), made for a
        # parent when a row of it is first looked up by name: folding every name of the country was most of a
        # reader worker's look-up (~0.6 s a month), for the few units a worker reads
        self._by_name: dict[str, tuple[dict[str, list[Commune]], dict[str, list[Commune]]]] = {}

    def _names(self, parent: str) -> tuple[dict[str, list[Commune]], dict[str, list[Commune]]]:
        """(accented, bare): the parent's communes by their folded names."""
        if parent not in self._by_name:
            unit = self.districts.get(parent) or self.provinces.get(parent)
            accented: dict[str, list[Commune]] = {}
            bare: dict[str, list[Commune]] = {}
            for commune in unit.communes if unit is not None else []:
                for key in {fold_keep_diacritics(commune.name), fold_keep_diacritics(commune.short_name)}:
                    accented.setdefault(key, []).append(commune)
                for key in {fold(commune.name), fold(commune.short_name)}:
                    bare.setdefault(key, []).append(commune)
            self._by_name[parent] = accented, bare
        return self._by_name[parent]

    def resolve_commune(
        self, district_code: str | None, code: object, name: object, province_code: str | None = None
    ) -> Commune:
        """The commune a row means: by its code when given, else by its name in the district (from 07/2025, when
        there are no districts, in the province).

        A well-formed code absent from the list (a commune merged away before the list's 2025
        snapshot) is kept as written, marked ``in_reference_list=False``. Raises
        :class:`UnknownCommune` with the reason when the code is malformed or belongs to another
        district or province, or the name matches no commune or several: those are never guessed.
        """
        code_text = normalise_code(code, 5)
        if district_code is not None:
            parent, parent_name, level = district_code, self.districts[district_code].name, "district"
        else:
            parent, parent_name, level = province_code or "", self.provinces[province_code or ""].name, "province"
        if code_text:
            commune = self.communes.get(code_text)
            if commune is None:
                if not (code_text.isdigit() and len(code_text) == 5):
                    raise UnknownCommune(f"commune code {code_text!r} is not a 5-digit GSO code")
                if district_code is None:  # from 07/2025 the list is complete: a code outside it names nothing
                    raise UnknownCommune(f"commune code {code_text!r} names no commune valid on {self.day:%d/%m/%Y}")
                written = str(name).strip() if name and str(name).strip() else f"Mã {code_text}"
                return Commune(code_text, written, written, "Xã", district_code, in_reference_list=False)
            found_in = commune.district_code if district_code is not None else commune.province_code
            if found_in != parent:
                raise UnknownCommune(
                    f"commune code {code_text!r} ({commune.name}) belongs to {level} {found_in}, "
                    f"not to {parent} ({parent_name})"
                )
            return commune
        if not name or not str(name).strip():
            raise UnknownCommune("neither a commune code (Mã xã) nor a commune name (Tên xã) is given")
        accented_keys, bare_keys = name_keys(name)
        by_accented, by_bare = self._names(parent)
        for index, keys in ((by_accented, accented_keys), (by_bare, bare_keys)):
            found = {c.code: c for key in keys for c in index.get(key, [])}
            if len(found) == 1:
                return next(iter(found.values()))
            if len(found) > 1:
                names = ", ".join(sorted(c.name for c in found.values()))
                raise UnknownCommune(
                    f"commune name {name!r} matches several communes of {parent_name} ({names}); "
                    "give the commune code (Mã xã)"
                )
        raise UnknownCommune(f"commune name {name!r} matches no commune of {parent_name} ({parent})")

    def name_matches(self, written: object, *official: str) -> bool:
        """Whether a written unit name means one of the official names (prefixes allowed)."""
        accented, bare = name_keys(written)
        official_accented = set().union(*(name_keys(n)[0] for n in official))
        official_bare = set().union(*(name_keys(n)[1] for n in official))
        return bool(accented & official_accented) or bool(bare & official_bare)


def normalise_code(value: object, width: int) -> str | None:
    """A GSO code as text of its fixed width: 6, 6.0 and "06" are all "06"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    if text.isdigit() and len(text) <= width:
        return text.zfill(width)
    return text


@functools.lru_cache(maxsize=1)
def load_units() -> AdminUnits:
    return AdminUnits(_unit_rows(units_path()))
