"""`ntm-ocop`: the command line of the warehouse.

ntm-ocop sample --province 06 --period 2023-12 --out data/inbox
ntm-ocop template --province 06 --period 2023-12 --out data/templates [--unit CODE ...] [--prefill]
ntm-ocop run [--inbox DIR] [--warehouse PATH] [--data-dir DIR] [--serving PATH|postgresql://...] [--rebuild]
ntm-ocop backfill --from 2023-11 --to 2023-12
ntm-ocop feedback --province 06 --period 2023-12
ntm-ocop briefing --province 06 --period 2023-12
ntm-ocop status
ntm-ocop setup
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import socket
import sys
import time
from pathlib import Path

from orchestration.settings import Settings


def _period(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month as YYYY-MM (e.g. 2023-12)") from None


def cmd_sample(args: argparse.Namespace) -> int:
    try:
        return _sample(args)
    except ValueError as exc:  # a province or month the sample cannot write: say why, no traceback
        print(f"ntm-ocop sample: {exc}", file=sys.stderr)
        return 2


COMMUNES_REPORT_FROM = dt.date(2025, 7, 1)


def _sample(args: argparse.Namespace) -> int:
    from samples import generate, generate_with_problems

    if args.with_problems:
        done = generate_with_problems(args.province, args.period, Path(args.out), seed=args.seed)
        print(f"Wrote the previous month and {args.period:%m/%Y} for province {args.province} to {args.out}, with:")
        for name, what in done.items():
            print(f"  {name}: {what}")
        return 0
    if args.period >= COMMUNES_REPORT_FROM:  # no districts from 07/2025: each xã reports (template 2026.1)
        from samples.communes import generate_communes

        paths = generate_communes(args.province, args.period, Path(args.out), seed=args.seed)
        what = "commune workbooks (template 2026.1)"
    else:
        paths = generate(args.province, args.period, Path(args.out), seed=args.seed)
        what = "district workbooks (template 2024.1)"
    print(f"Wrote {len(paths)} {what} for province {args.province}, {args.period:%m/%Y}, to {args.out}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """The workbook each reporting unit of a province fills for a month (ingestion/template_workbook.py)."""
    from ingestion.reference import load_units
    from ingestion.template_workbook import last_month_values, write_templates

    try:
        prefills = None
        if args.prefill:
            settings = _settings(args)
            if not settings.warehouse.exists():
                raise ValueError(f"--prefill reads last month's accepted values from {settings.warehouse}: not found")
            from ingestion import warehouse

            with warehouse.connect(str(settings.warehouse), read_only=True) as con:
                prefills = last_month_values(con, args.province, args.period)
        paths = write_templates(
            args.province,
            args.period,
            Path(args.out),
            units=load_units(),
            unit_codes=args.unit or (),
            version=args.template,
            prefills=prefills,
        )
    except ValueError as exc:
        print(f"ntm-ocop template: {exc}", file=sys.stderr)
        return 2
    filled = ""
    if prefills is not None:
        units_filled = [code for code in prefills if not args.unit or code in args.unit]
        filled = f" ({len(units_filled)} pre-filled with the accepted values of the month before)"
    print(f"Wrote {len(paths)} template workbook(s) for {args.province}, {args.period:%m/%Y}{filled}, to {args.out}")
    for path in paths[:3]:
        print(f"  {path.name}")
    if len(paths) > 3:
        print(f"  … and {len(paths) - 3} more")
    return 0


def _write_feedback(settings: Settings, province_months: list[tuple[str, dt.date]]) -> list:
    """The units' feedback workbooks of these province-months (publishing/feedback.py), from the warehouse."""
    from ingestion import warehouse
    from ingestion.reference import load_units
    from publishing.feedback import write_feedback

    units = load_units()
    with warehouse.connect(str(settings.warehouse), read_only=True) as con:
        return [write_feedback(con, units, settings.data_dir / "reports", p, m) for p, m in province_months]


