{{ config(meta={'dagster': {'ref': {'name': 'mart_province_briefing'}}}) }}
-- Published invariant: the criteria bands partition the communes (Bắc Kạn: 29 + 5 + 33 + 28 + 0 = 95): in the
-- band columns of the briefing marts for the 19-criteria sets, and in mart_criteria_bands for every set (the
-- 2026-2030 set's bands are rows there, not columns).
{% for mart in ['mart_province_briefing', 'mart_district_briefing', 'mart_commune_briefing'] %}
select '{{ mart }}' as mart, province_code, period_month
from {{ ref(mart) }}
where criteria_in_set = 19
    and communes_19_criteria + communes_15_18_criteria + communes_10_14_criteria
    + communes_5_9_criteria + communes_under_5_criteria <> communes_total
union all
{% endfor %}
select 'mart_criteria_bands' as mart, briefing.province_code, briefing.period_month
from {{ ref('mart_province_briefing') }} as briefing
left join (
    select province_code, period_month, sum(communes) as communes
    from {{ ref('mart_criteria_bands') }}
    where district_code is null
    group by all
) as bands using (province_code, period_month)
where briefing.communes_total > 0 and coalesce(bands.communes, 0) <> briefing.communes_total
