{{ config(materialized='view', tags=['validated_at_publish']) }}
-- One row per province (or district) x reporting month x band of the month's criteria set: communes in the
-- band. Rows for any set, so that a set's bands need no new columns. Built from the published reporting units'
-- rows (a district- or commune-month held back by a critical check is left out, as in the briefing marts).
-- District rows for the district era; from 07/2025 (no districts) province rows only.
with held_back as (
    select reporting_unit_code, period_month
    from {{ ref('int_validation__unit_status') }}
    where reporting_unit_code is not null and validation_status = 'failed'
),

communes as (
    select status.*
    from {{ ref('fct_commune_status') }} as status
    inner join {{ ref('int_commune_status__derived') }} as derived using (file_sha256, row_number)
    anti join held_back
        on held_back.reporting_unit_code = derived.reporting_unit_code
        and held_back.period_month = derived.period_month
),

bands as (
    select * from {{ ref('dim_criteria_band') }}
),

scopes as (
    select distinct province_code, district_code, period_month, criteria_set_code from communes
    where district_code is not null
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
    having grouping(district_code) = 1 or district_code is not null
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
