"""Sample district workbooks, written to the template (../shared/spec/district-workbook.md).

Real districts, communes and GSO codes come from the reference list; everything a district
would type is synthetic but seeded, so the same arguments always give the same files.

Bắc Kạn (06) for December 2023 is *calibrated*: run through the pipeline, it reproduces the
province's published 2023 figures (95 communes; 29 / 5 / 33 / 28 communes in the 19 / 15-18 /
10-14 / 5-9 criteria bands; 12.81 criteria on average; 5 new NTM communes against a plan of
17; 2 new advanced against 6; no NTM commune in Pác Nặm or Ngân Sơn; 218 OCOP products =
199 × 3★ + 18 × 4★ + 1 × 5★). The figures are never written into the files: the files hold
commune rows and product rows whose counts give them. November 2023 is December with the
month's events undone (a few recognitions, criteria met, certificates decided), so that two
consecutive months can be loaded. Any other province or month gets generic synthetic data with
the same shape (used by the benchmark).

The room has one module per job: ``model`` (what a report holds), ``provinces`` (Bắc Kạn calibrated,
any other generic), ``workbook`` (one writer per sheet of the template declaration,
ingestion/template.py) and ``files`` (a province's workbooks, and a month with the problems offices meet).
"""

from samples.files import generate, generate_with_problems
from samples.model import DistrictReport, excel_round
from samples.provinces import (
    BAC_KAN,
    BAC_KAN_PERIOD,
    BAC_KAN_PREVIOUS_PERIOD,
    BK_DECEMBER_ADVANCED,
    BK_DECEMBER_CRITERIA_GAINED,
    BK_DECEMBER_NTM,
    generic_district_report,
    plan_province,
)
from samples.workbook import write_workbook

__all__ = [
    "BAC_KAN",
    "BAC_KAN_PERIOD",
    "BAC_KAN_PREVIOUS_PERIOD",
    "BK_DECEMBER_ADVANCED",
    "BK_DECEMBER_CRITERIA_GAINED",
    "BK_DECEMBER_NTM",
    "DistrictReport",
    "excel_round",
    "generate",
    "generate_with_problems",
    "generic_district_report",
    "plan_province",
    "write_workbook",
]
