{{ config(meta={'dagster': {'ref': {'name': 'mart_province_briefing'}}}) }}
-- Published invariant: levels nest, so model <= advanced <= NTM <= communes, also for villages.
{% for mart in ['mart_province_briefing', 'mart_district_briefing'] %}
select '{{ mart }}' as mart, province_code, period_month
from {{ ref(mart) }}
where not (communes_ntm_model <= communes_ntm_advanced
       and communes_ntm_advanced <= communes_ntm
       and communes_ntm <= communes_total
       and villages_model <= villages_ntm
       and communes_not_maintaining <= communes_ntm)
{{ 'union all' if not loop.last }}
{% endfor %}
