"""The official list of administrative units before the 2025 reform.

It comes from the `vietnamadminunits` package (table ``admin_units_legacy`` of its bundled
SQLite file): GSO codes and names of 63 provinces, 696 districts and 10,040 communes.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from ingestion.text import fold, fold_keep_diacritics, name_keys


def dataset_path() -> Path:
    return Path(str(resources.files("vietnamadminunits") / "data" / "dataset.db"))


_LEGACY_QUERY = """
select provinceCode as province_code, province as province_name,
       provinceShort as province_short_name,
       districtCode as district_code, district as district_name,
       districtShort as district_short_name, districtType as district_type,
       wardCode as commune_code, ward as commune_name, wardShort as commune_short_name,
       wardType as commune_type
from admin_units_legacy
order by wardCode, districtCode
"""


def legacy_units() -> pd.DataFrame:
    """One row per unit of the legacy list (communes, and the island districts without any)."""
    with sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True) as con:
        frame = pd.read_sql_query(_LEGACY_QUERY, con)
    # Island districts without communes have no ward code: keep them, with null commune.
    return frame.replace({"": None})


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    short_name: str
    unit_type: str  # Xã | Phường | Thị trấn
    district_code: str
    in_reference_list: bool = True


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


class UnknownCommune(ValueError):
    pass


class Reference:
    """Look-ups over the legacy list: codes, names, and communes by name within a district."""

    def __init__(self, units: pd.DataFrame):
        self.provinces: dict[str, Province] = {}
        self.districts: dict[str, District] = {}
        self.communes: dict[str, Commune] = {}
        for row in units.itertuples(index=False):
            province = self.provinces.get(row.province_code)
            if province is None:
                province = Province(row.province_code, row.province_name, row.province_short_name)
                self.provinces[row.province_code] = province
            district = self.districts.get(row.district_code)
            if district is None:
                district = District(
                    row.district_code,
                    row.district_name,
                    row.district_short_name,
                    row.district_type,
                    row.province_code,
                )
                self.districts[row.district_code] = district
                province.districts.append(district)
            if row.commune_code:
                commune = Commune(
                    row.commune_code,
                    row.commune_name,
                    row.commune_short_name,
                    row.commune_type,
                    row.district_code,
                )
                self.communes[commune.code] = commune
                district.communes.append(commune)
        self._accented: dict[str, dict[str, list[Commune]]] = {}
        self._bare: dict[str, dict[str, list[Commune]]] = {}
        for district in self.districts.values():
            accented: dict[str, list[Commune]] = {}
            bare: dict[str, list[Commune]] = {}
            for commune in district.communes:
                for key in {fold_keep_diacritics(commune.name), fold_keep_diacritics(commune.short_name)}:
                    accented.setdefault(key, []).append(commune)
                for key in {fold(commune.name), fold(commune.short_name)}:
                    bare.setdefault(key, []).append(commune)
            self._accented[district.code] = accented
            self._bare[district.code] = bare

    def resolve_commune(self, district_code: str, code: object, name: object) -> Commune:
        """The commune a row means: by its code when given, else by its name in the district.

        A well-formed code absent from the list (a commune merged away before the list's 2025
        snapshot) is kept as written, marked ``in_reference_list=False``. Raises
        :class:`UnknownCommune` with the reason when the code is malformed or belongs to another
        district, or the name matches no commune or several: those are never guessed.
        """
        code_text = normalise_code(code, 5)
        district = self.districts[district_code]
        if code_text:
            commune = self.communes.get(code_text)
            if commune is None:
                if not (code_text.isdigit() and len(code_text) == 5):
                    raise UnknownCommune(f"commune code {code_text!r} is not a 5-digit GSO code")
                written = str(name).strip() if name and str(name).strip() else f"Mã {code_text}"
                return Commune(code_text, written, written, "Xã", district_code, in_reference_list=False)
            if commune.district_code != district_code:
                raise UnknownCommune(
                    f"commune code {code_text!r} ({commune.name}) belongs to district "
                    f"{commune.district_code}, not to {district_code} ({district.name})"
                )
            return commune
        if not name or not str(name).strip():
            raise UnknownCommune("neither a commune code (Mã xã) nor a commune name (Tên xã) is given")
        accented_keys, bare_keys = name_keys(name)
        for index, keys in ((self._accented[district_code], accented_keys), (self._bare[district_code], bare_keys)):
            found = {c.code: c for key in keys for c in index.get(key, [])}
            if len(found) == 1:
                return next(iter(found.values()))
            if len(found) > 1:
                names = ", ".join(sorted(c.name for c in found.values()))
                raise UnknownCommune(
                    f"commune name {name!r} matches several communes of {district.name} ({names}); "
                    "give the commune code (Mã xã)"
                )
        raise UnknownCommune(f"commune name {name!r} matches no commune of {district.name} ({district_code})")

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
def load_reference() -> Reference:
    return Reference(legacy_units())
