"""TongHop: the reporting unit's own totals, which the warehouse reconciles against the detail."""

from __future__ import annotations

from ingestion import values as v
from ingestion.reader.grid import total_value, totals_record
from ingestion.reader.result import Cover, Rejection, WorkbookResult
from ingestion.reference import Reference
from ingestion.template import Sheet


def read_totals(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    for index, row in enumerate(rows):
        if len(row) < 2 or v.is_blank(row[0]):
            continue
        label = v.text(row[0])
        vocabulary = v.COMMUNE_TOTALS if cover.reporting_level == "commune" else v.DISTRICT_TOTALS
        try:
            indicator = vocabulary.parse(row[0])
        except ValueError:
            if index > 0 and not v.is_blank(row[1]):
                out.notes.append(f"{sheet} row {index + 1}: label {label!r} is not a known total and was ignored")
            continue
        try:
            number = total_value(indicator, row[1])
        except ValueError as exc:
            out.rejections.append(Rejection(sheet, index + 1, f"{label} (B)", v.text(row[1]), str(exc)))
            continue
        out.tables["unit_totals"].append(totals_record("TongHop", sheet, index + 1, indicator, label, number))
