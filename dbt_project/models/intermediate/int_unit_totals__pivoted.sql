-- One row per district per month: what the district itself reported, in TongHop and in the
-- totals rows at the foot of B01 (criteria met) and B05 (funds, every source and plan year).
with totals as (
    select * from {{ ref('stg_workbook__unit_totals') }}
),

final as (
    select
        province_code,
        reporting_unit_code,
        period_month,
        {% for indicator in [
            'communes_total', 'communes_ntm', 'communes_ntm_advanced', 'communes_ntm_model',
            'avg_criteria_met', 'ocop_products', 'ocop_3_star', 'ocop_4_star', 'ocop_5_star',
            'fund_allocated_mil_vnd', 'fund_disbursed_mil_vnd'] -%}
        max(reported_value) filter (
            where source_table = 'TongHop' and indicator_code = '{{ indicator }}'
        ) as reported_{{ indicator }},
        {% endfor -%}
        max(reported_value) filter (
            where source_table = 'B01' and indicator_code = 'criteria_met_sum'
        ) as reported_b01_criteria_met_sum,
        max(reported_value) filter (
            where source_table = 'B05' and indicator_code = 'fund_allocated_mil_vnd'
        ) as reported_b05_fund_allocated_mil_vnd,
        max(reported_value) filter (
            where source_table = 'B05' and indicator_code = 'fund_disbursed_mil_vnd'
        ) as reported_b05_fund_disbursed_mil_vnd
    from totals
    group by all
)

select * from final
