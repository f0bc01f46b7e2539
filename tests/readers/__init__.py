"""Other DuckDB releases, each in its own small virtual environment, to open files as BI clients do."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The oldest DuckDB a supported BI client embeds: Evidence 1.4.2 (Metabase's driver 1.4.3, Superset 1.5.x).
# docs/bi.md lists them; the serving file's storage version (publishing/serving.py) must open in it.
OLDEST_BI_DUCKDB = "1.4.2"
READ_EVERY_TABLE = Path(__file__).with_name("read_every_table.py")


def duckdb_python(version: str) -> Path:
    """The Python of a virtual environment holding duckdb==`version` (made once, kept under .venv/readers/)."""
    home = ROOT / ".venv" / "readers" / f"duckdb-{version}"
    python = home / "bin" / "python"
    ready = home / ".installed"
    if not ready.exists():
        uv = Path(sys.executable).with_name("uv")  # installed by `make` (Makefile): seconds where pip takes ~20 s
        if uv.exists():
            subprocess.run([str(uv), "venv", "--quiet", "--python", sys.executable, str(home)], check=True)
            subprocess.run([str(uv), "pip", "install", "--quiet", "--python", str(python), f"duckdb=={version}"],
                           check=True)  # fmt: skip
        else:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(home)], check=True)
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"duckdb=={version}"],
                check=True,
            )
        ready.touch()
    return python


def read_every_table(python: Path, database: Path) -> dict:
    """What a reader with that Python's DuckDB sees in `database`: its version, and rows of each table."""
    done = subprocess.run(
        [str(python), str(READ_EVERY_TABLE), str(database)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"DuckDB {python} could not read {database}:\n{done.stderr.strip()}")
    return json.loads(done.stdout)
