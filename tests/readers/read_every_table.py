"""Run by another DuckDB release: open a database read-only, fetch every row of every table, print counts.

Usage: python read_every_table.py DATABASE  ->  {"duckdb": "1.4.2", "tables": {"marts.dim_commune": 95, ...}}
"""

import json
import sys

import duckdb

con = duckdb.connect(sys.argv[1], read_only=True)
names = con.execute(
    "select table_schema, table_name from information_schema.tables "
    "where table_catalog = current_database() order by all"
).fetchall()
tables = {}
for schema, name in names:
    rows = con.execute(f'select * from "{schema}"."{name}"').fetchall()  # every value decoded, not only counted
    tables[f"{schema}.{name}"] = len(rows)
print(json.dumps({"duckdb": duckdb.__version__, "tables": tables}))
