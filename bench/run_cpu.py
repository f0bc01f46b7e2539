"""Where a run's CPU goes when it runs as the tests run it: `ntm-ocop run` in this process (its imports paid once),
on Bắc Kạn's sample of 11/2023 and 12/2023, into a new warehouse each time; the second run is the one to read.

    .venv/bin/python bench/run_cpu.py [--runs 2]

Prints each run's wall time, its own process's CPU, and the CPU of its child processes by command (the warm dbt,
the reader workers, …), read with psutil while they live; then how long a month's look-up of the units takes
(`AdminUnits.at`, made in every process that reads or makes a workbook). Set PYTHONDONTWRITEBYTECODE= as `make
test` does, or every child compiles the project's modules again.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import io
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _cpu() -> tuple[float, float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _watch(seen: dict[int, tuple[str, float]], stop: threading.Event) -> None:
    me = psutil.Process()
    while not stop.is_set():
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                times = child.cpu_times()
                # named by its first sight: an ending process's command line reads empty
                command = seen[child.pid][0] if child.pid in seen else " ".join(child.cmdline()[1:3]) or child.name()
                seen[child.pid] = (command, times.user + times.system)
        time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    for name in ("NTM_INBOX", "NTM_WAREHOUSE", "NTM_DATA_DIR", "DAGSTER_HOME"):
        os.environ[name] = "/nonexistent-set-by-the-cli"

    from ingestion.reference import load_units
    from orchestration import cli
    from samples import generate

    units = load_units()
    work = Path(tempfile.mkdtemp(prefix="ntm-run-cpu-"))
    inbox = work / "inbox"
    for month in (dt.date(2023, 11, 1), dt.date(2023, 12, 1)):
        generate("06", month, inbox, units=units)
    for n in range(1, args.runs + 1):
        seen: dict[int, tuple[str, float]] = {}
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(seen, stop), daemon=True)
        watcher.start()
        (own0, children0), clock = _cpu(), time.perf_counter()
        warehouse = work / f"run-{n}" / "warehouse.duckdb"
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
        (own1, children1), wall = _cpu(), time.perf_counter() - clock
        stop.set()
        watcher.join()
        print(f"run {n} (exit {code}): wall {wall:.1f} s, own CPU {own1 - own0:.1f} s, "
              f"children CPU {children1 - children0:.1f} s")  # fmt: skip
        by_command: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0])
        for command, cpu in seen.values():
            by_command[command][0] += 1
            by_command[command][1] += cpu
        for command, (count, cpu) in sorted(by_command.items(), key=lambda item: -item[1][1]):
            if cpu >= 0.05:
                print(f"    {count:2d} × {command[:70]:70s} {cpu:6.1f} s")
    load_units.cache_clear()
    fresh = load_units()
    clock = time.perf_counter()
    fresh.at(dt.date(2023, 12, 1))
    print(f"AdminUnits.at(12/2023) in a new look-up: {time.perf_counter() - clock:.3f} s")
    print(f"(inbox and warehouses in {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
