-- One row per province (or district) x reporting month x band of the month's criteria set: communes in the
-- band. Rows for any set, so that a set's bands need no new columns. Built from the published district rows
-- (a district-month held back by a critical check is left out, as in the briefing marts).
with communes as (
    select status.*
    from {{ ref('fct_commune_status') }} as status
    inner join {{ ref('mart_district_briefing') }} as districts using (district_code, period_month)
    where districts.validation_status <> 'failed'
),

bands as (
    select * from {{ ref('dim_criteria_band') }}
),

scopes as (
    select distinct province_code, district_code, period_month, criteria_set_code from communes
    union all
    select distinct province_code, null as district_code, period_month, criteria_set_code from communes
),

counted as (
    select
        province_code,
        district_code,
        period_month,
        criteria_band as band_code,
        count(*) as communes
    from communes
    group by grouping sets ((province_code, district_code, period_month, criteria_band),
        (province_code, period_month, criteria_band))
),

final as (
    select
        scopes.province_code,
        scopes.district_code,
        scopes.period_month,
        scopes.criteria_set_code,
        bands.band_code,
        bands.min_criteria,
        bands.max_criteria,
        bands.band_name_vi,
        bands.sort_order,
        coalesce(counted.communes, 0)::integer as communes
    from scopes
    inner join bands using (criteria_set_code)
    left join counted
        on counted.province_code = scopes.province_code
        and counted.district_code is not distinct from scopes.district_code
        and counted.period_month = scopes.period_month
        and counted.band_code = bands.band_code
)

select * from final
