"""The briefing figures as an office reads them out, from the public marts.

Plain Python over a DuckDB connection: the CLI prints this after a run.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import duckdb


def vn_number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """Vietnamese notation: 1.234,5 (dot for thousands, comma for decimals); '-' for none."""
    if value is None:
        return "-"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@dataclass
class ProvinceMonth:
    province_code: str
    period_month: dt.date


def province_months_loaded_since(con: duckdb.DuckDBPyConnection, since: dt.datetime) -> list[ProvinceMonth]:
    rows = con.execute(
        "select distinct province_code, period_month from audit.received_files "
        "where status = 'loaded' and received_at >= ? order by 1, 2",
        [since],
    ).fetchall()
    return [ProvinceMonth(p, m) for p, m in rows]


def latest_province_months(con: duckdb.DuckDBPyConnection) -> list[ProvinceMonth]:
    rows = con.execute(
        "select province_code, max(period_month) from marts.mart_province_briefing group by 1 order by 1"
    ).fetchall()
    return [ProvinceMonth(p, m) for p, m in rows]


def render_province_month(con: duckdb.DuckDBPyConnection, pm: ProvinceMonth) -> str:
    row = con.execute(
        """
        select b.*, p.province_short_name
        from marts.mart_province_briefing as b
        left join marts.dim_province as p using (province_code)
        where b.province_code = ? and b.period_month = ?
        """,
        [pm.province_code, pm.period_month],
    ).fetchone()
    if row is None:
        return f"Province {pm.province_code}, {pm.period_month:%m/%Y}: not in the marts (nothing published)."
    names = [d[0] for d in con.description]
    f = dict(zip(names, row, strict=True))
    no_ntm = con.execute(
        """
        select string_agg(d.district_short_name, ', ' order by d.district_code), count(*)
        from marts.mart_district_briefing as b
        inner join marts.dim_district as d using (district_code)
        where b.province_code = ? and b.period_month = ? and b.communes_ntm = 0
        """,
        [pm.province_code, pm.period_month],
    ).fetchone()
    year = pm.period_month.year

    def plan(new: str, planned: str, pct: str | None = None) -> str:
        text = f"{f[new]} new in {year} / plan {vn_number(f[planned])}"
        return text + (f" ({vn_number(f[pct], 1)} %)" if pct and f.get(pct) is not None else "")

    from publishing.measures import measures

    en = {name: m.en for name, m in measures().items()}  # the measures' labels (dbt_project.yml)

    def line(label: str, value: object) -> str:
        return f"  {label:<36}{value}"

    # the bands of the month's criteria set (rows of mart_criteria_bands: any set, 19 criteria or 10)
    bands = " | ".join(
        f"{band}: {communes}"
        for band, communes in con.execute(
            "select band_code, communes from marts.mart_criteria_bands where province_code = ? and period_month = ? "
            "and district_code is null order by sort_order",
            [pm.province_code, pm.period_month],
        ).fetchall()
    )
    communes_era = f["reporting_unit_level"] == "commune"
    stars = f"{f['ocop_products']} = {f['ocop_3_star']} × 3★ + {f['ocop_4_star']} × 4★ + {f['ocop_5_star']} × 5★"
    budget = (
        f"allocated {vn_number(f['fund_budget_allocated_mil_vnd'], 1)}, "
        f"disbursed {vn_number(f['fund_budget_disbursed_mil_vnd'], 1)} "
        f"({vn_number(f['fund_budget_disbursement_pct'], 2)} %)"
    )
    funds = (
        f"allocated {vn_number(f['fund_allocated_mil_vnd'], 1)}, disbursed {vn_number(f['fund_disbursed_mil_vnd'], 1)}"
        f" ({vn_number(f['fund_disbursement_pct'], 2)} %)"
    )
    ntm_new = plan("communes_ntm_new_in_year", "plan_communes_ntm", "pct_plan_communes_ntm")
    title = f"{f['province_short_name']} ({pm.province_code}), {pm.period_month:%m/%Y}"
    lines = [
        f"{title} - validation: {f['validation_status']}",
        line("Communes reported" if communes_era else "Districts reported",
             f"{f['units_reported']} / {f['units_expected']}"),
        line("Criteria set", f"{f['criteria_set_code']} ({f['criteria_in_set']} criteria)"),
        line(en["communes_total"], f["communes_total"]),
        line(en["communes_ntm"], f"{f['communes_ntm']:<5} {ntm_new}"),
        # the levels the month's criteria set has (null where it has not: 2010-2015 none, 2016-2025 advanced and
        # model, 2026-2030 modern)
        *[line(en[level], f"{f[level]:<5} " + plan(f"{level}_new_in_year", f"plan_{level}", f"pct_plan_{level}"))
          for level in ("communes_ntm_modern", "communes_ntm_advanced", "communes_ntm_model")
          if f.get(level) is not None],
        line(en["avg_criteria_met"], vn_number(f["avg_criteria_met"], 2)),
        line("Communes by criteria met", bands),
        line(en["communes_not_maintaining"], f["communes_not_maintaining"]),
        *([line("Communes by group (Nhóm xã)", " | ".join(f"{g}: {vn_number(f[f'communes_group_{g}'])}"
                                                          for g in (1, 2, 3)))] if communes_era else [
           line("Districts with no NTM commune", f"{no_ntm[1]}" + (f" ({no_ntm[0]})" if no_ntm[1] else ""))]),
        line(en["ocop_products"], stars),
        *([line("OCOP by who certified", f"former district {f['ocop_district_level']} | province "
                f"{f['ocop_province_level']} | central {f['ocop_central_level']}")] if communes_era else []),
        line(en["ocop_new_in_year"], plan("ocop_new_in_year", "plan_ocop", "pct_plan_ocop")),
        line(en["ocop_expired_not_recertified"], f["ocop_expired_not_recertified"]),
        line(en["ocop_exported"], f["ocop_exported"]),
        line(f"State budget {year} (triệu đồng)", budget),
        line(f"All sources {year} (triệu đồng)", funds),
    ]  # fmt: skip
    if not communes_era:
        lines += _template_2024_2_lines(f, line)
    return "\n".join(lines)


NOT_REPORTED = "not reported (a district's workbook lacks sheet {sheet}: template 2024.1)"


def _template_2024_2_lines(f: dict, line) -> list[str]:
    """The figures of template 2024.2's optional sheets; null (not reported) is said so, never printed as 0."""

    def reported(column: str, sheet: str, text: str) -> str:
        return NOT_REPORTED.format(sheet=sheet) if f[column] is None else text

    return [
        line("District-level units meeting NTM", reported("districts_ntm", "B07_Huyen",
             f"{f['districts_ntm']} / {f['districts_expected']} (not maintaining {f['districts_not_maintaining']}, "
             f"under appraisal {f['districts_under_appraisal']})")),
        line("Advanced set (B01N)", reported("communes_in_advanced_set", "B01N_TieuChiNangCao",
             f"{f['communes_in_advanced_set']} communes, all criteria {f['communes_advanced_all_criteria']}, average "
             f"{vn_number(f['avg_advanced_criteria_met'], 1)}, advanced not maintaining "
             f"{f['communes_advanced_not_maintaining']}")),
        line("OCOP dossiers of the year (B08)", reported("ocop_dossiers", "B08_OCOP_DanhGia",
             f"{f['ocop_dossiers']} of {f['ocop_producers_in_dossiers']} producers: {f['ocop_dossiers_new']} new, "
             f"{f['ocop_dossiers_reevaluated']} re-evaluated; evaluated {f['ocop_evaluated']}, failed "
             f"{f['ocop_dossiers_failed']}")),
    ]  # fmt: skip