def cmd_feedback(args: argparse.Namespace) -> int:
    """(Re)write the feedback of a province's month: a workbook per unit with a problem, and the summary."""
    settings = _settings(args)
    if not settings.warehouse.exists():
        print(f"ntm-ocop feedback: no warehouse at {settings.warehouse}", file=sys.stderr)
        return 2
    (written,) = _write_feedback(settings, [(args.province, args.period)])
    print(f"Feedback for {args.province}, {args.period:%m/%Y}: {len(written.units)} unit(s) with a problem, "
          f"{written.rewritten} file(s) written, in {written.directory}")  # fmt: skip
    print(f"  summary: {written.summary.name}")
    for path in written.units:
        print(f"  {path.name}")
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    """The run's settings: these options, then the environment, then defaults. --serving is the DuckDB serving
    file's path, or a PostgreSQL URL to publish into beside that file."""
    from publishing.serving_postgres import is_postgres_url

    serving = getattr(args, "serving", None)
    into_postgres = serving is not None and is_postgres_url(str(serving))
    return Settings.load(
        inbox=getattr(args, "inbox", None),
        warehouse=getattr(args, "warehouse", None),
        data_dir=getattr(args, "data_dir", None),
        serving=None if into_postgres else serving,
        serving_postgres=str(serving) if into_postgres else None,
        serving_storage_version=getattr(args, "serving_storage_version", None),
    )


def _serving_targets(settings: Settings) -> str:
    from publishing.serving_postgres import redacted

    targets = str(settings.serving)
    if settings.serving_postgres:
        targets += f" and {redacted(settings.serving_postgres)}"
    return targets


BUSY = 3  # exit code of a run that found another run working on the same warehouse


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not settings.inbox.is_dir():
        print(
            f"ntm-ocop {args.command}: no inbox folder at {settings.inbox}; put the workbooks there or give --inbox",
            file=sys.stderr,
        )
        return 2
    settings = settings.prepare()
    with _one_run_at_a_time(settings) as other:
        if other is not None:
            print(
                f"ntm-ocop {args.command}: another run is working on {settings.warehouse} ({other}); nothing was "
                "done. Run again when it has finished (a scheduled run simply tries at its next time).",
                file=sys.stderr,
            )
            return BUSY
        return _run(args, settings)


@contextlib.contextmanager
def _one_run_at_a_time(settings: Settings):
    """An exclusive lock on `<warehouse>.run-lock` for the run's whole length, or the other run's description.

    Two runs on one warehouse would meet at DuckDB's lock minutes in, at whichever step came first, with tracebacks
    and an alert; the second is refused at once instead, saying which process holds the warehouse. The lock is the
    operating system's (flock): a run that dies, even killed, releases it."""
    import fcntl

    path = settings.warehouse.with_name(settings.warehouse.name + ".run-lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            yield handle.read().strip() or "a process that has not said which"
            return
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()} on {socket.gethostname()}, started {dt.datetime.now():%d/%m/%Y %H:%M:%S}")
        handle.flush()
        try:
            yield None
        finally:
            handle.truncate(0)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    clock = time.perf_counter()
    if not args.backfill and not getattr(args, "rebuild", False):
        behind: list[tuple[str, dt.datetime]] = []
        unchanged = _unchanged_before_starting(settings, postgres_behind=behind)
        if unchanged is not None:
            return _nothing_changed(settings, unchanged, time.perf_counter() - clock)
        if behind:  # only PostgreSQL behind (its publish failed last time): publish into it alone
            return _catch_up_postgres(settings, behind[0], clock)
    from orchestration import dbt_warm

    # dbt's start (~3.5 s) on the other core while this process imports Dagster and reads the inbox: the run's
    # `dbt build` is served by it (orchestration/dbt_warm.py)
    warm_dbt = dbt_warm.start(settings.warehouse, settings.data_dir / "dbt-target")
    try:
        return _run_started(args, settings, clock)
    finally:
        dbt_warm.stop(warm_dbt)


