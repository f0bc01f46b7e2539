"""The launcher's side of the warm dbt (dbt_warm.py): `python -I -S dbt_warm_client.py SOCKET DBT [dbt arguments]`.

Standard library only, run without site-packages (starts in ~20 ms): hands the command, environment and folder to
the warm dbt listening on SOCKET, writes its output to standard output as it comes and exits with its exit code.
If nothing answers on SOCKET (a run's warm dbt that ended, or none), it runs DBT with the same arguments itself.
"""

import json
import os
import signal
import socket
import sys

EXIT = b"\x00exit "


def main(argv: list[str]) -> int:
    path, dbt, arguments = argv[1], argv[2], argv[3:]
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        os.execv(dbt, [dbt, *arguments])  # no warm dbt: the dbt it stands for
    request = {"arguments": arguments, "environment": dict(os.environ), "folder": os.getcwd()}
    connection.sendall(json.dumps(request).encode() + b"\n")
    replies = connection.makefile("rb")
    worker = json.loads(replies.readline() or b"{}").get("pid")
    if worker:  # an interrupt of this process (dagster-dbt forwards one on a cancelled run) reaches dbt
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: os.kill(worker, signal.SIGINT))
    out = sys.stdout.buffer
    for line in replies:
        if line.startswith(EXIT):
            out.flush()
            return int(line[len(EXIT) :])
        out.write(line)
        out.flush()
    sys.stderr.write(f"the warm dbt on {path} ended without an exit code\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
