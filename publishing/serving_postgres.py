"""Write, audit, publish into PostgreSQL, for offices where several people read the marts at once.

The same promise as the DuckDB serving file (publishing/serving.py): readers see the previous
publication or the new one, whole, never a mix, and a run that fails leaves them on the previous one.

1. The public marts and the validation results are copied into new schemas (``marts__new_<id>``,
   ``marts_meta__new_<id>``) in one transaction: a killed publish leaves nothing behind but what the
   server rolls back.
2. One short transaction renames the published schemas away and the new ones into their places
   (``marts``, ``marts_meta``). Renaming a schema does not wait for readers: a query that started
   before it finishes on the old tables, the next one reads the new.
3. The old schemas are dropped after the commit; a reader still holding them only delays that, and
   what cannot be dropped now is dropped by the next publish.

BI users read through a role without login that may only read (``reader_role``, default
``ntm_ocop_reader``): ``create user metabase login password '…' in role ntm_ocop_reader``.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
from pathlib import Path

import duckdb

from publishing.serving import PUBLIC_SCHEMA, VALIDATION_RESULTS, Publication, public_tables, sql_literal

META_SCHEMA = "marts_meta"  # validation_results and publication: in the DuckDB file, its main schema
DEFAULT_READER_ROLE = "ntm_ocop_reader"
_STALE = re.compile(rf"({PUBLIC_SCHEMA}|{META_SCHEMA})__(new|old)_[0-9a-f]+")
# How long the swap may wait for a lock (a reader's DDL, another publish) before the publish fails and
# readers stay on the previous publication; and how long dropping the old schemas may wait for readers.
SWAP_LOCK_TIMEOUT = "30s"
DROP_LOCK_TIMEOUT = "5s"

# DuckDB column types (information_schema.columns.data_type) and their PostgreSQL types.
_TYPES = {
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38, 0)",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20, 0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "VARCHAR": "text",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "UUID": "uuid",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def postgres_type(duckdb_type: str, where: str) -> str:
    """The PostgreSQL type of a DuckDB column type; `where` names the column in the error."""
    if duckdb_type in _TYPES:
        return _TYPES[duckdb_type]
    if match := _DECIMAL.fullmatch(duckdb_type):
        return f"numeric({match[1]}, {match[2]})"
    raise ValueError(
        f"{where} has the DuckDB type {duckdb_type}, which the PostgreSQL publish does not map: "
        "add it to publishing/serving_postgres.py:_TYPES"
    )


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


# A password in any of the forms libpq takes: in the URL's user part (user:secret@), as a URL parameter
# (?password=secret, &password=secret) and as a key/value connection string (password=secret, password='a b').
_PASSWORD = re.compile(
    r"(?P<user>://[^:/@\s]*:)[^@\s]+@|(?P<param>[?&]password=)[^&\s#]*|(?P<key>\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)",
    re.IGNORECASE,
)


def redacted(text: str) -> str:
    """Text as it may be shown and logged (a URL, a message, a log line): every password in it replaced by ***."""

    def mask(match: re.Match) -> str:
        if match["user"]:
            return f"{match['user']}***@"
        return f"{match['param'] or match['key']}***"

    return _PASSWORD.sub(mask, text)


def _columns(con: duckdb.DuckDBPyConnection, qualified: str) -> list[tuple[str, str, str | None]]:
    """(name, PostgreSQL type, comment) of each column of a DuckDB table, in order."""
    schema, table = qualified.split(".")
    rows = con.execute(
        "select column_name, data_type, comment from duckdb_columns() "
        "where database_name = current_database() and schema_name = ? and table_name = ? order by column_index",
        [schema, table],
    ).fetchall()
    return [(name, postgres_type(kind, f"{qualified}.{name}"), comment) for name, kind, comment in rows]


def _copy_table(con, cur, source: str, target_schema: str, target: str, scratch: Path) -> int:
    """Create `target_schema.target` like the DuckDB table `source` and copy its rows (CSV through a file)."""
    from psycopg import sql

    columns = _columns(con, source)
    name = sql.Identifier(target_schema, target)
    cur.execute(
        sql.SQL("create table {} ({})").format(
            name,
            sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(kind)) for c, kind, _ in columns),
        )
    )
    [(table_comment,)] = con.execute(
        "select comment from duckdb_tables() where database_name = current_database() and schema_name = ? "
        "and table_name = ?",
        source.split("."),
    ).fetchall() or [(None,)]
    if table_comment:
        cur.execute(sql.SQL("comment on table {} is {}").format(name, sql.Literal(table_comment)))
    for column, _, comment in columns:
        if comment:
            cur.execute(
                sql.SQL("comment on column {}.{} is {}").format(name, sql.Identifier(column), sql.Literal(comment))
            )
    csv = scratch / f"{target}.csv"
    # DuckDB writes NULL as an empty field and an empty string as "": PostgreSQL's CSV reads them back alike.
    con.execute(f"copy (select * from {source}) to {sql_literal(csv)} (format csv, header false)")
    with cur.copy(sql.SQL("copy {} from stdin (format csv)").format(name)) as copy, csv.open("rb") as rows:
        while block := rows.read(1 << 20):
            copy.write(block)
    csv.unlink()
    return cur.rowcount


def _drop_stale(pg) -> None:
    """Drop what killed or blocked publishes left: new schemas never swapped in, old ones never dropped."""
    from psycopg import errors, sql

    names = [n for (n,) in pg.execute("select nspname from pg_namespace").fetchall() if _STALE.fullmatch(n)]
    for schema in names:
        try:
            with pg.transaction():
                pg.execute(sql.SQL("set local lock_timeout = {}").format(sql.Literal(DROP_LOCK_TIMEOUT)))
                pg.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(schema)))
        except errors.LockNotAvailable:
            pass  # a reader still holds it: the next publish drops it


def _ensure_reader_role(pg, role: str) -> None:
    from psycopg import sql

    if not pg.execute("select 1 from pg_roles where rolname = %s", [role]).fetchone():
        pg.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))


def publish_postgres(
    warehouse_path: Path, url: str, run_id: str, *, reader_role: str = DEFAULT_READER_ROLE
) -> Publication:
    """Copy the public marts and the validation results into PostgreSQL and swap them in at once."""
    import psycopg
    from psycopg import sql

    published_at = dt.datetime.now().replace(microsecond=0)
    suffix = secrets.token_hex(4)
    new = {PUBLIC_SCHEMA: f"{PUBLIC_SCHEMA}__new_{suffix}", META_SCHEMA: f"{META_SCHEMA}__new_{suffix}"}
    old = {PUBLIC_SCHEMA: f"{PUBLIC_SCHEMA}__old_{suffix}", META_SCHEMA: f"{META_SCHEMA}__old_{suffix}"}
    tables: dict[str, int] = {}
    # The CSV files on their way to COPY, beside the warehouse; a killed publish's are cleared by the next.
    scratch = warehouse_path.with_name(f".{warehouse_path.name}.postgres-publish")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    with (
        duckdb.connect(str(warehouse_path), read_only=True) as con,
        psycopg.connect(url, autocommit=True, application_name="ntm-ocop publish") as pg,
    ):
        _drop_stale(pg)
        _ensure_reader_role(pg, reader_role)
        role = sql.Identifier(reader_role)
        # 1. Build: one transaction, so a killed publish leaves nothing the server does not roll back.
        with pg.transaction(), pg.cursor() as cur:
            for schema in new.values():
                cur.execute(sql.SQL("create schema {}").format(sql.Identifier(schema)))
            for name in public_tables(con):
                tables[name] = _copy_table(con, cur, f"{PUBLIC_SCHEMA}.{name}", new[PUBLIC_SCHEMA], name, scratch)
            _copy_table(con, cur, VALIDATION_RESULTS, new[META_SCHEMA], "validation_results", scratch)
            publication = sql.Identifier(new[META_SCHEMA], "publication")
            cur.execute(
                sql.SQL("create table {} (run_id text, published_at timestamp, tables integer)").format(publication)
            )
            cur.execute(
                sql.SQL("insert into {} values (%s, %s, %s)").format(publication), [run_id, published_at, len(tables)]
            )
            for schema in new.values():
                cur.execute(sql.SQL("grant usage on schema {} to {}").format(sql.Identifier(schema), role))
                cur.execute(
                    sql.SQL("grant select on all tables in schema {} to {}").format(sql.Identifier(schema), role)
                )
        # 2. Swap: one short transaction; readers see the old schemas or the new ones.
        with pg.transaction():
            pg.execute(sql.SQL("set local lock_timeout = {}").format(sql.Literal(SWAP_LOCK_TIMEOUT)))
            for schema in (PUBLIC_SCHEMA, META_SCHEMA):
                if pg.execute("select 1 from pg_namespace where nspname = %s", [schema]).fetchone():
                    pg.execute(
                        sql.SQL("alter schema {} rename to {}").format(
                            sql.Identifier(schema), sql.Identifier(old[schema])
                        )
                    )
                pg.execute(
                    sql.SQL("alter schema {} rename to {}").format(sql.Identifier(new[schema]), sql.Identifier(schema))
                )
        # 3. The previous publication, once no reader holds it (else the next publish drops it).
        _drop_stale(pg)
    shutil.rmtree(scratch, ignore_errors=True)
    return Publication(redacted(url), tables, published_at)