def _run_started(args: argparse.Namespace, settings: Settings, clock: float) -> int:
    import dagster as dg  # imported here: `ntm-ocop sample` needs none of this

    from ingestion.pipeline import pending_unit_months
    from ingestion.schema import changes_since
    from orchestration import planner, state
    from orchestration.defs.resources import resources_of
    from orchestration.defs.transform.project import prepare_manifest
    from orchestration.runs import HOST_TAG, PID_TAG, fail_stale_runs
    from publishing import briefing

    print(f"Inbox {settings.inbox} -> warehouse {settings.warehouse}", flush=True)
    started_at = dt.datetime.now().replace(microsecond=0)
    prepare_manifest()
    from orchestration.definitions import defs

    definitions = defs()
    resources = resources_of(settings)
    warehouse = resources["warehouse"]
    log_path = settings.data_dir / "logs" / f"run-{started_at:%Y%m%d-%H%M%S}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Dagster step and dbt logs: {log_path}", flush=True)
    # Rejections and warnings are summarised below; the console shows errors and progress lines.
    run_config = {"loggers": {"console": {"config": {"log_level": "ERROR"}}, "progress": {}}}
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    for message in fail_stale_runs(instance):
        print(message, flush=True)
    owner = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    unchanged = None  # (run id, published at) of the publication this warehouse still is, if nothing is new
    with instance, log_path.open("w") as log, contextlib.redirect_stdout(log):
        # 1. Land the inbox: every file kept, each workbook's district and month read from its cover.
        result = definitions.resolve_job_def("receive_files").execute_in_process(
            instance=instance, run_config=run_config, resources=resources, raise_on_error=False, tags=owner
        )
        if result.success:
            with warehouse.connect(read_only=True) as con:
                pending = {month for _, month in pending_unit_months(con)}
                for change in changes_since(con, started_at):  # a new schema: raw rebuilt, files to read again
                    print(f"Warehouse {change}", file=sys.__stdout__, flush=True)
            # 2. Read the new workbooks (only those files) and refresh everything downstream, in one run;
            #    `backfill` re-reads every workbook of its months; with nothing new, rebuild and re-publish.
            backfill = _months_between(*args.backfill) if args.backfill else []
            if not pending and not backfill and not getattr(args, "rebuild", False):
                with warehouse.connect(read_only=True) as con:
                    targets = state.serving_targets(
                        warehouse.serving_path,
                        warehouse.serving_storage_version,
                        warehouse.serving_postgres_url,
                        warehouse=warehouse.database_path,
                    )
                    now = state.warehouse_state(con, targets)
                    unchanged = state.unchanged_since(con, now, Path(warehouse.serving_path))
            if unchanged is None:
                run_plan = planner.plan(pending, backfill)
                print(run_plan.summary, file=sys.__stdout__, flush=True)
                job = definitions.resolve_job_def(run_plan.job_name)
                result = job.execute_in_process(
                    instance=instance,
                    run_config=run_config,
                    tags={**run_plan.tags, **owner},
                    partition_key=run_plan.partition_key,
                    resources=resources,
                    raise_on_error=False,
                )
    elapsed = time.perf_counter() - clock
    if unchanged is not None:
        return _nothing_changed(settings, unchanged, elapsed)

    with warehouse.connect(read_only=True) as con:
        print()
        print(briefing.render_rejections(con, started_at))
        print(briefing.printable(briefing.render_validation(con, result.run_id)))
        docs = settings.data_dir / "reports" / "validation" / "index.html"
        if docs.exists():
            print(f"  Great Expectations Data Docs: {docs}")
        if not result.success:
            failed = [e.step_key for e in result.all_events if e.is_step_failure]
            checks = [
                f"{e.asset_key.to_user_string()}: {name}"
                for e in result.get_asset_check_evaluations()
                if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
                for name in _failed_names(e)
            ]
            print(f"\nRun {result.run_id} FAILED at {', '.join(failed) or 'an unknown step'}.")
            from orchestration.defs.automation import step_errors, write_alert

            with dg.DagsterInstance.from_config(str(settings.dagster_home)) as alerts_instance:
                run = alerts_instance.get_run_by_id(result.run_id)
            errors = step_errors(result.all_events)
            if run is not None:
                write_alert(run, errors, settings.data_dir)
                print(f"Alert written to {settings.data_dir / 'reports' / 'alerts.log'}")
            for step, message in errors:
                print(f"  FAILED STEP {step}: {message}")
            for check in checks:
                print(f"  FAILED CHECK {check}")
            print(f"Nothing was published: {_serving_targets(settings)} unchanged.")
            return 1
        loaded = briefing.province_months_loaded_since(con, started_at)
        touched = con.execute(  # every province-month a file of this run was about, loaded or rejected
            "select distinct province_code, period_month from audit.received_files where received_at >= ? "
            "and province_code is not null and period_month is not null order by 1, 2",
            [started_at],
        ).fetchall()
        shown = loaded or briefing.latest_province_months(con)
        print()
        if not loaded:
            print("No new workbooks were loaded; the latest published month of each province:\n")
        for pm in shown:
            print(briefing.printable(briefing.render_province_month(con, pm)))
            print()
    print(f"Run {result.run_id} succeeded in {elapsed:.1f} s.")
    print(f"Marts published to {_serving_targets(settings)} (schema marts, see docs/marts.md and docs/bi.md).")
    packs = _write_packs(settings, [(pm.province_code, pm.period_month) for pm in shown])
    for pack in packs:
        print(f"Briefing pack: {pack.html_path}")
        print(f"               {pack.xlsx_path}")
        print(f"               {pack.docx_path}")
    for written in _write_feedback(settings, touched):
        print(f"Feedback to the units: {written.directory} ({len(written.units)} unit(s) with a problem)")
    return 0


