-- One row per district per month (template 2024.1): commune counts, average criteria, OCOP products by stars and
-- fund totals computed from the detail sheets (the same measures the briefing marts publish)
-- beside the district's own TongHop totals, and the sums of B01's and B05's columns beside the
-- totals rows at their foot. Validated by expectations/unit_totals.py and
-- expectations/ocop_star_counts.py.
with measures as (
    select * from {{ ref('int_unit_months__measures') }}
),

criteria_rows as (
    -- Every B01 row as written (a totals row adds up the column it stands under).
    select reporting_unit_code, period_month, sum(coalesce(criteria_met_reported, criteria_met)) as criteria_met_sum
    from {{ ref('int_commune_criteria__counted') }}
    group by all
),

fund_rows as (
    select
        reporting_unit_code,
        period_month,
        sum(allocated_mil_vnd) as allocated_mil_vnd,
        sum(disbursed_mil_vnd) as disbursed_mil_vnd
    from {{ ref('stg_workbook__fund_positions') }}
    group by all
),

reported as (
    select * from {{ ref('int_unit_totals__pivoted') }}
),

final as (
    select
        measures.province_code,
        measures.reporting_unit_code,
        measures.district_code,
        measures.period_month,
        measures.communes_total::integer as detail_communes_total,
        measures.communes_ntm::integer as detail_communes_ntm,
        measures.communes_ntm_advanced::integer as detail_communes_ntm_advanced,
        measures.communes_ntm_model::integer as detail_communes_ntm_model,
        {{ ratio('measures.criteria_met_sum', 'measures.communes_total', 2) }}::decimal(6, 2) as detail_avg_criteria_met,
        round(measures.fund_allocated_mil_vnd, 1)::decimal(18, 1) as detail_fund_allocated_mil_vnd,
        round(measures.fund_disbursed_mil_vnd, 1)::decimal(18, 1) as detail_fund_disbursed_mil_vnd,
        measures.ocop_products::integer as detail_ocop_products,
        measures.ocop_3_star::integer as detail_3_star,
        measures.ocop_4_star::integer as detail_4_star,
        measures.ocop_5_star::integer as detail_5_star,
        reported.reported_communes_total::integer as reported_communes_total,
        reported.reported_communes_ntm::integer as reported_communes_ntm,
        reported.reported_communes_ntm_advanced::integer as reported_communes_ntm_advanced,
        reported.reported_communes_ntm_model::integer as reported_communes_ntm_model,
        round(reported.reported_avg_criteria_met, 2)::decimal(6, 2) as reported_avg_criteria_met,
        round(reported.reported_fund_allocated_mil_vnd, 1)::decimal(18, 1) as reported_fund_allocated_mil_vnd,
        round(reported.reported_fund_disbursed_mil_vnd, 1)::decimal(18, 1) as reported_fund_disbursed_mil_vnd,
        reported.reported_ocop_products::integer as reported_ocop_products,
        reported.reported_ocop_3_star::integer as reported_3_star,
        reported.reported_ocop_4_star::integer as reported_4_star,
        reported.reported_ocop_5_star::integer as reported_5_star,
        (reported.reported_ocop_3_star + reported.reported_ocop_4_star + reported.reported_ocop_5_star)::integer
            as reported_star_sum,
        coalesce(criteria_rows.criteria_met_sum, 0)::integer as detail_b01_criteria_met_sum,
        reported.reported_b01_criteria_met_sum::integer as reported_b01_criteria_met_sum,
        round(coalesce(fund_rows.allocated_mil_vnd, 0), 1)::decimal(18, 1) as detail_b05_fund_allocated_mil_vnd,
        round(reported.reported_b05_fund_allocated_mil_vnd, 1)::decimal(18, 1) as reported_b05_fund_allocated_mil_vnd,
        round(coalesce(fund_rows.disbursed_mil_vnd, 0), 1)::decimal(18, 1) as detail_b05_fund_disbursed_mil_vnd,
        round(reported.reported_b05_fund_disbursed_mil_vnd, 1)::decimal(18, 1) as reported_b05_fund_disbursed_mil_vnd
    from measures
    left join reported using (reporting_unit_code, period_month)
    left join criteria_rows using (reporting_unit_code, period_month)
    left join fund_rows using (reporting_unit_code, period_month)
    where measures.reporting_unit_level = 'district'  -- a commune's own totals: int_commune_totals__reconciled
)

select * from final
