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
    bands: list[dict[str, Any]] = field(default_factory=list)  # the month's criteria set's bands (any set)
    history: list[dict[str, Any]] = field(default_factory=list)  # mart_province_history: restated and as reported
    # template 2024.2: the advanced set's bands (B01N), and the indicators hardest to meet (B02), published units only
    advanced_bands: list[dict[str, Any]] = field(default_factory=list)
    hardest_indicators: list[dict[str, Any]] = field(default_factory=list)
    dossier_results: list[dict[str, Any]] = field(default_factory=list)  # B08: passed, by kind and stars proposed
    criteria_set_name: str | None = None  # the month's set as its decision names it (dim_criteria_set.set_name_vi)
    # the province's rows of the month before and of the same month a year before, where loaded and comparable (the
    # same reporting units' level and criteria set): {"previous": row, "year_ago": row}
    earlier: dict[str, dict[str, Any]] = field(default_factory=dict)
    # from 07/2025: the provinces before the reform whose communes are now the province's (bridge_commune_2025)
    legacy_provinces: list[dict[str, Any]] = field(default_factory=list)
    # the unit levels with a criteria set in force in the month (dim_criteria_set): 'commune', 'commune_advanced'
    # (the advanced set, 03/2022-01/2026), 'district' (03/2022-06/2025); a sentence of a set not in force is left out
    sets_in_force: list[str] = field(default_factory=list)

    @property
    def unit_level(self) -> str:
        """Who reported the month: 'district' (to 06/2025) or 'commune' (from 07/2025); `districts` holds their rows."""
        return self.figures.get("reporting_unit_level") or "district"

    @property
    def is_sample(self) -> bool:
        """Made from sample workbooks (their covers carry the sample mark): every page and sheet says so."""
        return bool(self.figures.get("is_sample_data"))

    @property
    def fingerprint(self) -> str:
        """Changes when any figure, unit row, band, history row or warning of the pack changes."""
        payload = [self.figures, self.districts, self.missing_districts, self.hardest, self.funds, self.warnings,
                   self.bands, self.history, self.advanced_bands, self.hardest_indicators,
                   self.dossier_results, self.criteria_set_name, self.earlier,
                   self.legacy_provinces, self.sets_in_force]  # fmt: skip
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
    if figures.get("reporting_unit_level") == "commune":  # from 07/2025 each xã reports: its row, its name then
        districts = _dicts(
            con,
            "select coalesce(a.unit_short_name, b.commune_code) as district_name, "
            "coalesce(a.unit_short_name, b.commune_code) as unit_name, a.unit_type, b.* "
            "from marts.mart_commune_briefing b "
            "left join marts.dim_admin_unit a on a.unit_level = 'commune' and a.unit_code = b.commune_code "
            "and last_day(b.period_month) between a.valid_from and a.valid_until "
            # the xã first, then the phường and special zones, each in the order of their codes (the official list's)
            "where b.province_code = ? and b.period_month = ? "
            "order by a.unit_type is distinct from 'Xã', a.unit_type, b.commune_code",
            key,
        )
        missing_sql = (
            "select lower(a.unit_type) || ' ' || a.unit_short_name as name from marts.dim_admin_unit a "
            "where a.unit_level = 'commune' "
            "and a.unit_type = 'Xã' and a.parent_code = ? and last_day(?::date) between a.valid_from and a.valid_until "
            "and a.unit_code not in (select commune_code from marts.mart_commune_briefing where province_code = ? "
            "and period_month = ?) order by a.unit_code"
        )
        missing_params = [province_code, period_month, *key]
    else:
        districts = _dicts(
            con,
            # each district by its version of the month (dim_admin_unit), not today's name: Đông Triều was a thị xã
            "select a.unit_short_name as district_name, a.unit_short_name as unit_name, a.unit_type, b.* "
            "from marts.mart_district_briefing b join marts.dim_admin_unit a on a.unit_level = 'district' "
            "and a.unit_code = b.district_code and last_day(b.period_month) between a.valid_from and a.valid_until "
            "where b.province_code = ? and b.period_month = ? order by b.district_code",
            key,
        )
        # the districts of the month with a xã that month (as coverage counts them), named as they were then
        missing_sql = (
            "select lower(a.unit_type) || ' ' || a.unit_short_name as name from marts.dim_admin_unit a "
            "where a.unit_level = 'district' and a.parent_code = ? and last_day(?::date) between a.valid_from "
            "and a.valid_until and exists (select 1 from marts.dim_admin_unit x where x.unit_level = 'commune' "
            "and x.unit_type = 'Xã' and x.parent_code = a.unit_code and last_day(?::date) between x.valid_from "
            "and x.valid_until) and a.unit_code not in (select district_code from marts.mart_district_briefing "
            "where province_code = ? and period_month = ?) order by a.unit_code"
        )
        missing_params = [province_code, period_month, period_month, *key]
    missing = [r["name"] for r in _dicts(con, missing_sql, missing_params)]
    bands = _dicts(
        con,
        "select band_code, band_name_vi, communes from marts.mart_criteria_bands where province_code = ? "
        "and period_month = ? and district_code is null order by sort_order",
        key,
    )
    history = _dicts(
        con,
        "select h.period_month, h.figure_basis, h.source_province_code, coalesce(a.unit_short_name, "
        "h.source_province_code) as source_province_name, h.communes_reported, h.communes_ntm, h.ocop_products, "
        "h.label_vi from marts.mart_province_history h left join marts.dim_admin_unit a on a.unit_level = 'province' "
        "and a.unit_code = h.source_province_code and last_day(h.period_month) between a.valid_from and a.valid_until "
        "where h.province_code = ? and h.period_month <= ? order by h.period_month, h.figure_basis, "
        "h.source_province_code",
        key,
    )
    advanced_bands = _dicts(
        con,
        "with marks as (select m.commune_code, m.criteria_set_code, count_if(m.is_met) as met "
        "from marts.fct_commune_advanced_criteria m join marts.mart_district_briefing b using (district_code, "
        "period_month) where m.province_code = ? and m.period_month = ? and b.validation_status <> 'failed' "
        "group by all) select bands.band_code, bands.band_name_vi, bands.min_criteria, bands.max_criteria, "
        "count(*) as communes from marts.dim_criteria_band bands join marks on marks.criteria_set_code = "
        "bands.criteria_set_code and marks.met between bands.min_criteria and bands.max_criteria "
        "group by all order by any_value(bands.sort_order)",
        key,
    )
    dossier_results = _dicts(
        con,
        "select d.dossier_type, d.stars_proposed, count(*) as products from marts.fct_ocop_dossier d "
        "join marts.mart_district_briefing b using (district_code, period_month) where d.province_code = ? "
        "and d.period_month = ? and b.validation_status <> 'failed' and d.is_evaluated and not d.is_failed "
        "and d.stars_proposed is not null group by all order by d.dossier_type desc, d.stars_proposed desc",
        key,
    )
    hardest_indicators = _dicts(
        con,
        "select indicator_code, indicator_name_vi, communes_reported, communes_not_meeting, share_not_meeting_pct, "
        "hardest_rank, communes_not_ntm, communes_not_ntm_not_meeting, hardest_rank_not_ntm "
        "from marts.mart_indicator_gaps where geo_level = 'province' and province_code = ? and period_month = ? "
        "and communes_not_meeting > 0 order by hardest_rank, indicator_code limit 5",
        key,
    )
    hardest = _dicts(
        con,
        "select criterion_number, criterion_name_vi, communes_not_meeting, share_not_meeting_pct, hardest_rank, "
        "communes_not_ntm, communes_not_ntm_not_meeting, hardest_rank_not_ntm "
        "from marts.mart_criteria_gaps where geo_level = 'province' and province_code = ? and period_month = ? "
        "order by hardest_rank, criterion_number limit 8",
        key,
    )
    funds = _dicts(
        con,
        # the sources in the order the programme lists them: central, provincial, district, commune budgets,
        # integrated programmes, credit, enterprises, communities (dim_fund_source.sort_order)
        "select m.fund_source_name_vi, m.plan_year, m.allocated_mil_vnd, m.disbursed_mil_vnd, m.disbursement_pct, "
        "s.is_state_budget from marts.mart_fund_disbursement m left join marts.dim_fund_source s "
        "using (fund_source_code) where m.geo_level = 'province' and m.province_code = ? "
        "and m.period_month = ? order by m.plan_year, s.sort_order, m.fund_source_code",
        key,
    )
    has_results = con.execute(
        "select count(*) from information_schema.tables where table_name = 'validation_results'"
    ).fetchone()[0]
    warnings = (
        _dicts(
            con,
            "select coalesce(d.district_short_name, c.unit_short_name, 'Toàn tỉnh') as district_name, v.suite, "
            "v.check_name, v.severity, v.details from validation_results v "
            "left join marts.dim_district d on d.district_code = v.district_code "
            "left join marts.dim_admin_unit c on v.district_code is null and c.unit_level = 'commune' "
            "and c.unit_code = v.reporting_unit_code "
            "and last_day(v.period_month) between c.valid_from and c.valid_until "
            "where not v.success and v.province_code = ? and v.period_month = ? "
            "order by v.reporting_unit_code nulls first, v.suite, v.check_name",
            key,
        )
        if has_results
        else []
    )
    earlier = {}
    for name, months in (("previous", 1), ("year_ago", 12)):
        rows = _dicts(
            con,
            "select * from marts.mart_province_briefing where province_code = ? "
            "and period_month = ?::date - to_months(?) and reporting_unit_level = ? and criteria_set_code = ?",
            [province_code, period_month, months, figures.get("reporting_unit_level"), figures["criteria_set_code"]],
        )
        if rows:
            earlier[name] = rows[0]
    legacy = (
        _dicts(
            con,
            "select distinct b.legacy_province_code as code, coalesce(a.unit_short_name, b.legacy_province_code) "
            "as name from marts.bridge_commune_2025 b left join marts.dim_admin_unit a on a.unit_level = 'province' "
            "and a.unit_code = b.legacy_province_code and date '2025-06-30' between a.valid_from and a.valid_until "
            "where b.province_code_2025 = ? order by 1",
            [province_code],
        )
        if figures.get("reporting_unit_level") == "commune"
        else []
    )
    in_force = [
        level
        for (level,) in con.execute(
            "select distinct unit_level from marts.dim_criteria_set where ?::date between valid_from and valid_to "
            "order by 1",
            [period_month],
        ).fetchall()
    ]
    publication = con.execute("select run_id, published_at from publication").fetchone()
    set_name = con.execute(
        "select set_name_vi from marts.dim_criteria_set where criteria_set_code = ?", [figures["criteria_set_code"]]
    ).fetchone()
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
        bands=bands,
        history=history,
        advanced_bands=advanced_bands,
        hardest_indicators=hardest_indicators,
        dossier_results=dossier_results,
        criteria_set_name=set_name[0] if set_name else None,
        earlier=earlier,
        legacy_provinces=legacy,
        sets_in_force=in_force,
    )


def latest_months(serving: duckdb.DuckDBPyConnection) -> list[tuple[str, dt.date]]:
    return serving.execute(
        "select province_code, max(period_month) from marts.mart_province_briefing group by 1 order by 1"
    ).fetchall()
