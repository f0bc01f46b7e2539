"""A dbt started before the run needs it: `ntm-ocop run` starts this process first, and the run's `dbt build` is
served by it instead of a new dbt.

A new dbt process spends ~3.5 s before its first model (importing dbt-core, ~3 s; loading the partial parse) while
the run's own process is still importing Dagster, landing the inbox and reading the workbooks, on a core that
is mostly idle. This process does that start then, on that core, and waits, listening on a socket beside the
warehouse (`.dbt-warm.sock`). dagster-dbt starts its dbt as always, through the warehouse folder's launcher
(`.dbt-here`, project.py); the launcher finds the socket and runs `dbt_warm_client.py`, which hands the command,
environment and folder over and relays dbt's output and exit code: to dagster-dbt it is the dbt it started. A
build with the vars and target folder of the parse done here takes that manifest (dbtRunner's `manifest`);
anything else is parsed as dbt would.

It serves one command and ends: when its run's process ends (it watches its parent, also while it builds) or
after an hour unused.
Without it (a run of `dagster dev`, a socket left by a dead run), the launcher starts dbt itself.

Plain Python until `serve` imports dbt: `start` is called before Dagster is imported.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

SOCKET = ".dbt-warm.sock"
RECORD = "dbt-warm.json"  # in the target folder, after it served a command
EXIT = b"\x00exit "  # the reply's last line: EXIT and dbt's exit code (dbt's output never holds a NUL)
IDLE_SECONDS = 3600
# the commands that run on a parsed manifest (the others parse, or need none)
TAKES_MANIFEST = frozenset({"build", "run", "test", "seed", "snapshot", "compile"})


def socket_path(folder: Path) -> Path:
    return folder / SOCKET


def start(database_path: Path, target: Path) -> subprocess.Popen | None:
    """The warm dbt for builds of this warehouse file into this target folder (orchestration/defs/transform/
    assets.py), started now; None if it cannot be (the folder unwritable)."""
    from publishing.dbt_location import checkout_partial_parse, dbt_project_dir, warehouse_vars

    folder = Path(database_path).resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        socket_path(folder).unlink(missing_ok=True)
    except OSError:
        return None
    arguments = [
        sys.executable, "-m", "orchestration.dbt_warm", str(folder), str(dbt_project_dir()),
        str(Path(target).resolve()), str(checkout_partial_parse()), warehouse_vars(database_path),
    ]  # fmt: skip
    return subprocess.Popen(
        arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"},
        start_new_session=True,  # a Ctrl-C at the terminal reaches the run, which ends this
    )  # fmt: skip


def stop(process: subprocess.Popen | None) -> None:
    """End the warm dbt if it served nothing (it ends by itself after a build)."""
    if process is None:
        return
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(folder: Path, project_dir: Path, target: Path, partial_parse: Path, parse_vars: str) -> int:
    """Listen, start dbt (imports, then a parse of the project for a warehouse of this name), serve one command."""
    started = time.time()
    path = socket_path(folder)
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(1)
    try:
        os.chdir(folder)
        manifest = _parse(project_dir, target, partial_parse, parse_vars)
        ready = time.time()
        listener.settimeout(1.0)
        unused_until = time.monotonic() + IDLE_SECONDS
        while True:
            try:
                connection, _ = listener.accept()
                break
            except TimeoutError:
                if os.getppid() != parent or time.monotonic() > unused_until:
                    return 0
    finally:
        listener.close()
        path.unlink(missing_ok=True)  # one command: the launcher starts dbt itself from now on
    _end_with_parent(parent)
    with connection:
        served = _answer(connection, manifest, project_dir, target, parse_vars)
    # what it did, for the bench and the tests: when it was ready, whether the build took its parse
    record = {"pid": os.getpid(), "started": started, "ready": ready, "answered": time.time(), **served}
    with contextlib.suppress(OSError):
        (target / RECORD).write_text(json.dumps(record, indent=1))
    return served["exit_code"]


def _end_with_parent(parent: int) -> None:
    """While it serves, this process ends at once when its run's process is gone (killed, say, mid-build): a dbt
    left building would hold the warehouse's lock against the next run. Its own session spares it a Ctrl-C, not
    that. The model being built is rolled back (DuckDB's write-ahead log), as when dbt itself is killed."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(3)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _parse(project_dir: Path, target: Path, partial_parse: Path, parse_vars: str):
    """dbt's manifest of the project, parsed as the run's build would parse it (None if dbt could not)."""
    from dbt.cli.main import dbtRunner

    target.mkdir(parents=True, exist_ok=True)
    kept = target / "partial_parse.msgpack"
    if partial_parse.exists() and not kept.exists():  # as dagster-dbt does for a new target folder
        shutil.copy(partial_parse, kept)
    parsed = dbtRunner().invoke(
        ["parse", "--no-write-json", "--quiet", "--project-dir", str(project_dir), "--profiles-dir",
         str(project_dir), "--target-path", str(target), "--log-path", str(target), "--vars", parse_vars]
    )  # fmt: skip
    return parsed.result if parsed.success else None


def _answer(connection: socket.socket, manifest, project_dir: Path, target: Path, parse_vars: str) -> dict:
    from dbt.cli.main import dbtRunner

    request = json.loads(connection.makefile("rb").readline())
    connection.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
    arguments, environment = list(request["arguments"]), dict(request["environment"])
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(request["folder"])
    same = (
        bool(arguments)
        and arguments[0] in TAKES_MANIFEST
        and _option(arguments, "--vars") == parse_vars
        and _resolved(environment.get("DBT_TARGET_PATH")) == target.resolve()
        and _resolved(environment.get("DBT_PROJECT_DIR")) == project_dir.resolve()
        and _resolved(environment.get("DBT_PROFILES_DIR")) == project_dir.resolve()
    )
    output = connection.makefile("w", encoding="utf-8", buffering=1)
    code = 2
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            result = dbtRunner(manifest=manifest if same else None).invoke(arguments)
            code = 0 if result.success else 2 if result.exception else 1
            if result.exception is not None:
                print(f"dbt: {type(result.exception).__name__}: {result.exception}")
        except BaseException as error:  # the client must hear an exit code whatever happened
            print(f"dbt: {type(error).__name__}: {error}")
    with contextlib.suppress(OSError):
        output.flush()
        connection.sendall(EXIT + str(code).encode() + b"\n")
    return {"command": arguments[:1], "took_the_parse": bool(same and manifest is not None), "exit_code": code}


def _option(arguments: list[str], name: str) -> str | None:
    for i, argument in enumerate(arguments):
        if argument == name and i + 1 < len(arguments):
            return arguments[i + 1]
        if argument.startswith(name + "="):
            return argument.split("=", 1)[1]
    return None


def _resolved(value: str | None) -> Path | None:
    return Path(value).resolve() if value else None


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    folder, project, target_folder, partial, variables = sys.argv[1:6]
    sys.exit(serve(Path(folder), Path(project), Path(target_folder), Path(partial), variables))
