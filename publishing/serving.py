"""Write, audit, publish: BI tools read a serving database, never the working warehouse.

The pipeline writes into the warehouse (data/warehouse.duckdb). Once every model is built and
every check has passed, :func:`publish` copies the public schema `marts` into a new DuckDB file
and renames it over the serving database (data/serving.duckdb) in one atomic step. A reader that
has the serving database open keeps reading the file it opened (the old one) until it reconnects;
a run that fails before this step leaves the serving database exactly as it was.

The serving file is written at a named DuckDB storage version (``storage_version``, setting
NTM_SERVING_STORAGE_VERSION), not at the writer's own: BI clients embed older DuckDB releases
(Metabase's driver and Evidence 1.4, Superset 1.5), which cannot open a file in DuckDB 2.0's format.
docs/bi.md lists which clients read which version.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

PUBLIC_SCHEMA = "marts"
VALIDATION_RESULTS = "intermediate.int_validation__latest_results"
# The oldest DuckDB a supported BI client embeds is 1.4 (Evidence 1.4.2, Metabase's driver 1.4.3): docs/bi.md.
DEFAULT_STORAGE_VERSION = "v1.4.0"
_STORAGE_VERSION = re.compile(r"v\d+\.\d+\.\d+|latest")


@dataclass
class Publication:
    target: str  # the serving file's path, or the PostgreSQL URL without its password
    tables: dict[str, int]  # table -> rows
    published_at: dt.datetime


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sql_literal(text: str | Path) -> str:
    """A string as an SQL literal, for the statements that take no parameters (ATTACH, COPY)."""
    return "'" + str(text).replace("'", "''") + "'"


def public_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables and views of the public schema in the connection's default database, by name (a view is published
    as a table: its rows as they are at the publication)."""
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ? and table_type in ('BASE TABLE', 'VIEW') "
        "order by table_name",
        [PUBLIC_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


SERVING_COMMENTS = {
    "main.validation_results": "Every validation check of the published run, by suite, check, province, district "
    "and month: success, severity and details (docs/bi.md). A row's validation_status in the marts comes from these.",
    "main.publication": "The publication this file holds: the Dagster run that wrote it, when, and how many tables.",
}


def comment_statements(con: duckdb.DuckDBPyConnection, schema: str, target: str) -> list[str]:
    """COMMENT ON statements giving `target`.schema's tables and columns the comments of the default database's
    tables and views of `schema` (dbt's persist_docs wrote them from the models' YAML): what a BI client shows."""
    tables = con.execute(
        "select table_name, comment from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? and comment is not null union all select view_name, comment from duckdb_views() "
        "where database_name = current_database() and schema_name = ? and comment is not null",
        [schema, schema],
    ).fetchall()
    columns = con.execute(
        "select table_name, column_name, comment from duckdb_columns() where database_name = current_database() "
        "and schema_name = ? and comment is not null order by table_name, column_index",
        [schema],
    ).fetchall()
    return [f'comment on table {target}.{schema}."{t}" is {sql_literal(c)}' for t, c in tables] + [
        f'comment on column {target}.{schema}."{t}"."{col}" is {sql_literal(c)}' for t, col, c in columns
    ]


def publish(
    warehouse_path: Path, serving_path: Path, run_id: str, *, storage_version: str = DEFAULT_STORAGE_VERSION
) -> Publication:
    """Copy the public schema to a new file at `storage_version`, then rename it over the serving database."""
    if not _STORAGE_VERSION.fullmatch(storage_version):
        raise ValueError(f"serving storage version {storage_version!r} is not a DuckDB version such as 'v1.4.0'")
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in serving_path.parent.glob(f".{serving_path.name}.*.tmp*"):  # a killed publish leaves .tmp, .tmp.wal
        stale.unlink(missing_ok=True)
    staging = serving_path.with_name(f".{serving_path.name}.{run_id}.tmp")
    published_at = dt.datetime.now().replace(microsecond=0)
    tables: dict[str, int] = {}
    con = duckdb.connect(str(warehouse_path))
    try:
        con.execute(f"attach {sql_literal(staging)} as serving (storage_version {sql_literal(storage_version)})")
        con.execute(f"create schema serving.{PUBLIC_SCHEMA}")
        for name in public_tables(con):
            con.execute(f'create table serving.{PUBLIC_SCHEMA}."{name}" as select * from {PUBLIC_SCHEMA}."{name}"')
            tables[name] = con.execute(f'select count(*) from serving.{PUBLIC_SCHEMA}."{name}"').fetchone()[0]
        # The checks behind each row's validation_status (dbt's int_validation__latest_results).
        con.execute(
            f"create table serving.main.validation_results as select * from {VALIDATION_RESULTS} "
            "order by suite, check_name, province_code, district_code, period_month"
        )
        con.execute(
            "create table serving.main.publication as select ? as run_id, ? as published_at, ? as tables",
            [run_id, published_at, len(tables)],
        )
        # the descriptions of the models' YAML, as the warehouse's comments hold them (a copy drops them)
        statements = comment_statements(con, PUBLIC_SCHEMA, "serving") + [
            f"comment on table serving.{name} is {sql_literal(text)}" for name, text in SERVING_COMMENTS.items()
        ]
        con.execute(";\n".join(statements))
        con.execute("detach serving")
    except BaseException:
        con.close()
        staging.unlink(missing_ok=True)
        raise
    con.close()
    _fsync(staging)
    os.replace(staging, serving_path)  # atomic: readers see the old file or the new one, never a mix
    _fsync(serving_path.parent)
    return Publication(str(serving_path), tables, published_at)
