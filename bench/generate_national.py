"""A national month: one template workbook per district with xã, for all 63 pre-2025 provinces.

    python bench/generate_national.py [--period 2023-12] [--out bench/out/national-2023-12]

Bắc Kạn is the calibrated sample; the other provinces get generic synthetic data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from ingestion.reference import load_units
from samples import generate

ROOT = Path(__file__).resolve().parents[1]


def generate_national(period: dt.date, out: Path) -> list[Path]:
    units = load_units()
    paths: list[Path] = []
    for code in sorted(units.at(period).provinces):
        paths += generate(code, period, out / code, units=units)
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
