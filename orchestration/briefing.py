"""The briefing figures as an office reads them out, from the public marts.

Plain Python over a DuckDB connection: the CLI prints this after a run.
"""

from __future__ import annotations

import datetime as dt
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
        return text + (f" ({vn_number(f[pct], 1)} %)" if pct and f[pct] is not None else "")

    lines = [
        f"{f['province_short_name']} ({pm.province_code}), {pm.period_month:%m/%Y} - validation: {f['validation_status']}",
        f"  Districts reported                  {f['districts_reported']} / {f['districts_expected']}",
        f"  Communes (xã)                       {f['communes_total']}",
        f"  NTM communes (cumulative)           {f['communes_ntm']:<5} {plan('communes_ntm_new_in_year', 'plan_communes_ntm', 'pct_plan_communes_ntm')}",
        f"  Advanced NTM communes               {f['communes_ntm_advanced']:<5} {plan('communes_ntm_advanced_new_in_year', 'plan_communes_ntm_advanced')}",
        f"  Model NTM communes                  {f['communes_ntm_model']:<5} {plan('communes_ntm_model_new_in_year', 'plan_communes_ntm_model')}",
        f"  Average criteria met per commune    {vn_number(f['avg_criteria_met'], 2)}",
        "  Communes by criteria met            "
        f"19: {f['communes_19_criteria']} | 15-18: {f['communes_15_18_criteria']} | 10-14: {f['communes_10_14_criteria']}"
        f" | 5-9: {f['communes_5_9_criteria']} | under 5: {f['communes_under_5_criteria']}",
        f"  Recognised but not maintaining      {f['communes_not_maintaining']}",
        f"  Districts with no NTM commune       {no_ntm[1]}" + (f" ({no_ntm[0]})" if no_ntm[1] else ""),
        f"  OCOP products (valid 3★+)           {f['ocop_products']} = {f['ocop_3_star']} × 3★ + "
        f"{f['ocop_4_star']} × 4★ + {f['ocop_5_star']} × 5★",
        f"  New OCOP products                   {plan('ocop_new_in_year', 'plan_ocop', 'pct_plan_ocop')}",
        f"  OCOP expired, not re-certified      {f['ocop_expired_not_recertified']}",
        f"  OCOP products exported              {f['ocop_exported']}",
        f"  Funds, plan year {year} (triệu đồng)  allocated {vn_number(f['fund_allocated_mil_vnd'], 1)}, "
        f"disbursed {vn_number(f['fund_disbursed_mil_vnd'], 1)} ({vn_number(f['fund_disbursement_pct'], 2)} %)",
    ]
    return "\n".join(lines)


def render_validation(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    rows = con.execute(
        """
        select suite, check_name, severity, success, district_code, period_month, observed, expected
        from audit.validation_results where run_id = ?
        order by success, suite, check_name, district_code
        """,
        [run_id],
    ).fetchall()
    if not rows:
        return "Validation: no checks ran in this run."
    failed = [r for r in rows if not r[3]]
    checks = {(r[0], r[1]) for r in rows}
    lines = [
        f"Validation: {len(checks)} checks over {len({(r[4], r[5]) for r in rows})} district-months, "
        f"{len(rows) - len(failed)} results passed, {len(failed)} failed"
    ]
    for suite, check, severity, _, district, month, observed, expected in failed:
        lines.append(
            f"  {severity.upper():8} {suite}.{check}: district {district}, {month:%m/%Y}: "
            f"detail {observed}, district reported {expected}"
        )
    return "\n".join(lines)


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
    lines += [f"  REJECTED FILE {name}: {reason}" for name, reason in files]
    lines += [f"  {name} / {sheet} / row {row} / {column or '-'}: {reason}" for name, sheet, row, column, reason in rows[:50]]
    if len(rows) > 50:
        lines.append(f"  ... and {len(rows) - 50} more rows (audit.rejected_rows)")
    return "\n".join(lines)
