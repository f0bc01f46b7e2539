"""The DuckDB side of ingestion: table definitions and bulk loads.

Schemas: ``raw`` holds what the workbooks said (normalised, with lineage), ``audit`` holds
what happened to every file and row (received, rejected, validated). dbt builds everything
else from ``raw``. ``TABLES`` defines the raw tables (their DDL and version follow from it) and
the columns of the audit tables, whose DDL is the numbered migrations in ingestion/migrations/
(ingestion/schema.py; a test keeps the two alike).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import duckdb
import pandas as pd

from ingestion.template import raw_tables

TABLES: Mapping[str, Mapping[str, str]] = {
    **raw_tables(),  # the workbook templates' raw tables (ingestion/template.py)
    # ingestion/data/ (README there): every version of every unit, and the legacy -> 2025 commune crosswalk.
    "raw.admin_units": {
        "unit_level": "VARCHAR NOT NULL",  # province | district | commune
        "unit_code": "VARCHAR NOT NULL",
        "valid_from": "DATE NOT NULL",
        "valid_to": "DATE",  # null: still valid
        "unit_name": "VARCHAR NOT NULL",
        "unit_short_name": "VARCHAR NOT NULL",
        "unit_type": "VARCHAR NOT NULL",
        "parent_code": "VARCHAR",
        "era": "VARCHAR NOT NULL",  # legacy | 2025
        "valid_from_basis": "VARCHAR NOT NULL",
        "valid_to_basis": "VARCHAR NOT NULL",
        "sources": "VARCHAR NOT NULL",
    },
    "raw.commune_crosswalk_2025": {
        "legacy_commune_code": "VARCHAR NOT NULL",
        "legacy_province_code": "VARCHAR NOT NULL",
        "commune_code_2025": "VARCHAR NOT NULL",
        "province_code_2025": "VARCHAR NOT NULL",
        "is_split": "BOOLEAN NOT NULL",
        "is_default": "BOOLEAN NOT NULL",
        "is_cross_province": "BOOLEAN NOT NULL",
    },
    "audit.received_files": {
        "file_sha256": "VARCHAR PRIMARY KEY",
        "file_name": "VARCHAR NOT NULL",
        "inbox_path": "VARCHAR",
        "size_bytes": "BIGINT",
        "received_at": "TIMESTAMP NOT NULL",
        "landed_path": "VARCHAR NOT NULL",
        "province_code": "VARCHAR",
        "district_code": "VARCHAR",
        "period_month": "DATE",
        "report_date": "DATE",
        "status": "VARCHAR NOT NULL",  # received | loaded | superseded | rejected
        "status_reason": "VARCHAR",
        "rows_loaded": "INTEGER",
        "rows_rejected": "INTEGER",
        "notes": "VARCHAR",
        "file_name_bytes": "BLOB",  # migration 002: the exact bytes of a name that is not UTF-8
        # migration 003: the unit that sent the file (district up to 06/2025, commune from 07/2025)
        "reporting_unit_code": "VARCHAR",
        "reporting_unit_level": "VARCHAR",
    },
    "audit.resent_files": {  # migration 008: bytes received before, sent again (the unit is told: no change)
        "file_sha256": "VARCHAR NOT NULL",
        "file_name": "VARCHAR",
        "inbox_path": "VARCHAR",
        "seen_at": "TIMESTAMP NOT NULL",
    },
    "audit.reinstated_files": {  # migration 009: an earlier workbook made current again by hand
        "file_sha256": "VARCHAR NOT NULL",
        "replaced_sha256": "VARCHAR",
        "reason": "VARCHAR NOT NULL",
        "reinstated_at": "TIMESTAMP NOT NULL",
    },
    "audit.rejected_files": {
        "file_name": "VARCHAR NOT NULL",
        "file_sha256": "VARCHAR NOT NULL",
        "received_at": "TIMESTAMP NOT NULL",
        "reason": "VARCHAR NOT NULL",
    },
    "audit.rejected_rows": {
        "file_sha256": "VARCHAR NOT NULL",
        "file_name": "VARCHAR NOT NULL",
        "sheet": "VARCHAR NOT NULL",
        "row_number": "INTEGER",
        "column_name": "VARCHAR",
        "value": "VARCHAR",
        "reason": "VARCHAR NOT NULL",
    },
    "audit.validation_results": {
        "run_id": "VARCHAR NOT NULL",
        "checked_at": "TIMESTAMP NOT NULL",
        "suite": "VARCHAR NOT NULL",
        "check_name": "VARCHAR NOT NULL",
        "severity": "VARCHAR NOT NULL",  # warning | critical
        "success": "BOOLEAN NOT NULL",
        "province_code": "VARCHAR",
        "district_code": "VARCHAR",
        "period_month": "DATE",
        "observed": "VARCHAR",
        "expected": "VARCHAR",
        "details": "VARCHAR",
        "reporting_unit_code": "VARCHAR",  # migration 003: the district or commune the outcome is about
    },
    "audit.validated_months": {  # migration 004
        "suite": "VARCHAR NOT NULL",
        "period_month": "DATE NOT NULL",
        "rows_fingerprint": "VARCHAR NOT NULL",
        "suite_fingerprint": "VARCHAR NOT NULL",
        "run_id": "VARCHAR NOT NULL",
        "validated_at": "TIMESTAMP NOT NULL",
    },
}

# Raw tables that hold one workbook's detail (every template's); a resubmission replaces its rows in each.
WORKBOOK_TABLES = tuple(raw_tables())


def connect(path: str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection; a writable one first brings the file to this code's schema (ingestion/schema.py)."""
    con = duckdb.connect(path, read_only=read_only)
    if not read_only:
        ensure_schema(con)  # what it changed is recorded in audit.schema_version (schema.changes_since)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the audit migrations not applied yet, and rebuild raw if its tables changed; returns what was done."""
    from ingestion.schema import migrate

    return migrate(con, {table: dict(columns) for table, columns in TABLES.items()})


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Append rows in one bulk insert (a DataFrame scanned by DuckDB, not row by row)."""
    columns = list(TABLES[table])
    frame = pd.DataFrame(list(rows), columns=columns)
    return insert_frame(con, table, frame)


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    columns = [c for c in TABLES[table] if c in frame.columns]
    casts = ", ".join(f'cast("{c}" as {TABLES[table][c].split()[0]}) as "{c}"' for c in columns)
    con.register("_incoming", frame)
    try:
        con.execute(f"insert into {table} by name select {casts} from _incoming")
    finally:
        con.unregister("_incoming")
    return len(frame)


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    con.execute(f"delete from {table}")
    return insert_frame(con, table, frame)
