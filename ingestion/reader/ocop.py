"""OCOP: B04 / C04 (the certificates a unit lists) and B08 (the dossiers of the year's evaluation rounds)."""

from __future__ import annotations

import datetime as dt

from ingestion import values as v
from ingestion.reader.grid import (
    RowReader,
    detail_rows,
    find_header,
    has_problem,
    is_totals_row,
    keep,
    required_text,
    resolve_commune,
)
from ingestion.reader.result import Cover, WorkbookResult
from ingestion.reference import DISTRICTS_END, Reference
from ingestion.template import Sheet
from ingestion.text import fold

CERTIFICATE_MONTHS = 36


def product_of_row(r: RowReader, cover: Cover, reference: Reference, out: WorkbookResult):
    """A product row's name, producer and producer's commune (B04, C04, B08): the commune the row names, else the
    reporting commune (a commune's workbook lists its own producers), else none (a district's row may leave it out)."""
    name = required_text(r, "product_name", "the product name")
    producer = required_text(r, "producer_name", "the producer (Chủ thể)")
    commune_code = cover.commune_code
    if not (v.is_blank(r.raw("commune_code")) and v.is_blank(r.raw("commune_name"))):
        commune = resolve_commune(r, cover, reference, out.notes)
        commune_code = commune.code if commune else None
    return name, producer, commune_code


def read_certificates(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    header = find_header(rows, spec, sheet)
    for r in detail_rows(rows, header, sheet):
        if is_totals_row(r, "stt", "product_name"):
            continue
        name, producer, commune_code = product_of_row(r, cover, reference, out)
        stars = r.get("stars", v.parse_stars)
        score = r.get("score", v.parse_number)
        if stars is not None and score is not None:
            try:
                v.check_score(stars, score)
            except ValueError as exc:
                r.fail("score", r.raw("score"), str(exc))
        decision_date = r.get("decision_date", v.parse_date)
        if decision_date is None and not has_problem(r, "decision_date"):
            r.fail("decision_date", None, "the decision date is empty")
        expiry = r.get("expiry_date", v.parse_date)
        defaulted = expiry is None and decision_date is not None and not has_problem(r, "expiry_date")
        if defaulted:
            expiry = v.add_months(decision_date, CERTIFICATE_MONTHS)
        record = {
            "product_code": r.text("product_code"),
            "product_name": name,
            "producer_name": producer,
            # One identity per product across re-certifications: same name and producer, as names compare.
            "product_key": f"{fold(name)}|{fold(producer)}" if name and producer else None,
            "producer_type": r.get("producer_type", v.PRODUCER_TYPES.parse),
            "commune_code": commune_code,
            "group_code": r.get("group", v.OCOP_GROUPS.parse),
            "stars": stars,
            "score": score,
            "decision_number": r.text("decision_number"),
            "decision_date": decision_date,
            "expiry_date": expiry,
            "expiry_defaulted": defaulted,
            "export_market": r.text("export_market"),
            "status_code": r.get("status", lambda x: v.OCOP_STATUSES.parse(x, default="new")),
            "issuing_level": _issuing_level(r, stars, decision_date),
        }
        keep(out, "ocop_products", r, record)


def _issuing_level(r: RowReader, stars: int | None, decision_date: dt.date | None) -> str | None:
    """Cấp công nhận (template 2026.1; may be empty for a certificate decided before 07/2025)."""
    level = r.get("issuing_level", v.ISSUING_LEVELS.parse)
    if level == "district" and decision_date is not None and decision_date > DISTRICTS_END:
        r.fail(
            "issuing_level", r.raw("issuing_level"), f"no district issues a certificate after {DISTRICTS_END:%d/%m/%Y}"
        )
    if level is not None and level != "central" and stars == 5:
        r.fail("issuing_level", r.raw("issuing_level"), "a 5★ product is recognised by the central level (Trung ương)")
    if level == "central" and stars is not None and stars < 5:
        r.fail("issuing_level", r.raw("issuing_level"), f"the central level recognises 5★ products, not {stars}★")
    return level


def read_dossiers(rows, sheet, spec: Sheet, cover: Cover, reference: Reference, out: WorkbookResult) -> None:
    """B08_OCOP_DanhGia: one row per product dossier of the year, at its stage of the evaluation rounds."""
    header = find_header(rows, spec, sheet)
    for r in detail_rows(rows, header, sheet):
        if is_totals_row(r, "stt", "product_name"):
            continue
        name, producer, commune_code = product_of_row(r, cover, reference, out)
        round_number = r.get("round", v.parse_count)
        if not round_number and not has_problem(r, "round"):
            r.fail("round", r.raw("round"), "the round (Đợt) is a number from 1")
        dossier_type = r.get("dossier_type", v.DOSSIER_TYPES.parse)
        if dossier_type is None and not has_problem(r, "dossier_type"):
            r.fail("dossier_type", None, "the dossier type is empty (Mới | Đánh giá lại)")
        stage = r.get("stage", v.DOSSIER_STAGES.parse)
        if stage is None and not has_problem(r, "stage"):
            r.fail("stage", None, "the stage is empty (" + ", ".join(v.DOSSIER_STAGES.labels.values()) + ")")
        score = r.get("score", v.parse_number)
        if score is not None and not 0 <= score <= 100:
            r.fail("score", r.raw("score"), f"score {score:g} is not between 0 and 100")
        stars = None if v.is_blank(r.raw("stars_proposed")) else r.get("stars_proposed", v.parse_stars)
        if stage == "failed" and stars is not None:
            r.fail("stars_proposed", r.raw("stars_proposed"), "a dossier that did not pass (Không đạt) is proposed no "
                   "stars")  # fmt: skip
        if stage == "recognised" and stars is None and not has_problem(r, "stars_proposed"):
            r.fail("stars_proposed", None, "a recognised product (Công nhận) has its stars (Số sao đề xuất)")
        if stars is not None and score is not None and not has_problem(r, "score"):
            try:
                v.check_score(stars, score)
            except ValueError as exc:
                r.fail("score", r.raw("score"), str(exc))
        record = {
            "product_name": name,
            "producer_name": producer,
            "product_key": f"{fold(name)}|{fold(producer)}" if name and producer else None,
            "producer_key": fold(producer) if producer else None,
            "commune_code": commune_code,
            "round_number": round_number,
            "dossier_type": dossier_type,
            "stage_code": stage,
            "score": score,
            "stars_proposed": stars,
        }
        keep(out, "ocop_dossiers", r, record)
