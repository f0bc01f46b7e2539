{{ config(meta={'dagster': {'ref': {'name': 'mart_province_briefing'}}}) }}
-- A province row is the sum of its district rows, for every count and amount.
{% set additive = [
    'districts_reported', 'communes_total', 'communes_ntm', 'communes_ntm_advanced', 'communes_ntm_model',
    'communes_ntm_new_in_year', 'communes_ntm_advanced_new_in_year', 'communes_ntm_model_new_in_year',
    'communes_19_criteria', 'communes_15_18_criteria', 'communes_10_14_criteria', 'communes_5_9_criteria',
    'communes_under_5_criteria', 'communes_not_maintaining', 'villages_ntm', 'villages_model', 'ocop_products',
    'ocop_3_star', 'ocop_4_star', 'ocop_5_star', 'ocop_new_in_year', 'ocop_expired_not_recertified',
    'ocop_exported', 'fund_allocated_mil_vnd', 'fund_disbursed_mil_vnd'] %}
with districts as (
    select
        province_code,
        period_month,
        {% for column in additive %}sum({{ column }}) as {{ column }}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('mart_district_briefing') }}
    group by all
)

select province.province_code, province.period_month
from {{ ref('mart_province_briefing') }} as province
inner join districts using (province_code, period_month)
where {% for column in additive %}province.{{ column }} is distinct from districts.{{ column }}{{ ' or ' if not loop.last }}{% endfor %}