def render_validation(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    """The validation results as they stand (each suite's month as its last validation left it; what the marts'
    validation_status reads), and how many suite-months this run validated."""
    from expectations.runner import LATEST_RESULTS  # not at import: the pack workers import this module

    validated = con.execute("select count(*) from audit.validated_months where run_id = ?", [run_id]).fetchone()[0]
    rows = con.execute(
        f"""
        select suite, check_name, severity, success,
            coalesce('district ' || district_code, 'commune ' || reporting_unit_code, 'province ' || province_code),
            period_month, details
        from ({LATEST_RESULTS})
        order by success, suite, check_name, reporting_unit_code
        """
    ).fetchall()
    if not rows:
        return "Validation: no checks have run."
    failed = [r for r in rows if not r[3]]
    checks = {(r[0], r[1]) for r in rows}
    lines = [
        f"Validation: {len(checks)} checks over {len({(r[4], r[5]) for r in rows})} unit- and province-months, "
        f"{len(rows) - len(failed)} results passed, {len(failed)} failed ({validated} suite-month(s) validated in "
        "this run; the others unchanged since their last validation)"
    ]
    for suite, check, severity, _, unit, month, details in failed:
        lines.append(f"  {severity.upper():8} {suite}.{check}: {unit}, {month:%m/%Y}: {details}")
    return "\n".join(lines)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """Text from a workbook or a file name, safe for a terminal: control characters (escape codes) shown, not run."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def render_rejections(con: duckdb.DuckDBPyConnection, since: dt.datetime) -> str:
    files = con.execute(
        "select file_name, status_reason from audit.received_files where status = 'rejected' and received_at >= ?",
        [since],
    ).fetchall()
    rows = con.execute(
        """
        select f.file_name, r.sheet, r.row_number, r.column_name, r.reason
        from audit.rejected_rows as r
        inner join audit.received_files as f using (file_sha256)
        where f.received_at >= ?
        order by 1, 2, 3
        """,
        [since],
    ).fetchall()
    if not files and not rows:
        return "Rejections: none."
    lines = [f"Rejections: {len(files)} workbook(s), {len(rows)} row(s)"]
    lines += [f"  REJECTED FILE {printable(name)}: {printable(reason)}" for name, reason in files]
    lines += [
        f"  {printable(name)} / {printable(sheet)} / row {row} / {printable(column or '-')}: {printable(reason)}"
        for name, sheet, row, column, reason in rows[:50]
    ]
    if len(rows) > 50:
        lines.append(f"  ... and {len(rows) - 50} more rows (audit.rejected_rows)")
    return "\n".join(lines)
