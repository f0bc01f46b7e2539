"""Runs of `ntm-ocop run` that their process left unfinished (killed, out of memory): found and marked failed.

Each CLI run is tagged with its process id and host (PID_TAG, HOST_TAG). Dagster's run monitoring watches the
runs that `dagster dev`'s daemon launches, not those a CLI process executes in itself; such a run left STARTED
would hold the one-run-at-a-time queue forever. The next `ntm-ocop run` and every tick of the inbox sensor mark
them failed (`fail_stale_runs`).
"""

from __future__ import annotations

import os
import socket

PID_TAG, HOST_TAG = "ntm/pid", "ntm/host"


def fail_stale_runs(instance) -> list[str]:
    """Runs an `ntm-ocop run` left STARTED when its process died (killed, out of memory): marked failed.

    Each CLI run is tagged with its process id and host; a run still in progress whose process no longer exists
    on this host is over, and left as it is it would hold the one-run-at-a-time queue forever. Runs launched by
    `dagster dev` are watched by Dagster's run monitoring instead (dagster.yaml, orchestration/settings.py).
    """
    import dagster as dg

    statuses = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.CANCELING]
    messages = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=statuses, tags={HOST_TAG: socket.gethostname()})):
        pid = int(run.tags.get(PID_TAG, "0") or 0)
        if pid and pid != os.getpid() and not _alive(pid):
            instance.report_run_failed(run, message=f"the process running it ({pid}) is gone (killed?)")
            messages.append(
                f"Run {run.run_id} was left {run.status.value} by process {pid}, which is gone: marked failed."
            )
    return messages


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
