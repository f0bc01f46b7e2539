{{ config(meta={'dagster': {'ref': {'name': 'mart_province_briefing'}}}) }}
-- A province row is the sum of its district rows, for every count and amount. An optional measure (template 2024.2's
-- sheets) is null in the province when a district did not report it: then its districts' sum is partial, and the
-- test asks only that a district is missing it.
{% set additive = ['districts_reported'] + additive_briefing_measures() %}
{% set optional = var('briefing_measures') | selectattr('optional', 'defined') | selectattr('optional')
    | map(attribute='name') | select('in', additive) | list %}
with districts as (
    select
        province_code,
        period_month,
        {% for column in optional %}count(*) - count({{ column }}) as {{ column }}__missing,
        {% endfor -%}
        {% for column in additive %}sum({{ column }}) as {{ column }}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('mart_district_briefing') }}
    group by all
)

select province.province_code, province.period_month
from {{ ref('mart_province_briefing') }} as province
inner join districts using (province_code, period_month)
where {% for column in additive %}
    {%- if column in optional %}
    (province.{{ column }} is distinct from districts.{{ column }}
        and not (province.{{ column }} is null and districts.{{ column }}__missing > 0))
    {%- else %}
    province.{{ column }} is distinct from districts.{{ column }}
    {%- endif %}{{ ' or ' if not loop.last }}{% endfor %}
