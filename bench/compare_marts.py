"""Compare the public marts of two serving files, column names, types and rows (published_at aside): what a
refactoring of the models must leave unchanged.

    .venv/bin/python bench/compare_marts.py BEFORE/serving.duckdb AFTER/serving.duckdb

Prints each mart that differs and exits 1, or says that they are the same and exits 0.
"""

from __future__ import annotations

import sys

import duckdb


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind, *_ in con.sql(f"describe marts.{table}").fetchall() if name != "published_at"]


def differing(before: str, after: str) -> tuple[int, list[str]]:
    with duckdb.connect(before, read_only=True) as a, duckdb.connect(after, read_only=True) as b:
        tables = sorted(t for (t,) in a.sql("select table_name from information_schema.tables "
                                            "where table_schema = 'marts'").fetchall())  # fmt: skip
        other = {t for (t,) in b.sql("select table_name from information_schema.tables "
                                     "where table_schema = 'marts'").fetchall()}  # fmt: skip
        bad = sorted(set(tables) ^ other)
        for table in sorted(set(tables) & other):
            cols = columns(a, table)
            query = f"select {', '.join(f'{chr(34)}{c}{chr(34)}' for c, _ in cols)} from marts.{table} order by all"
            if cols != columns(b, table) or a.sql(query).fetchall() != b.sql(query).fetchall():
                bad.append(table)
    return len(tables), bad


def main(argv: list[str]) -> int:
    count, bad = differing(argv[0], argv[1])
    if bad:
        print(f"{len(bad)} of {count} marts differ: {', '.join(bad)}")
        return 1
    print(f"{count} marts compared: the same, columns and rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
