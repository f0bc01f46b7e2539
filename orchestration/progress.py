"""Progress lines on the terminal for long commands.

Assets log ``PROGRESS <what happened>`` at INFO level; the ``progress`` logger (configured by
the CLI, absent from runs launched by `dagster dev`) prints just those lines, so a data engineer
sees files read and models built while the full log goes to data/logs/.
"""

from __future__ import annotations

import logging
import sys

import dagster as dg

MARKER = "PROGRESS "


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if MARKER in message:
            print(f"  … {message.split(MARKER, 1)[1]}", file=sys.__stderr__, flush=True)


@dg.logger(description="Prints the assets' PROGRESS lines to the terminal (used by `ntm-ocop run`).")
def progress_logger(init_context) -> logging.Logger:
    log = logging.getLogger("ntm_ocop.progress")
    log.setLevel(logging.INFO)
    log.propagate = False
    if not any(isinstance(h, _ProgressHandler) for h in log.handlers):
        log.addHandler(_ProgressHandler())
    return log
