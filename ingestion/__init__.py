"""Reading district workbooks: plain Python, no Dagster.

The modules here turn one workbook file into normalised DataFrames plus a list of
rejected rows (``reader``), keep every received file unchanged (``landing``), load the
results into DuckDB in bulk (``warehouse``), and provide the official list of
administrative units (``reference``) and the sample province's workbooks (``sample``).
"""
