"""`ntm-ocop`: the command line of the warehouse.

ntm-ocop sample --province 06 --period 2023-12 --out data/inbox
ntm-ocop run [--inbox DIR] [--warehouse PATH] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
from pathlib import Path

from orchestration import settings


def _period(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month as YYYY-MM (e.g. 2023-12)") from None


def cmd_sample(args: argparse.Namespace) -> int:
    from ingestion.sample import generate

    paths = generate(args.province, args.period, Path(args.out), seed=args.seed)
    print(f"Wrote {len(paths)} district workbooks for province {args.province}, {args.period:%m/%Y}, to {args.out}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings.configure(inbox=args.inbox, warehouse=args.warehouse, data_dir=args.data_dir, serving=args.serving)
    import dagster as dg  # imported here: `ntm-ocop sample` needs none of this

    from orchestration import briefing
    from orchestration.defs.transform.project import prepare_manifest
    from orchestration.resources import WarehouseResource

    print(f"Inbox {os.environ['NTM_INBOX']} -> warehouse {os.environ['NTM_WAREHOUSE']}", flush=True)
    started_at = dt.datetime.now().replace(microsecond=0)
    clock = time.perf_counter()
    prepare_manifest()
    from orchestration.definitions import defs

    job = defs().resolve_job_def("refresh_warehouse")
    log_path = Path(os.environ["NTM_DATA_DIR"]) / "logs" / f"run-{started_at:%Y%m%d-%H%M%S}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Running job refresh_warehouse (dbt and step logs: {log_path}) ...", flush=True)
    # Rejections and warnings are summarised below; the console shows only errors.
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    with dg.DagsterInstance.get() as instance, log_path.open("w") as log, contextlib.redirect_stdout(log):
        result = job.execute_in_process(instance=instance, run_config=quiet, raise_on_error=False)
    elapsed = time.perf_counter() - clock

    warehouse = WarehouseResource(
        database_path=os.environ["NTM_WAREHOUSE"],
        inbox_dir=os.environ["NTM_INBOX"],
        data_dir=os.environ["NTM_DATA_DIR"],
        serving_path=os.environ["NTM_SERVING"],
    )
    with warehouse.connect(read_only=True) as con:
        print()
        print(briefing.render_rejections(con, started_at))
        print(briefing.render_validation(con, result.run_id))
        docs = Path(os.environ["NTM_DATA_DIR"]) / "reports" / "validation" / "index.html"
        if docs.exists():
            print(f"  Great Expectations Data Docs: {docs}")
        if not result.success:
            failed = [e.step_key for e in result.all_events if e.is_step_failure]
            checks = [
                f"{e.asset_key.to_user_string()}: {e.check_name}"
                for e in result.get_asset_check_evaluations()
                if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
            ]
            print(f"\nRun {result.run_id} FAILED at {', '.join(failed) or 'an unknown step'}.")
            for check in checks:
                print(f"  FAILED CHECK {check}")
            print(f"Nothing was published: {os.environ['NTM_SERVING']} is unchanged.")
            return 1
        loaded = briefing.province_months_loaded_since(con, started_at)
        shown = loaded or briefing.latest_province_months(con)
        print()
        if not loaded:
            print("No new workbooks were loaded; the latest published month of each province:\n")
        for pm in shown:
            print(briefing.render_province_month(con, pm))
            print()
    print(f"Run {result.run_id} succeeded in {elapsed:.1f} s.")
    print(f"Marts published to {os.environ['NTM_SERVING']} (schema marts, see docs/marts.md); open it read-only.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ntm-ocop", description="The NTM-OCOP warehouse: district workbooks to briefing marts."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sample = sub.add_parser("sample", help="write sample district workbooks for a province and month")
    sample.add_argument(
        "--province", default="06", help="GSO province code (default 06, Bắc Kạn: calibrated for 2023-12)"
    )
    sample.add_argument("--period", type=_period, default=_period("2023-12"), help="reporting month, YYYY-MM")
    sample.add_argument("--out", required=True, help="folder to write the workbooks to (e.g. data/inbox)")
    sample.add_argument("--seed", type=int, default=2023, help="random seed (same seed, same files)")
    sample.set_defaults(handler=cmd_sample)

    run = sub.add_parser("run", help="load the inbox and refresh the whole warehouse, in this process")
    run.add_argument("--inbox", type=Path, help="folder of district workbooks (default data/inbox)")
    run.add_argument("--warehouse", type=Path, help="DuckDB file (default data/warehouse.duckdb)")
    run.add_argument(
        "--data-dir", type=Path, help="folder for landing/ and dagster_home/ (default: beside --warehouse, else data/)"
    )
    run.add_argument("--serving", type=Path, help="the database BI tools read (default: serving.duckdb beside it)")
    run.set_defaults(handler=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
