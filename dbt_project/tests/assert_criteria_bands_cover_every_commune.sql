{{ config(meta={'dagster': {'ref': {'name': 'mart_province_briefing'}}}) }}
-- Published invariant: the criteria bands partition the communes (Bắc Kạn: 29 + 5 + 33 + 28 + 0 = 95).
{% for mart in ['mart_province_briefing', 'mart_district_briefing'] %}
select '{{ mart }}' as mart, province_code, period_month
from {{ ref(mart) }}
where communes_19_criteria + communes_15_18_criteria + communes_10_14_criteria
    + communes_5_9_criteria + communes_under_5_criteria <> communes_total
{{ 'union all' if not loop.last }}
{% endfor %}