def _catch_up_postgres(settings: Settings, behind: tuple[str, dt.datetime], clock: float) -> int:
    """Nothing is new and the serving file has the latest publication, but PostgreSQL does not (its publish failed):
    the same marts are published into PostgreSQL under the same run id, without rebuilding anything."""
    import duckdb

    from orchestration import state
    from publishing.serving_postgres import publish_postgres, redacted

    run_id, _ = behind
    try:
        publication = publish_postgres(
            settings.warehouse, settings.serving_postgres, run_id, reader_role=settings.serving_reader_role
        )
    except Exception as error:  # any error: said, with what each target holds
        print(
            f"PostgreSQL {redacted(settings.serving_postgres)} is still behind: {redacted(str(error))}. "
            f"{settings.serving} has run {run_id}'s publication; the next run tries PostgreSQL again.",
            file=sys.stderr,
        )
        return 1
    targets = state.serving_targets(
        settings.serving, settings.serving_storage_version, settings.serving_postgres, warehouse=settings.warehouse
    )
    with duckdb.connect(str(settings.warehouse)) as con:
        state.record_publication(con, run_id, publication.published_at, state.warehouse_state(con, targets))
    print(
        f"PostgreSQL {redacted(settings.serving_postgres)} brought up to date with run {run_id}'s publication, which "
        f"{settings.serving} already had (its publish had failed); nothing else changed.",
        flush=True,
    )
    return _nothing_changed(settings, behind, time.perf_counter() - clock)


def _unchanged_before_starting(
    settings: Settings, *, postgres_behind: list[tuple[str, dt.datetime]] | None = None
) -> tuple[str, dt.datetime] | None:
    """(run id, published at) of the publication the warehouse still is, when the inbox holds no file the warehouse
    has not received and nothing else changed (orchestration/state.py): found in plain Python before Dagster, dbt
    and the definitions are imported (~4 s of a start), so an unattended `ntm-ocop run` every few minutes over an
    inbox with nothing new costs about a second. None: something may be new, and the run goes the whole way (its
    landing step records the files, its state check decides again). With `postgres_behind`, the same pass also puts
    there the serving file's publication when only PostgreSQL lacks it (its publish failed)."""
    import duckdb

    from ingestion.landing import inbox_files, sha256_of
    from orchestration import state

    if not settings.warehouse.is_file():
        return None
    files, _, refused = inbox_files(settings.inbox)
    if refused:  # recorded by the landing step, each with its reason
        return None
    try:
        con = duckdb.connect(str(settings.warehouse), read_only=True)
    except duckdb.Error:  # a run writing it (its lock), or not a warehouse: the whole way decides
        return None
    with con:
        try:
            known = {sha for (sha,) in con.execute("select file_sha256 from audit.received_files").fetchall()}
            waiting = con.execute("select count(*) from audit.received_files where status = 'received'").fetchone()
        except duckdb.Error:  # a warehouse of an older schema
            return None
        if waiting[0] or any(sha256_of(path) not in known for path in files):
            return None
        targets = state.serving_targets(
            settings.serving, settings.serving_storage_version, settings.serving_postgres, warehouse=settings.warehouse
        )
        try:
            found = state.unchanged_since(con, state.warehouse_state(con, targets), settings.serving)
            if found is None and settings.serving_postgres and postgres_behind is not None:
                # in the same pass: is it only PostgreSQL that lacks the serving file's publication?
                file_only = state.serving_targets(
                    settings.serving, settings.serving_storage_version, "", warehouse=settings.warehouse
                )
                behind = state.unchanged_since(con, state.warehouse_state(con, file_only), settings.serving)
                postgres_behind.extend([behind] if behind else [])
            return found
        except duckdb.Error:
            return None


