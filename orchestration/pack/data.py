"""The pack's figures, read from the serving database (what BI tools read) and its validation results."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import duckdb


@dataclass
class PackData:
    province_code: str
    province_name: str
    period_month: dt.date
    figures: dict[str, Any]
    districts: list[dict[str, Any]]
    missing_districts: list[str]
    hardest: list[dict[str, Any]]
    funds: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    published_at: dt.datetime | None
    run_id: str | None
    charts: dict[str, bytes] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Changes when any figure, district row or warning of the pack changes."""
        payload = [self.figures, self.districts, self.missing_districts, self.hardest, self.funds, self.warnings]
        return hashlib.sha256(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load(con: duckdb.DuckDBPyConnection, province_code: str, period_month: dt.date) -> PackData | None:
    """The pack's figures from a serving database connection, or None if the month is not published."""
    rows = _dicts(
        con,
        "select b.*, p.province_name from marts.mart_province_briefing b "
        "left join marts.dim_province p using (province_code) where province_code = ? and period_month = ?",
        [province_code, period_month],
    )
    if not rows:
        return None
    figures = rows[0]
    key = [province_code, period_month]
    districts = _dicts(
        con,
        "select d.district_short_name as district_name, b.* from marts.mart_district_briefing b "
        "join marts.dim_district d using (district_code) where b.province_code = ? and b.period_month = ? "
        "order by b.district_code",
        key,
    )
    missing = [
        r["name"]
        for r in _dicts(
            con,
            "select d.district_short_name as name from marts.dim_district d where d.province_code = ? "
            "and d.has_rural_communes and d.district_code not in (select district_code from "
            "marts.mart_district_briefing where province_code = ? and period_month = ?) order by d.district_code",
            [province_code, *key],
        )
    ]
    hardest = _dicts(
        con,
        "select criterion_number, criterion_name_vi, communes_not_meeting, share_not_meeting_pct, hardest_rank "
        "from marts.mart_criteria_gaps where geo_level = 'province' and province_code = ? and period_month = ? "
        "order by hardest_rank, criterion_number limit 8",
        key,
    )
    funds = _dicts(
        con,
        "select fund_source_name_vi, plan_year, allocated_mil_vnd, disbursed_mil_vnd, disbursement_pct "
        "from marts.mart_fund_disbursement where geo_level = 'province' and province_code = ? "
        "and period_month = ? order by plan_year, fund_source_code",
        key,
    )
    has_results = con.execute(
        "select count(*) from information_schema.tables where table_name = 'validation_results'"
    ).fetchone()[0]
    warnings = (
        _dicts(
            con,
            "select coalesce(d.district_short_name, 'Toàn tỉnh') as district_name, v.suite, v.check_name, "
            "v.severity, v.details from validation_results v left join marts.dim_district d using (district_code) "
            "where not v.success and v.province_code = ? and v.period_month = ? "
            "order by v.district_code nulls first, v.suite, v.check_name",
            key,
        )
        if has_results
        else []
    )
    publication = con.execute("select run_id, published_at from publication").fetchone()
    return PackData(
        province_code=province_code,
        province_name=figures.pop("province_name") or province_code,
        period_month=period_month,
        figures=figures,
        districts=districts,
        missing_districts=missing,
        hardest=hardest,
        funds=funds,
        warnings=warnings,
        run_id=publication[0] if publication else None,
        published_at=publication[1] if publication else None,
    )


def latest_months(serving: duckdb.DuckDBPyConnection) -> list[tuple[str, dt.date]]:
    return serving.execute(
        "select province_code, max(period_month) from marts.mart_province_briefing group by 1 order by 1"
    ).fetchall()
