"""What a publication was made from, as one fingerprint, so that a run with nothing new does nothing.

The state of a warehouse, for what it publishes, is: every received file with its status (a new, corrected or
rejected-by-hand file changes it), the raw schema's version, the code that reads, builds, validates and publishes
(this project's files and the versions of the libraries that run them) and the serving targets. The publish step
records the state it published (``audit.published_states``); ``ntm-ocop run`` compares the state after landing the
inbox with the latest record and, when they are equal and the serving file is still that publication's, reads,
rebuilds and republishes nothing (``--rebuild`` does it anyway; the monthly schedule's job always does).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from importlib.metadata import version
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
# The project's own files that decide what a run publishes: readers, reference data, suites, models, packs.
CODE = ("ingestion", "expectations", "orchestration", "publishing", "dbt_project")
CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".json", ".md"}
SKIPPED_PARTS = {"target", "logs", "__pycache__", "dbt_packages"}
LIBRARIES = ("dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "duckdb", "great_expectations")


@cache
def code_fingerprint() -> str:
    """The project's files (by content) and the libraries' versions."""
    digest = hashlib.sha256()
    for package in CODE:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file() and not SKIPPED_PARTS & set(path.parts):
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for library in LIBRARIES:
        digest.update(f"{library}=={version(library)}\0".encode())
    return digest.hexdigest()


def _without_password(url: str) -> str:
    """The URL as recorded: its password masked in whatever form it takes (publishing/serving_postgres.redacted)."""
    from publishing.serving_postgres import redacted

    return redacted(url)


def serving_targets(serving_path: str | Path, storage_version: str, postgres_url: str, *, warehouse: str | Path) -> str:
    """What a run publishes into: the serving file, its storage version and the PostgreSQL URL (without its
    password), as the warehouse resource or the settings hold them. A serving file in the warehouse's folder is
    named by its place in it: a data folder moved whole (another disk, a restored backup, a test's copy) still
    holds the same publication, and a run with nothing new does nothing there either."""
    path = Path(serving_path).resolve()
    folder = Path(warehouse).resolve().parent
    named = f"./{path.relative_to(folder)}" if path.is_relative_to(folder) else str(path)
    return "\0".join([named, storage_version, _without_password(postgres_url)])


def warehouse_state(con: duckdb.DuckDBPyConnection, targets: str) -> str:
    """The fingerprint of what a run would publish from this warehouse now."""
    digest = hashlib.sha256()
    files = con.execute(
        "select file_sha256, status, coalesce(reporting_unit_code, ''), coalesce(period_month::varchar, '') "
        "from audit.received_files order by file_sha256"
    ).fetchall()
    for row in files:
        digest.update("\0".join(row).encode() + b"\n")
    schema = con.execute("select part, version from audit.schema_version order by part, version").fetchall()
    digest.update(repr(schema).encode())
    digest.update(code_fingerprint().encode())
    digest.update(targets.encode())
    return digest.hexdigest()


def record_publication(con: duckdb.DuckDBPyConnection, run_id: str, published_at: dt.datetime, state: str) -> None:
    con.execute("insert into audit.published_states values (?, ?, ?)", [run_id, published_at, state])


def unchanged_since(con: duckdb.DuckDBPyConnection, state: str, serving_path: Path) -> tuple[str, dt.datetime] | None:
    """(run id, published at) of the latest publication, if it was made from this very state and the serving file
    is still the one it wrote; None: something changed, or the serving file is gone or another run's."""
    latest = con.execute(
        "select run_id, published_at, state_fingerprint from audit.published_states "
        "order by published_at desc, rowid desc limit 1"
    ).fetchone()
    if latest is None or latest[2] != state or not serving_path.is_file():
        return None
    try:
        with duckdb.connect(str(serving_path), read_only=True) as serving:
            published = serving.execute("select run_id from publication").fetchone()
    except duckdb.Error:
        return None
    return (latest[0], latest[1]) if published and published[0] == latest[0] else None
