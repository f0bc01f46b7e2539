"""Read untrusted workbooks in child processes, with a memory and a time limit.

A received file is whatever a district sent. Some files make the Excel parser allocate terabytes
(one cell at XFD1048576), abort the process (SIGABRT), or raise a Rust panic, which is a
``BaseException`` no ``except Exception`` catches. Read in the orchestrator's own process, one such
file stops every district of every month. Here each file is read by a worker process:

* the worker's address space is capped (``Limits.memory_mb``; setting ``NTM_READER_MEMORY_MB``, default 3072):
  an allocation past it fails inside the worker;
* each file has a time limit (``Limits.seconds``; ``NTM_READER_SECONDS``, default 120): a worker still reading
  is killed;
* a worker that dies (signal, abort, out of memory), panics or times out turns into a rejection of *that*
  file, with the reason; a new worker takes the next file.

Workers are fresh interpreters (``python -m ingestion._read_worker``): they inherit none of the
orchestrator's threads or database handles, load the reader and the unit table once, and read file after
file until they are told to stop (or die, and are replaced). Up to ``Limits.workers``
(``NTM_READER_WORKERS``, default: the machine's cores) files are read at once; results come back in the
order the files were given, so supersession by receipt order is unchanged. The settings are read by
``orchestration.settings.Settings`` and passed in as :class:`Limits`; the messages both sides exchange are
``ingestion/wire.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from ingestion import wire
from ingestion.wire import ReadFailed, receive, send

__all__ = ["Limits", "ReadFailed", "left_in_flight", "read_files"]


@dataclass(frozen=True)
class Limits:
    """How files are read: each worker's address space, each file's time, and how many workers at once (0: in
    this process, unprotected, for a debugger)."""

    memory_mb: int = 3072
    seconds: float = 120.0
    workers: int = 2


class _Worker:
    """A `python -m ingestion._read_worker` process: tasks on its stdin, results on its stdout."""

    def __init__(self, limits: Limits):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ingestion._read_worker", str(limits.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "RUST_BACKTRACE": "0"},
        )
        self.task: tuple[int, str, str] | None = None
        self.started = 0.0

    def give(self, task: tuple[int, str, str]) -> None:
        self.task, self.started = task, time.monotonic()
        send(self.process.stdin, task)

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                send(self.process.stdin, None)
                self.process.wait(5)
            except (BrokenPipeError, OSError, subprocess.TimeoutExpired):
                kill = True
        if kill:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


def _death(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"the file crashed the reader ({name})"
    return f"the file crashed the reader (exit code {returncode})"


def read_files(
    kind: str, paths: Iterable[Path], limits: Limits | None = None, in_flight: Path | None = None
) -> Iterator[tuple[Path, Any]]:
    """(path, what the reader returned, or a ReadFailed/exception to reject it with), in the order given.

    ``kind`` is ``"workbook"`` (:func:`ingestion.reader.read_workbook`) or ``"cover"``
    (:func:`ingestion.reader.read_cover`). A ``WorkbookRejected`` raised by the reader comes back as is.
    ``limits.workers == 0`` reads in this process, unprotected (for a debugger). ``in_flight``: a file kept
    listing the paths being read at each moment (removed at the end), so that if this process dies, the next
    load knows which files were in the readers' hands (:func:`left_in_flight`).
    """
    paths = list(paths)
    if not paths:
        return
    limits = limits or Limits()
    if limits.workers == 0:
        from ingestion import _read_worker

        for path in paths:
            try:
                yield path, _read_worker.read(kind, path)
            except Exception as exc:
                yield path, wire.failure(exc)
        return
    results: dict[int, Any] = {}
    flight = _Flight(in_flight)
    queue = list(enumerate(str(p) for p in paths))
    queue.reverse()
    workers = [_Worker(limits) for _ in range(min(limits.workers, len(paths)))]
    next_out = 0
    try:
        while next_out < len(paths):
            for worker in workers:
                if worker.task is None and queue:
                    index, path = queue.pop()
                    flight.add(path)
                    try:
                        worker.give((index, kind, path))
                    except (BrokenPipeError, OSError):
                        worker.task = (index, kind, path)  # found dead below
            busy = [w for w in workers if w.task is not None]
            deadline = min(w.started + limits.seconds for w in busy)
            ready = wait([w.process.stdout for w in busy], max(0.0, deadline - time.monotonic()))
            now = time.monotonic()
            for i, worker in enumerate(workers):
                if worker.task is None:
                    continue
                index = worker.task[0]
                failure = None
                if worker.process.stdout in ready:
                    try:
                        got, outcome = receive(worker.process.stdout)
                        results[got] = outcome
                        worker.task = None
                        continue
                    except EOFError:
                        worker.process.wait()
                        failure = _death(worker.process.returncode) + "; ask the district to send it again"
                elif now - worker.started >= limits.seconds:
                    failure = (
                        f"reading the file took longer than {limits.seconds:g} s and was stopped; "
                        "ask the district to send it again"
                    )
                if failure is not None:
                    results[index] = ReadFailed(failure)
                    worker.stop(kill=True)
                    workers[i] = _Worker(limits)
            flight.keep({w.task[2] for w in workers if w.task is not None})
            while next_out in results:
                yield paths[next_out], results.pop(next_out)
                next_out += 1
        flight.done()
    finally:
        for worker in workers:
            worker.stop(kill=worker.task is not None)


class _Flight:
    """The paths in the readers' hands, on disk (a small JSON file replaced atomically on each change)."""

    def __init__(self, path: Path | None):
        self.path, self.paths = path, set()

    def add(self, path: str) -> None:
        self.keep(self.paths | {path})

    def keep(self, paths: set[str]) -> None:
        if self.path is None or paths == self.paths:
            return
        self.paths = set(paths)
        partial = self.path.with_suffix(".part")
        partial.write_text(json.dumps(sorted(self.paths)))
        os.replace(partial, self.path)

    def done(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def left_in_flight(in_flight: Path) -> list[str]:
    """The paths a process that died was reading (empty when the last read ended normally)."""
    try:
        return json.loads(in_flight.read_text())
    except (FileNotFoundError, ValueError):
        return []
