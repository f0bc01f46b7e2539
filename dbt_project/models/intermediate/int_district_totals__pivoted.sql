-- One row per district per month: what the district itself reported (TongHop sheet).
with totals as (
    select * from {{ ref('stg_district_workbook__district_totals') }}
    where source_table = 'TongHop'
),

final as (
    select
        province_code,
        district_code,
        period_month,
        {% for indicator in [
            'communes_total', 'communes_ntm', 'communes_ntm_advanced', 'communes_ntm_model',
            'avg_criteria_met', 'ocop_products', 'ocop_3_star', 'ocop_4_star', 'ocop_5_star',
            'fund_allocated_mil_vnd', 'fund_disbursed_mil_vnd'] -%}
        max(reported_value) filter (where indicator_code = '{{ indicator }}') as reported_{{ indicator }}{{ ',' if not loop.last }}
        {% endfor %}
    from totals
    group by all
)

select * from final
