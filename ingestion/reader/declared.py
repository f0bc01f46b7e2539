"""A sheet read from its declaration alone: the rule of a sheet whose declaration names none."""

from __future__ import annotations

from ingestion import values as v
from ingestion.reader.grid import detail_rows, find_header, has_problem, is_totals_row, keep, resolve_commune
from ingestion.reader.result import Cover, WorkbookResult
from ingestion.reference import Reference
from ingestion.template import Sheet


def read_declared(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """A sheet read from its declaration alone: each column's parser gives the raw column of its key; a
    commune is resolved from Mã xã / Tên xã; a totals row is skipped."""
    header = find_header(rows, spec, sheet)
    commune_columns = {"commune_code", "commune_name"} & {c.key for c in spec.columns}
    for r in detail_rows(rows, header, sheet):
        if is_totals_row(r, *(c.key for c in spec.columns[:3])):
            continue
        record = {c.key: r.get(c.key, c.parser or v.text) for c in spec.columns if c.key not in commune_columns}
        if commune_columns:
            commune = resolve_commune(r, cover, reference, out.notes)
            record["commune_code"] = commune.code if commune else None
        for column in spec.columns:
            if column.required and record.get(column.key) is None and not has_problem(r, column.key):
                r.fail(column.key, None, f"{column.label} is empty")
        keep(out, spec.table, r, record)
