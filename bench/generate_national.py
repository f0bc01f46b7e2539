"""A national month: up to 06/2025 one workbook per district with xã of the 63 provinces (template 2024.1); from
07/2025 one workbook per xã of the 34 provinces (template 2026.1: 3,321 communes, of which the xã report).

    python bench/generate_national.py [--period 2023-12 | 2026-03] [--out bench/out/national-<period>]

Bắc Kạn 12/2023 and Thái Nguyên from 07/2025 follow the calibrated sample; the other provinces get generic
synthetic data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from ingestion.reference import load_units
from samples import generate
from samples.communes import generate_communes

ROOT = Path(__file__).resolve().parents[1]


def generate_national(period: dt.date, out: Path) -> list[Path]:
    units = load_units()
    paths: list[Path] = []
    reference = units.at(period)
    for code, province in sorted(reference.provinces.items()):
        if province.districts:
            paths += generate(code, period, out / code, units=units)
        else:  # from 07/2025: no districts, each xã reports
            paths += generate_communes(code, period, out / code, units=units)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2023-12")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    period = dt.datetime.strptime(args.period, "%Y-%m").date()
    out = args.out or ROOT / "bench" / "out" / f"national-{args.period}"
    clock = time.perf_counter()
    paths = generate_national(period, out)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} workbooks, {size / 1e6:.1f} MB, in {out} ({time.perf_counter() - clock:.1f} s)")


if __name__ == "__main__":
    main()
