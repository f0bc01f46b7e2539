"""Read one workbook (a district's, templates 2024.1 / 2024.2, or a commune's, template 2026.1) into normalised rows.

``read_workbook`` returns a :class:`WorkbookResult`: rows for each raw table, every row carrying its lineage
(``file_sha256``, ``sheet``, ``row_number``), and the rows it had to reject with the sheet, row, column and reason.
A workbook that cannot be read at all, or whose cover is missing or contradicts itself, raises
:class:`WorkbookRejected`. ``read_cover`` reads only the cover (what a sensor needs).

The package is cut by subject, as the raw tables are: ``container`` (the file before any cell), ``grid`` (headers,
rows, cells), ``cover``, then one module per subject (``criteria``, ``ocop``, ``funds``, ``villages``, ``totals``;
``declared`` for a sheet of plain columns). Which rule reads a sheet is said by the sheet's declaration in
ingestion/template.py (``Sheet.rule``); ``workbook`` dispatches on it. The contracts are
../shared/spec/district-workbook.md and ../shared/spec/commune-workbook.md.
"""

from ingestion.reader.result import Cover, Rejection, WorkbookRejected, WorkbookResult, column_letter
from ingestion.reader.workbook import read_cover, read_workbook

__all__ = ["Cover", "Rejection", "WorkbookRejected", "WorkbookResult", "column_letter", "read_cover", "read_workbook"]
