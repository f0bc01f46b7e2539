-- One row per commune per month (template 2026.1): what the commune counted in its own TongHop beside the same
-- figures computed from its detail sheets: criteria met of the set (C01's marks), indicators met (C01), NTM
-- villages (C03), OCOP products by stars (C04), funds of the plan year (C05). Validated by
-- expectations/commune_totals.py (warnings, named by commune: the figures from the detail publish).
with measures as (
    select * from {{ ref('int_unit_months__measures') }}
    where reporting_unit_level = 'commune'
),

reported as (
    select
        reporting_unit_code,
        period_month,
        {% for indicator in ['criteria_met', 'indicators_met', 'villages_ntm', 'ocop_products', 'ocop_3_star',
            'ocop_4_star', 'ocop_5_star', 'fund_allocated_mil_vnd', 'fund_disbursed_mil_vnd'] -%}
        max(reported_value) filter (where indicator_code = '{{ indicator }}') as reported_{{ indicator }}
        {{- ',' if not loop.last }}
        {% endfor %}
    from {{ ref('stg_workbook__unit_totals') }}
    where source_table = 'TongHop'
    group by all
),

names as (
    select unit_code, unit_name, valid_from, valid_until
    from {{ ref('stg_admin_units__versions') }}
    where unit_level = 'commune'
),

final as (
    select
        measures.province_code,
        measures.reporting_unit_code,
        measures.district_code,
        measures.period_month,
        measures.reporting_unit_code || ' ' || coalesce(names.unit_name, '') as commune_label,
        measures.criteria_met_sum::integer as detail_criteria_met,
        reported.reported_criteria_met::integer as reported_criteria_met,
        measures.indicators_met_sum::integer as detail_indicators_met,
        reported.reported_indicators_met::integer as reported_indicators_met,
        measures.villages_ntm::integer as detail_villages_ntm,
        reported.reported_villages_ntm::integer as reported_villages_ntm,
        measures.ocop_products::integer as detail_ocop_products,
        reported.reported_ocop_products::integer as reported_ocop_products,
        measures.ocop_3_star::integer as detail_3_star,
        reported.reported_ocop_3_star::integer as reported_3_star,
        measures.ocop_4_star::integer as detail_4_star,
        reported.reported_ocop_4_star::integer as reported_4_star,
        measures.ocop_5_star::integer as detail_5_star,
        reported.reported_ocop_5_star::integer as reported_5_star,
        (reported.reported_ocop_3_star + reported.reported_ocop_4_star + reported.reported_ocop_5_star)::integer
            as reported_star_sum,
        round(measures.fund_allocated_mil_vnd, 1)::decimal(18, 1) as detail_fund_allocated_mil_vnd,
        round(reported.reported_fund_allocated_mil_vnd, 1)::decimal(18, 1) as reported_fund_allocated_mil_vnd,
        round(measures.fund_disbursed_mil_vnd, 1)::decimal(18, 1) as detail_fund_disbursed_mil_vnd,
        round(reported.reported_fund_disbursed_mil_vnd, 1)::decimal(18, 1) as reported_fund_disbursed_mil_vnd
    from measures
    left join reported using (reporting_unit_code, period_month)
    left join names
        on names.unit_code = measures.reporting_unit_code
        and last_day(measures.period_month) between names.valid_from and names.valid_until
)

select * from final
