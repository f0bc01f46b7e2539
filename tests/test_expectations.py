"""The Great Expectations suite on OCOP star counts, on DataFrames built in the test."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations import ocop_star_counts
from expectations.runner import validate


def counts(**changes):
    rows = [
        dict(province_code="06", district_code=d, reporting_unit_code=d, period_month=pd.Timestamp("2023-12-01"),
             detail_ocop_products=10, detail_3_star=8, detail_4_star=2, detail_5_star=0,
             reported_ocop_products=10, reported_3_star=8, reported_4_star=2, reported_5_star=0, reported_star_sum=10)
        for d in ("060", "061", "062")
    ]  # fmt: skip
    rows[1].update(changes)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def agreeing():
    return validate(ocop_star_counts, counts())


def test_agreement_passes_every_check_for_every_district(agreeing):
    assert agreeing.success
    assert len(agreeing.outcomes) == len(ocop_star_counts.CHECKS) * 3


def test_one_off_three_star_count_names_the_district():
    outcome = validate(ocop_star_counts, counts(reported_3_star=9, reported_star_sum=11))
    assert not outcome.success
    failing = {(f.check_name, f.district_code, f.observed, f.expected) for f in outcome.failures}
    assert failing == {
        ("ocop_3_star_match_district_total", "061", "8", "9"),
        ("ocop_reported_stars_sum_to_total", "061", "11", "10"),
    }
    assert all(f.severity == "warning" for f in outcome.failures)


def test_missing_reported_total_fails():
    outcome = validate(ocop_star_counts, counts(reported_ocop_products=None))
    assert {f.check_name for f in outcome.failures} == {
        "ocop_products_match_district_total",
        "ocop_reported_stars_sum_to_total",
    }


def test_district_totals_suite_names_each_disagreeing_total():
    from decimal import Decimal

    from expectations import unit_totals

    row = dict(
        province_code="06", district_code="060", reporting_unit_code="060", period_month=pd.Timestamp("2023-12-01")
    )
    values = {
        "communes_total": 10,
        "communes_ntm": 3,
        "communes_ntm_advanced": 1,
        "communes_ntm_model": 0,
        "avg_criteria_met": Decimal("12.63"),
        "fund_allocated_mil_vnd": Decimal("1234.5"),
        "fund_disbursed_mil_vnd": Decimal("800.0"),
    }
    for measure, value in values.items():
        row[f"detail_{measure}"] = row[f"reported_{measure}"] = value
    for check in unit_totals.CHECKS[len(values) :]:  # the totals rows of B01 and B05
        row[check.left] = row[check.right] = Decimal("99.5")
    agreeing = validate(unit_totals, pd.DataFrame([row]))
    assert agreeing.success and len(agreeing.outcomes) == 7 + 3
    row["reported_communes_ntm"], row["reported_avg_criteria_met"] = 4, Decimal("12.62")
    outcome = validate(unit_totals, pd.DataFrame([row]))
    assert {(f.check_name, f.observed, f.expected) for f in outcome.failures} == {
        ("communes_ntm_match_district_total", "3", "4"),
        ("avg_criteria_met_match_district_total", "12.63", "12.62"),
    }


def test_internal_consistency_suite_names_each_contradiction():
    from expectations import internal_consistency

    row = dict(province_code="06", district_code="063", reporting_unit_code="063",
               period_month=pd.Timestamp("2023-12-01"),
               communes_count_not_matching_marks=0, fund_rows_over_disbursed=0, fund_rows_rate_not_matching=0,
               dossiers_recognised_without_certificate=0, district_maintaining_but_missing_criteria=0,
               allowed=0)  # fmt: skip
    assert validate(internal_consistency, pd.DataFrame([row])).success
    row.update(communes_count_not_matching_marks=2, fund_rows_over_disbursed=1,
               dossiers_recognised_without_certificate=3)  # fmt: skip
    outcome = validate(internal_consistency, pd.DataFrame([row]))
    assert {(f.check_name, f.district_code, f.observed) for f in outcome.failures} == {
        ("criteria_count_matches_marks", "063", "2"),
        ("disbursed_within_allocation", "063", "1"),
        ("recognised_dossier_has_certificate", "063", "3"),
    }
    assert {f.severity for f in outcome.failures} == {"warning"}


def test_reference_integrity_warns_on_unlisted_codes_and_holds_back_double_counting():
    from expectations import reference_integrity

    clean = dict(communes_not_in_reference_list=0, communes_not_in_reference_list_named=None,
                 communes_written_more_than_once=0, communes_written_more_than_once_named=None,
                 communes_of_another_district=0, communes_of_another_district_named=None,
                 communes_also_reported_by_another_district=0, communes_also_reported_by_another_district_named=None,
                 allowed=0)  # fmt: skip
    rows = [
        dict(
            province_code="06", district_code=d, reporting_unit_code=d, period_month=pd.Timestamp("2023-12-01"), **clean
        )
        for d in ("063", "064", "065")
    ]
    assert validate(reference_integrity, pd.DataFrame(rows)).success
    rows[0].update(communes_not_in_reference_list=1, communes_not_in_reference_list_named="99999 Xã Mới")
    rows[1].update(
        communes_of_another_district=1, communes_of_another_district_named="02083 Xã Nông Thượng (listed under 058)"
    )
    outcome = validate(reference_integrity, pd.DataFrame(rows))
    assert {(f.check_name, f.district_code, f.severity) for f in outcome.failures} == {
        ("commune_in_reference_list", "063", "warning"),
        ("commune_in_its_district", "064", "critical"),
    }
    details = {f.district_code: f.details for f in outcome.failures}
    assert details["063"].endswith("(99999 Xã Mới)")
    assert "listed under 058" in details["064"]


def test_coverage_names_the_districts_that_have_not_reported():
    from expectations import coverage

    row = dict(province_code="06", district_code=None, reporting_unit_code=None,
               period_month=pd.Timestamp("2023-12-01"), units_expected=8, units_reported=6,
               units_missing="Huyện Pác Nặm (060), Huyện Na Rì (066)", is_unit_list_known=True,
               unit_list_known_required=True, unit_list_note=None)  # fmt: skip
    outcome = validate(coverage, pd.DataFrame([row]))
    (failure,) = outcome.failures
    assert (failure.province_code, failure.district_code, failure.severity) == ("06", None, "warning")
    assert failure.details.endswith("(Huyện Pác Nặm (060), Huyện Na Rì (066))")
    complete = {**row, "units_reported": 8, "units_missing": None}
    assert validate(coverage, pd.DataFrame([complete])).success
    # every unit reported, but in a month before the province's list is known: never "complete"
    note = "danh mục đơn vị hành chính lưu trữ của tỉnh bắt đầu từ 01/03/2020"
    early = {**complete, "period_month": pd.Timestamp("2014-11-01"), "is_unit_list_known": False,
             "unit_list_note": note}  # fmt: skip
    (failure,) = validate(coverage, pd.DataFrame([early])).failures
    assert failure.check_name == "unit_list_known" and failure.details.endswith(f"({note})")


def test_plausibility_warns_on_each_step_backwards():
    from expectations import plausibility

    row = dict(province_code="06", district_code="061", reporting_unit_code="061",
               period_month=pd.Timestamp("2023-12-01"),
               communes_losing_level=0, communes_losing_level_named=None, ocop_products_fell_over_10_pct=0,
               ocop_products_change=None, fund_lines_disbursement_down=0, fund_lines_disbursement_down_named=None,
               allowed=0)  # fmt: skip
    assert validate(plausibility, pd.DataFrame([row])).success
    row.update(ocop_products_fell_over_10_pct=1, ocop_products_change="40 → 30")
    outcome = validate(plausibility, pd.DataFrame([row]))
    assert [(f.check_name, f.severity, f.details.endswith("(40 → 30)")) for f in outcome.failures] == [
        ("ocop_products_within_10_pct", "warning", True)
    ]


def test_a_missing_totals_row_has_nothing_to_reconcile():
    from decimal import Decimal

    from expectations import unit_totals

    totals_rows = [c for c in unit_totals.CHECKS if c.optional]
    assert {c.name for c in totals_rows} == {
        "b01_criteria_met_sum_match_totals_row",
        "b05_fund_allocated_mil_vnd_match_totals_row",
        "b05_fund_disbursed_mil_vnd_match_totals_row",
    }
    row = dict(
        province_code="06", district_code="065", reporting_unit_code="065", period_month=pd.Timestamp("2023-12-01")
    )
    for check in unit_totals.CHECKS:
        row[check.left] = row[check.right] = Decimal("10")
    row["reported_b01_criteria_met_sum"] = None  # no totals row under B01
    row["reported_b05_fund_disbursed_mil_vnd"] = Decimal("9.9")
    outcome = validate(unit_totals, pd.DataFrame([row]))
    assert [f.check_name for f in outcome.failures] == ["b05_fund_disbursed_mil_vnd_match_totals_row"]


def test_a_month_is_validated_again_only_when_its_rows_or_its_suite_change(tmp_path, monkeypatch):
    """A run validates the months whose rows changed since their last validation; the others keep their results,
    which stay the suite's latest (what the marts' validation_status reads)."""
    import datetime as dt

    from expectations import runner
    from ingestion import warehouse

    table = "intermediate.star_counts"
    monkeypatch.setattr(ocop_star_counts, "TABLE", table)
    con = warehouse.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema intermediate")
    november = counts().assign(period_month=pd.Timestamp("2023-11-01"))
    frame = pd.concat([november, counts(reported_3_star=9, reported_star_sum=11)])  # 061 is one off in December
    con.register("frame", frame)
    con.execute(f"create table {table} as select * replace (period_month::date as period_month) from frame")
    con.unregister("frame")

    def run(run_id: str, at: int) -> list[dt.date]:
        months, fingerprints, code = runner.months_to_validate(con, ocop_star_counts)
        if months:
            outcome = validate(ocop_star_counts, runner.read_months(con, ocop_star_counts, months))
            runner.record(con, run_id, outcome, checked_at=dt.datetime(2024, 1, 1, 0, 0, at))
        runner.record_months(
            con, ocop_star_counts, run_id, months, fingerprints, code, dt.datetime(2024, 1, 1, 0, 0, at)
        )
        return months

    nov, dec = dt.date(2023, 11, 1), dt.date(2023, 12, 1)
    assert run("first", 1) == [nov, dec]
    assert run("second", 2) == []  # nothing changed: both months keep the first run's results
    assert {(f.district_code, f.period_month) for f in runner.latest_failures(con, ocop_star_counts)} == {("061", dec)}

    con.execute(f"update {table} set reported_3_star = 8, reported_star_sum = 10 where period_month = '2023-12-01'")
    assert run("third", 3) == [dec]  # 061 resent December, corrected
    assert runner.latest_failures(con, ocop_star_counts) == []
    latest = con.execute(  # the rule int_validation__latest_results applies: per suite and month, the last run
        "select period_month, arg_max(run_id, checked_at) from audit.validation_results group by 1 order by 1"
    ).fetchall()
    assert latest == [(nov, "first"), (dec, "third")]

    monkeypatch.setattr(runner, "suite_fingerprint", lambda suite: "the suite's code changed")
    assert run("fourth", 4) == [nov, dec]
    con.close()


def test_the_data_docs_show_each_suites_latest_validation(tmp_path):
    """A run that validated one suite (the months of the others had not changed) rebuilds the site with that
    suite's new report and the others' earlier ones; a run that validated nothing leaves the site as it was."""
    import time

    from expectations import coverage, runner

    province = dict(province_code="06", district_code=None, reporting_unit_code=None,
                    period_month=pd.Timestamp("2023-12-01"), units_expected=8, units_reported=8,
                    units_missing=None, is_unit_list_known=True, unit_list_known_required=True,
                    unit_list_note=None)  # fmt: skip
    frames = {"ocop_star_counts": counts(), "coverage": pd.DataFrame([province])}
    suites = {"ocop_star_counts": ocop_star_counts, "coverage": coverage}
    for name, suite in suites.items():
        runner.save_report(validate(suite, frames[name]), tmp_path, "first")
    assert runner.build_data_docs(tmp_path, "first") == tmp_path / "index.html"
    time.sleep(0.01)
    runner.save_report(validate(ocop_star_counts, counts(reported_3_star=9)), tmp_path, "second")
    assert runner.build_data_docs(tmp_path, "second") == tmp_path / "index.html"

    pages = {page.parts[-4] for page in tmp_path.glob("validations/*/*/*/*.html")}
    assert pages == {"ocop_star_counts", "coverage"}
    kept = sorted(str(p.relative_to(tmp_path / runner.RESULTS)) for p in (tmp_path / runner.RESULTS).glob("*/*"))
    assert kept == ["first/coverage.json", "second/ocop_star_counts.json"]
    site = (tmp_path / "index.html").read_bytes()
    assert runner.build_data_docs(tmp_path, "third") is None  # nothing validated
    assert (tmp_path / "index.html").read_bytes() == site
