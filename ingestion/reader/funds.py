"""Funds and plans: B05 / C05 (allocated and disbursed by source and plan year), B06 / C06 (the year's targets)."""

from __future__ import annotations

from ingestion import values as v
from ingestion.reader.grid import detail_rows, find_header, has_problem, is_totals_row, keep, totals_record
from ingestion.reader.result import Cover, WorkbookResult
from ingestion.reference import DISTRICTS_END, Reference
from ingestion.template import Sheet


def read_positions(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = find_header(rows, spec, sheet)
    for r in detail_rows(rows, header, sheet):
        if is_totals_row(r, "stt", "source"):
            for key, indicator in (("allocated", "fund_allocated_mil_vnd"), ("disbursed", "fund_disbursed_mil_vnd")):
                number = r.get(key, v.parse_number)
                if number is not None:
                    out.tables["unit_totals"].append(
                        totals_record("B05", sheet, r.row_number, indicator, header.labels[key], number)
                    )
            out.rejections.extend(r.problems)
            continue
        source = r.get("source", v.FUND_SOURCES.parse)
        if source is None and not r.problems:
            r.fail("source", None, "the fund source is empty")
        if source == "district" and cover.period_month > DISTRICTS_END:
            r.fail("source", r.raw("source"), f"there is no district budget after {DISTRICTS_END:%m/%Y}")
        plan_year = r.get("plan_year", v.parse_year)
        if plan_year is None and not has_problem(r, "plan_year"):
            r.fail("plan_year", None, "the plan year is empty")
        record = {
            "fund_source_code": source,
            "plan_year": plan_year,
            "allocated_mil_vnd": r.get("allocated", v.parse_number),
            "disbursed_mil_vnd": r.get("disbursed", v.parse_number),
            "disbursement_pct_reported": r.get("rate", v.parse_number),
        }
        keep(out, "fund_positions", r, record)


def read_targets(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = find_header(rows, spec, sheet)
    for r in detail_rows(rows, header, sheet, spec.prefilled, out.notes):
        targets = (
            v.COMMUNE_PLAN_TARGETS
            if cover.reporting_level == "commune"
            else v.PLAN_TARGETS_2024_2
            if out.template_read == "2024.2"
            else v.PLAN_TARGETS
        )
        record = {
            "target_code": r.get("target", targets.parse),
            "plan_year": cover.period_month.year,
            "planned_value": r.get("planned", v.parse_count),  # every target counts communes, villages or products
        }
        if cover.reporting_level == "commune" and record["target_code"] in ("XA_NTM", "XA_NTM_HIEN_DAI"):
            if record["planned_value"] not in (None, 0, 1):
                r.fail("planned", r.raw("planned"), "a commune plans its own recognition: 0 or 1")
        if record["target_code"] == "HUYEN_NTM" and record["planned_value"] not in (None, 0, 1):
            r.fail("planned", r.raw("planned"), "HUYEN_NTM is the district's own recognition this year: 0 or 1")
        if record["target_code"] is None and not r.problems:
            r.fail("target", None, "the target code is empty")
        keep(out, "plan_targets", r, record)
