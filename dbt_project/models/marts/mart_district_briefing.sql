-- One row per district per reporting month (district workbooks, template 2024.1, up to 06/2025): the district's
-- briefing figures. A district-month that failed a critical check is held back: its row says 'failed' and carries
-- no figures. From 07/2025 communes report: mart_commune_briefing.
with months as (
    select province_code, reporting_unit_code, district_code, period_month, is_sample
    from {{ ref('int_district_months__loaded') }}
    where reporting_unit_level = 'district'
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
        months.district_code,
        months.period_month,
        1 as districts_expected,
        1 as districts_reported,
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
