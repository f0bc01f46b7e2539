"""What the isolated reader's two sides say to each other (ingestion/isolation.py, the parent; ingestion/
_read_worker.py, the worker): length-prefixed pickles, and the failures a worker reports instead of a result.
Both import this module; neither imports the other's."""

from __future__ import annotations

import pickle
import struct
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ReadFailed:
    """The file could not be read by any rule the reader knows: why, for the audit tables."""

    reason: str


def send(stream, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("!Q", len(data)) + data)
    stream.flush()


def receive(stream) -> Any:
    """The next message, or EOFError when the other side is gone."""
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError
    (size,) = struct.unpack("!Q", header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def failure(exc: BaseException) -> ReadFailed:
    """The rejection of a file whose reading raised what no rule of the reader foresaw."""
    if isinstance(exc, MemoryError):
        return ReadFailed(
            "reading the file needed more memory than the reader may use; ask the district to send it again"
        )
    if type(exc).__name__ == "PanicException":
        return ReadFailed(f"the file crashed the Excel parser ({exc}); ask the district to send it again")
    return ReadFailed(describe(exc))


def describe(exc: BaseException) -> str:
    """A reason for a reader failure no rule foresaw (with the last frame, for the report)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"the workbook could not be read ({type(exc).__name__}: {exc}{where}); please report this file"
