{{ config(meta={'dagster': {'ref': {'name': 'mart_province_briefing'}}}) }}
-- Published invariant: OCOP products = 3★ + 4★ + 5★ (e.g. Bắc Kạn 2023: 218 = 199 + 18 + 1).
{% for mart in ['mart_province_briefing', 'mart_district_briefing'] %}
select '{{ mart }}' as mart, province_code, period_month
from {{ ref(mart) }}
where ocop_3_star + ocop_4_star + ocop_5_star <> ocop_products
{{ 'union all' if not loop.last }}
{% endfor %}
