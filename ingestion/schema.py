"""The warehouse's own schema, versioned: what `warehouse.connect` brings any warehouse file up to.

- ``audit`` is history (what was received, rejected, validated): it cannot be rebuilt, so it is
  changed by numbered migrations, ``ingestion/migrations/NNN_*.sql``, each applied once, in order.
- ``raw`` is what the workbooks said, and every received file is kept in landing: when its table
  definitions (``warehouse.TABLES``) change, the raw tables are dropped, created anew and every
  current workbook is read again from landing. Its version is the fingerprint of its DDL, so a
  changed column can never meet an old table (no `create table if not exists` on a stale table).

``audit.schema_version`` records both: one row per applied audit migration, and the raw DDL's
fingerprint. A warehouse made before versioning has neither: its audit tables are adopted by
migration 001 (same DDL) and its raw tables rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"(\d{3})_[a-z0-9_]+\.sql")


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.fullmatch(path.name)
        if match is None:
            raise ValueError(f"{path}: a migration is named NNN_words.sql (e.g. 002_rejected_rows_cell.sql)")
        found.append(Migration(int(match[1]), path.stem, path.read_text(encoding="utf-8")))
    numbers = [m.number for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise ValueError(f"{MIGRATIONS_DIR}: migrations must be numbered 001, 002, ... without gaps: {numbers}")
    return found


def raw_ddl(tables: dict[str, dict[str, str]]) -> list[str]:
    """The statements that create the raw schema from its table definitions."""
    statements = ["create schema raw"]
    for table, columns in tables.items():
        if table.startswith("raw."):
            body = ",\n  ".join(f"{name} {kind}" for name, kind in columns.items())
            statements.append(f"create table {table} (\n  {body}\n)")
    return statements


def raw_version(tables: dict[str, dict[str, str]]) -> str:
    return hashlib.sha256("\n;\n".join(raw_ddl(tables)).encode()).hexdigest()[:12]


_VERSION_TABLE = """
create table if not exists audit.schema_version (
    part VARCHAR NOT NULL,      -- 'audit' (one row per migration) | 'raw' (the DDL fingerprint in use)
    version VARCHAR NOT NULL,   -- migration number, or the raw DDL's fingerprint
    name VARCHAR,               -- the migration's name, or what the raw rebuild did
    applied_at TIMESTAMP NOT NULL
)
"""


def migrate(con: duckdb.DuckDBPyConnection, tables: dict[str, dict[str, str]]) -> list[str]:
    """Bring the warehouse to this code's schema; returns what was done, in words (nothing when up to date)."""
    con.execute("create schema if not exists audit")
    con.execute(_VERSION_TABLE)
    done: list[str] = []
    applied = {
        int(v) for (v,) in con.execute("select version from audit.schema_version where part = 'audit'").fetchall()
    }
    for migration in migrations():
        if migration.number in applied:
            continue
        con.execute("begin transaction")
        try:
            con.execute(migration.sql)
            con.execute(
                "insert into audit.schema_version values ('audit', ?, ?, ?)",
                [str(migration.number), migration.name, dt.datetime.now()],
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        done.append(f"audit schema: applied migration {migration.name}")
    wanted = raw_version(tables)
    recorded = con.execute("select version from audit.schema_version where part = 'raw'").fetchall()
    current = recorded[0][0] if recorded else None  # one row: the rebuild replaces it
    if current != wanted:
        done.append(_rebuild_raw(con, tables, wanted, current))
    return done


def _rebuild_raw(con: duckdb.DuckDBPyConnection, tables, wanted: str, current: str | None) -> str:
    """New raw tables; every current workbook goes back to 'received', so the next load reads it from landing."""
    con.execute("begin transaction")
    try:
        con.execute("drop schema if exists raw cascade")
        for statement in raw_ddl(tables):
            con.execute(statement)
        rereads = con.execute(
            "select file_sha256 from audit.received_files where status in ('loaded', 'superseded')"
        ).fetchall()
        shas = [sha for (sha,) in rereads]
        con.execute("delete from audit.rejected_rows where file_sha256 in (select unnest(?))", [shas])
        con.execute(
            "update audit.received_files set status = 'received', status_reason = null "
            "where status in ('loaded', 'superseded')"
        )
        if current is None and not shas:
            message = f"raw schema: created (version {wanted})"
        else:
            message = (
                f"raw schema: version {current or 'unversioned'} -> {wanted}: raw tables rebuilt; {len(shas)} "
                "workbook(s) will be read again from landing by the next load"
            )
        con.execute("delete from audit.schema_version where part = 'raw'")
        con.execute(
            "insert into audit.schema_version values ('raw', ?, ?, ?)",
            [wanted, message, dt.datetime.now()],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return message


def changes_since(con: duckdb.DuckDBPyConnection, since: dt.datetime) -> list[str]:
    """What `migrate` did from `since` on, in words (for the CLI and the landing asset to show)."""
    rows = con.execute(
        "select part, name from audit.schema_version where applied_at >= ? order by applied_at, part desc", [since]
    ).fetchall()
    return [name if part == "raw" else f"audit schema: applied migration {name}" for part, name in rows]
