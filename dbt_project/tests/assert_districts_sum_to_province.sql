{{ config(meta={'dagster': {'ref': {'name': 'mart_province_briefing'}}}) }}
-- A province row is the sum of its district rows, for every count and amount.
{% set additive = ['districts_reported'] + additive_briefing_measures() %}
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
