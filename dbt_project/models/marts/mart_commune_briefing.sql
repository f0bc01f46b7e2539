-- One row per commune per reporting month (commune workbooks, template 2026.1, from 07/2025): the commune's
-- briefing figures, in the place mart_district_briefing has for the district era. A commune-month that failed a
-- critical check is held back: its row says 'failed' and carries no figures. Columns as the other briefing marts
-- (a commune's communes_total is 1: itself), and the commune's group.
with months as (
    select province_code, reporting_unit_code, commune_code, commune_group, period_month, is_sample
    from {{ ref('int_district_months__loaded') }}
    where reporting_unit_level = 'commune'
),

status as (
    select * from {{ ref('int_validation__district_status') }}
    where reporting_unit_code is not null
),

sets as (
    select * from {{ ref('criteria_sets') }}
    where unit_level = 'commune'
),

publishable as (
    select measures.*
    from {{ ref('int_district_month__measures') }} as measures
    left join status using (reporting_unit_code, period_month)
    where coalesce(status.validation_status, 'passed') <> 'failed'
),

final as (
    select
        months.province_code,
        months.commune_code,
        months.period_month,
        months.commune_group::integer as commune_group,
        sets.set_code as criteria_set_code,
        sets.criteria_in_set::integer as criteria_in_set,
        {{ briefing_figures() }},
        coalesce(status.validation_status, 'passed') as validation_status,
        {{ briefing_figures(added=true) }},
        months.is_sample as is_sample_data
    from months
    left join publishable using (reporting_unit_code, period_month)
    left join status using (reporting_unit_code, period_month)
    left join sets
        on months.period_month between sets.valid_from and coalesce(sets.valid_to, date '9999-12-31')
)

select * from final
