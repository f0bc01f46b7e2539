"""A reader worker process (ingestion/isolation.py): `python -m ingestion._read_worker MEMORY_MB`.

Reads (index, kind, path) tasks from stdin and writes (index, result) to stdout, one file at a time, under an
address-space limit, until it reads None.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path
from typing import Any

from ingestion.reader import WorkbookRejected, read_cover, read_workbook
from ingestion.reference import load_units
from ingestion.wire import ReadFailed, failure, receive, send


def read(kind: str, path: Path) -> Any:
    """What the reader returns for the file, or the WorkbookRejected it raised."""
    units = load_units()  # cached: loaded once per process
    try:
        if kind == "cover":
            return read_cover(path, units)
        return read_workbook(path, units)
    except WorkbookRejected as exc:
        return exc


def main(argv: list[str]) -> None:
    limit = int(argv[0]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    tasks, results = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed goes to the log, not into the result stream
    while True:
        try:
            task = receive(tasks)
        except EOFError:
            return
        if task is None:
            return
        index, kind, path = task
        try:
            outcome = read(kind, Path(path))
        except BaseException as exc:  # a Rust panic is a BaseException: it rejects this file, not the worker
            outcome = failure(exc)
            if isinstance(exc, MemoryError):
                send(results, (index, outcome))
                return  # the heap may be in a bad state: the parent starts a fresh worker
        try:
            send(results, (index, outcome))
        except BaseException as exc:  # a result that cannot be pickled
            send(results, (index, ReadFailed(f"the reader's result could not be returned ({type(exc).__name__})")))


if __name__ == "__main__":
    main(sys.argv[1:])