def _nothing_changed(settings: Settings, since: tuple[str, dt.datetime], elapsed: float) -> int:
    """A run with nothing new (no file, no correction, same code and targets as the last publication): it reads,
    rebuilds and republishes nothing, says so, and prints the latest published month of each province."""
    from publishing import briefing

    run_id, published_at = since
    print(
        f"Nothing has changed since run {run_id} published at {published_at:%d/%m/%Y %H:%M}: no workbook read, "
        "nothing rebuilt or republished (ntm-ocop run --rebuild does it anyway).",
        flush=True,
    )
    import duckdb

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        shown = briefing.latest_province_months(con)
        print()
        for pm in shown:
            print(briefing.printable(briefing.render_province_month(con, pm)))
            print()
    print(f"Done in {elapsed:.1f} s. The marts in {_serving_targets(settings)} are as published.")
    for pack in _write_packs(settings, [(pm.province_code, pm.period_month) for pm in shown]):
        print(f"Briefing pack: {pack.html_path}")
        print(f"               {pack.xlsx_path}")
        print(f"               {pack.docx_path}")
    return 0


def _failed_names(evaluation) -> list[str]:
    """A failed check's name, or for a model's `dbt_tests` check the dbt tests that failed."""
    failed = evaluation.metadata.get("failed")
    return list(failed.value) if failed is not None and failed.value else [evaluation.check_name]


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def cmd_backfill(args: argparse.Namespace) -> int:
    if args.last < args.first:
        print(f"--to {args.last:%Y-%m} is before --from {args.first:%Y-%m}", file=sys.stderr)
        return 2
    args.backfill = (args.first, args.last)
    return cmd_run(args)


def _write_packs(settings: Settings, province_months: list[tuple[str, dt.date]], force: bool = False) -> list:
    """The packs of these province-months (kept as they are when their figures have not changed)."""
    import duckdb

    from publishing.pack import write_packs

    reports = settings.data_dir / "reports"
    with duckdb.connect(str(settings.serving), read_only=True) as serving:
        return write_packs(serving, reports, province_months, force=force, workers=settings.pack_workers)


