-- One row per province per reporting month: the figures read out at the briefing meeting.
-- A district-month that failed a critical check is left out of the sums; the province row then
-- says 'failed' (its figures are those of the other districts).
with district_status as (
    select province_code, district_code, period_month, validation_status
    from {{ ref('mart_district_briefing') }}
),

measures as (
    select measures.*
    from {{ ref('int_district_month__measures') }} as measures
    inner join district_status using (district_code, period_month)
    where district_status.validation_status <> 'failed'
),

districts as (
    -- the districts valid in the month (dated units), not today's list
    select province_code, period_month, districts_expected
    from {{ ref('int_province_months__coverage') }}
),

sets as (
    select * from {{ ref('criteria_sets') }}
    where unit_level = 'commune'
),

province_checks as (
    select province_code, period_month, validation_status
    from {{ ref('int_validation__district_status') }}
    where district_code is null
),

status as (
    select
        province_code,
        period_month,
        case
            when bool_or(validation_status = 'failed') then 'failed'
            when bool_or(validation_status = 'warning') then 'warning'
            else 'passed'
        end as validation_status
    from (
        select province_code, period_month, validation_status from district_status
        union all
        select * from province_checks
    )
    group by all
),

reported as (
    select province_code, period_month, count(*) as districts_reported
    from district_status
    group by all
),

province_months as (
    select
        reported.province_code,
        reported.period_month,
        reported.districts_reported,
        {{ sum_measures() }}
    from reported
    left join measures using (province_code, period_month)
    group by all
),

final as (
    select
        province_months.province_code,
        province_months.period_month,
        coalesce(districts.districts_expected, 0)::integer as districts_expected,
        province_months.districts_reported::integer as districts_reported,
        sets.set_code as criteria_set_code,
        sets.criteria_in_set::integer as criteria_in_set,
        {{ briefing_figures() }},
        coalesce(status.validation_status, 'passed') as validation_status
    from province_months
    left join districts using (province_code, period_month)
    left join status using (province_code, period_month)
    left join sets
        on province_months.period_month between sets.valid_from and coalesce(sets.valid_to, date '9999-12-31')
)

select * from final