def cmd_briefing(args: argparse.Namespace) -> int:
    settings = _settings(args)
    serving = settings.serving
    if not serving.exists():
        print(f"No serving database at {serving}: run `ntm-ocop run` first.", file=sys.stderr)
        return 1
    packs = _write_packs(settings, [(args.province, args.period)], force=True)
    if not packs:
        print(f"Province {args.province}, {args.period:%m/%Y} is not published in {serving}.", file=sys.stderr)
        return 1
    print(f"Briefing pack for province {args.province}, {args.period:%m/%Y}:")
    print(f"  {packs[0].html_path}")
    print(f"  {packs[0].xlsx_path}")
    print(f"  {packs[0].docx_path}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from orchestration.status import render_status

    settings = _settings(args)
    print(render_status(settings.warehouse, settings.dagster_home, settings.serving, settings.deadline))
    return 0


def _by_hand(args: argparse.Namespace, command: str, action):
    """An office's change to a received file (`reject`, `reinstate`): `action(con)` on the warehouse, its refusal
    (ValueError) said on stderr; returns what the action returns, or None when refused."""
    from ingestion import warehouse

    settings = _settings(args)
    if not settings.warehouse.exists():
        print(f"ntm-ocop {command}: no warehouse at {settings.warehouse}", file=sys.stderr)
        return None
    with warehouse.connect(str(settings.warehouse)) as con:
        try:
            return action(con)
        except ValueError as exc:
            print(f"ntm-ocop {command}: {exc}", file=sys.stderr)
            return None


def cmd_reject(args: argparse.Namespace) -> int:
    """Take a received file out of the warehouse by hand (a poison file, a workbook sent by mistake)."""
    from ingestion import pipeline

    done = _by_hand(args, "reject", lambda con: pipeline.reject_by_hand(con, args.file, args.reason))
    if done is None:
        return 2
    name, sha, previous = done
    print(f"Rejected {name} ({sha[:12]}, was {previous}): {args.reason.strip()}")
    print("The file stays in landing; its rows have left the raw tables. `ntm-ocop run` refreshes the marts.")
    return 0


def cmd_reinstate(args: argparse.Namespace) -> int:
    """Make an earlier workbook of a unit and month current again (a later one was sent by mistake)."""
    from ingestion import pipeline

    done = _by_hand(args, "reinstate", lambda con: pipeline.reinstate(con, args.file, args.reason))
    if done is None:
        return 2
    name, sha, replaced = done
    replacing = f", replacing {replaced}" if replaced else ""
    print(f"Reinstated {name} ({sha[:12]}){replacing}: {args.reason.strip()}")
    print("Both files stay in landing. `ntm-ocop run` reads it and refreshes the marts.")
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    """What `make dev` runs before `dagster dev`: the data folder and Dagster's instance configuration."""
    settings = _settings(args).prepare()
    for name, value in settings.describe().items():
        print(f"{name:<24}{value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ntm-ocop", description="The NTM-OCOP warehouse: district workbooks to briefing marts."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sample = sub.add_parser(
        "sample", help="write sample workbooks for a province and month (districts to 06/2025, communes from 07/2025)"
    )
    sample.add_argument(
        "--province", default="06", help="GSO province code (default 06, Bắc Kạn: calibrated for 2023-12)"
    )
    sample.add_argument("--period", type=_period, default=_period("2023-12"), help="reporting month, YYYY-MM")
    sample.add_argument("--out", required=True, help="folder to write the workbooks to (e.g. data/inbox)")
    sample.add_argument("--seed", type=int, default=2023, help="random seed (same seed, same files)")
    sample.add_argument(
        "--with-problems",
        action="store_true",
        help="also the previous month, and this month with the problems offices meet (for demonstrations)",
    )
    sample.set_defaults(handler=cmd_sample)

    template = sub.add_parser(
        "template", help="write the workbook each reporting unit fills for a month (one per district or commune)"
    )
    template.add_argument("--province", required=True, help="province code, e.g. 06 (to 06/2025) or 19")
    template.add_argument("--period", type=_period, required=True, help="reporting month, YYYY-MM")
    template.add_argument("--out", required=True, help="folder to write the workbooks to")
    template.add_argument("--unit", action="append", help="only this unit's workbook (a district or commune code); "
                          "repeat for several")  # fmt: skip
    template.add_argument("--template", help="template version (default: the one in force: 2024.2 for district "
                          "months, 2026.1 for commune months; 2024.1 where an office still uses it)")  # fmt: skip
    template.add_argument("--prefill", action="store_true", help="fill in each unit's accepted values of the month "
                          "before from the warehouse (the unit changes only what changed)")  # fmt: skip
    template.add_argument("--warehouse", type=Path, help="as for `ntm-ocop run --warehouse` (with --prefill)")
    template.set_defaults(handler=cmd_template)

    feedback = sub.add_parser(
        "feedback", help="(re)write what each unit of a province's month is told, by cell, in Vietnamese"
    )
    feedback.add_argument("--province", required=True, help="province code, e.g. 06")
    feedback.add_argument("--period", type=_period, required=True, help="reporting month, YYYY-MM")
    feedback.add_argument("--warehouse", type=Path, help="as for `ntm-ocop run --warehouse`")
    feedback.add_argument("--data-dir", type=Path, help="as for `ntm-ocop run --data-dir` (reports/feedback/ in it)")
    feedback.set_defaults(handler=cmd_feedback)

    run = sub.add_parser("run", help="load the inbox and refresh the whole warehouse, in this process")
    run.add_argument("--inbox", type=Path, help="folder of district workbooks (default data/inbox)")
    run.add_argument("--warehouse", type=Path, help="DuckDB file (default data/warehouse.duckdb)")
    run.add_argument(
        "--data-dir", type=Path, help="folder for landing/ and dagster_home/ (default: beside --warehouse, else data/)"
    )
    run.add_argument(
        "--serving",
        help="the DuckDB file BI tools read (default: serving.duckdb beside the warehouse), or a PostgreSQL URL "
        "(postgresql://user@host/db; the password in ~/.pgpass or PGPASSWORD, never here: docs/bi.md) to publish "
        "into as well",
    )
    run.add_argument(
        "--serving-storage-version",
        help="DuckDB storage version of the serving file (default v1.4.0: BI clients embed DuckDB 1.4-1.5)",
    )
    run.add_argument(
        "--rebuild",
        action="store_true",
        help="rebuild, validate and republish even when nothing has changed since the last publication",
    )
    run.set_defaults(handler=cmd_run, backfill=None)

    backfill = sub.add_parser(
        "backfill", help="re-read every district's workbooks of a range of months (one run), then refresh and publish"
    )
    backfill.add_argument("--from", dest="first", type=_period, required=True, help="first month, YYYY-MM")
    backfill.add_argument("--to", dest="last", type=_period, required=True, help="last month, YYYY-MM")
    for option in ("--inbox", "--warehouse", "--data-dir"):
        backfill.add_argument(option, type=Path, help=f"as for `ntm-ocop run {option}`")
    for option in ("--serving", "--serving-storage-version"):
        backfill.add_argument(option, help=f"as for `ntm-ocop run {option}`")
    backfill.set_defaults(handler=cmd_backfill)

    pack = sub.add_parser("briefing", help="write the briefing pack (HTML and .xlsx) of a province and month")
    pack.add_argument("--province", required=True, help="GSO province code, e.g. 06")
    pack.add_argument("--period", type=_period, required=True, help="reporting month, YYYY-MM")
    pack.add_argument("--serving", type=Path, help="the serving database (default data/serving.duckdb)")
    pack.add_argument("--data-dir", type=Path, help="writes to <data-dir>/reports/briefing/ (default data/)")
    pack.set_defaults(handler=cmd_briefing)

    status = sub.add_parser("status", help="months loaded, districts missing, the last run, rejections to chase")
    status.add_argument("--warehouse", type=Path, help="DuckDB file (default data/warehouse.duckdb)")
    status.add_argument("--data-dir", type=Path, help="folder holding dagster_home/ (default: beside --warehouse)")
    status.set_defaults(handler=cmd_status)

    for name, handler, help_text, which in (
        ("reject", cmd_reject, "take a received file out of the warehouse by hand, with the reason", "file"),
        ("reinstate", cmd_reinstate, "make an earlier workbook of a unit and month current again, with the reason",
         "superseded file"),
    ):  # fmt: skip
        by_hand = sub.add_parser(name, help=help_text)
        by_hand.add_argument("file", help=f"the {which}'s name as received, or its sha256 (at least 8 characters)")
        by_hand.add_argument("--reason", required=True, help="why (recorded in the audit tables)")
        by_hand.add_argument("--warehouse", type=Path, help="DuckDB file (default data/warehouse.duckdb)")
        by_hand.add_argument("--data-dir", type=Path, help="the data folder (default: beside --warehouse)")
        by_hand.set_defaults(handler=handler)

    setup = sub.add_parser(
        "setup", help="create the data folder and Dagster's instance configuration (make dev runs it)"
    )
    setup.add_argument("--data-dir", type=Path, help="the data folder (default data/, or NTM_DATA_DIR)")
    setup.set_defaults(handler=cmd_setup)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # files and folders written (the warehouse, the serving file, landed workbooks, reports) are the owner's and
    # the group's, never world-readable: a BI user reads the serving file as a member of the group (docs/bi.md)
    os.umask(0o027)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
